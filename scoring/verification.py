"""System verification (系统核验, DESIGN §11): rectification tasks checked against live data.

`verify(con, as_of)` (after every load and pull, and on demand) re-evaluates the live data as of
a date with each round's window start: a task whose gap no longer appears is `fixed` (or
`fixed_late` after its deadline) with the date the fix was first seen and the evidence that shows
it (the catalog version or disclosure that closed it); an open task past its deadline is
`overdue`; a gap that reappears reopens a task the system had closed. `verify_after_load` is what
the front ends call after a load committed: it checks only the tasks of the units the load changed
(`changed_units`; a standard-catalog load or an undo changes every unit). Never imports Streamlit,
loaders or reports.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from scoring import measure
from scoring.evaluation import evaluate
from scoring.rectification import (
    CATALOG_CATEGORIES,
    CLOSED,
    MILESTONES,
    _events,
    _now,
    ensure_tables,
    iso,
    live_gap_keys,
    one,
    plain_records,
    write,
)
from scoring.rules import Rules, load_rules
from ui_text import rectification as text


@dataclass(frozen=True)
class VerifyResult:
    """What one verification changed."""
    as_of: dt.date
    checked: int
    fixed: int
    fixed_late: int
    overdue: int
    reopened: int


def _catalog_evidence(row: Mapping[str, Any]) -> dict[str, Any]:
    e = {"kind": "catalog", "catalog_id": row["catalog_id"], "source": row["source"], "url": row["url"],
         "published_on": iso(row["published_on"]), "document_no": row["document_no"]}
    e["text"] = text.EVIDENCE["catalog"].format(source=e["source"], published_on=e["published_on"] or text.NONE_TEXT,
                                                document_no=e["document_no"] or text.NONE_TEXT)
    return e


def _disclosure_evidence(row: Mapping[str, Any]) -> dict[str, Any]:
    e = {"kind": "disclosure", "title": row["d_title"], "url": row["d_url"],
         "published_on": iso(row["d_published_on"])}
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
           now: dt.datetime | None = None, units: Collection[str] | None = None) -> VerifyResult:
    """Check every task assigned on or before `as_of` against the live evaluation as of `as_of`
    (window start: the task's round's); write what changed in one transaction with its events.
    `units` (codes) restricts the check to those units' tasks; None checks every unit's.

    open/overdue/reported whose gap is gone → fixed (fixed_on <= deadline) or fixed_late;
    open still present after the deadline → overdue; fixed/fixed_late closed by the system whose
    gap is present again → open (or overdue after the deadline). Tasks closed by the bureau or by
    an accepted dispute are left alone."""
    ensure_tables(con)
    tasks = con.execute(
        "SELECT t.task_id, t.district_code AS code, t.category, t.item, t.title, t.gap_key, t.deadline, t.status, "
        "r.since FROM rectification_tasks t JOIN rounds r USING (round_id) WHERE t.assigned_on <= ? "
        "AND (t.status IN ('open', 'overdue', 'reported') OR (t.status IN ('fixed', 'fixed_late') "
        "AND t.closed_by = 'system')) AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, t.district_code)) "
        "ORDER BY t.task_id", [as_of, *[None if units is None else sorted(units)] * 2]).df()
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
    fixed = os.environ.get("COMPLIANCE_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def verify_after_load(con: duckdb.DuckDBPyConnection, actor: str,
                      units: Collection[str] | None = None) -> VerifyResult | None:
    """The system check run by the front ends after a load or pull committed (DESIGN §11): as of
    `today()`, of the tasks of `units` (codes; None = every unit: a standard-catalog load, an undo),
    and only when any task exists (a database without rounds pays nothing). Another unit's tasks are
    left as they were: their next load, or the on-demand check (`scoring verify`, 立即核验), checks them."""
    if not has_tasks(con):
        return None
    return verify(con, today(), actor=actor, units=units)


def changed_units(results: Iterable[Any]) -> frozenset[str] | None:
    """The unit codes whose data the loads `results` (LoadResult-like: `result`, `district_code`)
    changed; None when one of them changed every unit's (the standard catalog: no unit code)."""
    changed = [r for r in results if getattr(r, "result", None) in ("loaded", "partial")]
    codes = [getattr(r, "district_code", None) for r in changed]
    return None if any(c is None for c in codes) else frozenset(c for c in codes if c is not None)


def has_tasks(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any rectification task exists (front ends skip verification otherwise)."""
    present = one(con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                  "AND table_name = 'rectification_tasks'")[0]
    return bool(present) and bool(one(con, "SELECT count(*) FROM rectification_tasks")[0])
