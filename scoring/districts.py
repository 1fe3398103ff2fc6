"""The supervised units as the database holds them (tables `districts`, `district_aliases`): the one
unit lookup of scoring and of everything above it (queries, reports, appkit, pages).

`units` lists them in the bureau's order, `name_of` gives one unit's name, `resolve_district` turns a
name, alias or code into the code (UnknownDistrictError otherwise). Throughout the code a
`district` is a unit code and a unit's display name is its `name` (the §6 JSON key "district",
the name, is the one exception: it is the contract). Before a database exists (a file being loaded,
an account being bound) the loaders' `loaders.names.district_code` reads the same units from
`data/districts.csv`. Reads only.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from ui_text import scoring as text

SQL_DIR = Path(__file__).resolve().parent / "sql"


class UnknownDistrictError(ValueError):
    """A district name, alias or code that names none of the supervised units."""

    def __init__(self, value: str, names: list[str]) -> None:
        self.value, self.names = value, names
        many = len(names) > 20  # a national database lists thousands of units
        template = text.CLI_ERRORS["unknown_district_many" if many else "unknown_district"]
        super().__init__(template.format(value=value, count=len(names),
                                         names=text.NAME_SEPARATOR.join(names[:5] if many else names)))


def units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """code, name, kind, sort_order of every supervised unit, in the bureau's order."""
    return con.execute((SQL_DIR / "units.sql").read_text(encoding="utf-8")).df()


def name_of(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """The name of the unit with `code` (the code itself when no unit has it)."""
    row = con.execute("SELECT name FROM districts WHERE code = ?", [code]).fetchone()
    return str(row[0]) if row else code


def resolve_district(con: duckdb.DuckDBPyConnection, value: str) -> str:
    """The code of a unit given its name, alias or code. Raises UnknownDistrictError."""
    wanted = (value or "").strip()
    row = con.execute("SELECT code FROM districts WHERE code = $v OR name = $v "
                      "UNION SELECT code FROM district_aliases WHERE alias = $v", {"v": wanted}).fetchone()
    if row is None:
        raise UnknownDistrictError(value, list(units(con)["name"]))
    return str(row[0])
