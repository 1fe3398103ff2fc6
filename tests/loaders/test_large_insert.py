"""A large disclosure source goes in on every DuckDB thread without keeping the rows' order
(`loaders.db.unordered`, issue #17): the same rows as a set, the undo copy and the undo as
before, every setting restored afterwards, and a failed insert still leaves the database as it
was. `LARGE_INSERT_ROWS` is lowered so a small log takes the large path."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders import LoadError, load_disclosures, store
from loaders.db import setting, unordered
from loaders.errors import ProblemKind
from loaders.history import undo
from tests.loaders.helpers import DATA_TABLES, ROOT, snapshot

LOG = ROOT / "data/sample/guancheng/disclosures_2020_2023.csv"
UNIT = "管城回族区"
SETTINGS = "SELECT current_setting('preserve_insertion_order'), current_setting('threads'), " \
           "current_setting('memory_limit')"


def disclosures(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT * FROM disclosures ORDER BY disclosure_id").fetchall()


@pytest.fixture(autouse=True)
def exact_limit(con: duckdb.DuckDBPyConnection) -> None:
    """A memory limit the restore gives back exactly (the default, 80% of RAM, reads back rounded)."""
    con.execute("SET memory_limit = '1GiB'")


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every source counts as large; the `when` of each `unordered` the store enters."""
    seen: list[bool] = []

    def spy(con: duckdb.DuckDBPyConnection, when: bool = True) -> object:
        seen.append(when)
        return unordered(con, when)
    monkeypatch.setattr(store, "LARGE_INSERT_ROWS", 1)
    monkeypatch.setattr(store, "unordered", spy)
    return seen


@pytest.fixture
def other(db_path: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A second copy of the initialised database, loaded the ordinary way."""
    path = tmp_path / "other.duckdb"
    shutil.copy(db_path, path)
    c = duckdb.connect(str(path))
    yield c
    c.close()


def test_unordered_turns_the_order_off_only_inside_and_restores_it(con: duckdb.DuckDBPyConnection) -> None:
    setting = "SELECT current_setting('preserve_insertion_order')"
    with unordered(con):
        assert con.execute(setting).fetchone() == (False,)
    assert con.execute(setting).fetchone() == (True,)
    with unordered(con, when=False):
        assert con.execute(setting).fetchone() == (True,)
    with pytest.raises(RuntimeError), unordered(con):
        raise RuntimeError
    assert con.execute(setting).fetchone() == (True,)
    con.execute("SET preserve_insertion_order = false")  # a caller's own setting is kept
    with unordered(con):
        pass
    assert con.execute(setting).fetchone() == (False,)


def test_a_failed_statement_keeps_its_error_and_the_setting_is_restored(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TEMP TABLE t (n INTEGER)")
    con.execute("BEGIN TRANSACTION")
    with pytest.raises(duckdb.ConversionException), setting(con, "threads", 1), unordered(con):
        con.execute("INSERT INTO t SELECT CAST('x' AS INTEGER)")  # aborts the transaction
    con.execute("ROLLBACK")
    assert con.execute(SETTINGS).fetchone() == (True, 2, "1.0 GiB")


def test_large_source_stores_the_same_rows_and_restores_the_settings(
        con: duckdb.DuckDBPyConnection, other: duckdb.DuckDBPyConnection, large: list[bool]) -> None:
    before = con.execute(SETTINGS).fetchone()
    result = load_disclosures(con, UNIT, LOG)
    assert large == [False, False, True]  # nothing replaced (rows, source); the insert took the large path
    assert con.execute(SETTINGS).fetchone() == before
    expected = load_disclosures(other, UNIT, LOG)
    assert (result.result, result.rows_loaded, result.problems) == \
           (expected.result, expected.rows_loaded, expected.problems)
    assert result.rows_loaded == 159
    assert disclosures(con) == disclosures(other)


def test_large_replaced_source_is_kept_and_undone_as_a_set(
        con: duckdb.DuckDBPyConnection, large: list[bool]) -> None:
    load_disclosures(con, UNIT, LOG)
    first = disclosures(con)
    v2 = b"".join(LOG.read_bytes().splitlines(keepends=True)[:-3])  # the last three rows gone
    replaced = load_disclosures(con, UNIT, v2, filename=LOG.name)
    assert large[3:] == [True, True, True]  # the 159 replaced rows (and their source) copied, the 156 inserted
    assert replaced.rows_loaded == 156
    assert con.execute("SELECT replaced_rows FROM load_changes WHERE run_id = ?",
                       [replaced.run_id]).fetchone() == (159,)
    kept = con.execute("SELECT * EXCLUDE (replaced_by_run) FROM disclosures_replaced WHERE replaced_by_run = ? "
                       "ORDER BY disclosure_id", [replaced.run_id]).fetchall()
    assert kept == first
    assert len(disclosures(con)) == 156
    undo(con, replaced.run_id)
    assert disclosures(con) == first


def test_failed_large_insert_leaves_the_database_and_settings_as_they_were(
        con: duckdb.DuckDBPyConnection, large: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    load_disclosures(con, UNIT, LOG)
    changed = b"".join(LOG.read_bytes().splitlines(keepends=True)[:-3])  # a new version: 159 rows to replace
    tables = (*DATA_TABLES, "disclosures_replaced", "disclosure_sources_replaced", "load_changes")
    before, settings = snapshot(con, tables), con.execute(SETTINGS).fetchone()
    read_sql = store.read_sql

    def failing(name: str) -> str:  # the insert fails on a row, as a constraint the guards missed would
        sql = read_sql(name)
        return sql.replace("CAST(row_no AS VARCHAR)", "CAST(CAST(title AS INTEGER) AS VARCHAR)") \
            if name == "insert_disclosures" else sql
    monkeypatch.setattr(store, "read_sql", failing)
    with pytest.raises(LoadError) as info:
        load_disclosures(con, UNIT, changed, filename=LOG.name)
    [problem] = info.value.problems
    assert problem.kind == ProblemKind.DATABASE_ERROR
    assert "Conversion Error" in problem.message  # DuckDB's own words, not those of a restore that failed
    assert large[3:] == [True, True, True]  # it failed inside the large insert, after the large copy
    assert con.execute(SETTINGS).fetchone() == settings
    assert snapshot(con, tables) == before
