"""Fixtures for the reliability tests: a fresh initialised database per test, a copy of the
session's (tests/conftest.py `initialised_db`) in a folder of its own. Constants and snapshots are
in tests/reliability/helpers.py."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture
def rdb(initialised_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db" / "reliab.duckdb"
    path.parent.mkdir()
    shutil.copy(initialised_db, path)
    return path


@pytest.fixture
def rcon(rdb: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(rdb))
    yield c
    c.close()
