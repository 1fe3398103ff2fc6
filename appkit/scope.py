"""The signed-in scope and every read a page, export or download makes (the one enforcement point).

`resolve(db)` runs once per script run in `dashboard.py`: it builds the `accounts.scope.Scope` of
this session from the account file — never from session state a browser could have edited. A
session holds only a random token; the token → (username, last activity) registry lives in the
server process (`st.cache_resource`), and role and unit are read from the account file on every
run, so a disabled account is out at its next click. Without an account file (or without an
active account) the app is in 演示模式 and the sidebar switch picks the role and unit.

Pages read only through the functions below (`evaluation`, `district_result`, `trend`, `view`,
`rounds`, `selected_round`, `download_button`, `evidence_download` …), which cut every result to the scope: a district
scope gets its own unit whatever the page, `?unit=`, session state or URL asked for.
"""
from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from accounts import audit as audit_log
from accounts import store
from accounts.scope import EvidenceUnavailable, Scope, ScopeError
from appkit import cache
from appkit.db import Db, write
from loaders.reference import districts
from scoring import DistrictResult, Evaluation
from scoring import rounds as round_store
from scoring.rules import load_rules
from ui_text.access import DEMO, NO_ACCESS, SIGN_IN
from ui_text.evidence import EVIDENCE

TOKEN_KEY = "auth_token"
ROUND_KEY = "view_round"
IDLE = dt.timedelta(minutes=30)
_run = threading.local()  # the scope of the script run in this thread


@dataclass
class _Session:
    username: str
    last_seen: dt.datetime


@st.cache_resource(show_spinner=False)
def sessions() -> dict[str, _Session]:
    """Signed-in sessions of this server process: token -> username and last activity."""
    return {}


def now() -> dt.datetime:
    return dt.datetime.now()


def _flash(message: str) -> None:
    st.session_state["_auth_flash"] = message


def flash() -> str | None:
    """A message for the sign-in form (expired session, disabled account), shown once."""
    return st.session_state.pop("_auth_flash", None)


def _demo_scope() -> Scope:
    codes = [d.code for d in districts()]
    role = st.session_state.get("demo_role")
    role = role if role in ("admin", "bureau", "district") else "bureau"
    unit = st.session_state.get("demo_unit")
    if role == "district" and unit not in codes:
        unit = codes[0]
    return Scope(DEMO["user"], role, unit if role == "district" else None, demo=True)


def _sso_scope(accounts: dict[str, store.Account]) -> Scope | None:
    """The scope of a user signed in through st.login (OIDC), or None when not signed in that way."""
    try:
        logged_in = bool(st.user.is_logged_in)
    except Exception:  # st.user is unavailable where auth is not configured
        return None
    if not logged_in:
        return None
    a = store.identity_account(accounts, email=st.user.get("email"), subject=st.user.get("sub"))
    if a is None:
        st.error(SIGN_IN["sso_unmapped"].format(who=st.user.get("email") or st.user.get("sub") or ""))
        st.stop()
    return Scope(a.username, a.role, a.district)


def resolve(db: Db) -> Scope | None:
    """Build this run's scope (None = sign-in needed) and remember it for the pages of the run."""
    _run.scope = None
    _run.db = db
    try:
        accounts = store.load()
    except store.AccountError as exc:
        st.error(SIGN_IN["broken_file"].format(error=exc))
        st.stop()
    if store.demo_mode(accounts):
        _run.scope = _demo_scope()
        return _run.scope
    sso = _sso_scope(accounts)
    if sso is not None:
        _run.scope = sso
        return sso
    token = st.session_state.get(TOKEN_KEY)
    record = sessions().get(token) if isinstance(token, str) else None
    if record is None:
        return None
    t = now()
    account = accounts.get(record.username)
    if t - record.last_seen > IDLE:
        sessions().pop(token, None)
        st.session_state.pop(TOKEN_KEY, None)
        _flash(SIGN_IN["expired"])
        return None
    if account is None or not account.active:
        sessions().pop(token, None)
        st.session_state.pop(TOKEN_KEY, None)
        _flash(SIGN_IN["gone"])
        return None
    record.last_seen = t
    _run.scope = Scope(account.username, account.role, account.district)
    return _run.scope


def current() -> Scope | None:
    """The scope `resolve` built for this script run."""
    return getattr(_run, "scope", None)


def require() -> Scope:
    scope = current()
    if scope is None:
        deny()
    return scope


def deny() -> None:
    st.error(NO_ACCESS)
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=8)
def _side(db_path: str) -> Any:
    return audit_log.open_side(db_path)


def audit(action: str, target: str | None = None, detail: dict[str, Any] | None = None,
          actor: str | None = None) -> None:
    """Append a row to the session audit store as the current user (or `actor`)."""
    scope = current()
    audit_log.record(_side(_audit_path()).cursor(), actor or (scope.username if scope else "?"), action, target, detail)


def _audit_path() -> str:
    """The database whose side store keeps this run's audit rows."""
    db: Db | None = getattr(_run, "db", None)
    return db.path if db is not None else str(store_db_path())


def store_db_path() -> Any:
    from loaders import db as loaders_db

    return loaders_db.default_db_path().resolve()


def sign_in(username: str, password: str) -> str | None:
    """Check the password; on success start a session and return None, else the Chinese reason."""
    result = store.authenticate(username, password, now=now())
    name = (username or "").strip()
    if result.outcome == "ok":
        token = secrets.token_urlsafe(32)
        sessions()[token] = _Session(result.account.username, now())
        st.session_state[TOKEN_KEY] = token
        audit("sign_in", name, actor=name)
        return None
    audit("sign_in_failed", name, {"outcome": result.outcome}, actor=name or "?")
    if result.just_locked:
        audit("lockout", name, {"until": result.locked_until.isoformat(sep=" ")}, actor=name)
    if result.outcome == "locked":
        return SIGN_IN["locked"].format(until=result.locked_until.strftime("%H:%M"))
    if result.outcome == "disabled":
        return SIGN_IN["disabled"]
    if result.account is not None and result.remaining < store.MAX_FAILURES:
        return SIGN_IN["remaining"].format(n=result.remaining)
    return SIGN_IN["bad"]


def sign_out() -> None:
    """End the session (a button callback: runs before the next script run)."""
    token = st.session_state.pop(TOKEN_KEY, None)
    record = sessions().pop(token, None) if isinstance(token, str) else None
    if record is not None:
        audit("sign_out", record.username, actor=record.username)
    for key in ("unit", "as_of", "since", "_since_custom", "as_of_input", "since_input", ROUND_KEY):
        st.session_state.pop(key, None)
    try:
        if st.user.is_logged_in:
            st.logout()
    except Exception:  # no OIDC configured
        pass


# ── reads ──

def rounds(db: Db) -> list[round_store.Round]:
    """The rounds this scope may open (a district: circulated ones only), newest first."""
    return require().rounds(cache.rounds(db))


def selected_round(db: Db) -> round_store.Round | None:
    """The round the sidebar picked, if this scope may open it (else the live evaluation)."""
    wanted = st.session_state.get(ROUND_KEY)
    if wanted is None:
        return None
    for r in rounds(db):
        if r.id == wanted:
            return r
    st.session_state.pop(ROUND_KEY, None)  # a deleted round, or one outside the scope
    return None


def _uncut(db: Db, as_of: dt.date, since: dt.date | None) -> tuple[Evaluation, bool]:
    """The evaluation the pages show, before the scope's cut, and whether it is a circulated round."""
    r = selected_round(db)
    if r is not None:
        return cache.round_results(db, r.id), r.circulated
    return cache.evaluation(db, as_of, since), False


def round_results(db: Db, r: round_store.Round) -> Evaluation:
    """A round's stored evaluation, typed (read back once, shared), cut to the scope."""
    scope = require()
    if r not in scope.rounds([r]):
        deny()
    return scope.results(cache.round_results(db, r.id), circulated=r.circulated)


def evaluation(db: Db, as_of: dt.date, since: dt.date | None = None) -> Evaluation:
    """The evaluation the pages show, typed: the selected round's stored one (read back with
    `Evaluation.from_json`), else the live one, cut to the scope (a district: its own unit only).
    Shared and frozen (`appkit.cache`); a district's cut is a new object."""
    ev, circulated = _uncut(db, as_of, since)
    return require().results(ev, circulated=circulated)


def unit_count(db: Db, as_of: dt.date, since: dt.date | None = None) -> int:
    """How many units the evaluation the pages show evaluated (the rank's denominator)."""
    return len(_uncut(db, as_of, since)[0].districts)


def _shown_key(db: Db, as_of: dt.date, since: dt.date | None) -> tuple[Any, ...]:
    """Which evaluation `evaluation(db, as_of, since)` shows: a round's, or the live one."""
    r = selected_round(db)
    return ("round", r.id) if r is not None else _live_key(as_of, since)


def _live_key(as_of: dt.date, since: dt.date | None) -> tuple[Any, ...]:
    return ("live", as_of, since, load_rules().version)


def derived(db: Db, as_of: dt.date, since: dt.date | None, name: str, build: Callable[..., Any],
            *args: Any) -> Any:
    """`build(evaluation, *args)` of the evaluation the pages show, cut to the scope. For a scope
    that sees every unit the cut changes nothing, so the result is built once per evaluation and
    arguments and shared (`appkit.cache.derived`); a district's is built from its own cut."""
    scope = require()
    if not scope.every_unit:
        return build(evaluation(db, as_of, since), *args)
    key = (*_shown_key(db, as_of, since), name, *args)
    return cache.derived(db, key, lambda: build(evaluation(db, as_of, since), *args))


def ranking(db: Db, as_of: dt.date, since: dt.date | None = None) -> pd.DataFrame:
    """`appkit.tables.ranking_frame` of the evaluation the pages show (shared; see `derived`)."""
    from appkit.tables import ranking_frame

    if require().every_unit and selected_round(db) is None:  # the live view: kept beside the database
        return cache.ranking(db, as_of, since)
    frame: pd.DataFrame = derived(db, as_of, since, "ranking", ranking_frame)
    return frame


def ranking_chart(db: Db, as_of: dt.date, since: dt.date | None, kinds: Sequence[str]) -> Any:
    """The overview's score bars of the units of `kinds`, prepared once and shared."""
    shown_kinds = tuple(kinds)

    def build() -> Any:  # from the ranking alone: no evaluation is needed when the ranking was stored
        return _score_bars(ranking(db, as_of, since), shown_kinds)

    if not require().every_unit:
        return build()
    return cache.derived(db, (*_shown_key(db, as_of, since), "ranking_chart", shown_kinds), build)


def _score_bars(frame: pd.DataFrame, kinds: tuple[str, ...]) -> Any:
    from appkit import charts

    return charts.prepared(charts.score_chart(frame[frame["kind"].isin(kinds)]))


def warm_live_overview(db: Db, as_of: dt.date, since: dt.date | None, kinds: Sequence[str]) -> None:
    """Fill the shared results 督导总览 reads for a scope that sees every unit on the live data
    (`ranking` and `ranking_chart` above, under the same keys), before any session asks: the
    server-start warm-up (`appkit.warmup`). Nothing is shown or handed to anyone here; every page
    still reads through the scope-checked functions above, and a district scope never reads
    these shared results (it builds its own cut)."""
    shown_kinds = tuple(kinds)
    cache.derived(db, (*_live_key(as_of, since), "ranking_chart", shown_kinds),
                  lambda: _score_bars(cache.ranking(db, as_of, since), shown_kinds))


def district_result(db: Db, as_of: dt.date, since: dt.date | None, code: str) -> DistrictResult | None:
    """One unit's typed result in the evaluation the pages show; refused outside the scope."""
    try:
        require().require_unit(code)
    except ScopeError:
        deny()
    if selected_round(db) is None:
        return cache.district_result(db, as_of, since, code)  # the live one: an index, not a scan
    return next((d for d in evaluation(db, as_of, since).districts if d.code == code), None)


def live_district_result(db: Db, as_of: dt.date, since: dt.date, code: str) -> DistrictResult | None:
    """One unit's typed result in the live evaluation (区县自查 works on live data whatever round
    the sidebar shows); refused outside the scope."""
    try:
        require().require_unit(code)
    except ScopeError:
        deny()
    return cache.district_result(db, as_of, since, code)


def trend(db: Db, as_of: dt.date) -> pd.DataFrame:
    """Quarterly scores: every unit for the bureau, the district's own rows for a district."""
    scope = require()
    frame = cache.trend(db, as_of)
    return frame if scope.every_unit else frame[frame["code"] == scope.district].reset_index(drop=True)


def view(db: Db, name: str, *args: Any) -> Any:
    """`queries.views.<name>(con, *args)` if the scope may run it; else 无权访问 and stop."""
    if not require().view_allowed(name, args):
        deny()
    return cache.view(db, name, *args)


def unit(requested: str | None) -> str | None:
    """The unit a page shows: a district always gets its own."""
    return require().unit(requested)


def download_button(label: str, data: bytes | Callable[[], bytes], file_name: str, *, key: str,
                    target: str | None = None, **kwargs: Any) -> Any:
    """st.download_button that writes an audit row (who downloaded which file).

    `data` may be a builder (`live_workbook` …): Streamlit runs it when the button is clicked, and
    the audit row is written right after it has built the file. Such a button never reruns the
    page: a click that also reran the script registered a new builder at the button's place, and
    the browser's request for the old one could then find it dropped (another session ending
    clears builders no session refers to) — no file, only a 5-second error on the button. Bytes
    are audited by the click's callback, as before."""
    scope = require()
    detail = {"unit": target} if target else None
    if callable(data):
        build, side_path = data, _audit_path()

        def audited() -> bytes:
            payload = build()
            audit_log.record(_side(side_path).cursor(), scope.username, "download", file_name, detail)
            return payload

        return st.download_button(label, data=audited, file_name=file_name, key=key, on_click="ignore", **kwargs)
    return st.download_button(label, data=data, file_name=file_name, key=key,
                              on_click=_downloaded, args=(scope.username, file_name, detail), **kwargs)


def _downloaded(username: str, file_name: str, detail: dict[str, Any] | None) -> None:
    audit("download", file_name, detail, actor=username)


def round_action(db: Db, work: Any) -> Any:
    """Run a round write `work(con)` (create/recompute/circulate/delete) as the bureau on a write
    connection (`appkit.db.write`: copy, write, rename; caches cleared after)."""
    if not require().every_unit:
        deny()
    with write(db) as con:
        return work(con)


def audit_entries(db: Db, action: str | None = None) -> pd.DataFrame:
    """The audit trail, newest first (admin only)."""
    if require().role != "admin":
        deny()
    return audit_log.entries(db.cursor(), _side(db.path).cursor(), action=action)


# ── the unit-specific builders pages need (guarded, then cached by their arguments) ──

def self_check(db: Db, as_of: dt.date, since: dt.date, code: str) -> Any:
    """`queries.self_check.build_self_check` of one unit (live data); refused outside the scope."""
    try:
        require().require_unit(code)
    except ScopeError:
        deny()
    return cache.self_check(db, as_of, since, code)


def what_if(db: Db, as_of: dt.date, since: dt.date, code: str, n: int) -> Any:
    """The score after the first `n` fixes of the unit; refused outside the scope."""
    try:
        require().require_unit(code)
    except ScopeError:
        deny()
    return cache.what_if(db, as_of, since, code, n)


def live_workbook(db: Db, as_of: dt.date, since: dt.date, codes: list[str],
                  per_district: bool) -> Callable[[], bytes]:
    """The Excel 评估通报 of the live evaluation (bureau and admin only), as a builder run when the
    download is clicked (Streamlit's deferred data): the page run only checks access and takes
    the shared evaluation; writing the workbook (seconds at national scale) waits for the click.
    The builder runs outside the script run, so it holds everything it needs."""
    if not require().every_unit:
        deny()
    from appkit.tables import units_of

    subset, con = units_of(cache.evaluation(db, as_of, since), codes), db.cursor()

    def build() -> bytes:
        from reports.excel import build_report_workbook, report_context

        return build_report_workbook(subset, report_context(con, rules=load_rules(), per_district_sheets=per_district))

    return build


def round_workbook(db: Db, r: round_store.Round, codes: list[str] | None,
                   per_district: bool) -> Callable[[], bytes]:
    """A round's Excel 评估通报, built from what the round stored (bureau and admin only), when the
    download is clicked (see `live_workbook`)."""
    if not require().every_unit:
        deny()
    con, chosen = db.cursor(), None if codes is None else list(codes)

    def build() -> bytes:
        from reports.excel import round_workbook as workbook

        return workbook(con, r.id, None, chosen, per_district)

    return build


def round_notice(db: Db, r: round_store.Round) -> Callable[[], bytes]:
    """A round's Word 通报 (bureau and admin only), written when the download is clicked."""
    if not require().every_unit:
        deny()
    con = db.cursor()

    def build() -> bytes:
        from reports.notice import round_notice as notice

        return notice(con, r.id)

    return build


# ── 人工核查 findings (DESIGN §12): the bureau records and reviews them; reads cut to the scope ──

def findings_in_force(db: Db, as_of: dt.date) -> pd.DataFrame:
    """The findings in force on as_of (a district: its own unit's only)."""
    from scoring import findings

    scope = require()
    frame = findings.in_force(db.cursor(), as_of)
    return frame if scope.every_unit else frame[frame["code"] == scope.district].reset_index(drop=True)


def findings_history(db: Db) -> pd.DataFrame:
    """Every finding recorded (a district: its own unit's only)."""
    from scoring import findings

    scope = require()
    return findings.list_findings(db.cursor(), None if scope.every_unit else scope.district)


def record_finding(db: Db, code: str, indicator: str, value: str, on: dt.date, *, note: str | None,
                   evidence_url: str | None, upload: tuple[str, bytes] | None) -> int:
    """Record one finding as the signed-in bureau user (FindingError when refused; nothing kept
    then); an uploaded evidence file is kept under data/raw/findings/ with its sha256."""
    from appkit.db import write
    from scoring import findings, load_rules

    scope = require()
    if not scope.every_unit:
        deny()
    rules = load_rules()
    findings.parse_value(rules, indicator, value)  # refuse before keeping any file
    url, file, sha = (evidence_url or None), None, None
    if url and not url.lower().startswith(("http://", "https://")):
        from ui_text.manual import FINDING_ERRORS

        raise findings.FindingError(FINDING_ERRORS["evidence_bad_url"].format(value=url))
    if upload is not None:
        file, sha = findings.keep_evidence(upload[1], upload[0])
    with write(db) as con:  # the finding and its audit row in the same written copy
        fid = findings.record(con, rules, code, indicator, value, on, recorded_by=scope.username, note=note,
                              evidence_url=url, evidence_file=file, evidence_sha256=sha)
        round_store.ensure_tables(con)
        audit_log.record(con, scope.username, "finding_set", code,
                         {"finding_id": fid, "indicator": indicator, "value": value, "on": on.isoformat()})
    return fid


# ── evidence files (佐证材料) of findings and tasks: the bureau every unit's, a district its own ──

def finding_evidence(db: Db, finding_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the evidence file kept for a finding; 无权访问 for another unit's
    (the unit is read from the database, not from what the page holds). EvidenceUnavailable when
    the finding kept no file or the file is gone or changed."""
    from scoring import findings

    row = findings.evidence_row(db.cursor(), finding_id)
    owner, path, sha = (row["code"], row["evidence_file"], row["evidence_sha256"]) if row else (None, None, None)
    try:
        return Path(path or "").name, require().evidence_file(owner, path, sha)
    except ScopeError:
        deny()
        raise


def task_evidence(db: Db, task_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the evidence file kept for a rectification task (its self-report's, else
    the one that closed it); 无权访问 for another unit's task. EvidenceUnavailable as above."""
    from scoring import rectification

    try:
        task = rectification.get_task(db.cursor(), task_id)
    except rectification.TaskError:
        deny()
        raise
    kept = rectification.kept_file(task) or {}
    try:
        return str(kept.get("name") or ""), require().evidence_file(task["code"], kept.get("path"), kept.get("sha256"))
    except ScopeError:
        deny()
        raise


def evidence_download(db: Db, kind: str, ident: int, label: str, *, key: str) -> None:
    """A download button for the evidence file of finding (`kind` 'finding') or task ('task')
    `ident`, audited like every download; a caption instead when the file is unavailable."""
    try:
        name, data = finding_evidence(db, ident) if kind == "finding" else task_evidence(db, ident)
    except EvidenceUnavailable as exc:
        st.caption(EVIDENCE["unavailable"].format(name=Path(str(exc)).name))
        return
    download_button(label, data, name, key=key, target=f"{kind}:{ident}")
