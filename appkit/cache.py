"""Cached calls into `scoring`: one evaluation per (database, data version, as-of, since, rules version).

Every page of a run asks for the same evaluation and picks what it shows from it, so a widget
change that keeps the dates (a filter, a unit choice) re-renders without re-evaluating.

The cache is shared and read-only (`st.cache_resource`): every session and every rerun gets
the same objects, never a copy. `st.cache_data` unpickled a fresh copy of the evaluation on
every rerun (about 80 MB at national scale, 1–2.5 s per click); a shared object costs
nothing. The evaluation is cached as the typed `scoring.Evaluation` itself (frozen dataclasses
and tuples: no JSON round trip, no per-rerun copy); a round's stored JSON is read back into the
same objects once (`round_results`). What a page derives from it (the ranking frame, a chart)
is cached the same way (`derived`); no page reads the evaluation as JSON. Other results are frozen too: dicts and lists come back as
`FrozenDict`/`FrozenList` (real dicts and lists for json, pandas and Streamlit, whose mutating
methods raise), and every DataFrame is handed out as a shallow copy, which under pandas'
copy-on-write cannot change the cached frame. A page that wants to change a result makes its
own copy (`thaw`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.logger import get_logger

import scoring
from appkit.db import Db, cursor
from queries import views


def _read_only(*_: object, **__: object) -> NoReturn:
    raise TypeError("cached results are shared by every session; copy with appkit.cache.thaw() to change one")


class FrozenDict(dict):  # type: ignore[type-arg]
    """A dict whose mutating methods raise (shared cached results)."""
    __setitem__ = __delitem__ = update = pop = popitem = setdefault = clear = __ior__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


class FrozenList(list):  # type: ignore[type-arg]
    """A list whose mutating methods raise (shared cached results)."""
    __setitem__ = __delitem__ = append = extend = insert = pop = remove = clear = sort = reverse = \
        __iadd__ = __imul__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


def freeze(value: Any) -> Any:
    """dicts and lists -> frozen ones, recursively; DataFrames and scalars unchanged."""
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return FrozenList(freeze(v) for v in value)
    if isinstance(value, tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """A private, mutable deep copy of a cached result."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [thaw(v) for v in value]
    if isinstance(value, tuple):
        return tuple(thaw(v) for v in value)
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy()
    return value


def _handed_out(value: Any) -> Any:
    """What a caller receives: frames as shallow copies (copy-on-write guards the cached one)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_handed_out(v) for v in value)
    return value


@st.cache_resource(show_spinner=False, max_entries=16)
def _evaluation(path: str, version: str, as_of: dt.date, since: dt.date | None,
                rules_version: str) -> scoring.Evaluation:
    return scoring.evaluate(cursor(path), as_of, since)


@st.cache_resource(show_spinner=False, max_entries=8)
def _trend(path: str, version: str, as_of: dt.date, rules_version: str) -> pd.DataFrame:
    return scoring.trend(cursor(path), as_of)


@st.cache_resource(show_spinner=False, max_entries=256)
def _view(path: str, version: str, name: str, args: tuple[Any, ...]) -> Any:
    return freeze(getattr(views, name)(cursor(path), *args))


@st.cache_resource(show_spinner=False, max_entries=64)
def _district_index(path: str, version: str, as_of: dt.date, since: dt.date | None,
                    rules_version: str) -> Mapping[str, scoring.DistrictResult]:
    evaluated = _evaluation(path, version, as_of, since, rules_version)
    return MappingProxyType({d.code: d for d in evaluated.districts})


@st.cache_resource(show_spinner=False, max_entries=16)
def _round_results(path: str, version: str, round_id: int, revision: int | None) -> scoring.Evaluation:
    from scoring import rounds as round_store

    stored = round_store.stored(cursor(path), round_id, revision)
    return scoring.Evaluation.from_json(stored["evaluation"])


def scores_only(con: Any, as_of: dt.date, since: dt.date | None = None) -> scoring.Evaluation:
    """The evaluation's figures without its explanations: every unit's rank, score, grade,
    components and milestones exactly as `scoring.evaluate` decides them (`evaluation.measured` is
    the same measure-and-decide step evaluate runs first), with no gap, pending or finding lists,
    which the ranking does not show and which are most of evaluate's time nationally. Only for
    building the ranking frame; pages that show a unit's lists read the full evaluation."""
    from scoring import evaluation as full
    from scoring.decide import MILESTONE_DATE_COLUMNS, milestone_outcomes
    from scoring.vocabulary import MilestoneStatus

    rules = scoring.load_rules()
    since = since or rules.since_for(as_of)
    if since > as_of:  # evaluate's own refusal and message
        return scoring.evaluate(con, as_of, since)
    decided = full.measured(con, as_of, since, rules)
    for ms, deadline in rules.milestones.items():
        o = milestone_outcomes(decided[MILESTONE_DATE_COLUMNS[ms]], decided["as_of"], deadline)
        decided[[f"{ms}_status", f"{ms}_date", f"{ms}_days_late"]] = o[["status", "date", "days_late"]]
    ordered = decided.sort_values(["rank", "code"])
    figures = ordered[list(rules.component_ids)].astype(float)
    components = full._plain_rows(figures, rules.component_ids, np.arange(len(figures)),
                                  {c: figures[c].tolist() for c in rules.component_ids}, as_float=True)
    units = []
    for row, values in zip(ordered.to_dict("records"), components, strict=True):  # one per unit, not per row of data
        milestones = {}
        for ms in rules.milestones:
            days = full._none(row[f"{ms}_days_late"])
            milestones[ms] = full.Milestone(MilestoneStatus(row[f"{ms}_status"]), full._none(row[f"{ms}_date"]),
                                            None if days is None else int(days))
        units.append(full.DistrictResult(
            code=row["code"], name=row["name"], kind=row["kind"], rank=int(row["rank"]), score=float(row["score"]),
            grade=row["grade"], components=values, milestones=milestones, pending=(), gaps=(),
            calendar_estimated=False, unclassified_count=0, weighted_score=float(row["weighted_score"])))
    return scoring.Evaluation(as_of, since, rules.version, tuple(units), rules)


@st.cache_resource(show_spinner=False, max_entries=16)
def _ranking(path: str, version: str, as_of: dt.date, since: dt.date | None, rules_version: str) -> pd.DataFrame:
    from appkit import persist, tables

    def build() -> pd.DataFrame:  # the figures only: the full evaluation is not needed for the ranking
        return tables.ranking_frame(scores_only(cursor(path), as_of, since))

    return persist.stored(path, version, "ranking", (as_of, since, rules_version), build)


def ranking(db: Db, as_of: dt.date, since: dt.date | None = None) -> pd.DataFrame:
    """`appkit.tables.ranking_frame` of the live evaluation, every unit: shared in the process and
    kept beside the database (`appkit.persist`), so a new process (restart, replica, deploy) shows
    the overview without evaluating when the data, rules, dates and code are unchanged."""
    frame: pd.DataFrame = _handed_out(_ranking(db.path, db.version, as_of, since, scoring.load_rules().version))
    return frame


@st.cache_resource(show_spinner=False, max_entries=128)
def _derived(path: str, version: str, key: tuple[Any, ...], _build: Callable[[], Any]) -> Any:
    return _build()


def derived(db: Db, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    """What a page derives from a shared result (a ranking frame, a chart), built once per
    database version and `key` (which names the result and the arguments, e.g. the dates and a
    filter) and shared like the result itself; frames are handed out as shallow copies."""
    return _handed_out(_derived(db.path, db.version, key, build))


@st.cache_resource(show_spinner=False, max_entries=32)
def _self_check(path: str, version: str, as_of: dt.date, since: dt.date, code: str) -> Any:
    from queries import self_check as sc

    db = Db(path, version)
    check = sc.build_self_check(db.cursor(), evaluation(db, as_of, since), code)
    # shared by every rerun and session: its dicts and lists frozen (Fix and Measured are frozen)
    return dataclasses.replace(check, milestones=freeze(check.milestones), weights=freeze(check.weights),
                               fixes=freeze(list(check.fixes)))


def self_check(db: Db, as_of: dt.date, since: dt.date, code: str) -> Any:
    """`queries.self_check.build_self_check` of one unit (live data), built once per data version
    and shared (no per-rerun unpickling); each caller gets its own shallow copy, so assigning an
    attribute or changing the checklist frame cannot reach the shared one. No scope check here:
    `appkit.scope.self_check` is the guarded entry."""
    check = _self_check(db.path, db.version, as_of, since, code)
    return dataclasses.replace(check, items=_handed_out(check.items))


@st.cache_resource(show_spinner=False, max_entries=64)
def _what_if(path: str, version: str, as_of: dt.date, since: dt.date, code: str, n: int) -> scoring.WhatIf:
    check = _self_check(path, version, as_of, since, code)
    return scoring.what_if(Db(path, version).cursor(), as_of, code, list(check.fixes[:n]), since=since,
                           measured=check.measured)  # the point the fixes were ranked on: not measured again


def what_if(db: Db, as_of: dt.date, since: dt.date, code: str, n: int) -> scoring.WhatIf:
    """The score after the first `n` fixes of the unit (a frozen `WhatIf`, shared)."""
    return _what_if(db.path, db.version, as_of, since, code, n)


@st.cache_resource(show_spinner=False, max_entries=8)
def _rounds(path: str, version: str) -> tuple[Any, ...]:
    from scoring import rounds as round_store

    return tuple(round_store.list_rounds(cursor(path)))


def rounds(db: Db) -> list[Any]:
    """`scoring.rounds.list_rounds` (frozen `Round`s), read once per data version: the sidebar's
    round picker and the period read it on every run of every page."""
    return list(_rounds(db.path, db.version))


def evaluation(db: Db, as_of: dt.date, since: dt.date | None = None) -> scoring.Evaluation:
    """`scoring.evaluate(...)` of every unit: the typed, frozen result, shared by every session
    and rerun (see module docstring)."""
    return _evaluation(db.path, db.version, as_of, since, scoring.load_rules().version)


def district_result(db: Db, as_of: dt.date, since: dt.date | None, code: str) -> scoring.DistrictResult | None:
    """One unit's result in the cached evaluation, or None for an unknown code."""
    return _district_index(db.path, db.version, as_of, since, scoring.load_rules().version).get(code)


def round_results(db: Db, round_id: int, revision: int | None = None) -> scoring.Evaluation:
    """A round's stored evaluation read back as the typed result (`Evaluation.from_json`), once
    per data version and revision."""
    return _round_results(db.path, db.version, round_id, revision)


def trend(db: Db, as_of: dt.date) -> pd.DataFrame:
    """`scoring.trend(con, as_of)`: one row per quarter end and unit."""
    frame: pd.DataFrame = _handed_out(_trend(db.path, db.version, as_of, scoring.load_rules().version))
    return frame


def view(db: Db, name: str, *args: Any) -> Any:
    """`queries.views.<name>(con, *args)`, cached by database, data version and arguments."""
    return _handed_out(_view(db.path, db.version, name, tuple(args)))


def clear() -> None:
    """Drop every shared result (after a write through the app; data-version keys cover the CLI)."""
    for cached in (_evaluation, _trend, _view, _district_index, _round_results, _derived,
                   _rounds, _ranking, _self_check, _what_if):
        cached.clear()


# ── warming: the default view computed in the background, so the next visitor does not wait ──

_log = get_logger(__name__)  # Streamlit's: shown on the server's console at its log level

# When the warm-up starts: once this process has been quiet for QUIET_S (no script run of any
# session, and the process itself used under QUIET_CPU of one core, which is what serving the
# browser's lazily loaded JavaScript, a websocket message or a rerun costs), or at the latest
# LONGEST_WAIT_S after it was asked for. Started at once, it computed the full national evaluation
# while the first visitor's browser was still fetching and drawing the page: DuckDB's worker
# threads and the GIL are shared with the pages and the static files (README 真实浏览器首屏).
# Served nationally at load ~1 the grid was drawn 0–1 s after the first run ended (the browser
# fetching the grid's and the chart's scripts and drawing them); 1.5 s leaves room under load.
QUIET_S = 1.5
QUIET_CPU = 0.2
LONGEST_WAIT_S = 20.0
_POLL_S = 0.1


class Activity:
    """Script runs under way in this process (every session), and when the last one ended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.active = 0
        self.last = time.monotonic()

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        with self._lock:
            self.active += 1
            self.last = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self.active -= 1
                self.last = time.monotonic()

    def idle_for(self) -> float:
        """Seconds since the last script run ended; 0 while one is running."""
        with self._lock:
            return 0.0 if self.active else time.monotonic() - self.last


@st.cache_resource(show_spinner=False)
def activity() -> Activity:
    """This server process's one `Activity` (shared by every session, kept across reloads)."""
    return Activity()


@contextlib.contextmanager
def script_run() -> Iterator[None]:
    """dashboard.py runs each script run inside this: the warm-up waits while any is running."""
    with activity().running():
        yield


def wait_until_quiet(quiet_s: float = QUIET_S, longest_s: float = LONGEST_WAIT_S,
                     cpu: Callable[[], float] = time.process_time) -> bool:
    """Block until no script run has been active for `quiet_s` and this process (`cpu`: its CPU
    seconds, every thread) used under `QUIET_CPU` of a core over those `quiet_s`; True then,
    False when `longest_s` passed first."""
    runs = activity()
    deadline = time.monotonic() + longest_s
    samples: list[tuple[float, float]] = []  # (monotonic, cpu seconds), the last quiet_s of them
    while True:
        now, used = time.monotonic(), cpu()
        samples.append((now, used))
        while len(samples) > 1 and now - samples[1][0] >= quiet_s:
            samples.pop(0)
        span = now - samples[0][0]
        if runs.idle_for() >= quiet_s and span >= quiet_s and (used - samples[0][1]) < QUIET_CPU * span:
            return True
        if now >= deadline:
            return False
        time.sleep(_POLL_S)


@st.cache_resource(show_spinner=False)
def _warm_state() -> tuple[threading.Lock, set[tuple[Any, ...]]]:
    """The keys this server process has started warming (once each)."""
    return threading.Lock(), set()


def serving() -> bool:
    """True inside a served app (`streamlit run`: a real Runtime). Not under AppTest, whose
    runtime is a stand-in and whose tests count evaluations; `COMPLIANCE_WARM=off` turns it off."""
    if os.environ.get("COMPLIANCE_WARM", "").strip().lower() in ("off", "0", "no", "false"):
        return False
    from streamlit.runtime import Runtime

    return Runtime.exists() and type(Runtime.instance()) is Runtime


def warm(db: Db, as_of: dt.date, since: dt.date | None) -> threading.Thread | None:
    """Compute the ranking (kept beside the database) and the full evaluation of (as_of, since)
    in a background thread, once per data version, when this process serves the app. The shell
    calls it at the end of each run for the default view (today, the default window), so after a
    restart, a CLI load or a write through the app the first page shown warms what 督导总览 and
    the unit pages read, and the next visitor (of any replica: the frame is on disk) does not wait.
    The thread first waits until the server is quiet (`wait_until_quiet`: the first visitor's
    browser has what it needs). A page that asks while it is being computed waits for the same
    computation (one per key)."""
    if not serving():
        return None
    return start_warming(db, as_of, since)


def start_warming(db: Db, as_of: dt.date, since: dt.date | None, *, quiet_s: float = QUIET_S,
                  longest_s: float = LONGEST_WAIT_S) -> threading.Thread | None:
    """`warm` without the serving check (tests join the thread it returns); None when this key
    was warmed already."""
    key = (db.path, db.version, as_of, since, scoring.load_rules().version)
    lock, started = _warm_state()
    with lock:
        if key in started:
            return None
        started.add(key)
    thread = threading.Thread(target=_warm_run, args=(*key, quiet_s, longest_s), name="compliance-warm", daemon=True)
    thread.start()
    return thread


def _warm_run(path: str, version: str, as_of: dt.date, since: dt.date | None, rules_version: str,
              quiet_s: float = QUIET_S, longest_s: float = LONGEST_WAIT_S) -> None:
    with contextlib.suppress(OSError, AttributeError):  # Linux: a thread is a task of its own
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)  # yield to the pages' own work
    try:
        asked = time.monotonic()
        quiet = wait_until_quiet(quiet_s, longest_s)
        started = time.monotonic()
        _ranking(path, version, as_of, since, rules_version)
        _district_index(path, version, as_of, since, rules_version)  # the evaluation and its unit index
        _log.info("warmed %s (%s, %s) in %.1f s, started %.1f s after it was asked for%s", path, as_of, since,
                  time.monotonic() - started, started - asked, "" if quiet else " (the server never went quiet)")
    except Exception:  # a background warm-up never breaks a page; the page computes it again
        _log.exception("warming %s (%s, %s) failed", path, as_of, since)


@st.cache_resource(show_spinner=False)
def _imports() -> list[object]:
    """One entry per import of this module in the server process (shared across reloads)."""
    return []


def _after_reload() -> None:
    """Streamlit reloads every module of the app when a source file changes (development). The
    shared caches survive a reload (a cached function is keyed by its source), so they would
    hand objects of the old classes (the old `scoring.Evaluation` …) to the new code, and
    `st.cache_data` failed to pickle a result holding them. A second import of this module
    therefore drops every shared result: the reloaded code computes its own."""
    loaded = _imports()
    if loaded:
        clear()
    loaded.append(object())


_after_reload()
