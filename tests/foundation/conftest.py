"""Fixtures of the foundation tests: a read-only connection to the session's sample database."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="module")
def sample_con(sample_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()
