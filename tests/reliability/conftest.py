"""Fixtures for the reliability tests: a fresh initialised database per test (a copy of one
built per session), table snapshots over every data table, and the bad-input corpus."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders.db import init_database

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
# Every table a load may change (the audit tables load_runs/rejected_rows are checked apart).
DATA_TABLES = ("meta", "districts", "district_aliases", "item_synonyms", "standard_catalog", "calendar",
               "district_catalogs", "district_catalog_rows", "disclosures", "disclosure_sources", "load_changes",
               "disclosures_replaced", "disclosure_sources_replaced", "standard_catalog_replaced")


@pytest.fixture(scope="session")
def reliab_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reliab") / "template.duckdb"
    c = duckdb.connect(str(path))
    init_database(c)
    c.close()
    return path


@pytest.fixture
def rdb(reliab_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db" / "reliab.duckdb"
    path.parent.mkdir()
    shutil.copy(reliab_template, path)
    return path


@pytest.fixture
def rcon(rdb: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(rdb))
    yield c
    c.close()


def snapshot(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
