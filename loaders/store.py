"""Write parsed, validated rows into DuckDB: one transaction per load, audit for every attempt.

Each `store_*` opens a transaction, checks whether the content is already loaded (then it
only logs an 'unchanged' run), writes the rows from a DataFrame with one INSERT … SELECT,
matches the new rows to the city catalog (`loaders/sql/match_*.sql`, the rule of
`loaders.db.refresh_matches` restricted to the new rows; replacing the city catalog re-runs
it over everything), logs the run and its problems, and commits.
Any failure rolls everything back and raises LoadError(database_error). `record_refused`
writes the audit rows of a load that was refused before any data was touched.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb
import pandas as pd
import pyarrow as pa

from loaders.db import refresh_matches, set_meta
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import LoadResult

Con = duckdb.DuckDBPyConnection


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _insert(con: Con, table: str, frame: pd.DataFrame) -> None:
    name = f"_incoming_{table}"
    try:  # DuckDB scans an Arrow table natively; a pandas string column it walks value by value
        data: pd.DataFrame | pa.Table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        data = frame
    con.register(name, data)
    try:
        cols = ", ".join(frame.columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)


def _log_run(con: Con, run_id: int, kind: str, district_code: str | None, source: str, content_hash: str | None,
             result: str, rows_read: int, rows_loaded: int, rows_rejected: int, problems: list[LoadProblem]) -> None:
    message = problems[0].message if problems else None
    con.execute(
        "INSERT INTO load_runs (run_id, started_at, kind, district_code, source, content_hash, rows_read, "
        "rows_loaded, rows_rejected, result, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, _now(), kind, district_code, source, content_hash, rows_read, rows_loaded, rows_rejected,
         result, message])
    if problems:
        _insert(con, "rejected_rows", pd.DataFrame({
            "run_id": run_id, "seq": range(1, len(problems) + 1),
            "problem": [p.kind.value for p in problems], "file": [p.file for p in problems],
            "sheet": [p.sheet for p in problems], "row_no": pd.array([p.row for p in problems], dtype="Int64"),
            "column_name": [p.column for p in problems], "value": [p.value for p in problems],
            "message": [p.message for p in problems]}))


def _next_id(con: Con) -> int:
    return int(con.execute("SELECT nextval('load_seq')").fetchone()[0])


def record_refused(con: Con, kind: str, district_code: str | None, source: str, content_hash: str | None,
                   problems: list[LoadProblem], rows_read: int = 0) -> int:
    """Log a refused attempt (load_runs + rejected_rows only) and return its run id."""
    con.execute("BEGIN TRANSACTION")
    try:
        run_id = _next_id(con)
        rejected = len({p.row for p in problems if p.row is not None and not p.is_warning})
        _log_run(con, run_id, kind, district_code, source, content_hash, "refused", rows_read, 0, rejected, problems)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run_id


def _transaction(con: Con, body: Callable[[int], LoadResult]) -> LoadResult:
    con.execute("BEGIN TRANSACTION")
    try:
        result = body(_next_id(con))
        con.execute("COMMIT")
        return result
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise LoadError([LoadProblem(ProblemKind.DATABASE_ERROR, detail=str(exc).splitlines()[0])]) from exc
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _outcome(problems: list[LoadProblem]) -> tuple[str, int]:
    """'partial' when rows were rejected (the caller allowed it), else 'loaded'; and how many."""
    rejected = len({p.row for p in problems if not p.is_warning and p.row is not None})
    return ("partial" if rejected else "loaded"), rejected


def store_catalog(con: Con, *, district_code: str, source: str, content_hash: str, rows: pd.DataFrame,
                  meta: dict[str, object], problems: list[LoadProblem], rows_read: int) -> LoadResult:
    """Add one catalog version of a district, or do nothing if this content is already loaded."""
    def body(run_id: int) -> LoadResult:
        known = con.execute("SELECT 1 FROM district_catalogs WHERE district_code = ? AND content_hash = ?",
                            [district_code, content_hash]).fetchone()
        if known:
            _log_run(con, run_id, "catalog", district_code, source, content_hash, "unchanged", rows_read, 0, 0, [])
            return LoadResult("catalog", district_code, source, "unchanged", rows_read, 0, 0, run_id, [])
        catalog_id = f"{district_code}-{content_hash[:16]}"
        con.execute(
            "INSERT INTO district_catalogs (catalog_id, district_code, published_on, document_no, url, filed_on, "
            "source, content_hash, load_seq, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [catalog_id, district_code, meta.get("published_on"), meta.get("document_no"), meta.get("url"),
             meta.get("filed_on"), source, content_hash, run_id, _now()])
        _insert(con, "district_catalog_rows", rows.assign(catalog_id=catalog_id))
        refresh_matches(con, catalog_id=catalog_id)
        result, rejected = _outcome(problems)
        _log_run(con, run_id, "catalog", district_code, source, content_hash, result, rows_read, len(rows),
                 rejected, problems)
        return LoadResult("catalog", district_code, source, result, rows_read, len(rows), rejected, run_id, problems)
    return _transaction(con, body)


def store_disclosures(con: Con, *, district_code: str, source: str, source_key: str, content_hash: str,
                      rows: pd.DataFrame, problems: list[LoadProblem], rows_read: int) -> LoadResult:
    """Replace the rows of one disclosure source with this version, or do nothing if unchanged.

    Content already held by any source of the district counts as unchanged, so the same file
    under a second name does not double the district's disclosures.
    """
    def body(run_id: int) -> LoadResult:
        known = con.execute("SELECT 1 FROM disclosure_sources WHERE district_code = ? AND content_hash = ?",
                            [district_code, content_hash]).fetchone()
        if known:
            _log_run(con, run_id, "disclosures", district_code, source, content_hash, "unchanged", rows_read, 0, 0, [])
            return LoadResult("disclosures", district_code, source, "unchanged", rows_read, 0, 0, run_id, [])
        con.execute("DELETE FROM disclosures WHERE source_key = ?", [source_key])
        con.execute("DELETE FROM disclosure_sources WHERE source_key = ?", [source_key])
        frame = rows.assign(district_code=district_code, source_key=source_key,
                            disclosure_id=source_key + "#" + rows["row_no"].astype(str))
        _insert(con, "disclosures", frame)
        con.execute("INSERT INTO disclosure_sources (source_key, district_code, source, content_hash, load_seq, "
                    "loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [source_key, district_code, source, content_hash, run_id, _now()])
        refresh_matches(con, source_key=source_key)
        result, rejected = _outcome(problems)
        _log_run(con, run_id, "disclosures", district_code, source, content_hash, result, rows_read, len(rows),
                 rejected, problems)
        return LoadResult("disclosures", district_code, source, result, rows_read, len(rows), rejected, run_id,
                          problems)
    return _transaction(con, body)


def store_standard(con: Con, *, source: str, content_hash: str, rows: pd.DataFrame,
                   problems: list[LoadProblem], rows_read: int) -> LoadResult:
    """Replace the city standard catalog with the official table and re-match every row."""
    def body(run_id: int) -> LoadResult:
        current = con.execute("SELECT value FROM meta WHERE key = 'standard_content_hash'").fetchone()
        if current and current[0] == content_hash:
            _log_run(con, run_id, "standard", None, source, content_hash, "unchanged", rows_read, 0, 0, [])
            return LoadResult("standard", None, source, "unchanged", rows_read, 0, 0, run_id, [])
        con.execute("DELETE FROM standard_catalog")
        _insert(con, "standard_catalog", rows)
        set_meta(con, "standard_source", "official")
        set_meta(con, "standard_content_hash", content_hash)
        refresh_matches(con)
        _log_run(con, run_id, "standard", None, source, content_hash, "loaded", rows_read, len(rows), 0, problems)
        return LoadResult("standard", None, source, "loaded", rows_read, len(rows), 0, run_id, problems)
    return _transaction(con, body)
