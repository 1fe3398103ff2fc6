"""Scoring fixtures: a connection to a fresh real DuckDB file (tests/conftest.py `fresh_db`).
The row-inserting helpers and the `apply_fix` oracle are in tests/scoring/helpers.py."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture


def con(fresh_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(fresh_db))
    yield c
    c.close()
