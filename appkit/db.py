"""The dashboard's database: built from the sample on first use, one cached connection per file.

`database()` resolves the path (env `COMPLIANCE_DB`, else `data/compliance.duckdb`), builds it
through `loaders.sample.ensure_database` with a progress bar when it does not exist yet, and returns
a `Db` handle: the path plus a data version that changes with every load, which the cached
queries in `appkit.cache` take as part of their key. Each call works on its own `.cursor()` of
the one connection, because Streamlit serves sessions from several threads.

The connection is read-write: the data-management page loads through it (DuckDB allows one
writing process per file, so the CLI loaders cannot write while the app is running; load
through the 数据管理 page then). After every write call `after_write()`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from loaders import db as loaders_db
from loaders import sample as loaders_sample
from queries import views
from ui_text.pages import SIDEBAR


@dataclass(frozen=True)
class Db:
    """A database file and the version of its data (part of every cache key)."""
    path: str
    version: str

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return cursor(self.path)


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=8)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path)


def cursor(path: str) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the cached connection of `path` (safe to use from this thread)."""
    return _connection(path).cursor()


def _ensure(path: Path) -> None:
    if path.exists():
        return
    with _build_lock():
        if path.exists():  # another session built it while we waited
            return
        bar = st.progress(0.0, text=SIDEBAR["building"])

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{SIDEBAR['building']} {message}")

        loaders_sample.ensure_database(path, progress=progress)
        bar.empty()


def database() -> Db:
    """The app's database (built from the sample first if missing) and its current data version.

    When another process holds the file (DuckDB allows one writer), the page says so and stops.
    """
    path = loaders_db.default_db_path().resolve()
    _ensure(path)
    key = str(path)
    try:
        return Db(key, views.data_version(cursor(key)))
    except duckdb.IOException as error:
        st.error(SIDEBAR["db_locked"].format(path=key))
        st.caption(str(error))
        st.stop()


def after_write() -> None:
    """Forget every cached query result after an upload or pull changed the data."""
    st.cache_data.clear()
    from appkit import cache  # imports this module; the shared results live there
    cache.clear()
