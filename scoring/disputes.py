"""Disputes (申诉, DESIGN §11): a district contests one deduction of a circulated round.

A deduction is one rectification task (one gap of revision 0). `file_dispute` records the reason
and evidence; `decide` (bureau) accepts or rejects with a reason. An accepted dispute adds
revision n+1 of the round in which that gap is removed and the unit's components, score and
grade and every unit's rank are recomputed by `scoring.decide` from the measurements stored with
the round (`round_measures`, saved when the round is computed) — never from live data — under the
rules text stored with the round. Earlier revisions are never changed; the dispute row records
the revision that applied it, and the revision's note names it.

Pure functions over a DuckDB connection; never imports Streamlit, loaders or reports.
"""
from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from accounts import audit
from scoring import rectification, rounds
from scoring.decide import decide
from scoring.manual import VETO_PREFIX
from scoring.rectification import MILESTONES
from scoring.round_measures import MEASURE_KEYS, MILESTONE_KEYS, save_measures, stored_measures
from scoring.rules import Rules, load_rules
from ui_text import rectification as text

# Which measurement one removed gap of each category adds to (blank_elements: one per element).
GAP_MEASURE = {"missing_item": "covered_items", "no_disclosure": "disclosed_items", "overdue": "on_time",
               "unsynced_interpretation": "synced", "blank_elements": "filled_elements"}
GAP_CAPS = {"covered_items": "n_items", "disclosed_items": "n_items", "on_time": "judged", "synced": "policy_docs"}


def rules_of(rules_text: str) -> Rules:
    """The Rules a stored rules text parses to (same bytes, same version)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.toml"
        path.write_bytes(rules_text.encode("utf-8"))
        return load_rules(path)


def redecide(evaluation_json: Mapping[str, Any], measures: Mapping[str, Mapping[str, Any]],
             rules: Rules) -> pd.DataFrame:
    """`scoring.decide` over stored measurements: one row per unit with the components, score,
    grade and rank (among the units of the stored evaluation)."""
    as_of = dt.date.fromisoformat(evaluation_json["as_of"])
    rows = []
    for d in evaluation_json["districts"]:
        m = dict(measures[d["code"]])
        for col in MILESTONE_KEYS.values():
            m[col] = dt.date.fromisoformat(m[col]) if m[col] else None
        rows.append({"code": d["code"], "as_of": as_of, **m})
    frame = pd.DataFrame(rows)
    for k in MEASURE_KEYS:
        frame[k] = frame[k].astype(float)
    return decide(frame, rules)


# ── removing one deduction ───────────────────────────────────────────────────────────────────

def remove_deduction(evaluation_json: Mapping[str, Any], measures: Mapping[str, Mapping[str, Any]],
                     code: str, key: str, rules: Rules) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The evaluation and measurements with the gap `key` of unit `code` removed: its measurement
    raised by what the gap cost (an item covered or disclosed, a disclosure on time, a policy
    interpretation synced, the blank elements filled, a milestone met on its deadline), then every
    unit's components, score, grade and rank recomputed. Gaps, missing_items and overdue lists
    lose the disputed entries; units are re-sorted by rank, then code."""
    ev = json.loads(json.dumps(evaluation_json))
    new_measures = {c: dict(m) for c, m in measures.items()}
    entry = next(d for d in ev["districts"] if d["code"] == code)
    m = new_measures[code]
    keep: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for g in entry["gaps"]:
        status = entry.get(g["category"], {}).get("status") if g["category"] in MILESTONES else None
        (removed if rectification.gap_key(g, status) == key else keep).append(g)
    for g in removed:
        category = g["category"]
        if category in MILESTONE_KEYS:
            m[MILESTONE_KEYS[category]] = rules.milestones[category].isoformat()
            entry[category] = {**entry[category], "status": "on_time", "days_late": 0}
        elif category in GAP_MEASURE:
            col = GAP_MEASURE[category]
            add = len(g.get("missing_elements") or []) if category == "blank_elements" else 1
            cap = m.get(GAP_CAPS[col]) if col in GAP_CAPS else None
            m[col] = (m[col] or 0) + add if cap is None else min((m[col] or 0) + add, cap)
    entry["gaps"] = keep
    items = {g.get("item") for g in removed if g["category"] == "missing_item"}
    entry["missing_items"] = [i for i in entry.get("missing_items", []) if i not in items]
    titles = {(g.get("title"), g.get("item")) for g in removed if g["category"] == "overdue"}
    entry["overdue"] = [o for o in entry.get("overdue", []) if (o.get("title"), o.get("item")) not in titles]
    decided = redecide(ev, new_measures, rules).set_index("code")
    for d in ev["districts"]:
        r = decided.loc[d["code"]]
        d["rank"], d["score"], d["grade"] = int(r["rank"]), float(r["score"]), str(r["grade"])
        if d["code"] == code:
            comps = {c: (None if pd.isna(r[c]) else round(float(r[c]), 4)) for c in d["components"]}
            d["components"] = comps
            for c in rules.ratio_ids:
                d[c] = comps[c]
            if "weighted_score" in d:
                d["weighted_score"] = float(r["weighted_score"])
            # vetoes whose condition no longer holds (e.g. a disputed missed milestone) are lifted
            d["vetoes"] = [v for v in d.get("vetoes", []) if bool(r.get(f"{VETO_PREFIX}{v['id']}", True))]
    ev["districts"].sort(key=lambda d: (d["rank"], d["code"]))
    return ev, new_measures


# ── filing and deciding ──────────────────────────────────────────────────────────────────────

def _dispute_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in rectification.plain_records(frame):
        out.append({"id": int(r["dispute_id"]), "round_id": int(r["round_id"]), "task_id": int(r["task_id"]),
                    "district": r["district"], "code": r["district_code"], "detail": r["detail"],
                    "reason": r["reason"],
                    "evidence": json.loads(r["evidence_json"]) if r["evidence_json"] else None,
                    "status": r["status"], "filed_at": str(r["filed_at"]), "filed_by": r["filed_by"],
                    "decided_at": None if r["decided_at"] is None else str(r["decided_at"]),
                    "decided_by": r["decided_by"], "decision_reason": r["decision_reason"],
                    "revision": None if r["revision"] is None else int(r["revision"])})
    return out


DISPUTE_SELECT = ("SELECT p.*, d.name AS district, t.detail FROM disputes p JOIN districts d ON d.code = p.district_code "
                  "JOIN rectification_tasks t ON t.task_id = p.task_id ")


def list_disputes(con: duckdb.DuckDBPyConnection, *, round_id: int | None = None, status: str | None = None,
                  scope: Any = None) -> list[dict[str, Any]]:
    """Disputes (pending first, then newest), a district scope seeing only its own."""
    rectification.ensure_tables(con)
    scope = rectification.unit_scope(scope)
    frame = con.execute(DISPUTE_SELECT + "WHERE (CAST($r AS BIGINT) IS NULL OR p.round_id = $r) "
                        "AND (CAST($s AS VARCHAR) IS NULL OR p.status = $s) "
                        "AND (CAST($c AS VARCHAR) IS NULL OR p.district_code = $c) "
                        "ORDER BY p.status <> 'pending', p.dispute_id DESC",
                        {"r": round_id, "s": status, "c": scope}).df()
    return _dispute_dicts(frame)


def get_dispute(con: duckdb.DuckDBPyConnection, dispute_id: int, scope: Any = None) -> dict[str, Any]:
    rectification.ensure_tables(con)
    scope = rectification.unit_scope(scope)
    found = _dispute_dicts(con.execute(DISPUTE_SELECT + "WHERE p.dispute_id = ?", [dispute_id]).df())
    if not found:
        raise rectification.TaskError(text.ERRORS["unknown_dispute"].format(id=dispute_id))
    if scope is not None and found[0]["code"] != scope:
        raise rectification.TaskError(text.ERRORS["other_unit_dispute"].format(id=dispute_id, unit=found[0]["district"]))
    return found[0]


def file_dispute(con: duckdb.DuckDBPyConnection, round_id: int, task_id: int, *, reason: str, actor: str,
                 scope: Any, url: str | None = None, file: tuple[str, bytes] | str | Path | None = None,
                 raw_dir: str | Path | None = None, now: dt.datetime | None = None) -> int:
    """Contest the deduction of task `task_id` of circulated round `round_id`; returns the dispute id.
    Raises TaskError (unknown/other unit's task, task of another round, blank reason, a dispute
    already filed for it) or rounds.RoundError (unknown or draft round)."""
    r = rounds.get(con, round_id)
    if not r.circulated:
        raise rectification.TaskError(text.ERRORS["not_circulated"].format(id=r.id, name=r.name))
    task = rectification.get_task(con, task_id, scope)
    if task["round_id"] != round_id:
        raise rectification.TaskError(text.ERRORS["task_round"].format(task=task_id, round=round_id,
                                                                       actual=task["round_id"]))
    reason = (reason or "").strip()
    if not reason:
        raise rectification.TaskError(text.ERRORS["no_reason"])
    existing = con.execute("SELECT dispute_id, status FROM disputes WHERE task_id = ?", [task_id]).fetchone()
    if existing:
        raise rectification.TaskError(text.ERRORS["dispute_exists"].format(
            task=task_id, dispute=existing[0], status=text.DISPUTE_STATUS[existing[1]]))
    if url is not None and not rectification.is_url(url):
        url = None
    evidence = rectification.keep_evidence(url, file, raw_dir)
    at = rectification._now(now)

    def work() -> int:
        new_id = int(rectification.one(con, "SELECT nextval('dispute_seq')")[0])
        con.execute("INSERT INTO disputes (dispute_id, round_id, task_id, district_code, reason, evidence_json, "
                    "filed_at, filed_by, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                    [new_id, round_id, task_id, task["code"], reason,
                     json.dumps(evidence, ensure_ascii=False) if evidence else None, at, actor])
        audit.record(con, actor, "dispute_file", str(new_id), {"round": round_id, "task": task_id}, at)
        return new_id

    return int(rectification.write(con, work))


def decide_dispute(con: duckdb.DuckDBPyConnection, dispute_id: int, accept: bool, *, reason: str, actor: str,
                   scope: Any, now: dt.datetime | None = None) -> int | None:
    """The bureau's decision. Accepted: revision n+1 of the round without that deduction (returned),
    the task closed as fixed by the dispute. Rejected: None. Raises TaskError for a district scope,
    an unknown or already decided dispute, or a blank reason."""
    if rectification.unit_scope(scope) is not None:
        raise rectification.TaskError(text.ERRORS["bureau_only"].format(what=text.PAGE["decide_heading"]))
    p = get_dispute(con, dispute_id)
    if p["status"] != "pending":
        raise rectification.TaskError(text.ERRORS["decided"].format(id=dispute_id,
                                                                    status=text.DISPUTE_STATUS[p["status"]]))
    reason = (reason or "").strip()
    if not reason:
        raise rectification.TaskError(text.ERRORS["no_reason"])
    at = rectification._now(now)
    if not accept:
        def reject() -> None:
            con.execute("UPDATE disputes SET status = 'rejected', decided_at = ?, decided_by = ?, decision_reason = ? "
                        "WHERE dispute_id = ?", [at, actor, reason, dispute_id])
            audit.record(con, actor, "dispute_decide", str(dispute_id), {"accepted": False}, at)
        rectification.write(con, reject)
        return None
    task = rectification.get_task(con, p["task_id"])
    r = rounds.get(con, p["round_id"])
    latest = rounds.stored(con, r.id, r.revision)
    rules = rules_of(latest["rules_text"])
    evaluation, measures = remove_deduction(latest["evaluation"], stored_measures(con, r.id, r.revision),
                                            task["code"], task["gap_key"], rules)
    note = text.REVISION_NOTE.format(ids=dispute_id, detail=task["detail"])
    revision = r.revision + 1
    evidence = {"kind": "dispute", "dispute_id": dispute_id, "revision": revision, "published_on": at.date().isoformat(),
                "text": text.EVIDENCE["dispute"].format(dispute_id=dispute_id, revision=revision)}

    def applied(n: int) -> None:
        save_measures(con, r.id, n, measures)
        con.execute("UPDATE disputes SET status = 'accepted', decided_at = ?, decided_by = ?, decision_reason = ?, "
                    "revision = ? WHERE dispute_id = ?", [at, actor, reason, n, dispute_id])
        con.execute("UPDATE rectification_tasks SET status = 'fixed', fixed_on = ?, closed_by = 'dispute', "
                    "evidence_json = ? WHERE task_id = ?",
                    [at.date(), json.dumps(evidence, ensure_ascii=False), task["id"]])
        rectification._event(con, task["id"], "dispute_accepted", task["status"], "fixed",
                             {"dispute_id": dispute_id, "revision": n}, actor, at)
        audit.record(con, actor, "dispute_decide", str(dispute_id),
                     {"accepted": True, "round": r.id, "revision": n}, at)

    return rounds.add_revision(con, r.id, evaluation, actor=actor, note=note, now=at, then=applied)
