"""Write parsed, validated rows into DuckDB: one transaction per load, audit for every attempt.

Each `store_*` opens a transaction, checks whether the content is already loaded (then it
only logs an 'unchanged' run), writes the rows from a DataFrame with one INSERT … SELECT,
matches the new rows to the city catalog (`loaders/sql/match_*.sql`, the rule of
`loaders.db.refresh_matches` restricted to the new rows; replacing the city catalog re-runs
it over everything; a disclosure source's rows are matched as they are inserted,
`_insert_matched`), logs the run and its problems, and commits.
Any failure rolls everything back and raises LoadError(database_error). `record_refused`
writes the audit rows of a load that was refused before any data was touched.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from loaders import clock, guards
from loaders.db import (
    LARGE_INSERT_ROWS,
    get_meta,
    insert_frame,
    read_sql,
    refresh_matches,
    registered,
    release_memory,
    scannable,
    set_meta,
    setting,
    transaction,
    unordered,
)
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import LoadResult
from ui_text.reliability import REEXPORT_SHARE

Con = duckdb.DuckDBPyConnection


def _now() -> dt.datetime:
    return clock.now()  # Beijing time, whatever the server's zone


_insert = insert_frame


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
    return int(con.execute("SELECT nextval('load_seq')").fetchall()[0][0])


def record_refused(con: Con, kind: str, district_code: str | None, source: str, content_hash: str | None,
                   problems: list[LoadProblem], rows_read: int = 0) -> int:
    """Log a refused attempt (load_runs + rejected_rows only) and return its run id."""
    with transaction(con):
        run_id = _next_id(con)
        rejected = len({p.row for p in problems if p.row is not None and not p.is_warning})
        _log_run(con, run_id, kind, district_code, source, content_hash, "refused", rows_read, 0, rejected, problems)
    return run_id


def _transaction(con: Con, body: Callable[[int], LoadResult]) -> LoadResult:
    try:
        with transaction(con):
            return body(_next_id(con))
    except duckdb.Error as exc:
        raise LoadError([LoadProblem(ProblemKind.DATABASE_ERROR, detail=str(exc).splitlines()[0])]) from exc


def _outcome(problems: list[LoadProblem]) -> tuple[str, int]:
    """'partial' when rows were rejected (the caller allowed it), else 'loaded'; and how many."""
    rejected = len({p.row for p in problems if not p.is_warning and p.row is not None})
    return ("partial" if rejected else "loaded"), rejected



def _columns(con: Con, table: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                      "ORDER BY ordinal_position", [table]).fetchall()]


def keep_replaced(con: Con, run_id: int, table: str, where: str, params: list[object]) -> int:
    """Copy the rows of `table` matching `where` into `<table>_replaced` (columns by name) before
    they are deleted; returns how many."""
    kept = set(_columns(con, f"{table}_replaced"))
    cols = ", ".join(c for c in _columns(con, table) if c in kept)
    replaced = int(con.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchall()[0][0])
    # A replaced source may hold a million rows; undo puts them back set-wise (history._restore),
    # so the copy keeps no order: on every thread (1M rows: 1.5 -> 1.0 s wall, the same CPU time).
    with unordered(con, replaced >= LARGE_INSERT_ROWS):
        con.execute(f"INSERT INTO {table}_replaced (replaced_by_run, {cols}) SELECT ?, {cols} FROM {table} "
                    f"WHERE {where}", [run_id, *params])
    return replaced


def _record_change(con: Con, run_id: int, action: str, district_code: str | None, *, catalog_id: str | None = None,
                   source_key: str | None = None, replaced_rows: int = 0, previous_meta: str | None = None,
                   evidence: str | None = None) -> None:
    con.execute("INSERT INTO load_changes (run_id, action, district_code, catalog_id, source_key, replaced_rows, "
                "previous_meta, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, action, district_code, catalog_id, source_key, replaced_rows, previous_meta, evidence])


def _matched_items(con: Con, catalog_id: str) -> int:
    return int(con.execute("SELECT count(DISTINCT matched_item_id) FROM district_catalog_rows WHERE catalog_id = ?",
                           [catalog_id]).fetchall()[0][0])


def _catalog_guards(con: Con, district_code: str, catalog_id: str, source: str, published_on: object,
                    confirm: bool) -> None:
    """Refuse (inside the transaction, after matching) a catalog matching almost none of the city
    items, or one that would become the effective catalog with far fewer items than the current."""
    if confirm:
        return
    g = guards.thresholds()
    matched = _matched_items(con, catalog_id)
    city = int(con.execute("SELECT count(*) FROM standard_catalog").fetchall()[0][0])
    if city and matched < g.catalog_min_matched_share * city:
        raise LoadError([LoadProblem(ProblemKind.CATALOG_UNMATCHED, source, value=str(matched), detail=str(city))])
    current = con.execute(
        "SELECT catalog_id, published_on FROM district_catalogs WHERE district_code = ? AND catalog_id <> ? "
        "ORDER BY published_on DESC NULLS LAST, load_seq DESC LIMIT 1", [district_code, catalog_id]).fetchone()
    if current is None:
        return
    becomes_effective = published_on is None or current[1] is None or published_on >= current[1]
    before = _matched_items(con, current[0])
    if becomes_effective and matched < g.catalog_min_kept_share * before:
        raise LoadError([LoadProblem(ProblemKind.CATALOG_SHRINKS, source, value=str(matched), detail=str(before))])


def store_catalog(con: Con, *, district_code: str, source: str, content_hash: str, rows: pd.DataFrame,
                  meta: dict[str, object], problems: list[LoadProblem], rows_read: int,
                  confirm_replace: bool = False, evidence: str | None = None) -> LoadResult:
    """Add one catalog version of a district, or do nothing if this content is already loaded.

    `content_hash` is the hash of the cells (`guards.cells_hash`), so the same table re-saved
    with new bytes is unchanged. Refused (LoadError, nothing written) by the catalog guards
    unless `confirm_replace`."""
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
        _catalog_guards(con, district_code, catalog_id, source, meta.get("published_on"), confirm_replace)
        _record_change(con, run_id, "add_catalog", district_code, catalog_id=catalog_id, evidence=evidence)
        result, rejected = _outcome(problems)
        _log_run(con, run_id, "catalog", district_code, source, content_hash, result, rows_read, len(rows),
                 rejected, problems)
        return LoadResult("catalog", district_code, source, result, rows_read, len(rows), rejected, run_id, problems)
    return _transaction(con, body)


def _reexported_source(con: Con, district_code: str, rows: pd.DataFrame) -> tuple[str, str, int] | None:
    """(source_key, source, overlapping rows) of the unit's source sharing the most disclosures
    (same title, publication date and link) with `rows`, when that share reaches the threshold."""
    if rows.empty or not con.execute("SELECT 1 FROM disclosures WHERE district_code = ? LIMIT 1",
                                     [district_code]).fetchall():
        return None
    keys = rows[["title", "published_on", "url"]]
    with registered(con, "_incoming_keys", scannable(keys)):  # DISTINCT runs in DuckDB, not in pandas
        found = con.execute(
            "WITH i AS (SELECT DISTINCT title, published_on, url FROM _incoming_keys) "
            "SELECT d.source_key, s.source, count(DISTINCT (d.title, d.published_on, coalesce(d.url, ''))) AS n, "
            "(SELECT count(*) FROM i) AS total "
            "FROM disclosures AS d JOIN disclosure_sources AS s USING (source_key) "
            "JOIN i ON d.title = i.title AND d.published_on IS NOT DISTINCT FROM i.published_on "
            "AND coalesce(d.url, '') = coalesce(i.url, '') "
            "WHERE d.district_code = ? GROUP BY ALL ORDER BY n DESC, d.source_key LIMIT 1", [district_code]).fetchall()
    best = found[0] if found else None
    if best is None or best[2] < guards.thresholds().reexport_share * best[3]:
        return None
    return best[0], best[1], int(best[2])


# DuckDB's memory for a large insert: without a limit it held a 1M-row log's rows in memory until
# the commit (+145 MB at the peak); with it they go to the database file as they are written,
# in the same time (issue #17, the load memory target). 128 MB rather than 256: the 1M-row insert
# then adds ~40 MB instead of 55-100 MB at the load's peak, in no more CPU time, with the same file
# (a 780 MB Arrow table of long strings still goes in on one thread under it).
INSERT_MEMORY = "128MB"


def _pair_items(con: Con, rows: pd.DataFrame) -> pa.Array:
    """item_id per row of `rows`: the one matching rule (`loaders/sql/match_item.sql`) run in SQL
    once per distinct (level1_key, level2_key) pair (`match_pairs.sql`; NULL keys pair as NULL, as
    IS NOT DISTINCT FROM pairs them) and taken back to the rows by their pair codes, so the
    insert needs no join (a join lets DuckDB's parallel insert reorder the rows)."""
    codes1, keys1 = pd.factorize(rows["level1_key"])  # NULL -> -1; few distinct keys per log
    codes2, keys2 = pd.factorize(rows["level2_key"])
    codes, pairs = pd.factorize((codes1.astype(np.int64) + 1) * (len(keys2) + 1) + (codes2 + 1))
    first, second = np.divmod(np.asarray(pairs, dtype=np.int64), len(keys2) + 1)
    level1 = pa.array(np.asarray(keys1, dtype=object), pa.string())
    level2 = pa.array(np.asarray(keys2, dtype=object), pa.string())
    incoming = pa.table({"pair": np.arange(len(pairs), dtype=np.int64),
                         "l1": level1.take(pa.array(first - 1, mask=first == 0)),
                         "l2": level2.take(pa.array(second - 1, mask=second == 0))})
    with registered(con, "_incoming_pairs", incoming):
        items = con.sql(read_sql("match_pairs")).to_arrow_table().column("item_id").combine_chunks()
    return items.take(pa.array(codes)) if len(codes) else pa.array([], pa.string())


def _insert_matched(con: Con, rows: pd.DataFrame, district_code: str, source_key: str) -> None:
    """The rows of one source into `disclosures`, item_id set by the one matching rule before they
    go in (`_pair_items`), then the bare first-level-name rule over the rows left unmatched
    (`match_level1_only.sql`): what `refresh_matches(con, source_key=…)` makes of the same rows
    after a plain insert, without updating every row just written.

    Where the time goes (1M-row log, DuckDB's JSON profile, issue #17): about 85% in the INSERT
    operator itself (DuckDB appending and compressing row groups). The insert is a plain scan of
    the Arrow columns (`insert_disclosures.sql`, no join): about 0.4 CPU s less than the join of
    the match into the insert. A large one runs without keeping the rows' order (`unordered`: no
    reader of `disclosures` depends on its physical order, each orders by its keys or counts),
    each thread compressing its own row groups: 1.1 -> 0.6 s wall on 2 cores in the same CPU
    time and the same peak. Keeping the order on two threads did twice the work for no gain,
    hence one thread before. Measured without a gain at the noise of a loaded 2-core machine:
    disabling the string compressions it does not choose (all choose DICT_FSST), string_view or
    combined Arrow columns, no memory limit (more CPU at the commit); forcing `uncompressed`
    saves ~0.4 CPU s but makes the file seven times larger."""
    con.execute(read_sql("match_item"))
    items = _pair_items(con, rows)
    incoming = scannable(rows)
    incoming = incoming.append_column("item_id", items) if isinstance(incoming, pa.Table) else \
        incoming.assign(item_id=pd.Series(items.to_pylist(), index=incoming.index, dtype=object))
    with registered(con, "_incoming_disclosures", incoming):
        release_memory()  # the insert's own memory comes on top of what the guards and the match freed
        sql = read_sql("insert_disclosures").format(columns=", ".join(rows.columns))
        with unordered(con, len(rows) >= LARGE_INSERT_ROWS), setting(con, "memory_limit", INSERT_MEMORY):
            con.execute(sql, {"source_key": source_key, "district_code": district_code})
    con.execute(read_sql("match_level1_only"), {"source_key": source_key})


def _unclassified(con: Con, source_key: str, at: LoadProblem) -> list[LoadProblem]:
    """未归类 warnings: the rows of `source_key` with no matched item, at `at`'s file/sheet/column."""
    unmatched = con.execute("SELECT row_no, coalesce(item_raw, '') FROM disclosures "
                            "WHERE source_key = ? AND item_id IS NULL ORDER BY row_no", [source_key]).fetchall()
    return [replace(at, row=int(row), value=str(value)) for row, value in unmatched]


def store_disclosures(con: Con, *, district_code: str, source: str, source_key: str, content_hash: str,
                      rows: pd.DataFrame, problems: list[LoadProblem], rows_read: int,
                      confirm_replace: bool = False, evidence: str | None = None,
                      unclassified: LoadProblem | None = None,
                      legacy_hash: Callable[[], str] | None = None) -> LoadResult:
    """Replace the rows of one disclosure source with this version, or do nothing if unchanged.

    With `unclassified` (where a log's item column is), every stored row the one SQL match
    (`loaders/sql/match_item.sql`) leaves without an item gets a 未归类 warning located there.

    Content already held by any source of the district counts as unchanged (also when it was
    stored under the earlier hash, `legacy_hash`, computed only then), so the same file
    under a second name does not double the district's disclosures; a file whose rows are mostly
    those of an existing source is a re-export of it and replaces it (warning `reexport`). The
    replaced rows are kept in `disclosures_replaced` for undo. A version keeping fewer rows than
    the guard threshold is refused unless `confirm_replace`.
    """
    problems = list(problems)

    def body(run_id: int) -> LoadResult:
        known = con.execute("SELECT 1 FROM disclosure_sources WHERE district_code = ? AND content_hash = ?",
                            [district_code, content_hash]).fetchone()
        if not known and legacy_hash is not None and con.execute(
                "SELECT 1 FROM disclosure_sources WHERE district_code = ? LIMIT 1", [district_code]).fetchone():
            # a source stored under the earlier hash of the same cells (`guards.cells_hash`)
            known = con.execute("SELECT 1 FROM disclosure_sources WHERE district_code = ? AND content_hash = ?",
                                [district_code, legacy_hash()]).fetchone()
        if known:
            _log_run(con, run_id, "disclosures", district_code, source, content_hash, "unchanged", rows_read, 0, 0, [])
            return LoadResult("disclosures", district_code, source, "unchanged", rows_read, 0, 0, run_id, [])
        key = source_key
        if not con.execute("SELECT 1 FROM disclosure_sources WHERE source_key = ?", [key]).fetchall():
            reexport = _reexported_source(con, district_code, rows)
            if reexport is not None:
                key = reexport[0]
                share = REEXPORT_SHARE.format(total=len(rows), count=reexport[2])
                problems.append(LoadProblem(ProblemKind.REEXPORT, source, value=reexport[1], detail=share))
        old = int(con.execute("SELECT count(*) FROM disclosures WHERE source_key = ?", [key]).fetchall()[0][0])
        if old and len(rows) < guards.thresholds().disclosures_min_kept_share * old and not confirm_replace:
            raise LoadError([LoadProblem(ProblemKind.REPLACE_SHRINKS, source, value=str(len(rows)), detail=str(old))])
        replaced = keep_replaced(con, run_id, "disclosures", "source_key = ?", [key])
        keep_replaced(con, run_id, "disclosure_sources", "source_key = ?", [key])
        con.execute("DELETE FROM disclosures WHERE source_key = ?", [key])
        con.execute("DELETE FROM disclosure_sources WHERE source_key = ?", [key])
        row_no = rows["row_no"].to_numpy()  # the ids are unique by construction: checked set-wise
        if len(row_no) > 1 and not bool((row_no[1:] > row_no[:-1]).all()) and len(np.unique(row_no)) < len(row_no):
            raise LoadError([LoadProblem(ProblemKind.DATABASE_ERROR, source, detail="duplicate disclosure_id")])
        _insert_matched(con, rows, district_code, key)
        con.execute("INSERT INTO disclosure_sources (source_key, district_code, source, content_hash, load_seq, "
                    "loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [key, district_code, source, content_hash, run_id, _now()])
        if unclassified is not None:
            problems.extend(_unclassified(con, key, unclassified))
        _record_change(con, run_id, "replace_source", district_code, source_key=key, replaced_rows=replaced,
                       evidence=evidence)
        result, rejected = _outcome(problems)
        _log_run(con, run_id, "disclosures", district_code, source, content_hash, result, rows_read, len(rows),
                 rejected, problems)
        return LoadResult("disclosures", district_code, source, result, rows_read, len(rows), rejected, run_id,
                          problems)
    return _transaction(con, body)


STANDARD_META = ("standard_source", "standard_content_hash")


def store_standard(con: Con, *, source: str, content_hash: str, rows: pd.DataFrame,
                   problems: list[LoadProblem], rows_read: int, evidence: str | None = None) -> LoadResult:
    """Replace the city standard catalog with the official table and re-match every row (the
    replaced catalog and its meta are kept for undo)."""
    def body(run_id: int) -> LoadResult:
        if get_meta(con, "standard_content_hash") == content_hash:
            _log_run(con, run_id, "standard", None, source, content_hash, "unchanged", rows_read, 0, 0, [])
            return LoadResult("standard", None, source, "unchanged", rows_read, 0, 0, run_id, [])
        previous = json.dumps({k: get_meta(con, k) for k in STANDARD_META}, ensure_ascii=False)
        replaced = keep_replaced(con, run_id, "standard_catalog", "TRUE", [])
        con.execute("DELETE FROM standard_catalog")
        _insert(con, "standard_catalog", rows)
        set_meta(con, "standard_source", "official")
        set_meta(con, "standard_content_hash", content_hash)
        refresh_matches(con)
        _record_change(con, run_id, "replace_standard", None, replaced_rows=replaced, previous_meta=previous,
                       evidence=evidence)
        _log_run(con, run_id, "standard", None, source, content_hash, "loaded", rows_read, len(rows), 0, problems)
        return LoadResult("standard", None, source, "loaded", rows_read, len(rows), 0, run_id, problems)
    return _transaction(con, body)
