"""Rectification tasks (整改, DESIGN §11): a circulated round's gaps become tasks that close themselves.

* `create_tasks` (called by `scoring.rounds.circulate` inside its transaction) turns every gap of
  revision 0 into one task per unit and `gap_key`, due `deadline_workdays` working days after the
  circulation date (`[rectification]` of the rules text stored with the round; default 15).
* `verify` (系统核验; after every load and pull, and on demand) re-evaluates live data as of a date
  with each round's window start: a task whose gap no longer appears is `fixed` (or `fixed_late`
  after its deadline) with the date the fix was first seen and the evidence that shows it (the
  catalog version or disclosure that closed it); an open task past its deadline is `overdue`; a
  gap that reappears reopens a task the system had closed.
* `report_fix` (district: 已整改（待核验） with a URL or a file kept with its sha256) and
  `review_report` (bureau confirms or rejects).
* `list_tasks` / `waiting` read tasks for the CLI and the 整改跟踪 page.

`scope` is the unit code the acting account is bound to (a district office), or None for the
bureau; every read and write checks it here, where the data is read, whatever a page asks for.
Pure functions over a DuckDB connection; never imports Streamlit, loaders or reports.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from scoring import measure, rounds
from scoring.evaluation import evaluate, resolve_district
from scoring.rules import MEASURABLE, ComponentKind, Rules, load_rules, rules_path
from ui_text import rectification as text

STATUSES = ("open", "reported", "fixed", "fixed_late", "overdue")
CLOSED = ("fixed", "fixed_late")
# Listing order: what needs attention first.
STATUS_ORDER = {"overdue": 0, "open": 1, "reported": 2, "fixed_late": 3, "fixed": 4}
CATALOG_CATEGORIES = ("missing_item", "blank_elements")
# Gap categories that are milestones (their gap row carries the milestone's component id).
MILESTONES = tuple(k for k, kind in MEASURABLE.items() if kind is ComponentKind.MILESTONE)
DEFAULT_RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"
SCHEMA_TABLES = ("rectification_tasks", "task_events", "disputes", "round_measures")


def unit_scope(scope: Any) -> str | None:
    """The unit code a scope limits reads and writes to, None for every unit. Accepts a unit code
    (str), None (the bureau, the CLI), or the access lane's scope object (`accounts.scope.Scope`:
    `every_unit` / `district`)."""
    if scope is None or isinstance(scope, str):
        return scope
    if getattr(scope, "every_unit", False):
        return None
    district = getattr(scope, "district", None)
    if not district:
        raise TaskError(text.ERRORS["bureau_only"].format(what=text.PAGE["title"]))
    return str(district)


class TaskError(ValueError):
    """A task operation refused (unknown task, another unit's task, wrong status …); Chinese message."""


@dataclass(frozen=True)
class TaskSettings:
    """`[rectification]` of a rules file."""
    deadline_workdays: int = 15
    due_soon_workdays: int = 5


@dataclass(frozen=True)
class VerifyResult:
    """What one verification changed."""
    as_of: dt.date
    checked: int
    fixed: int
    fixed_late: int
    overdue: int
    reopened: int


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the rectification tables in a database made before they existed (the one schema)."""
    rounds.ensure_tables(con)
    present = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                          "AND list_contains(?, table_name)", [list(SCHEMA_TABLES)]).fetchone()[0]
    if present < len(SCHEMA_TABLES):
        con.execute(rounds.SCHEMA_SQL.read_text(encoding="utf-8"))


def settings(rules_text: str | None = None, file: str = "rules.toml") -> TaskSettings:
    """The `[rectification]` table of a rules text (default the current rules file); defaults for
    a text without one. Raises TaskError for a value that is not a positive integer."""
    raw = rules_text if rules_text is not None else rules_path().read_text(encoding="utf-8")
    table = tomllib.loads(raw).get("rectification", {})
    values: dict[str, int] = {}
    for key in ("deadline_workdays", "due_soon_workdays"):
        if key in table:
            v = table[key]
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise TaskError(text.ERRORS["bad_rules"].format(file=file, key=key, value=v))
            values[key] = v
    return TaskSettings(**values)


def workday_after(con: duckdb.DuckDBPyConnection, day: dt.date, n: int) -> dt.date:
    """The n-th working day strictly after `day` (DESIGN §6 deadline(x, N))."""
    found = measure.run(con, "workday_after", {"day": day, "n": n})["deadline"].iloc[0]
    return pd.Timestamp(found).date()


# ── gap keys ─────────────────────────────────────────────────────────────────────────────────

def gap_key(gap: Mapping[str, Any], milestone_status: str | None = None) -> str:
    """The stable key of a gap: the same gap of the same unit has the same key in any evaluation.

    category + item + title (never the detail sentence, which quotes the evaluation date or a row
    number). A milestone gap also keys on its status, so a missed milestone completed late
    (missed → late) counts as fixed while a late one can never be."""
    category = str(gap["category"])
    if category in MILESTONES:
        return f"{category}|{milestone_status or ''}"
    return "|".join((category, gap.get("item") or "", gap.get("title") or ""))


def unit_gaps(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The gaps of one unit's evaluation entry, one per gap key (rows of the same key — e.g. two
    catalog rows of one item with blank elements — merged, details joined), each with `gap_key`."""
    merged: dict[str, dict[str, Any]] = {}
    for g in entry.get("gaps", []):
        status = entry.get(g["category"], {}).get("status") if g["category"] in MILESTONES else None
        key = gap_key(g, status)
        if key in merged:
            m = merged[key]
            m["detail"] = text.DETAIL_SEPARATOR.join((m["detail"], g["detail"]))
            m["missing_elements"] = list(m.get("missing_elements") or []) + list(g.get("missing_elements") or [])
            m["count"] += 1
        else:
            merged[key] = {**g, "gap_key": key, "count": 1}
    return list(merged.values())


def live_gap_keys(evaluation_json: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(unit code, gap key) of every gap of an evaluation."""
    return {(d["code"], g["gap_key"]) for d in evaluation_json["districts"] for g in unit_gaps(d)}


# ── writing helpers ──────────────────────────────────────────────────────────────────────────

def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now()).replace(microsecond=0)


def write(con: duckdb.DuckDBPyConnection, work: Callable[[], Any]) -> Any:
    """Run `work` in one transaction (rolled back on any exception)."""
    con.execute("BEGIN TRANSACTION")
    try:
        out = work()
        con.execute("COMMIT")
        return out
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _events(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, actor: str, at: dt.datetime) -> None:
    """Append one task_events row per row of `frame` (task_id, action, status_from, status_to, detail)."""
    if frame.empty:
        return
    con.register("_rect_events", frame[["task_id", "action", "status_from", "status_to", "detail"]])
    try:
        con.execute("INSERT INTO task_events (event_id, task_id, at_time, actor, action, status_from, status_to, detail) "
                    "SELECT (SELECT coalesce(max(event_id), 0) FROM task_events) + row_number() OVER (ORDER BY task_id), "
                    "task_id, ?, ?, action, status_from, status_to, detail FROM _rect_events",
                    [at, actor])
    finally:
        con.unregister("_rect_events")


def _event(con: duckdb.DuckDBPyConnection, task_id: int, action: str, status_from: str | None, status_to: str,
           detail: Mapping[str, Any] | None, actor: str, at: dt.datetime) -> None:
    _events(con, pd.DataFrame([{"task_id": task_id, "action": action, "status_from": status_from,
                                "status_to": status_to,
                                "detail": json.dumps(detail, ensure_ascii=False) if detail else None}]), actor, at)


# ── creating tasks ───────────────────────────────────────────────────────────────────────────

def task_rows(evaluation_json: Mapping[str, Any]) -> pd.DataFrame:
    """One row per (unit, gap key) of a stored evaluation: code, category, item, title, detail,
    rule, gap_key, ord (the evaluation's order)."""
    rows = [{"code": d["code"], "category": g["category"], "item": g.get("item"), "title": g.get("title"),
             "detail": g["detail"], "rule": g.get("rule"), "gap_key": g["gap_key"]}
            for d in evaluation_json["districts"] for g in unit_gaps(d)]
    frame = pd.DataFrame(rows, columns=["code", "category", "item", "title", "detail", "rule", "gap_key"])
    frame["ord"] = np.arange(1, len(frame) + 1)
    return frame


def create_tasks(con: duckdb.DuckDBPyConnection, round_id: int, on: dt.date, *, actor: str,
                 at: dt.datetime | None = None) -> int:
    """Create the tasks of a round being circulated on `on` (runs inside the caller's transaction,
    `rounds.circulate`); returns how many. The deadline comes from the rules text stored with the
    round. Creating them twice for one round adds nothing."""
    ensure_tables(con)
    if con.execute("SELECT count(*) FROM rectification_tasks WHERE round_id = ?", [round_id]).fetchone()[0]:
        return 0
    s = rounds.stored(con, round_id, 0)
    deadline = workday_after(con, on, settings(s["rules_text"]).deadline_workdays)
    frame = task_rows(s["evaluation"])
    if frame.empty:
        return 0
    at = _now(at)
    con.register("_rect_new", frame)
    try:
        con.execute("INSERT INTO rectification_tasks (task_id, round_id, district_code, category, item, title, "
                    "detail, rule, gap_key, assigned_on, deadline, status) "
                    "SELECT (SELECT coalesce(max(task_id), 0) FROM rectification_tasks) + ord, ?, code, category, "
                    "item, title, detail, rule, gap_key, ?, ?, 'open' FROM _rect_new",
                    [round_id, on, deadline])
    finally:
        con.unregister("_rect_new")
    created = con.execute("SELECT task_id, 'created' AS action, NULL AS status_from, 'open' AS status_to, "
                          "NULL AS detail FROM rectification_tasks WHERE round_id = ?", [round_id]).df()
    _events(con, created, actor, at)
    return len(frame)


# ── verification (系统核验) ────────────────────────────────────────────────────────────────────

def _iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()


def _catalog_evidence(row: Mapping[str, Any]) -> dict[str, Any]:
    e = {"kind": "catalog", "catalog_id": row["catalog_id"], "source": row["source"], "url": row["url"],
         "published_on": _iso(row["published_on"]), "document_no": row["document_no"]}
    e["text"] = text.EVIDENCE["catalog"].format(source=e["source"], published_on=e["published_on"] or text.NONE_TEXT,
                                                document_no=e["document_no"] or text.NONE_TEXT)
    return e


def _disclosure_evidence(row: Mapping[str, Any]) -> dict[str, Any]:
    e = {"kind": "disclosure", "title": row["d_title"], "url": row["d_url"],
         "published_on": _iso(row["d_published_on"])}
    e["text"] = text.EVIDENCE["disclosure"].format(title=e["title"], published_on=e["published_on"],
                                                   url=e["url"] or "")
    return e


def _evidence(con: duckdb.DuckDBPyConnection, gone: pd.DataFrame, as_of: dt.date,
              milestones: Mapping[tuple[str, str], Mapping[str, Any]]) -> list[tuple[dt.date, dict[str, Any]]]:
    """(fixed_on, evidence) of each task whose gap is gone: the effective catalog for catalog gaps,
    the first disclosure of the item (or of the title) for disclosure gaps, the milestone's date
    for milestones, else the verification itself. fixed_on is the evidence's publication date
    (the day the fix became public), else the verification date."""
    catalogs = {r["code"]: r for r in plain_records(measure.run(con, "fix_catalogs", {"as_of": as_of}))}
    codes = sorted(set(gone["code"]))
    found = plain_records(measure.run(con, "fix_disclosures", {"as_of": as_of, "codes": codes}))
    by = {(r["by"], r["code"], r["key"]): r for r in found}
    out = []
    for t in gone.to_dict("records"):
        evidence: dict[str, Any] | None = None
        category, code = t["category"], t["code"]
        if category in CATALOG_CATEGORIES and code in catalogs:
            evidence = _catalog_evidence(catalogs[code])
        elif category in ("no_disclosure", "pending_overdue"):
            hit = by.get(("item", code, t["item"])) if category == "no_disclosure" else by.get(("title", code, t["title"]))
            if hit is not None:
                evidence = _disclosure_evidence({"d_title": hit["title"], "d_url": hit["url"],
                                                 "d_published_on": hit["published_on"]})
        elif category in MILESTONES and (code, category) in milestones:
            m = milestones[(code, category)]
            evidence = {"kind": "milestone", "status": m["status"], "published_on": m["date"],
                        "text": text.EVIDENCE["milestone"].format(date=m["date"] or text.NONE_TEXT,
                                                                  status=m["status"])}
        if evidence is None:
            evidence = {"kind": "evaluation", "published_on": None,
                        "text": text.EVIDENCE["evaluation"].format(as_of=as_of.isoformat())}
        evidence["as_of"] = as_of.isoformat()
        day = evidence.get("published_on")
        fixed_on = min(dt.date.fromisoformat(day), as_of) if day else as_of
        out.append((fixed_on, evidence))
    return out


def verify(con: duckdb.DuckDBPyConnection, as_of: dt.date, *, actor: str, rules: Rules | None = None,
           now: dt.datetime | None = None) -> VerifyResult:
    """Check every task assigned on or before `as_of` against the live evaluation as of `as_of`
    (window start: the task's round's); write what changed in one transaction with its events.

    open/overdue/reported whose gap is gone → fixed (fixed_on <= deadline) or fixed_late;
    open still present after the deadline → overdue; fixed/fixed_late closed by the system whose
    gap is present again → open (or overdue after the deadline). Tasks closed by the bureau or by
    an accepted dispute are left alone."""
    ensure_tables(con)
    tasks = con.execute(
        "SELECT t.task_id, t.district_code AS code, t.category, t.item, t.title, t.gap_key, t.deadline, t.status, "
        "r.since FROM rectification_tasks t JOIN rounds r USING (round_id) WHERE t.assigned_on <= ? "
        "AND (t.status IN ('open', 'overdue', 'reported') OR (t.status IN ('fixed', 'fixed_late') "
        "AND t.closed_by = 'system')) ORDER BY t.task_id", [as_of]).df()
    if tasks.empty:
        return VerifyResult(as_of, 0, 0, 0, 0, 0)
    rules = rules or load_rules()
    tasks["since"] = [min(pd.Timestamp(s).date(), as_of) for s in tasks["since"]]
    tasks["deadline"] = [pd.Timestamp(d).date() for d in tasks["deadline"]]
    present = np.zeros(len(tasks), dtype=bool)
    milestones: dict[tuple[str, str], dict[str, Any]] = {}
    for since in sorted(set(tasks["since"])):  # one live evaluation per window start (usually one)
        live = evaluate(con, as_of, since, rules=rules).to_json()
        keys = live_gap_keys(live)
        mask = (tasks["since"] == since).to_numpy()
        present |= mask & np.array([(c, k) in keys for c, k in zip(tasks["code"], tasks["gap_key"])])
        milestones.update({(d["code"], ms): d[ms] for d in live["districts"] for ms in MILESTONES if ms in d})
    past = np.array([as_of > d for d in tasks["deadline"]])
    status = tasks["status"].to_numpy()
    fixing = ~present & np.isin(status, ("open", "overdue", "reported"))
    going_overdue = present & (status == "open") & past
    reopening = present & np.isin(status, CLOSED)
    gone = tasks[fixing].copy()
    fixes = _evidence(con, gone, as_of, milestones) if len(gone) else []
    gone["fixed_on"] = [f for f, _ in fixes]
    gone["new_status"] = ["fixed" if f <= d else "fixed_late" for f, d in zip(gone["fixed_on"], gone["deadline"])]
    gone["evidence_json"] = [json.dumps(e, ensure_ascii=False) for _, e in fixes]
    at = _now(now)

    def work() -> None:
        con.execute("UPDATE rectification_tasks SET checked_on = ? WHERE list_contains(?, task_id)",
                    [as_of, [int(i) for i in tasks["task_id"]]])
        if len(gone):
            change = gone[["task_id", "new_status", "fixed_on", "evidence_json"]]
            con.register("_rect_fix", change)
            try:
                con.execute("UPDATE rectification_tasks AS t SET status = c.new_status, fixed_on = c.fixed_on, "
                            "closed_by = 'system', evidence_json = c.evidence_json FROM _rect_fix AS c "
                            "WHERE t.task_id = c.task_id")
            finally:
                con.unregister("_rect_fix")
            _events(con, pd.DataFrame({"task_id": gone["task_id"], "action": "fixed", "status_from": gone["status"],
                                       "status_to": gone["new_status"], "detail": gone["evidence_json"]}), actor, at)
        late = tasks[going_overdue]
        if len(late):
            con.execute("UPDATE rectification_tasks SET status = 'overdue' WHERE list_contains(?, task_id)",
                        [[int(i) for i in late["task_id"]]])
            _events(con, pd.DataFrame({"task_id": late["task_id"], "action": "overdue", "status_from": "open",
                                       "status_to": "overdue", "detail": None}), actor, at)
        back = tasks[reopening].copy()
        if len(back):
            back["new_status"] = np.where(past[reopening], "overdue", "open")
            for st_ in ("open", "overdue"):
                ids = [int(i) for i in back.loc[back["new_status"] == st_, "task_id"]]
                if ids:
                    con.execute("UPDATE rectification_tasks SET status = ?, fixed_on = NULL, closed_by = NULL, "
                                "evidence_json = NULL WHERE list_contains(?, task_id)", [st_, ids])
            detail = json.dumps({"as_of": as_of.isoformat()})
            _events(con, pd.DataFrame({"task_id": back["task_id"], "action": "reopened", "status_from": back["status"],
                                       "status_to": back["new_status"], "detail": detail}), actor, at)

    write(con, work)
    return VerifyResult(as_of, len(tasks), int((gone["new_status"] == "fixed").sum()) if len(gone) else 0,
                        int((gone["new_status"] == "fixed_late").sum()) if len(gone) else 0,
                        int(going_overdue.sum()), int(reopening.sum()))


def today() -> dt.date:
    """The verification date front ends use: env COMPLIANCE_TODAY (YYYY-MM-DD, for repeatable
    tests, as the app's default as-of date) or today."""
    import os

    fixed = os.environ.get("COMPLIANCE_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def verify_after_load(con: duckdb.DuckDBPyConnection, actor: str) -> VerifyResult | None:
    """The system check run by the front ends after a load or pull committed (DESIGN §11): as of
    `today()`, and only when any task exists (a database without rounds pays nothing)."""
    if not has_tasks(con):
        return None
    return verify(con, today(), actor=actor)


def has_tasks(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any rectification task exists (front ends skip verification otherwise)."""
    present = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                          "AND table_name = 'rectification_tasks'").fetchone()[0]
    return bool(present) and bool(con.execute("SELECT count(*) FROM rectification_tasks").fetchone()[0])


# ── reading tasks ────────────────────────────────────────────────────────────────────────────

TASK_SELECT = (
    "SELECT t.task_id AS id, t.round_id, d.name AS district, t.district_code AS code, t.category, t.item, "
    "t.title, t.detail, t.gap_key, t.deadline, t.status, t.fixed_on, t.evidence_json, t.assigned_on, "
    "t.closed_by, t.reported_on, t.report_json, t.checked_on, t.rule, d.sort_order "
    "FROM rectification_tasks t JOIN districts d ON d.code = t.district_code ")


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with None (not NaN/NaT/NA) for SQL NULL."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _task_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in plain_records(frame):
        out.append({"id": int(r["id"]), "round_id": int(r["round_id"]), "district": r["district"],
                    "category": r["category"], "item": r["item"], "title": r["title"], "detail": r["detail"],
                    "gap_key": r["gap_key"], "deadline": _iso(r["deadline"]), "status": r["status"],
                    "fixed_on": _iso(r["fixed_on"]),
                    "evidence": json.loads(r["evidence_json"]) if r["evidence_json"] else None,
                    "code": r["code"], "assigned_on": _iso(r["assigned_on"]), "closed_by": r["closed_by"],
                    "reported_on": _iso(r["reported_on"]),
                    "report": json.loads(r["report_json"]) if r["report_json"] else None,
                    "checked_on": _iso(r["checked_on"]), "rule": r["rule"]})
    return out


def list_tasks(con: duckdb.DuckDBPyConnection, *, round_id: int | None = None, district: str | None = None,
               status: str | None = None, scope: Any = None) -> list[dict[str, Any]]:
    """Tasks as DESIGN §11 objects ({id, round_id, district, category, item, title, detail, gap_key,
    deadline, status, fixed_on, evidence}, plus code, assigned_on, closed_by, reported_on, report,
    checked_on, rule), overdue first, then by deadline, unit order and id. A district `scope` sees
    only its own unit's tasks whatever `district` says. Raises TaskError for a bad status and
    UnknownDistrictError for an unknown unit."""
    ensure_tables(con)
    scope = unit_scope(scope)
    if status is not None and status not in STATUSES:
        raise TaskError(text.ERRORS["bad_status"].format(value=status))
    code = resolve_district(con, district) if district else None
    if scope is not None:
        code = scope if code in (None, scope) else "\x00"  # another unit asked for: nothing
    frame = con.execute(TASK_SELECT + "WHERE (CAST($r AS BIGINT) IS NULL OR t.round_id = $r) "
                        "AND (CAST($c AS VARCHAR) IS NULL OR t.district_code = $c) "
                        "AND (CAST($s AS VARCHAR) IS NULL OR t.status = $s) "
                        "ORDER BY t.task_id", {"r": round_id, "c": code, "s": status}).df()
    frame["order"] = frame["status"].map(STATUS_ORDER)
    frame = frame.sort_values(["order", "deadline", "sort_order", "id"], kind="stable")
    return _task_dicts(frame)


def get_task(con: duckdb.DuckDBPyConnection, task_id: int, scope: Any = None) -> dict[str, Any]:
    """One task; raises TaskError when unknown or outside `scope`."""
    ensure_tables(con)
    scope = unit_scope(scope)
    frame = con.execute(TASK_SELECT + "WHERE t.task_id = ?", [task_id]).df()
    if frame.empty:
        raise TaskError(text.ERRORS["unknown_task"].format(id=task_id))
    task = _task_dicts(frame)[0]
    if scope is not None and task["code"] != scope:
        raise TaskError(text.ERRORS["other_unit"].format(id=task_id, unit=task["district"]))
    return task


def waiting(con: duckdb.DuckDBPyConnection, today: dt.date, scope: Any = None) -> dict[str, int]:
    """What waits for the signed-in role on `today`: due_soon (open tasks due within
    `due_soon_workdays` working days), overdue (open past the deadline or marked overdue),
    reported (self-reports awaiting the bureau) and disputes (awaiting a decision)."""
    ensure_tables(con)
    scope = unit_scope(scope)
    limit = workday_after(con, today, settings().due_soon_workdays)
    row = con.execute(
        "SELECT count(*) FILTER (WHERE status = 'open' AND deadline >= $d AND deadline <= $lim), "
        "count(*) FILTER (WHERE status = 'overdue' OR (status = 'open' AND deadline < $d)), "
        "count(*) FILTER (WHERE status = 'reported') FROM rectification_tasks "
        "WHERE CAST($c AS VARCHAR) IS NULL OR district_code = $c", {"d": today, "lim": limit, "c": scope}).fetchone()
    disputes = con.execute("SELECT count(*) FROM disputes WHERE status = 'pending' AND "
                           "(CAST($c AS VARCHAR) IS NULL OR district_code = $c)", {"c": scope}).fetchone()[0]
    return {"due_soon": int(row[0]), "overdue": int(row[1]), "reported": int(row[2]), "disputes": int(disputes)}


def events(con: duckdb.DuckDBPyConnection, task_id: int, scope: Any = None) -> pd.DataFrame:
    """The history of one task (event_id, at_time, actor, action, status_from, status_to, detail)."""
    get_task(con, task_id, scope)
    return con.execute("SELECT event_id, at_time, actor, action, status_from, status_to, detail FROM task_events "
                       "WHERE task_id = ? ORDER BY event_id", [task_id]).df()


# ── evidence files and self-reports ──────────────────────────────────────────────────────────

def keep_evidence(url: str | None, file: tuple[str, bytes] | str | Path | None,
                  raw_dir: str | Path | None = None) -> dict[str, Any] | None:
    """Evidence a district or a dispute attaches: a URL, or a file kept under `raw_dir`/evidence
    as `<sha256><suffix>` (written once, never rewritten). None when neither is given.
    Raises TaskError when a file path cannot be read."""
    if file is not None:
        if isinstance(file, tuple):
            name, data = file
        else:
            path = Path(file)
            try:
                name, data = path.name, path.read_bytes()
            except OSError as exc:
                raise TaskError(text.ERRORS["evidence_missing"].format(path=file)) from exc
        digest = hashlib.sha256(data).hexdigest()
        folder = Path(raw_dir) if raw_dir else DEFAULT_RAW_DIR
        target = folder / "evidence" / f"{digest}{Path(name).suffix.lower()}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return {"kind": "file", "name": name, "sha256": digest, "path": str(target),
                "text": text.EVIDENCE["file"].format(name=name, sha256=digest)}
    if url:
        return {"kind": "url", "url": url.strip(), "text": text.EVIDENCE["url"].format(url=url.strip())}
    return None


def is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def report_fix(con: duckdb.DuckDBPyConnection, task_id: int, *, actor: str, scope: Any, on: dt.date,
               note: str = "", url: str | None = None, file: tuple[str, bytes] | str | Path | None = None,
               raw_dir: str | Path | None = None, now: dt.datetime | None = None) -> None:
    """A district reports a task fixed (reported, 已整改（待核验）) with a URL or a file as evidence.
    Raises TaskError for an unknown task, another unit's task, a task not open/overdue, or no evidence."""
    task = get_task(con, task_id, scope)
    if task["status"] not in ("open", "overdue"):
        raise TaskError(text.ERRORS["not_reportable"].format(id=task_id, status=text.TASK_STATUS[task["status"]]))
    if url is not None and not is_url(url):
        url = None
    evidence = keep_evidence(url, file, raw_dir)
    if evidence is None:
        raise TaskError(text.ERRORS["need_evidence"])
    report = {"note": (note or "").strip(), "evidence": evidence, "by": actor}
    at = _now(now)

    def work() -> None:
        con.execute("UPDATE rectification_tasks SET status = 'reported', reported_on = ?, report_json = ? "
                    "WHERE task_id = ?", [on, json.dumps(report, ensure_ascii=False), task_id])
        _event(con, task_id, "reported", task["status"], "reported", report, actor, at)

    write(con, work)


def review_report(con: duckdb.DuckDBPyConnection, task_id: int, confirm: bool, *, actor: str, scope: Any,
                  on: dt.date, note: str = "", now: dt.datetime | None = None) -> str:
    """The bureau confirms (fixed as of the report date, fixed_late after the deadline; the system
    will not reopen it) or rejects (open again, overdue after the deadline) a self-report.
    Returns the new status. Raises TaskError for a district scope or a task not reported."""
    if unit_scope(scope) is not None:
        raise TaskError(text.ERRORS["bureau_only"].format(what=text.PAGE["review_heading"]))
    task = get_task(con, task_id)
    if task["status"] != "reported":
        raise TaskError(text.ERRORS["not_reported"].format(id=task_id, status=text.TASK_STATUS[task["status"]]))
    deadline = dt.date.fromisoformat(task["deadline"])
    at = _now(now)
    if confirm:
        fixed_on = dt.date.fromisoformat(task["reported_on"])
        status = "fixed" if fixed_on <= deadline else "fixed_late"
        evidence = {**(task["report"] or {}).get("evidence", {}), "confirmed_by": actor, "note": note,
                    "published_on": fixed_on.isoformat()}
        evidence["text"] = text.DETAIL_SEPARATOR.join((evidence.get("text", ""),
                                                       text.EVIDENCE["bureau"].format(actor=actor, note=note or "")))

        def work() -> None:
            con.execute("UPDATE rectification_tasks SET status = ?, fixed_on = ?, closed_by = 'bureau', "
                        "evidence_json = ? WHERE task_id = ?",
                        [status, fixed_on, json.dumps(evidence, ensure_ascii=False), task_id])
            _event(con, task_id, "confirmed", "reported", status, {"note": note}, actor, at)
    else:
        status = "overdue" if on > deadline else "open"

        def work() -> None:
            con.execute("UPDATE rectification_tasks SET status = ?, reported_on = NULL, report_json = NULL "
                        "WHERE task_id = ?", [status, task_id])
            _event(con, task_id, "rejected", "reported", status, {"note": note, "report": task["report"]}, actor, at)
    write(con, work)
    return status


def tasks_json(tasks: Iterable[Mapping[str, Any]]) -> str:
    """The JSON array `tasks --json` prints."""
    return json.dumps(list(tasks), ensure_ascii=False, indent=2)
