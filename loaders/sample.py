"""Load the bundled sample (`data/sample/`) through the same loaders a real file goes through.

`data/sample/sources.toml` has the format of `data/sources.toml` with paths relative to
itself. Every entry must load (a broken sample is a bug, so LoadError propagates);
afterwards meta is_sample = '1' so every screen can say the data is illustrative.

`build_database(path)` builds a whole sample database atomically: a temporary file marked
build_state='building' until the last entry loaded, then renamed over `path` — a killed build
never leaves a half-built file in its place. It refuses a target holding non-sample data.
`ensure_database` builds the default file when it is missing, and rebuilds it (keeping the
broken file aside) when it is incomplete.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import duckdb

from loaders import clock
from loaders.api import load_entry
from loaders.db import (
    Progress,
    connect_read_only,
    default_db_path,
    get_meta,
    init_database,
    missing_parts,
    set_meta,
    writer_lock,
)
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import LoadResult
from loaders.names import DATA_DIR
from loaders.sources import parse_sources

SAMPLE_SOURCES = DATA_DIR / "sample" / "sources.toml"


def load_sample(con: duckdb.DuckDBPyConnection, progress: Progress | None = None,
                sources_toml: str | Path | None = None) -> list[LoadResult]:
    """Load every entry of the sample registry in file order; returns one result per entry.

    Raises LoadError on the first entry that does not load.
    """
    entries = parse_sources(sources_toml or SAMPLE_SOURCES)
    results: list[LoadResult] = []
    for n, entry in enumerate(entries):
        if progress:
            progress(n / max(len(entries), 1), Path(entry.source).name)
        results.append(load_entry(con, entry, evidence=entry.source))  # the bundled file is its own evidence
    set_meta(con, "is_sample", "1")
    if progress:
        progress(1.0, "")
    return results


def real_data(con: duckdb.DuckDBPyConnection) -> int:
    """How many catalogs and disclosures a database holds that are not the bundled sample."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not {"meta", "district_catalogs", "disclosures"} <= tables:
        return 0
    if get_meta(con, "is_sample") == "1":
        return 0
    return int(con.execute("SELECT (SELECT count(*) FROM district_catalogs) + (SELECT count(*) FROM disclosures)"
                           ).fetchall()[0][0])


def _real_data_of(path: Path) -> int:
    con = connect_read_only(path)
    try:
        return real_data(con)
    finally:
        con.close()


def build_database(path: str | Path, progress: Progress | None = None) -> Path:
    """Create (or rebuild) `path` with the schema, reference data and the bundled sample, via the
    loaders, in a temporary file renamed into place. Raises LoadError(sample_over_real) when
    `path` holds non-sample data."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(path):
        count = 0 if not path.exists() or is_broken(path) else _real_data_of(path)
        if count:
            raise LoadError([LoadProblem(ProblemKind.SAMPLE_OVER_REAL, path.name, detail=str(count))])
        tmp = path.with_name(f"{path.name}.building-{uuid.uuid4().hex[:12]}")
        try:
            con = duckdb.connect(str(tmp))
            try:
                init_database(con)
                set_meta(con, "build_state", "building")
                load_sample(con, progress=progress)
                set_meta(con, "build_state", "complete")
                set_meta(con, "built_at", clock.now().isoformat(timespec="seconds"))
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, path)  # a half-built file never takes the target's place
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return path


def is_broken(path: Path) -> bool:
    """True when the file at `path` cannot be opened or misses schema/reference data or was
    left mid-build (`loaders.db.missing_parts`). Raises LoadError(db_locked) when another
    process holds it for writing (busy is not broken)."""
    try:
        con = connect_read_only(path)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():  # held by another process: not broken, just busy
            raise LoadError([LoadProblem(ProblemKind.DB_LOCKED, path.name, detail=str(exc).splitlines()[0][:120])]
                            ) from None
        return True
    except duckdb.Error:
        return True
    try:
        return bool(missing_parts(con))
    finally:
        con.close()


def ensure_database(path: str | Path | None = None, progress: Progress | None = None) -> Path:
    """The database path, building it from the bundled sample first when it does not exist, or
    when it is incomplete (the broken file is kept beside it as `<name>.broken-<time>`)."""
    path = Path(path or default_db_path())
    if path.exists() and is_broken(path):
        stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
        path.replace(path.with_name(f"{path.name}.broken-{stamp}"))
    if not path.exists():
        build_database(path, progress=progress)
    return path
