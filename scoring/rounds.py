"""Evaluation rounds (考评轮次): an evaluation stored once and, when circulated, kept forever.

A round holds the full evaluation JSON (`Evaluation.to_json()`: every figure, gap and explanation
the pages and the workbook show), the Excel report context (data sources, sample flag, rules), the
rules file's text and version, a fingerprint of the loaded data, and who/when. Pages, exports and
`round show` read a round only from what is stored here; nothing is recomputed live.

Revision 0 is the round as computed; a draft's recompute replaces it. `circulate` (文号, date) makes
the round immutable: recompute, delete and circulate again raise `RoundError`. Later revisions
(n+1, from accepted disputes, DESIGN §11) are added with `add_revision`, never by changing one.

Pure functions over a DuckDB connection; never imports Streamlit or loaders. Every write is one
transaction together with its audit row (`accounts.audit`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from accounts import audit
from scoring import clock
from scoring.evaluation import evaluate
from scoring.rules import load_rules
from scoring.rules import rules_path as default_rules_path
from scoring.transaction import in_transaction as _write
from ui_text.access import ROUND_ERRORS

SQL_DIR = Path(__file__).resolve().parent / "sql"
SCHEMA_SQL = Path(__file__).resolve().parent.parent / "data" / "schema.sql"


class RoundError(ValueError):
    """A round operation refused (unknown round, circulated round changed …); Chinese message."""


@dataclass(frozen=True)
class Round:
    """One round and its latest revision's provenance."""
    id: int
    name: str
    as_of: dt.date
    since: dt.date
    status: str                     # draft | circulated
    document_no: str | None
    circulated_on: dt.date | None
    revision: int                   # the latest revision
    rules_version: str
    data_fingerprint: str
    created_at: dt.datetime
    created_by: str
    circulated_by: str | None = None

    @property
    def circulated(self) -> bool:
        return self.status == "circulated"

    def header(self, revision: int | None = None) -> dict[str, Any]:
        """The `round` object of `round show --json` (DESIGN §10)."""
        return {"id": self.id, "name": self.name, "status": self.status, "document_no": self.document_no,
                "circulated_on": self.circulated_on.isoformat() if self.circulated_on else None,
                "revision": self.revision if revision is None else revision,
                "rules_version": self.rules_version, "data_fingerprint": self.data_fingerprint,
                "created_at": self.created_at.isoformat(sep=" ")}


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the round and audit tables (and the findings the data fingerprint reads) in a
    database made before they existed (runs the one schema, every statement of which is IF NOT
    EXISTS)."""
    present = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                          "AND table_name IN ('rounds', 'round_revisions', 'audit_log', 'findings')").fetchall()[0][0]
    if present < 4:
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def data_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """md5 over every data table an evaluation reads (reference data, catalogs, disclosures,
    findings)."""
    import hashlib

    rows = con.execute(_sql("data_fingerprint")).fetchall()
    return hashlib.md5("|".join(f"{t}:{n}:{d}" for t, n, d in rows).encode()).hexdigest()


def _now(now: dt.datetime | None) -> dt.datetime:
    return clock.now(now)  # Beijing time


def _compute(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date | None,
             rules_path: str | Path | None) -> dict[str, Any]:
    """Everything a revision row stores, computed from the current data and rules file."""
    from reports.context import report_context  # the export context a round stores

    path = default_rules_path(rules_path)  # $COMPLIANCE_RULES, else scoring/rules.toml
    rules_text = path.read_text(encoding="utf-8")
    rules = load_rules(path)
    ev = evaluate(con, as_of, since, rules=rules)
    context = report_context(con, rules=rules)
    from scoring import round_measures  # per-unit measurements, for recomputing accepted disputes
    from scoring.measure import city_item_count

    return {"measures": round_measures.measure_records(ev, city_item_count(con)),
            "since": ev.since, "evaluation_json": json.dumps(ev.to_json(), ensure_ascii=False),
            "context_json": json.dumps(context, ensure_ascii=False, default=str),
            "rules_text": rules_text, "rules_version": rules.version,
            "data_fingerprint": data_fingerprint(con)}


def _save_measures(con: duckdb.DuckDBPyConnection, round_id: int, computed: Mapping[str, Any]) -> None:
    from scoring import round_measures

    round_measures.save_measures(con, round_id, 0, computed["measures"])




def _insert_revision(con: duckdb.DuckDBPyConnection, round_id: int, revision: int, c: Mapping[str, Any],
                     at: dt.datetime, actor: str, note: str | None) -> None:
    con.execute("INSERT INTO round_revisions (round_id, revision, evaluation_json, context_json, rules_text, "
                "rules_version, data_fingerprint, computed_at, computed_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [round_id, revision, c["evaluation_json"], c["context_json"], c["rules_text"],
                 c["rules_version"], c["data_fingerprint"], at, actor, note])


def create(con: duckdb.DuckDBPyConnection, name: str, as_of: dt.date, since: dt.date | None = None, *,
           actor: str, rules_path: str | Path | None = None, now: dt.datetime | None = None) -> int:
    """Evaluate every unit as of `as_of` and store it as a new draft round; returns its id.

    Raises RoundError for a blank name, ValueError when since > as_of, RulesError for a bad rules file."""
    name = (name or "").strip()
    if not name:
        raise RoundError(ROUND_ERRORS["no_name"])
    ensure_tables(con)
    computed = _compute(con, as_of, since, rules_path)
    at = _now(now)

    def work() -> int:
        round_id = int(con.execute("SELECT nextval('round_seq')").fetchall()[0][0])
        con.execute("INSERT INTO rounds (round_id, name, as_of, since, status, created_at, created_by) "
                    "VALUES (?, ?, ?, ?, 'draft', ?, ?)", [round_id, name, as_of, computed["since"], at, actor])
        _insert_revision(con, round_id, 0, computed, at, actor, None)
        _save_measures(con, round_id, computed)
        audit.record(con, actor, "round_create", str(round_id),
                     {"name": name, "as_of": as_of.isoformat(), "since": computed["since"].isoformat(),
                      "rules_version": computed["rules_version"]})
        return round_id

    return _write(con, work)


def get(con: duckdb.DuckDBPyConnection, round_id: int) -> Round:
    """The round `round_id` with its latest revision's provenance. Raises RoundError when unknown."""
    found = _rounds(con, round_id)
    if not found:
        raise RoundError(ROUND_ERRORS["unknown"].format(id=round_id))
    return found[0]


def _rounds(con: duckdb.DuckDBPyConnection, round_id: int | None) -> list[Round]:
    ensure_tables(con)
    cur = con.execute(_sql("round_list"), {"round_id": round_id})
    cols = [c[0] for c in cur.description]
    out = []
    for values in cur.fetchall():
        r = dict(zip(cols, values))
        out.append(Round(id=int(r["round_id"]), name=r["name"], as_of=r["as_of"], since=r["since"],
                         status=r["status"], document_no=r["document_no"], circulated_on=r["circulated_on"],
                         revision=int(r["revision"]), rules_version=r["rules_version"],
                         data_fingerprint=r["data_fingerprint"], created_at=r["created_at"],
                         created_by=r["created_by"], circulated_by=r["circulated_by"]))
    return out


def list_rounds(con: duckdb.DuckDBPyConnection) -> list[Round]:
    """Every round, newest as-of date first."""
    return _rounds(con, None)


def _refuse_circulated(r: Round, key: str) -> None:
    if r.circulated:
        raise RoundError(ROUND_ERRORS[key].format(id=r.id, name=r.name, on=r.circulated_on,
                                                  document_no=r.document_no))


def recompute(con: duckdb.DuckDBPyConnection, round_id: int, *, actor: str,
              rules_path: str | Path | None = None, now: dt.datetime | None = None) -> None:
    """Re-evaluate a draft round with the data and rules as they are now (replaces revision 0).
    Raises RoundError for an unknown or circulated round."""
    r = get(con, round_id)
    _refuse_circulated(r, "circulated_recompute")
    computed = _compute(con, r.as_of, r.since, rules_path)
    at = _now(now)

    def work() -> None:
        con.execute("UPDATE round_revisions SET evaluation_json = ?, context_json = ?, rules_text = ?, "
                    "rules_version = ?, data_fingerprint = ?, computed_at = ?, computed_by = ? "
                    "WHERE round_id = ? AND revision = 0",
                    [computed["evaluation_json"], computed["context_json"], computed["rules_text"],
                     computed["rules_version"], computed["data_fingerprint"], at, actor, round_id])
        _save_measures(con, round_id, computed)
        audit.record(con, actor, "round_recompute", str(round_id),
                     {"name": r.name, "rules_version": computed["rules_version"],
                      "data_fingerprint": computed["data_fingerprint"]})

    _write(con, work)


def circulate(con: duckdb.DuckDBPyConnection, round_id: int, document_no: str, on: dt.date, *,
              actor: str, now: dt.datetime | None = None) -> None:
    """Circulate a draft round under `document_no` on `on`; from then on it is immutable.
    Raises RoundError for an unknown or already circulated round, a blank 文号, or `on` before as-of."""
    r = get(con, round_id)
    _refuse_circulated(r, "circulated_again")
    document_no = (document_no or "").strip()
    if not document_no:
        raise RoundError(ROUND_ERRORS["no_document_no"])
    if on < r.as_of:
        raise RoundError(ROUND_ERRORS["circulated_before_as_of"].format(on=on, as_of=r.as_of))
    at = _now(now)

    def work() -> None:
        con.execute("UPDATE rounds SET status = 'circulated', document_no = ?, circulated_on = ?, "
                    "circulated_at = ?, circulated_by = ? WHERE round_id = ? AND status = 'draft'",
                    [document_no, on, at, actor, round_id])
        from scoring import rectification  # circulating turns the round's gaps into tasks (DESIGN §11)

        revision0 = stored(con, round_id, 0)
        rectification.create_tasks(con, round_id, on, revision0["evaluation"], revision0["rules_text"],
                                   actor=actor, at=at)
        audit.record(con, actor, "round_circulate", str(round_id),
                     {"name": r.name, "document_no": document_no, "on": on.isoformat()})

    _write(con, work)


def delete(con: duckdb.DuckDBPyConnection, round_id: int, *, actor: str) -> None:
    """Delete a draft round. Raises RoundError for an unknown or circulated round."""
    r = get(con, round_id)
    _refuse_circulated(r, "circulated_delete")

    def work() -> None:
        con.execute("DELETE FROM round_revisions WHERE round_id = ?", [round_id])
        con.execute("DELETE FROM round_measures WHERE round_id = ?", [round_id])
        con.execute("DELETE FROM rounds WHERE round_id = ? AND status = 'draft'", [round_id])
        audit.record(con, actor, "round_delete", str(round_id), {"name": r.name, "as_of": r.as_of.isoformat()})

    _write(con, work)


def add_revision(con: duckdb.DuckDBPyConnection, round_id: int, evaluation_json: Mapping[str, Any], *,
                 actor: str, note: str, now: dt.datetime | None = None,
                 then: Callable[[int], None] | None = None) -> int:
    """Append revision n+1 of a round with a corrected evaluation (an accepted dispute, DESIGN §11),
    keeping the latest revision's context, rules and fingerprint. Returns the new revision number.
    Earlier revisions are never changed. `then(n)` runs inside the same transaction (the dispute's
    own writes)."""
    r = get(con, round_id)
    latest = _revision_row(con, r, r.revision)
    at = _now(now)

    def work() -> int:
        n = r.revision + 1
        _insert_revision(con, round_id, n, {**latest, "evaluation_json": json.dumps(evaluation_json, ensure_ascii=False)},
                         at, actor, note)
        if then is not None:
            then(n)
        return n

    return _write(con, work)


def _revision_row(con: duckdb.DuckDBPyConnection, r: Round, revision: int | None) -> dict[str, Any]:
    n = r.revision if revision is None else revision
    cur = con.execute("SELECT evaluation_json, context_json, rules_text, rules_version, data_fingerprint, "
                      "computed_at, computed_by, note FROM round_revisions WHERE round_id = ? AND revision = ?",
                      [r.id, n])
    row = cur.fetchone()
    if row is None:
        known = [str(v) for (v,) in con.execute("SELECT revision FROM round_revisions WHERE round_id = ? "
                                                "ORDER BY revision", [r.id]).fetchall()]
        raise RoundError(ROUND_ERRORS["unknown_revision"].format(id=r.id, revision=n, revisions="、".join(known)))
    return {**dict(zip([c[0] for c in cur.description], row)), "revision": n}


def show(con: duckdb.DuckDBPyConnection, round_id: int, revision: int | None = None) -> dict[str, Any]:
    """The stored evaluation (DESIGN §6 shape) plus `round` (DESIGN §10) of one revision (default the
    latest). Raises RoundError for an unknown round or revision."""
    r = get(con, round_id)
    row = _revision_row(con, r, revision)
    return {"round": {**r.header(row["revision"]), "rules_version": row["rules_version"],
                      "data_fingerprint": row["data_fingerprint"]},
            **json.loads(row["evaluation_json"])}


def show_text(con: duckdb.DuckDBPyConnection, round_id: int, revision: int | None = None) -> str:
    """`show` as the JSON text `round show --json` prints (stable: same stored round, same bytes)."""
    return json.dumps(show(con, round_id, revision), ensure_ascii=False, indent=2)


def stored(con: duckdb.DuckDBPyConnection, round_id: int, revision: int | None = None) -> dict[str, Any]:
    """Everything stored for one revision: `evaluation` (dict), `context` (dict), `rules_text`,
    `rules_version`, `data_fingerprint`, `computed_at`, `computed_by`, `note`, `revision`, `round`."""
    r = get(con, round_id)
    row = _revision_row(con, r, revision)
    return {**row, "evaluation": json.loads(row.pop("evaluation_json")),
            "context": json.loads(row.pop("context_json")), "round": r}
