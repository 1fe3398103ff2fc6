"""The loaders' public API: what the CLI, the data-management page and the sample use.

Every function parses the whole input first, collects every problem, and only then opens
one transaction (`loaders.store`). By default any error refuses the file: the data tables
stay exactly as they were and only `load_runs`/`rejected_rows` record the attempt, then
LoadError is raised. With `allow_partial=True` the valid rows load and each rejected row
is recorded with its reason.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from loaders import disclosure_log, guards, http_pull, readers, store
from loaders.dates import parse_one
from loaders.db import Progress, release_memory
from loaders.errors import LoadError, LoadProblem, ProblemKind, blocking
from loaders.model import LoadResult
from loaders.names import DATA_DIR, district_code
from loaders.reference import parse_time_limit_workdays

# loaders.catalog (with its marks) and loaders.sources are imported by the functions that use
# them: a disclosure log's load, the CLI's most frequent command, neither imports nor compiles them;
# pandas only by load_standard here (issue #17: start-up).
if TYPE_CHECKING:
    import pandas as pd

    from loaders.sources import SourceEntry

Source = str | Path | bytes
DateLike = dt.date | str | None
RAW_DIR = DATA_DIR / "raw"


def read_source(source: Source, filename: str | None = None) -> tuple[bytes, str, str]:
    """(bytes, name shown in messages, source identity) of a path, URL or uploaded bytes."""
    if isinstance(source, (bytes, bytearray)):
        name = filename or "upload"
        return bytes(source), Path(name).name if not http_pull.is_url(name) else name, name
    if http_pull.is_url(str(source)):
        url = str(source)
        return http_pull.fetch(url), filename or url, url
    path = Path(source)
    if not path.is_file():
        raise LoadError([LoadProblem(ProblemKind.SOURCE_NOT_FOUND, path.name, value=str(path))])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, path.name, detail=type(exc).__name__)]) from None
    return data, filename or path.name, filename or path.name


def _label(source: Source, filename: str | None) -> str:
    if filename:
        return filename
    if isinstance(source, (bytes, bytearray)):
        return "upload"
    return str(source) if http_pull.is_url(str(source)) else Path(source).name


def _district(name: str, file: str | None) -> str:
    code = district_code(name)
    if code is None:
        raise LoadError([LoadProblem(ProblemKind.UNKNOWN_DISTRICT, file, value=name)])
    return code


def _option_date(value: DateLike, option: str, problems: list[LoadProblem]) -> dt.date | None:
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None  # type: ignore[return-value]
    parsed = parse_one(str(value))
    if parsed is None:
        problems.append(LoadProblem(ProblemKind.BAD_OPTION, value=option, detail=str(value)))
    return parsed


def _check(problems: list[LoadProblem], rows: pd.DataFrame, allow_partial: bool) -> None:
    """Raise when the load must be refused (see module docstring)."""
    errors = blocking(problems)
    if not errors:
        return
    if allow_partial and all(p.is_row_level for p in errors) and len(rows):
        return
    raise LoadError(problems)


def evidence_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    """Where loaded files are kept as evidence: env COMPLIANCE_RAW_DIR, else `raw/` next to the
    database file (data/raw/ for the default database); None for an in-memory database."""
    env = os.environ.get("COMPLIANCE_RAW_DIR")
    if env:
        return Path(env)
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]).resolve().parent / "raw" if row and row[0] else None


def _keep(con: duckdb.DuckDBPyConnection, folder: str, label: str, data: bytes,
          evidence: str | Path | None, digest: str | None = None) -> str | None:
    """Keep an uploaded or CLI-loaded file (bytes + sha256) like a pulled one; its path."""
    if evidence is not None:
        return str(evidence)
    raw = evidence_dir(con)
    if raw is None:
        return None
    try:
        return str(http_pull.keep_evidence(raw, folder, label, data, digest=digest))
    except OSError:
        return None  # evidence is best effort: a read-only data/ must not block a load


def _stage(raw: Path | None, folder: str, label: str, data: bytes, evidence: str | Path | None,
           digest: str) -> Callable[[bool], str | None]:
    """`_keep` in two steps for a large file: the bytes are written (to a hidden part file) now,
    so the caller can drop them before the rows are normalised and written; `finish(True)` keeps
    the file as evidence (its path), `finish(False)` removes it. `raw` is `evidence_dir(con)`
    (None: no evidence is kept), looked up by the caller: no database access here, so it may run
    on a thread of its own."""
    if evidence is not None:
        return lambda keep: str(evidence) if keep else None
    if raw is None:
        return lambda keep: None
    try:
        staged = http_pull.stage_evidence(raw, folder, label, data, digest=digest)
    except OSError:
        return lambda keep: None  # evidence is best effort: a read-only data/ must not block a load

    def finish(keep: bool) -> str | None:
        try:
            path = staged(keep)
        except OSError:
            return None
        return None if path is None else str(path)
    return finish


def _digest_and_stage(raw: Path | None, folder: str, label: str, data: bytes,
                      evidence: str | Path | None) -> tuple[str, Callable[[bool], str | None]]:
    """(sha256 of `data`, `_stage`'s finish) for `load_disclosures`' staging thread."""
    digest = hashlib.sha256(data).hexdigest()
    return digest, _stage(raw, folder, label, data, evidence, digest)


def _guard(problems: list[LoadProblem], confirm_replace: bool) -> list[LoadProblem]:
    """Drop the confirmable guard problems when the user confirmed."""
    return [p for p in problems if not (confirm_replace and p.kind in guards.CONFIRMABLE)]


def _attempt(con: duckdb.DuckDBPyConnection, kind: str, code: str | None, label: str, digest: str | None,
             rows_read: int, exc: LoadError) -> None:
    store.record_refused(con, kind, code, label, digest, exc.problems, rows_read)


def load_catalog(con: duckdb.DuckDBPyConnection, unit: str, source: Source, *, filename: str | None = None,
                 published_on: DateLike = None, document_no: str | None = None, url: str | None = None,
                 filed_on: DateLike = None, allow_partial: bool = False, confirm_replace: bool = False,
                 evidence: str | Path | None = None) -> LoadResult:
    """Load one published catalog version of `unit` (name, alias or code).

    Metadata comes from the arguments, else from the page (发布日期, else 成文日期; 文号;
    备案日期); `url` defaults to the source URL. The load guards (`loaders.guards`) refuse a
    catalog naming another unit, matching almost none of the city items or far fewer than the
    current one, unless `confirm_replace`. The file is kept as evidence under raw/ (or
    `evidence` is the path where the caller already kept it). Raises LoadError (nothing
    written but the audit).
    """
    from loaders import catalog

    label, digest, code, rows_read = _label(source, filename), None, None, 0
    try:
        data, label, identity = read_source(source, filename)
        code = _district(unit, label)
        digest = hashlib.sha256(data).hexdigest()
        problems: list[LoadProblem] = []
        meta: dict[str, object] = {
            "published_on": _option_date(published_on, "--published-on", problems),
            "filed_on": _option_date(filed_on, "--filed-on", problems),
            "document_no": document_no or None,
            "url": url or (identity if http_pull.is_url(identity) else None),
        }
        doc = readers.parse(data, label)
        page = doc.meta
        meta["published_on"] = meta["published_on"] or parse_one(page.get("published_on", "")) \
            or parse_one(page.get("written_on", ""))
        meta["filed_on"] = meta["filed_on"] or parse_one(page.get("filed_on", ""))
        meta["document_no"] = meta["document_no"] or page.get("document_no") or None
        parsed = catalog.normalise(doc)
        rows_read = parsed.rows_read
        problems += parsed.problems + doc.warnings
        if "subject" in parsed.rows.columns:
            other = guards.other_unit_problem(parsed.rows["subject"], code, label)
            problems += [other] if other else []
        problems = _guard(problems, confirm_replace)
        _check(problems, parsed.rows, allow_partial)
        kept = _keep(con, code, label, data, evidence, digest)
        return store.store_catalog(con, district_code=code, source=identity, content_hash=guards.cells_hash(
            parsed.rows), rows=parsed.rows, meta=meta, problems=problems, rows_read=rows_read,
            confirm_replace=confirm_replace, evidence=kept)
    except LoadError as exc:
        _attempt(con, "catalog", code, label, digest, rows_read, exc)
        raise


def load_disclosures(con: duckdb.DuckDBPyConnection, unit: str, source: Source, *,
                     filename: str | None = None, allow_partial: bool = False, confirm_replace: bool = False,
                     evidence: str | Path | None = None) -> LoadResult:
    """Load (or replace) one disclosure-log source of `unit` (name, alias or code).

    The source is keyed by district code + identity (file name or URL): a new version of the
    same source replaces its rows; identical content (the same cells, whatever the bytes) is a
    no-op. Rows whose item matches no city item load as 未归类 (item_id NULL) and are listed as
    warnings. The load guards (`loaders.guards`): dates before 2000 or over a year ahead refuse
    their row, repeated rows are skipped with a warning, a log whose titles name another unit is
    refused, a second file that re-exports an existing source replaces it, a version keeping
    fewer rows than the threshold is refused — the last two unless `confirm_replace`.
    Raises LoadError.
    """
    label, digest, code, rows_read = _label(source, filename), None, None, 0
    try:
        data, label, identity = read_source(source, filename)
        code = _district(unit, label)
        # The sha256 and the evidence copy run on a thread while the file is parsed (both release
        # the GIL): a 1M-row log's 158 MB are hashed and written beside the parse, not after it.
        raw = None if evidence is not None else evidence_dir(con)
        with ThreadPoolExecutor(max_workers=1) as pool:
            staging = pool.submit(_digest_and_stage, raw, code, label, data, evidence)
            try:
                doc = readers.parse(data, label)
            except BaseException:
                digest, finish = staging.result()
                finish(False)
                raise
            digest, finish = staging.result()
        del data  # kept on disk now: a large log's bytes are not held through normalising and writing
        try:
            parsed = disclosure_log.normalise(doc)
            parsed.problems += doc.warnings
            del doc  # the parsed grid is not needed past here: a large log's cells are freed before the write
            release_memory()  # ... and handed back to the system, not kept under the guards and the insert
            rows_read = parsed.rows_read
            with ThreadPoolExecutor(max_workers=1) as pool:
                # The content hash of the rows as parsed runs beside the guards (sha256 releases the
                # GIL); it is the one stored when the guards drop no row, as for most logs.
                parsed_hash = pool.submit(guards.rows_hash, parsed.rows)
                problems = list(parsed.problems) + guards.date_problems(parsed.rows, label, parsed.sheet)
                rows, repeats = guards.repeated_rows(parsed.rows, label, parsed.sheet,
                                                     ["title", "item_raw", "formed_on", "published_on", "url"],
                                                     con)
                problems += repeats
                if "title" in rows.columns:
                    other = guards.other_unit_problem(rows["title"], code, label)
                    problems += [other] if other else []
                problems = _guard(problems, confirm_replace)
                bad_rows = {p.row for p in blocking(problems)}
                if bad_rows:
                    rows = rows[~rows["row_no"].isin(bad_rows)].reset_index(drop=True)
                _check(problems, rows, allow_partial)
                content_hash = parsed_hash.result() if rows is parsed.rows else guards.rows_hash(rows)
        except BaseException:  # refused or failed: the staged file is not evidence of a load
            finish(False)
            raise
        kept = finish(True)
        return store.store_disclosures(con, district_code=code, source=identity, source_key=f"{code}:{identity}",
                                       content_hash=content_hash, rows=rows, problems=problems,
                                       rows_read=rows_read, confirm_replace=confirm_replace, evidence=kept,
                                       unclassified=parsed.unclassified,
                                       legacy_hash=lambda: guards.cells_hash(rows))
    except LoadError as exc:
        _attempt(con, "disclosures", code, label, digest, rows_read, exc)
        raise


def load_standard(con: duckdb.DuckDBPyConnection, source: Source, *, filename: str | None = None,
                  confirm_replace: bool = False, evidence: str | Path | None = None) -> LoadResult:
    """Replace the city standard catalog with the officially issued table (same reader as district
    catalogs): item_id S01.. in table order, confidence 'official', time_limit_workdays parsed,
    meta standard_source='official', then every district row and disclosure is re-matched.
    A table that is not a plausible 10-first-level catalog is refused unless `confirm_replace`.
    Raises LoadError; a partial standard catalog is never loaded."""
    import pandas as pd

    from loaders import catalog

    label, digest, rows_read = _label(source, filename), None, 0
    try:
        data, label, identity = read_source(source, filename)
        digest = hashlib.sha256(data).hexdigest()
        parsed = catalog.normalise(readers.parse(data, label), require_level1=True)
        rows_read = parsed.rows_read
        problems = list(parsed.problems)
        if len(parsed.rows) == 0 and not blocking(problems):
            problems.append(LoadProblem(ProblemKind.NO_TABLE, label, value="", detail="standard"))
        elif not blocking(problems):
            implausible = guards.standard_problem(parsed.rows, label)
            problems += [implausible] if implausible else []
        problems = _guard(problems, confirm_replace)
        _check(problems, parsed.rows, allow_partial=False)
        rows = parsed.rows.drop(columns=["row_no"]).reset_index(drop=True)
        seq = pd.Series(range(1, len(rows) + 1))
        rows = rows.assign(
            seq=seq, item_id="S" + seq.astype(str).str.zfill(2),
            time_limit_workdays=pd.array([parse_time_limit_workdays(t) for t in rows["time_limit"]], dtype="Int64"),
            notes=None, sources=identity, confidence="official")
        kept = _keep(con, "standard", label, data, evidence, digest)
        return store.store_standard(con, source=identity, content_hash=guards.cells_hash(rows), rows=rows,
                                    problems=problems, rows_read=rows_read, evidence=kept)
    except LoadError as exc:
        _attempt(con, "standard", None, label, digest, rows_read, exc)
        raise


def load_entry(con: duckdb.DuckDBPyConnection, entry: SourceEntry, data: bytes | None = None,
               evidence: str | Path | None = None) -> LoadResult:
    """Load one sources.toml entry (from `data` when it was already fetched and kept at `evidence`)."""
    source: Source = data if data is not None else entry.source
    filename = entry.source if data is not None else None
    if entry.kind == "catalog":
        return load_catalog(con, entry.district, source, filename=filename, published_on=entry.published_on,
                            document_no=entry.document_no, url=entry.url, filed_on=entry.filed_on,
                            allow_partial=entry.allow_partial, evidence=evidence)
    return load_disclosures(con, entry.district, source, filename=filename, allow_partial=entry.allow_partial,
                            evidence=evidence)


def pull(con: duckdb.DuckDBPyConnection, sources_toml: str | Path | None = None, progress: Progress | None = None,
         raw_dir: str | Path | None = None, *, unit: str | None = None, delay: float | None = None,
         timeout: float = http_pull.TIMEOUT_S, retries: int = http_pull.RETRIES,
         max_bytes: int = http_pull.MAX_BYTES, deadline_s: float = http_pull.DEADLINE_S) -> list[LoadResult]:
    """Fetch and load every entry of the source registry (or one district's), in file order.

    `[[column]]` entries are crawled (`loaders.crawl`: pagination, articles, dates, items, drift;
    results are `loaders.crawl.run.CrawlReport`s); URLs of `[[catalog]]`/`[[disclosures]]` are
    fetched politely (per-host delay, robots.txt, conditional GET) and kept as evidence under
    `raw_dir/<district_code>/<YYYY-MM-DD>/`; a catalog article's attachment is loaded when the
    page has no table. `delay` overrides every entry's `delay_s`. A failing entry does not stop
    the others: it is recorded in load_runs and returned with result 'refused' and its problems.
    Raises LoadError only when the registry itself is invalid or `unit` (name, alias or code) is unknown.
    """
    from loaders.crawl.pull import pull_entries  # the crawler builds on this module's loaders
    from loaders.sources import parse_sources

    entries = parse_sources(sources_toml)
    if unit is not None:
        code = _district(unit, None)
        entries = [e for e in entries if district_code(e.district) == code]
    return pull_entries(con, entries, raw_dir=Path(raw_dir) if raw_dir else RAW_DIR, progress=progress,
                        delay=delay, timeout=timeout, retries=retries, max_bytes=max_bytes, deadline_s=deadline_s)
