"""Fixtures of the manual tests: a fresh real DuckDB file (tests/conftest.py `fresh_db`) where
金水区 has a full catalog issued on time with a 文号 and a disclosure for every city item, so its
measured components are all 1 (or null) and its weighted score is exactly 100 before findings.
Findings are recorded through the real CLI (`tests.manual.helpers.record`: test files import the
helpers from there, never this file).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.scoring.helpers import JINSHUI, add_full_catalog, cover_every_item


@pytest.fixture
def full_db(fresh_db: Path) -> Path:
    con = duckdb.connect(str(fresh_db))
    add_full_catalog(con, JINSHUI, dt.date(2020, 9, 20), document_no="金房保〔2020〕15号")
    cover_every_item(con, JINSHUI, dt.date(2020, 10, 1))
    con.close()
    return fresh_db


@pytest.fixture
def con_of() -> Iterator:
    opened: list[duckdb.DuckDBPyConnection] = []

    def open_(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        c = duckdb.connect(str(path), read_only=read_only)
        opened.append(c)
        return c

    yield open_
    for c in opened:
        c.close()
