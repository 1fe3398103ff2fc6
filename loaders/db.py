"""Opening and building the DuckDB file: schema, reference data, and the sample on first use.

`init_database` runs `data/schema.sql` and (re)writes districts, synonyms and the calendar;
it writes the bundled standard catalog only when none is loaded, so an officially issued
table loaded with `loaders standard` survives a later `init`. `ensure_database` builds the
default file from `data/sample/` through the real loaders when it does not exist yet.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from loaders import reference
from loaders.names import DATA_DIR

SCHEMA_SQL = DATA_DIR / "schema.sql"
SQL_DIR = Path(__file__).resolve().parent / "sql"
DEFAULT_DB = DATA_DIR / "compliance.duckdb"

Progress = Callable[[float, str], None]


def read_sql(name: str) -> str:
    """The text of `loaders/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def refresh_matches(con: duckdb.DuckDBPyConnection, catalog_id: str | None = None,
                    source_key: str | None = None) -> None:
    """Match district catalog rows and disclosures to the loaded city catalog.

    With `catalog_id` only that catalog's rows are matched, with `source_key` only that source's
    disclosures; with neither, every row (run after the city catalog is replaced).
    """
    if source_key is None:
        con.execute(read_sql("match_catalog_rows"), {"catalog_id": catalog_id})
    if catalog_id is None:
        con.execute(read_sql("match_disclosures"), {"source_key": source_key})


def default_db_path() -> Path:
    """`COMPLIANCE_DB` if set, else `data/compliance.duckdb`."""
    env = os.environ.get("COMPLIANCE_DB")
    return Path(env) if env else DEFAULT_DB


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path or default_db_path()), read_only=read_only)


def _replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")
    con.register("_frame", frame)
    cols = ", ".join(frame.columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _frame")
    con.unregister("_frame")


def init_database(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and write reference data, in one transaction. Safe to run twice."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute("BEGIN TRANSACTION")
    try:
        units = reference.districts()
        _replace_table(con, "districts", pd.DataFrame(
            [(d.code, d.name, d.kind, d.code_note, d.sort_order) for d in units],
            columns=["code", "name", "kind", "code_note", "sort_order"]))
        aliases = [(d.name, d.code) for d in units] + [(a, d.code) for d in units for a in d.aliases]
        _replace_table(con, "district_aliases", pd.DataFrame(aliases, columns=["alias", "code"]))
        _replace_table(con, "item_synonyms",
                       pd.DataFrame(reference.synonym_rows(), columns=["short_form", "long_form"]))
        _replace_table(con, "calendar", pd.DataFrame(
            reference.calendar_rows(), columns=["day", "is_workday", "workday_no", "holiday_name", "source"]))
        if con.execute("SELECT count(*) FROM standard_catalog").fetchone()[0] == 0:
            _replace_table(con, "standard_catalog", pd.DataFrame(reference.standard_rows()))
            set_meta(con, "standard_source", "reconstruction")
        refresh_matches(con)
        set_meta(con, "schema_initialised_at", dt.datetime.now().isoformat(timespec="seconds"))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def build_database(path: str | Path, progress: Progress | None = None) -> Path:
    """Create `path` with the schema, reference data and the bundled sample, via the loaders."""
    from loaders.sample import load_sample  # the sample goes through the real loaders

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        init_database(con)
        load_sample(con, progress=progress)
    finally:
        con.close()
    tmp.replace(path)  # a half-built file never takes the default's place
    return path


def ensure_database(path: str | Path | None = None, progress: Progress | None = None) -> Path:
    """The database path, building it from the bundled sample first when it does not exist."""
    path = Path(path or default_db_path())
    if not path.exists():
        build_database(path, progress=progress)
    return path
