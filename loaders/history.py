"""Load history and undo (issue #16 item 2).

Every load that changed data has a `load_changes` row saying what it did: added a catalog
version, replaced a disclosure source (the replaced rows are kept in `disclosures_replaced`
and `disclosure_sources_replaced`), or replaced the city catalog (kept in
`standard_catalog_replaced`, its meta in `previous_meta`). `undo(con, run_id)` puts back
exactly what was there before that load, in one transaction. A later, still active load that
touched the same data (the same disclosure source; any later city catalog for a city
catalog) depends on it: undo refuses unless `force`, which undoes those later loads first,
newest first.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from loaders import clock
from loaders.db import refresh_matches, set_meta, transaction
from loaders.names import district_code

Con = duckdb.DuckDBPyConnection

HISTORY_SQL = """
SELECT r.run_id, r.started_at, r.kind, r.district_code, r.source, r.result, r.rows_loaded,
       coalesce(c.replaced_rows, 0) AS replaced_rows, c.action, c.undone_at, c.evidence
FROM load_runs AS r LEFT JOIN load_changes AS c USING (run_id)
WHERE r.district_code = coalesce(CAST($district AS VARCHAR), r.district_code)
   OR ($district IS NULL AND r.district_code IS NULL)
ORDER BY r.run_id DESC
"""


class UndoError(Exception):
    """Undo refused: `reason` is 'unknown', 'nothing', 'already' or 'depends' (with `later`)."""

    def __init__(self, reason: str, run_id: int, *, result: str = "", at: object = None,
                 later: tuple[int, ...] = ()) -> None:
        self.reason, self.run_id, self.result, self.at, self.later = reason, run_id, result, at, later
        super().__init__(f"{reason}: {run_id}")


@dataclass(frozen=True)
class Change:
    run_id: int
    action: str
    district_code: str | None
    catalog_id: str | None
    source_key: str | None
    previous_meta: str | None
    undone_at: dt.datetime | None


def history(con: Con, unit: str | None = None) -> pd.DataFrame:
    """Every load attempt, newest first, with what it replaced and whether it was undone;
    `unit` (name, alias or code) keeps that unit's loads only."""
    code = district_code(unit) if unit else None
    if unit and code is None:
        code = unit  # unknown names list nothing rather than everything
    return con.execute(HISTORY_SQL, {"district": code}).df()


def _change(con: Con, run_id: int) -> Change | None:
    row = con.execute("SELECT run_id, action, district_code, catalog_id, source_key, previous_meta, undone_at "
                      "FROM load_changes WHERE run_id = ?", [run_id]).fetchone()
    return Change(*row) if row else None


def dependents(con: Con, change: Change) -> list[int]:
    """Later active loads that changed the same data as `change`, newest first."""
    if change.action == "replace_source":
        where, params = "action = 'replace_source' AND source_key = ?", [change.source_key]
    elif change.action == "replace_standard":
        where, params = "action = 'replace_standard'", []
    else:
        return []
    rows = con.execute(f"SELECT run_id FROM load_changes WHERE {where} AND run_id > ? AND undone_at IS NULL "
                       "ORDER BY run_id DESC", [*params, change.run_id]).fetchall()
    return [int(r[0]) for r in rows]


def _columns(con: Con, table: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                      "ORDER BY ordinal_position", [table]).fetchall()]


def _restore(con: Con, table: str, run_id: int) -> None:
    """Put back the rows of `table` that load `run_id` replaced."""
    kept = set(_columns(con, f"{table}_replaced"))
    cols = ", ".join(c for c in _columns(con, table) if c in kept)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {table}_replaced WHERE replaced_by_run = ?",
                [run_id])


def _undo_one(con: Con, change: Change) -> None:
    if change.action == "add_catalog":
        con.execute("DELETE FROM district_catalog_rows WHERE catalog_id = ?", [change.catalog_id])
        con.execute("DELETE FROM district_catalogs WHERE catalog_id = ?", [change.catalog_id])
    elif change.action == "replace_source":
        con.execute("DELETE FROM disclosures WHERE source_key = ?", [change.source_key])
        con.execute("DELETE FROM disclosure_sources WHERE source_key = ?", [change.source_key])
        _restore(con, "disclosures", change.run_id)
        _restore(con, "disclosure_sources", change.run_id)
        refresh_matches(con, source_key=change.source_key)
    else:
        con.execute("DELETE FROM standard_catalog")
        _restore(con, "standard_catalog", change.run_id)
        for key, value in json.loads(change.previous_meta or "{}").items():
            if value is None:
                con.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                set_meta(con, key, value)
        refresh_matches(con)
    con.execute("UPDATE load_changes SET undone_at = ? WHERE run_id = ?",
                [clock.now(), change.run_id])


def undo(con: Con, run_id: int, force: bool = False) -> list[int]:
    """Restore the data to just before load `run_id`; returns the runs undone (dependents first).

    Raises UndoError when there is no such load, it changed nothing, it was already undone, or
    a later load depends on it and `force` is not set. All or nothing: one transaction.
    """
    change = _change(con, run_id)
    if change is None:
        row = con.execute("SELECT result FROM load_runs WHERE run_id = ?", [run_id]).fetchone()
        if row is None:
            raise UndoError("unknown", run_id)
        raise UndoError("nothing", run_id, result=row[0])
    if change.undone_at is not None:
        raise UndoError("already", run_id, at=change.undone_at)
    later = dependents(con, change)
    if later and not force:
        raise UndoError("depends", run_id, later=tuple(sorted(later)))
    order = later + [run_id]
    with transaction(con):
        for n in order:
            found = _change(con, n)
            assert found is not None
            _undo_one(con, found)
    return order
