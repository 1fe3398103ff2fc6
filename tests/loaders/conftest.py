"""Fixtures for the loader tests: an open connection to a copy of the session's initialised
database (tests/conftest.py `initialised_db`). Table snapshots and the reference rows the fixture
files were generated from are in tests/loaders/helpers.py."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def db_path(initialised_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "loaders.duckdb"
    shutil.copy(initialised_db, path)
    return path


@pytest.fixture
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(db_path))
    yield c
    c.close()
