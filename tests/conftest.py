"""Shared fixtures: real DuckDB files built by the product's own code.

`fresh_db` is an initialised database (schema + reference data, no district data) in tmp_path.
`sample_db` is the bundled sample built once per session through the real loaders; tests
that write must copy it first (`sample_db_copy`).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders import db as loaders_db  # noqa: E402
from loaders.sample import build_database  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def no_account_file(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in 演示模式 (a missing account file) whatever data/users.toml holds on this
    machine; tests of sign-in point COMPLIANCE_USERS at a real file of their own."""
    monkeypatch.setenv("COMPLIANCE_USERS", str(tmp_path_factory.getbasetemp() / "no-users.toml"))


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def initialised_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised database per session, never written to: the loader and reliability tests
    each get a copy (init builds the calendar, ~0.5 s)."""
    path = tmp_path_factory.mktemp("initialised") / "template.duckdb"
    con = duckdb.connect(str(path))
    loaders_db.init_database(con)
    con.close()
    return path


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.duckdb"
    con = duckdb.connect(str(path))
    loaders_db.init_database(con)
    con.close()
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    build_database(path)
    return path


@pytest.fixture
def sample_db_copy(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sample_copy.duckdb"
    shutil.copy(sample_db, path)
    return path
