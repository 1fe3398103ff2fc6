"""Shared constants and helpers of the reliability tests (imported as `tests.reliability.helpers`;
conftest.py holds only fixtures and is never imported by a test)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tests.loaders.helpers import DATA_TABLES as LOADER_TABLES
from tests.loaders.helpers import snapshot as loaders_snapshot

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
# Every table a load may change (the audit tables load_runs/rejected_rows are checked apart): the
# loaders tests' data tables plus what the history and undo keep.
DATA_TABLES = (*LOADER_TABLES, "load_changes", "disclosures_replaced", "disclosure_sources_replaced",
               "standard_catalog_replaced")


def snapshot(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple]]:
    """Every row of each table, ordered, for before/after comparisons (`tests.loaders.helpers.snapshot`
    over the tables above by default)."""
    return loaders_snapshot(con, tables)
