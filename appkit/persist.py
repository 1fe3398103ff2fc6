"""A persistent store of the small frames the first screen shows, beside the database (issue #17).

The overview's first render needs the ranking frame (one row per unit), not the whole evaluation.
Computing it means evaluating every unit (seconds at national scale), and the in-process caches
(`appkit.cache`) start empty in every new process: a restart, a second replica, the first visitor
after a deploy. So the frame is also kept as a Parquet file in `<database>.cache/`, written by
whichever process computes it first and read back by every later one in milliseconds.

A wrong figure is worse than a slow one, so the key names everything the frame depends on:
- the database file's version: its data version (last load run, schema build), its identity
  (inode, mtime, size: every write renames a new file in) and a hash of its first 16 KiB (DuckDB's
  file and database headers, whose checkpoint counter moves with every written version);
- the rules (`Rules.version` includes the sha256 of rules.toml);
- the as-of date and the window start;
- the code that turns data into the frame (a hash of scoring/, ui_text/ and appkit/tables.py), so
  a deploy that changes a rule or a wording never reads a frame of the old code.
The key is stored inside the file as well and compared on read (a hash collision or a renamed file
reads as a miss). Any write to the database gives a new file version and so a new key: nothing is
ever invalidated, old files are simply never asked for again (the oldest are pruned).

Files are written atomically (a temporary file in the same folder, then `os.replace`), so a
reader sees a whole file or none. Parquet is read with pyarrow (no pickle: the folder is plain
data). A folder that cannot be written (read-only mount) or a broken file is a miss, never an
error. `COMPLIANCE_VIEW_CACHE=off` turns the store off; a path there moves it elsewhere.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMAT = "1"            # bump when the layout of a stored frame changes
KEEP = 24               # files kept per folder (the newest); older keys are never asked for again
HEADER_BYTES = 16384    # DuckDB: 4 KiB file header + two 4 KiB database headers (+ slack)
_META_KEY = b"compliance_key"
ROOT = Path(__file__).resolve().parent.parent
_log = logging.getLogger(__name__)


def folder(db_path: str) -> Path | None:
    """Where the frames of the database at `db_path` are kept (None: the store is off)."""
    setting = os.environ.get("COMPLIANCE_VIEW_CACHE", "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting) / hashlib.sha256(db_path.encode()).hexdigest()[:16]
    path = Path(db_path)
    return path.with_name(path.name + ".cache")


@lru_cache(maxsize=16)
def _header_hash(db_path: str, version: str) -> str:
    """sha256 of the file's first bytes, once per file version (`version` holds its stamp)."""
    with open(db_path, "rb") as f:
        return hashlib.sha256(f.read(HEADER_BYTES)).hexdigest()


@cache
def code_fingerprint() -> str:
    """sha256 over the sources that turn data into a stored frame (read once per process)."""
    digest = hashlib.sha256()
    files = sorted([*ROOT.glob("scoring/**/*.py"), *ROOT.glob("scoring/**/*.sql"), *ROOT.glob("ui_text/*.py"),
                    ROOT / "appkit" / "tables.py", Path(__file__)])
    for file in files:
        digest.update(str(file.relative_to(ROOT)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def key(db_path: str, version: str, name: str, *parts: Any) -> str:
    """The full key text of frame `name` of one database version (see the module docstring)."""
    text = [FORMAT, name, db_path, version, _header_hash(db_path, version), code_fingerprint(),
            *(p.isoformat() if isinstance(p, dt.date) else p for p in parts)]
    return json.dumps(text, ensure_ascii=False, default=str)


def _file(place: Path, name: str, full_key: str) -> Path:
    return place / f"{name}-{hashlib.sha256(full_key.encode()).hexdigest()[:32]}.parquet"


def read(db_path: str, version: str, name: str, *parts: Any) -> pd.DataFrame | None:
    """The stored frame for this key, or None (no file, another key inside, unreadable)."""
    place = folder(db_path)
    if place is None:
        return None
    try:
        full_key = key(db_path, version, name, *parts)
        target = _file(place, name, full_key)
        if not target.exists():
            return None
        table = pq.read_table(target)
        if (table.schema.metadata or {}).get(_META_KEY) != full_key.encode():
            return None
        return table.to_pandas()
    except (OSError, pa.ArrowException, ValueError) as error:
        _log.warning("stored frame %s unreadable (%s): computed again", name, error)
        return None


def write(db_path: str, version: str, name: str, frame: pd.DataFrame, *parts: Any) -> Path | None:
    """Keep `frame` under this key (atomic; a folder that cannot be written is skipped)."""
    place = folder(db_path)
    if place is None:
        return None
    try:
        full_key = key(db_path, version, name, *parts)
        place.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _META_KEY: full_key.encode()})
        target = _file(place, name, full_key)
        handle, temp = tempfile.mkstemp(dir=place, prefix=f".{name}-", suffix=".tmp")
        os.close(handle)
        try:
            pq.write_table(table, temp)
            os.chmod(temp, 0o644)  # mkstemp's 0600 would hide it from a replica running as another user
            os.replace(temp, target)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        _prune(place)
        return target
    except (OSError, pa.ArrowException, ValueError) as error:
        _log.warning("stored frame %s not written (%s)", name, error)
        return None


def _prune(place: Path) -> None:
    """Keep the newest KEEP files (older keys belong to file versions nobody reads any more)."""
    found = sorted(place.glob("*.parquet"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in found[KEEP:]:
        with contextlib.suppress(OSError):  # another process pruned it first
            old.unlink()


def stored(db_path: str, version: str, name: str, parts: tuple[Any, ...],
           build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The stored frame for this key, else `build()` kept for the next process."""
    found = read(db_path, version, name, *parts)
    if found is not None:
        return found
    frame = build()
    write(db_path, version, name, frame, *parts)
    return frame
