"""Backup and restore of the whole database (issue #16 item 3).

`backup(db_path, folder)` runs DuckDB's `EXPORT DATABASE` (schema, sequences, every table as
Parquet) into a new folder and writes `manifest.json`: per table the row count and an
order-independent checksum of its rows (sum of DuckDB's row hashes). `restore(folder, db_path)`
imports the folder into a new temporary file next to the target, checks every table against the
manifest, and only then renames it over the target, so a failed or interrupted restore leaves
the target as it was.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A refused backup/restore; `reason` is 'not_empty', 'missing', 'mismatch' or 'no_db'."""

    def __init__(self, reason: str, **fields: object) -> None:
        self.reason, self.fields = reason, fields
        super().__init__(f"{reason}: {fields}")


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, list[int | str]]:
    """table -> [row count, checksum as text] for every base table of the main schema."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
    out: dict[str, list[int | str]] = {}
    for t in tables:
        count, total = con.execute(
            f"SELECT count(*), coalesce(sum(hash(x)::HUGEINT), 0)::VARCHAR FROM {_quote(t)} AS x").fetchall()[0]
        out[t] = [int(count), str(total)]
    return out


def sequences(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE last_value IS NOT NULL").fetchall()}


def backup(db_path: str | Path, folder: str | Path) -> Summary:
    """Export the database at `db_path` into the new (or empty) `folder`."""
    db_path, folder = Path(db_path), Path(folder)
    if not db_path.exists():
        raise BackupError("no_db", path=db_path)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError("not_empty", path=folder)
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        sums = table_checksums(con)
        seqs = sequences(con)
        con.execute(f"EXPORT DATABASE '{folder.resolve().as_posix()}' (FORMAT parquet)")
    finally:
        con.close()
    manifest = {"tables": sums, "sequences": seqs, "source": str(db_path.resolve())}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Summary(folder, len(sums), sum(int(v[0]) for v in sums.values()))


def restore(folder: str | Path, db_path: str | Path) -> Summary:
    """Replace the database at `db_path` with the backup in `folder`, after checking every table."""
    folder, db_path = Path(folder), Path(db_path)
    for name in (MANIFEST, "schema.sql", "load.sql"):
        if not (folder / name).is_file():
            raise BackupError("missing", path=folder, file=name)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f"{db_path.name}.restoring-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"IMPORT DATABASE '{folder.resolve().as_posix()}'")
            for name, value in manifest.get("sequences", {}).items():
                _advance_sequence(con, name, int(value))
            got = table_checksums(con)
        finally:
            con.close()
        expected = manifest["tables"]
        for table, (count, total) in expected.items():
            actual = got.get(table)
            if actual is None or actual != [count, total]:
                raise BackupError("mismatch", table=table, expected=count, actual=actual[0] if actual else 0)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return Summary(db_path, len(expected), sum(int(v[0]) for v in expected.values()))


def _advance_sequence(con: duckdb.DuckDBPyConnection, name: str, last_value: int) -> None:
    """Make `name` continue after `last_value` (an exported sequence may restart at its START)."""
    current = con.execute("SELECT last_value FROM duckdb_sequences() WHERE sequence_name = ?", [name]).fetchone()
    if current is not None and current[0] is not None and int(current[0]) >= last_value:
        return
    start = con.execute("SELECT start_value, increment_by FROM duckdb_sequences() WHERE sequence_name = ?",
                        [name]).fetchone()
    if start is None:
        return
    value = int(current[0]) if current and current[0] is not None else int(start[0]) - int(start[1])
    steps = (last_value - value) // max(int(start[1]), 1)
    if steps > 0:  # one query hands out the missing values
        con.execute(f"SELECT max(nextval('{name}')) FROM range(?)", [steps])
