"""Shared constants and helpers of the reliability tests (test files import this, not conftest)."""
from __future__ import annotations

from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
# Every table a load may change (the audit tables load_runs/rejected_rows are checked apart).
DATA_TABLES = ("meta", "districts", "district_aliases", "item_synonyms", "standard_catalog", "calendar",
               "district_catalogs", "district_catalog_rows", "disclosures", "disclosure_sources", "load_changes",
               "disclosures_replaced", "disclosure_sources_replaced", "standard_catalog_replaced")


def snapshot(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple]]:
    """Every row of each table, ordered, for before/after comparisons."""
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
