"""Fixtures for the reliability tests: a fresh initialised database per test (a copy of one
built per session). Constants and snapshots are in tests/reliability/helpers.py."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders.db import init_database


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
