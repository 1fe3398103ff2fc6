"""Run a `queries/sql/<name>.sql` read query with bound parameters.

A query may use a scoring relation as `{{name}}` (e.g. `{{effective_catalogs}}`): it is spliced
in from `scoring/sql/<name>.sql` by `scoring.measure.read_sql`, so the rule it holds stays in one
place. Values are always bound as `$name` parameters.
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
    sql = read_sql(name)
    return con.execute(sql, measure.bound_params(sql, params)).df()
