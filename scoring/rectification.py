"""Rectification tasks (整改, DESIGN §11): a circulated round's gaps become tasks that close themselves.

* `create_tasks` (called by `scoring.rounds.circulate` inside its transaction) turns every gap of
  revision 0 into one task per unit and `gap_key`, due `deadline_workdays` working days after the
  circulation date (`[rectification]` of the rules text stored with the round; default 15).
* `scoring.verification.verify` (系统核验) closes, reopens and marks overdue the tasks against the
  live evaluation (see there).
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from accounts import audit
from scoring import clock, measure
from scoring.districts import resolve_district
from scoring.rules import MEASURABLE, ComponentKind, rules_path
from scoring.transaction import in_transaction
from scoring.vocabulary import GapCategory
from ui_text import rectification as text

STATUSES = ("open", "reported", "fixed", "fixed_late", "overdue")
CLOSED = ("fixed", "fixed_late")
# Listing order: what needs attention first.
STATUS_ORDER = {"overdue": 0, "open": 1, "reported": 2, "fixed_late": 3, "fixed": 4}
CATALOG_CATEGORIES = ("missing_item", "blank_elements")
# Gap categories that are milestones (their gap row carries the milestone's component id).
MILESTONES = tuple(k for k, kind in MEASURABLE.items() if kind is ComponentKind.MILESTONE)
DEFAULT_RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"
# The round tables too: tasks are joined with rounds (both blocks live in the one schema).
SCHEMA_TABLES = ("rounds", "round_revisions", "audit_log", "rectification_tasks", "task_events", "disputes",
                 "round_measures")
SCHEMA_SQL = Path(__file__).resolve().parent.parent / "data" / "schema.sql"


def one(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> tuple[Any, ...]:
    """The single row an aggregate query returns."""
    row = con.execute(sql, params).fetchone() if params is not None else con.execute(sql).fetchone()
    assert row is not None  # an aggregate always returns one row
    return row


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


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the rectification tables in a database made before they existed (the one schema)."""
    present = one(con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                  "AND list_contains(?, table_name)", [list(SCHEMA_TABLES)])[0]
    if present < len(SCHEMA_TABLES):
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


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
    catalog rows of one item with blank elements — merged, details joined), each with `gap_key`.
    Veto rows are left out: what they follow from is a gap (and a task) of its own."""
    merged: dict[str, dict[str, Any]] = {}
    for g in entry.get("gaps", []):
        if g["category"] == GapCategory.VETO:  # a veto follows from a gap of its own (no catalog →
            continue                           # the missing items; a failed indicator → its row)
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
    return clock.now(now)  # Beijing time, as rounds


write = in_transaction  # the one transaction helper (scoring.transaction)


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


def create_tasks(con: duckdb.DuckDBPyConnection, round_id: int, on: dt.date, evaluation_json: Mapping[str, Any],
                 rules_text: str, *, actor: str, at: dt.datetime | None = None) -> int:
    """Create the tasks of a round being circulated on `on` from its stored revision 0
    (`evaluation_json`, `rules_text`); runs inside the caller's transaction (`rounds.circulate`)
    and returns how many. The deadline comes from `[rectification]` of the stored rules text.
    Creating them twice for one round adds nothing."""
    ensure_tables(con)
    if one(con, "SELECT count(*) FROM rectification_tasks WHERE round_id = ?", [round_id])[0]:
        return 0
    deadline = workday_after(con, on, settings(rules_text).deadline_workdays)
    frame = task_rows(evaluation_json)
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


def iso(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()


# ── reading tasks ────────────────────────────────────────────────────────────────────────────

TASK_SELECT = (
    "SELECT t.task_id AS id, t.round_id, d.name AS district, t.district_code AS code, t.category, t.item, "
    "t.title, t.detail, t.gap_key, t.deadline, t.status, t.fixed_on, t.evidence_json, t.assigned_on, "
    "t.closed_by, t.reported_on, t.report_json, t.checked_on, t.rule, d.sort_order "
    "FROM rectification_tasks t JOIN districts d ON d.code = t.district_code ")


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with None (not NaN/NaT/NA) for SQL NULL."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{str(k): v for k, v in r.items()} for r in records]


def _task_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in plain_records(frame):
        out.append({"id": int(r["id"]), "round_id": int(r["round_id"]), "district": r["district"],
                    "category": r["category"], "item": r["item"], "title": r["title"], "detail": r["detail"],
                    "gap_key": r["gap_key"], "deadline": iso(r["deadline"]), "status": r["status"],
                    "fixed_on": iso(r["fixed_on"]),
                    "evidence": json.loads(r["evidence_json"]) if r["evidence_json"] else None,
                    "code": r["code"], "assigned_on": iso(r["assigned_on"]), "closed_by": r["closed_by"],
                    "reported_on": iso(r["reported_on"]),
                    "report": json.loads(r["report_json"]) if r["report_json"] else None,
                    "checked_on": iso(r["checked_on"]), "rule": r["rule"]})
    return out


def list_tasks(con: duckdb.DuckDBPyConnection, *, round_id: int | None = None, unit: str | None = None,
               status: str | None = None, scope: Any = None) -> list[dict[str, Any]]:
    """Tasks as DESIGN §11 objects ({id, round_id, district, category, item, title, detail, gap_key,
    deadline, status, fixed_on, evidence}, plus code, assigned_on, closed_by, reported_on, report,
    checked_on, rule), overdue first, then by deadline, unit order and id. A district `scope` sees
    only its own unit's tasks whatever `unit` (name, alias or code) says. Raises TaskError for a bad status and
    UnknownDistrictError for an unknown unit."""
    ensure_tables(con)
    scope = unit_scope(scope)
    if status is not None and status not in STATUSES:
        raise TaskError(text.ERRORS["bad_status"].format(value=status))
    code = resolve_district(con, unit) if unit else None
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
    row = one(
        con, "SELECT count(*) FILTER (WHERE status = 'open' AND deadline >= $d AND deadline <= $lim), "
        "count(*) FILTER (WHERE status = 'overdue' OR (status = 'open' AND deadline < $d)), "
        "count(*) FILTER (WHERE status = 'reported') FROM rectification_tasks "
        "WHERE CAST($c AS VARCHAR) IS NULL OR district_code = $c", {"d": today, "lim": limit, "c": scope})
    disputes = one(con, "SELECT count(*) FROM disputes WHERE status = 'pending' AND "
                   "(CAST($c AS VARCHAR) IS NULL OR district_code = $c)", {"c": scope})[0]
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


def kept_file(task: Mapping[str, Any]) -> dict[str, Any] | None:
    """The evidence file kept for a task ({name, path, sha256, …}): the one its self-report
    attached (while it waits for the bureau), else the one that closed it; None when neither is a file."""
    for evidence in (((task.get("report") or {}).get("evidence")), task.get("evidence")):
        if evidence and evidence.get("kind") == "file" and evidence.get("path"):
            return dict(evidence)
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
        audit.record(con, actor, "task_report", str(task_id), {"evidence": evidence.get("text")}, at)

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
            audit.record(con, actor, "task_review", str(task_id), {"confirm": True, "status": status}, at)
    else:
        status = "overdue" if on > deadline else "open"

        def work() -> None:
            con.execute("UPDATE rectification_tasks SET status = ?, reported_on = NULL, report_json = NULL "
                        "WHERE task_id = ?", [status, task_id])
            _event(con, task_id, "rejected", "reported", status, {"note": note, "report": task["report"]}, actor, at)
            audit.record(con, actor, "task_review", str(task_id), {"confirm": False, "status": status}, at)
    write(con, work)
    return status


def tasks_json(tasks: Iterable[Mapping[str, Any]]) -> str:
    """The JSON array `tasks --json` prints."""
    return json.dumps(list(tasks), ensure_ascii=False, indent=2)
