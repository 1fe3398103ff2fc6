"""Run a `queries/sql/<name>.sql` read query with bound parameters.

A query calls the scoring rules as the macros of `scoring/sql/rules.sql` (e.g.
`effective_catalogs($as_of)`, `best_catalog_rows()`), installed on the connection by
`scoring.measure.prepare` before it runs, so each rule stays in one place; a scoring relation file may
still be used as `{{name}}` (spliced in by `scoring.measure.read_sql`). Values are always bound as
`$name` parameters.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from scoring import measure

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def read_sql(name: str) -> str:
    """The query in `queries/sql/<name>.sql` with every `{{relation}}` expanded from scoring."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return measure.INCLUDE.sub(lambda m: f"(\n{measure.read_sql(m.group(1))}\n)", text)


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one named read query; only the parameters the query mentions are bound."""
    measure.prepare(con)
    sql = read_sql(name)
    return con.execute(sql, measure.bound_params(sql, params)).df()
