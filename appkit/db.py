"""The dashboard's database: built from the sample on first use, read through read-only
connections, written only through `loaders.db.writing` (copy, write, rename).

`database()` resolves the path (env `COMPLIANCE_DB`, else `data/compliance.duckdb`), builds it
through `loaders.sample.ensure_database` with a progress bar when it is missing or incomplete
(an interrupted build, no schema or reference data: rebuilt from the sample instead of a
traceback), re-runs a changed `data/schema.sql` on it, and returns a `Db` handle: the path plus
a data version that changes with every load, which the cached queries in `appkit.cache` take
as part of their key. Each call works on its own `.cursor()` of one cached connection per
*file version*, because Streamlit serves sessions from several threads.

One writer at a time, readers never block it: the app holds only read-only connections, so a
CLI load (`python -m loaders …`) runs while the dashboard serves; it writes a copy and renames
it over the file. The next request sees a new file identity (inode, mtime), opens a connection
to the new file and so shows the new data without a manual reload; requests already running
finish on the old file. Page writes use `write(db)` the same way, then clear the caches.
"""
from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from loaders import db as loaders_db
from loaders import sample as loaders_sample
from loaders.errors import LoadError
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


def file_stamp(path: str) -> str:
    """The identity of the file now at `path`: changes whenever a write renames a new file in."""
    info = os.stat(path)
    return f"{info.st_ino}:{info.st_mtime_ns}:{info.st_size}"


# DuckDB's memory for the dashboard's connection (env COMPLIANCE_DB_MEMORY, DuckDB units). Its
# default (80 % of RAM) kept ~1.4 GB of buffers in the server after one national evaluation, for
# a process peak of 2.0 GB; capped at 1 GB the national peak is ~1.4 GB and the evaluation still
# runs (DuckDB evicts and, when an operator must, spills to the system temp directory).
DB_MEMORY = os.environ.get("COMPLIANCE_DB_MEMORY", "1GB")


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(path: str, stamp: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one version of the file (`stamp`); older versions' connections
    are dropped from the cache and closed when the last request using them ends."""
    con = loaders_db.connect_read_only(path)
    con.execute("SET memory_limit = $limit", {"limit": DB_MEMORY})
    con.execute("SET temp_directory = $dir", {"dir": str(Path(tempfile.gettempdir()) / "compliance-duckdb")})
    return con


def cursor(path: str, stamp: str | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the current file version's connection (safe to use from this thread)."""
    cur = _connection(path, stamp or file_stamp(path)).cursor()
    cur.execute("USE db")
    return cur


@st.cache_resource(show_spinner=False, max_entries=8)
def _data_version(path: str, stamp: str) -> str:
    """The data version of one file version: every write renames a new file in (new stamp), and
    no process can write the file in place while the app holds it open, so it is read once per
    file version instead of by a query on every run."""
    return views.data_version(cursor(path, stamp))


@st.cache_resource(show_spinner=False, max_entries=8)
def _file_state(path: str, stamp: str) -> str:
    """'ok', 'broken' (missing schema/reference data, interrupted build) or 'old_schema', checked
    once per file version, not on every request."""
    if loaders_sample.is_broken(Path(path)):
        return "broken"
    con = loaders_db.connect_read_only(path)
    try:
        return "ok" if views.meta(con, "schema_hash") == loaders_db.schema_hash() else "old_schema"
    finally:
        con.close()


def _ensure(path: Path) -> None:
    """Build the sample database when the file is missing or incomplete (the broken file is kept
    aside by `loaders.sample.ensure_database`); re-run a changed schema on an existing one."""
    key = str(path)
    state = _file_state(key, file_stamp(key)) if path.exists() else "missing"
    if state == "ok":
        return
    with _build_lock():
        state = _file_state(key, file_stamp(key)) if path.exists() else "missing"
        if state == "old_schema":
            with loaders_db.writing(path) as con:  # other lanes added tables: the idempotent schema again
                loaders_db.upgrade_schema(con)
            return
        if state == "ok":  # another session built it while we waited
            return
        bar = st.progress(0.0, text=SIDEBAR["building"])

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=f"{SIDEBAR['building']} {message}")

        loaders_sample.ensure_database(path, progress=progress)
        bar.empty()


def _current(key: str) -> Db:
    stamp = file_stamp(key)
    return Db(key, f"{_data_version(key, stamp)}:{stamp}")


def ready() -> Db | None:
    """The app's database as `database()` returns it when the file is there and needs neither a
    build nor a schema upgrade, else None: for the server-start warm-up (`appkit.warmup`), which
    never builds, writes or shows anything (the first page does that, with its progress bar)."""
    path = loaders_db.default_db_path().resolve()
    key = str(path)
    try:
        if not path.exists() or _file_state(key, file_stamp(key)) != "ok":
            return None
        return _current(key)
    except (LoadError, duckdb.Error, OSError):
        return None


def database() -> Db:
    """The app's database (built from the sample first if missing or incomplete) and its current
    data version. When a writer keeps the file longer than the wait, the page says so and stops."""
    path = loaders_db.default_db_path().resolve()
    key = str(path)
    try:
        _ensure(path)
        return _current(key)
    except (LoadError, duckdb.IOException) as error:
        st.error(SIDEBAR["db_locked"].format(path=key))
        if isinstance(error, LoadError):
            st.caption(str(error))  # Chinese; a raw duckdb message is not shown to users
        st.stop()
        raise  # unreachable: st.stop() ends the run


@contextmanager
def write(db: Db) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one write from a page (`loaders.db.writing`); clears the caches after."""
    try:
        with loaders_db.writing(db.path) as con:
            yield con
    finally:
        after_write()


def after_write() -> None:
    """Forget every cached query result after an upload or pull changed the data."""
    st.cache_data.clear()
    from appkit import cache  # imports this module; the shared results live there
    cache.clear()
