"""Opening and building the DuckDB file: schema, reference data, and the sample on first use.

`init_database` runs `data/schema.sql` and (re)writes districts, synonyms and the calendar;
it writes the bundled standard catalog only when none is loaded, so an officially issued
table loaded with `loaders standard` survives a later `init`. `writing(path)` is the one way
to write a file others may be reading (copy, write, rename; see its docstring);
`check_database` refuses an incomplete file, `upgrade_schema` re-runs a changed schema (both take
`table_names(con)` when the caller asked it once).
Building the sample database lives next to the sample (`loaders.sample.build_database`).
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import shutil
import struct
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from loaders import clock, reference
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.names import DATA_DIR
from ui_text import reliability as rtext

if TYPE_CHECKING:  # pandas is imported by the functions that build frames (issue #17: start-up)
    import pandas as pd

SCHEMA_SQL = DATA_DIR / "schema.sql"
SQL_DIR = Path(__file__).resolve().parent / "sql"
DEFAULT_DB = DATA_DIR / "compliance.duckdb"

Progress = Callable[[float, str], None]
WRITE_WAIT_S = 30.0  # how long a write waits for another writer before refusing with db_locked
# A large insert (this many rows or more) into a table whose physical row order no reader depends
# on (`disclosures` and its undo copy, audited in issue #17) runs on every thread without keeping
# the order (`unordered`): a 1M-row log's INSERT 1.1 -> 0.6 s wall on 2 cores in the same CPU time.
# One that keeps the order (`insert_frame`) runs on one thread: DuckDB's parallel insert with
# preserve_insertion_order did about twice the work (1M-row log: 3.5 vs 1.7 CPU s, and no
# faster in wall time on 2 cores; keeping a replaced 1M-row source: 1.55 vs 1.3 CPU s).
LARGE_INSERT_ROWS = 100_000


def read_sql(name: str) -> str:
    """The text of `loaders/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def refresh_matches(con: duckdb.DuckDBPyConnection, catalog_id: str | None = None,
                    source_key: str | None = None) -> None:
    """Match district catalog rows and disclosures to the loaded city catalog.

    With `catalog_id` only that catalog's rows are matched, with `source_key` only that source's
    disclosures; with neither, every row (run after the city catalog is replaced). Both use the
    one matching rule, the macro of `loaders/sql/match_item.sql`; a disclosure left unmatched
    whose item is a bare first-level name is then keyed under it (`match_level1_only.sql`).
    A disclosure with item_id NULL after this is 未归类 — the one place that is decided.
    """
    con.execute(read_sql("match_item"))
    if source_key is None:
        con.execute(read_sql("match_catalog_rows"), {"catalog_id": catalog_id})
    if catalog_id is None:
        con.execute(read_sql("match_disclosures"), {"source_key": source_key})
        con.execute(read_sql("match_level1_only"), {"source_key": source_key})


def schema_hash() -> str:
    """sha256 of `data/schema.sql` (recorded in meta; a changed schema is re-run on open)."""
    return hashlib.sha256(SCHEMA_SQL.read_bytes()).hexdigest()


def default_db_path() -> Path:
    """`COMPLIANCE_DB` if set, else `data/compliance.duckdb`."""
    env = os.environ.get("COMPLIANCE_DB")
    return Path(env) if env else DEFAULT_DB


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path or default_db_path()), read_only=read_only)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The loaders' one transaction helper: BEGIN, COMMIT on success, ROLLBACK on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def scannable(frame: pd.DataFrame) -> pd.DataFrame | pa.Table:
    """`frame` as DuckDB reads it fastest: an Arrow table (scanned natively; a pandas string
    column it walks value by value), or the frame itself where Arrow cannot take a column's
    mixed values."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
                 computed: dict[str, str] | None = None, params: list[object] | None = None) -> None:
    """The loaders' one insert helper: every column of `frame` into the same-named columns of
    `table`, with one INSERT … SELECT (no Python loop over rows). `computed` adds columns as SQL
    expressions over the frame's columns with `?` bound from `params` (a constant or a key built
    per row in DuckDB, instead of a million equal strings built in pandas)."""
    name = f"_incoming_{table}"
    with registered(con, name, scannable(frame)):
        extra = computed or {}
        cols = ", ".join([*frame.columns, *extra])
        values = ", ".join([*frame.columns, *extra.values()])
        with one_thread(con, len(frame) >= LARGE_INSERT_ROWS):
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {values} FROM {name}", params or [])


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, data: object) -> Iterator[None]:
    """`data` (an Arrow table or a frame) readable by SQL as `name` while the body runs. After a
    failed statement `con`'s transaction is aborted and unregistering fails too: the view is then
    left to the ROLLBACK (which drops it), so the body's own error is the one raised."""
    con.register(name, data)
    try:
        yield
    except BaseException:
        with suppress(duckdb.TransactionException):
            con.unregister(name)
        raise
    con.unregister(name)


def release_memory() -> None:
    """Hand memory freed by earlier steps back to the system before a step that needs much of its
    own (a large insert): Arrow's allocator and the C library's malloc both keep freed pages for
    reuse, which a 1M-row log's parse and guards leave at ~60 MB (issue #17: a load's peak is
    the insert on top of what they kept). A few milliseconds; nothing else changes."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    import ctypes

    return getattr(ctypes.CDLL(None), "malloc_trim", None)


@contextmanager
def setting(con: duckdb.DuckDBPyConnection, name: str, value: object, when: bool = True) -> Iterator[None]:
    """Run the body with DuckDB's GLOBAL setting `name` (threads, memory_limit,
    preserve_insertion_order) at `value`, then restore the previous value. The restore goes
    through a cursor (the settings are the instance's, a cursor sets them as well): a body whose
    statement failed has left `con`'s transaction aborted, where a SET on `con` fails too, would
    hide the body's own error and leave the setting changed."""
    if not when:
        yield
        return
    before = con.execute("SELECT current_setting($name)", {"name": name}).fetchall()[0][0]
    con.execute(f"SET {name} = $value", {"value": value})
    try:
        yield
    finally:
        cursor = con.cursor()
        try:
            cursor.execute(f"SET {name} = $value", {"value": before})
        finally:
            cursor.close()


def one_thread(con: duckdb.DuckDBPyConnection, when: bool = True) -> AbstractContextManager[None]:
    """Run the body on one DuckDB thread (see LARGE_INSERT_ROWS), then restore the thread count."""
    return setting(con, "threads", 1, when)


def unordered(con: duckdb.DuckDBPyConnection, when: bool = True) -> AbstractContextManager[None]:
    """Run the body with DuckDB's preserve_insertion_order off (see LARGE_INSERT_ROWS), then
    restore it: its INSERTs then run on every thread, each writing its own row groups, and the
    rows land in any order. Only for tables read with an explicit ORDER BY or by set
    (`disclosures`, `disclosures_replaced`)."""
    return setting(con, "preserve_insertion_order", False, when)


def _replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")
    insert_frame(con, table, frame)


def init_database(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and write reference data, in one transaction. Safe to run twice."""
    import pandas as pd

    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    with transaction(con):
        units = reference.districts()
        _replace_table(con, "districts", pd.DataFrame(
            [(d.code, d.name, d.kind, d.code_note, d.sort_order) for d in units],
            columns=["code", "name", "kind", "code_note", "sort_order"]))
        aliases = [(d.name, d.code) for d in units] + [(a, d.code) for d in units for a in d.aliases]
        _replace_table(con, "district_aliases", pd.DataFrame(aliases, columns=["alias", "code"]))
        _replace_table(con, "item_synonyms",
                       pd.DataFrame(reference.synonym_rows(), columns=["short_form", "long_form"]))
        _replace_table(con, "calendar", pd.DataFrame(
            reference.calendar_rows(), columns=["day", "is_workday", "workday_no", "holiday_name", "source"]))
        if con.execute("SELECT count(*) FROM standard_catalog").fetchall()[0][0] == 0:
            _replace_table(con, "standard_catalog", pd.DataFrame(reference.standard_rows()))
            set_meta(con, "standard_source", "reconstruction")
        refresh_matches(con)
        set_meta(con, "schema_initialised_at", clock.now().isoformat(timespec="seconds"))
        set_meta(con, "schema_hash", schema_hash())


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file at `path` *now*.

    A fresh in-memory instance ATTACHes it (duckdb.connect would hand back a cached instance of
    a file since swapped out by `writing`), through `/proc/self/fd/N` of a descriptor held open
    as long as the connection lives: DuckDB refuses to attach one path twice in a process, and
    a new version of the file, or a second session's check, must not wait for the old one.
    """
    fd = os.open(Path(path).resolve(), os.O_RDONLY)
    try:
        con = duckdb.connect(":memory:")
        con.execute(f"ATTACH '/proc/self/fd/{fd}' AS db (READ_ONLY)")
        con.execute("USE db")
    except BaseException:
        os.close(fd)
        raise
    weakref.finalize(con, os.close, fd)
    return con


def _locked(path: Path, detail: str) -> LoadError:
    return LoadError([LoadProblem(ProblemKind.DB_LOCKED, path.name, detail=detail)])


def _retry(opener: Callable[[], duckdb.DuckDBPyConnection], path: Path, deadline: float
           ) -> duckdb.DuckDBPyConnection:
    while True:
        try:
            return opener()
        except duckdb.IOException as exc:
            if time.monotonic() >= deadline:
                raise _locked(path, str(exc).splitlines()[0][:120]) from None
            time.sleep(0.2)


@contextmanager
def writer_lock(path: str | Path, wait_s: float = WRITE_WAIT_S) -> Iterator[float]:
    """Take the writers' turn on `<file>.lock` (flock), waiting up to `wait_s`; yields the
    deadline. Raises LoadError(db_locked) when another writer keeps it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    with open(path.with_name(path.name + ".lock"), "a+") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _locked(path, "lock") from None
                time.sleep(0.2)
        try:
            yield deadline
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# struct flock for fcntl: l_type, l_whence, l_start, l_len, l_pid (0 for an open-file-description lock)
_SHARED_WHOLE_FILE = struct.pack("hhqqixxxx", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)


def _hold_shared(path: Path, deadline: float) -> int:
    """A descriptor of `path` holding a shared lock on the whole file. DuckDB locks its files
    with POSIX record locks (fcntl F_SETLK: shared for read-only, exclusive for read-write), and
    this lock conflicts with its exclusive one, so an in-place read-write open is refused until
    the descriptor is closed. It is an open-file-description lock (F_OFD_SETLK): a POSIX lock of
    the process, as a read-only attachment holds, is dropped when the process closes *any*
    descriptor of the file (copying it does), this one only with its own descriptor. No DuckDB
    instance (about 25 ms CPU each) is started only to hold it. Retries while an in-place writer
    holds the file; at `deadline` the refusal carries DuckDB's own words, as an attachment's did.
    A read-write connection of this very process is no obstacle (DuckDB lets its own process
    attach the file too): the descriptor is then returned without the lock."""
    while True:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _SHARED_WHOLE_FILE)
            return fd
        except OSError:
            held = struct.unpack("hhqqixxxx", fcntl.fcntl(fd, fcntl.F_OFD_GETLK, _SHARED_WHOLE_FILE))
            if held[0] != fcntl.F_UNLCK and held[4] == os.getpid():
                return fd
            os.close(fd)
        if time.monotonic() >= deadline:
            _retry(lambda: connect_read_only(path), path, deadline).close()  # raises db_locked, or the lock is gone
            continue
        time.sleep(0.2)


@contextmanager
def writing(path: str | Path, wait_s: float = WRITE_WAIT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one way to write a database file while readers (the dashboard) have it open.

    Writers take turns on `<file>.lock` (flock); the current file is copied to a new temporary
    file, the body writes the copy, and the copy is renamed over the file. Readers keep reading
    the file they opened and see the new one when they reconnect (`appkit.db` does on the next
    request). While copying and until the rename, a shared lock on the old file (`_hold_shared`:
    the one a read-only attachment holds) keeps any in-place writer out. A body that raises LoadError (a refused load: only its audit rows
    were written) is still swapped in; any other exception discards the copy, leaving the file
    exactly as it was. Waits up to `wait_s` for the lock, then raises LoadError(db_locked).
    """
    path = Path(path)
    with writer_lock(path, wait_s) as deadline:
        tmp = path.with_name(f"{path.name}.writing-{uuid.uuid4().hex[:12]}")
        guard: int | None = None
        try:
            if path.exists():
                if path.with_name(path.name + ".wal").exists():  # an in-place writer left a log: apply it
                    _retry(lambda: duckdb.connect(str(path)), path, deadline).close()
                guard = _hold_shared(path, deadline)
                shutil.copyfile(path, tmp)
            try:
                con = duckdb.connect(str(tmp))
            except duckdb.Error:
                if guard is None:
                    raise
                # Not a database DuckDB can open (damaged, another version): refused exactly as a
                # read-only attachment of the file itself refuses it.
                os.close(guard)
                guard = None
                _retry(lambda: connect_read_only(path), path, deadline).close()
                raise
            con.execute("SET enable_progress_bar = false")  # no bar on the CLI's terminal
            swap = True
            try:
                yield con
            except LoadError:
                raise
            except BaseException:
                swap = False
                raise
            finally:
                if swap:
                    con.execute("CHECKPOINT")
                con.close()
                if swap:
                    os.replace(tmp, path)
        finally:
            if guard is not None:
                os.close(guard)
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def table_names(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(schema, name) of every table and view the connection sees (`information_schema.tables`):
    asked once by a write command and handed to `upgrade_schema` and `missing_parts`."""
    return {(schema, name) for schema, name in
            con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()}


def missing_parts(con: duckdb.DuckDBPyConnection, tables: set[tuple[str, str]] | None = None) -> list[str]:
    """What makes the database unusable: [] when it is complete, else keys of ui_text.reliability.DB_STATE.
    `tables` is `table_names(con)` when the caller has it."""
    names = {name for schema, name in (table_names(con) if tables is None else tables) if schema == "main"}
    if not {"meta", "districts", "standard_catalog", "calendar"} <= names:
        return ["no_schema"]
    state, *counts = con.execute(
        "SELECT (SELECT value FROM meta WHERE key = 'build_state' LIMIT 1), (SELECT count(*) FROM districts), "
        "(SELECT count(*) FROM standard_catalog), (SELECT count(*) FROM calendar)").fetchall()[0]
    problems = ["building"] if state == "building" else []
    problems += [f"empty_{table}" for table, n in zip(("districts", "standard_catalog", "calendar"), counts) if n == 0]
    return problems


def check_database(con: duckdb.DuckDBPyConnection, name: str, tables: set[tuple[str, str]] | None = None) -> None:
    """Raise LoadError(db_incomplete) naming what is missing when the database is unusable."""
    missing = missing_parts(con, tables)
    if missing:
        detail = rtext.DB_STATE_SEP.join(rtext.DB_STATE[m] for m in missing)
        raise LoadError([LoadProblem(ProblemKind.DB_INCOMPLETE, name, detail=detail)])


def upgrade_schema(con: duckdb.DuckDBPyConnection, tables: set[tuple[str, str]] | None = None) -> bool:
    """Re-run the idempotent schema when `data/schema.sql` changed since this file was built
    (other lanes add tables); True when it ran. `tables` is `table_names(con)` when the caller has it."""
    names = {name for _, name in (table_names(con) if tables is None else tables)}
    if "meta" in names and get_meta(con, "schema_hash") == schema_hash():
        return False
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    set_meta(con, "schema_hash", schema_hash())
    return True
