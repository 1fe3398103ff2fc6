"""Fixtures for the loader tests: an open connection to a fresh database. Table snapshots and
the reference rows the fixture files were generated from are in tests/loaders/helpers.py."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders.db import init_database


@pytest.fixture(scope="session")


def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised database per session; tests get a copy (init builds the calendar, ~0.5 s)."""
    path = tmp_path_factory.mktemp("loaders") / "template.duckdb"
    c = duckdb.connect(str(path))
    init_database(c)
    c.close()
    return path


@pytest.fixture


def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "loaders.duckdb"
    shutil.copy(template_db, path)
    return path


@pytest.fixture


def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(db_path))
    yield c
    c.close()
