"""`loaders pull` over every registry entry: columns crawled, catalogs and logs fetched and loaded.

One `Pacer` is shared by the whole pull, so the per-host delay holds across entries of the same
portal. Every page has an overall deadline (`deadline_s`, default `http_pull.DEADLINE_S`, however
slowly a server drips); a file or catalog entry must finish within it, a crawled column within
`COLUMN_DEADLINE_S` (its pages at the polite rate take long). Each entry has its own failure: a
source that fails for any reason is returned as a 'refused' result with its Chinese reason,
and the pull goes on (issue #16 item 6). A `[[catalog]]` whose page holds no catalog table is
read as an article: its attachment (xlsx, xls, xls-that-is-HTML, docx, csv, text PDF) is
fetched and loaded with the article's 发布日期 and 文号. A catalog page or attachment whose
bytes changed since the last pull is a `catalog_changed` drift event.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from loaders import api, http_pull, store
from loaders.crawl.article import attachment_ext, parse_article
from loaders.crawl.fetcher import Fetcher, Pacer, Page
from loaders.crawl.run import CrawlReport, _event, crawl_column
from loaders.detect import content_format, decode_text
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import LoadResult
from loaders.names import district_code
from loaders.sources import SourceEntry

Progress = Callable[[float, str], None]
COLUMN_DEADLINE_S = 6 * 3600.0   # a 2,000-article column at 1 request/s takes about 35 minutes
_ATTACHMENT_ORDER = (".xlsx", ".xls", ".et", ".docx", ".csv", ".pdf")


class _Recorded(LoadError):
    """A refusal the loader already wrote to load_runs (not written a second time)."""


def _changed(con: duckdb.DuckDBPyConnection, report: CrawlReport, code: str, entry: SourceEntry, page: Page,
             today: dt.date) -> None:
    if page.changed:
        _event(con, report, code, f"{code}:{entry.kind}:{entry.source}", "catalog_changed", page.url,
               page.previous_sha256, page.sha256, page.previous_evidence, page.evidence, today)


def _catalog_from_article(con: duckdb.DuckDBPyConnection, entry: SourceEntry, code: str, fetcher: Fetcher,
                          page: Page, report: CrawlReport, today: dt.date) -> LoadResult:
    art = parse_article(decode_text(page.body, entry.source), entry.source)
    ranked = sorted((a for a in art.attachments if attachment_ext(a[0]) in _ATTACHMENT_ORDER),
                    key=lambda a: _ATTACHMENT_ORDER.index(str(attachment_ext(a[0]))))
    if not ranked:
        raise LoadError([LoadProblem(ProblemKind.NO_CATALOG_ATTACHMENT, entry.source,
                                     detail=str(len(art.attachments)))])
    problems: list[LoadProblem] = []
    for url, _text in ranked:
        try:
            attachment = fetcher.get(url)
            _changed(con, report, code, entry, attachment, today)
            return api.load_catalog(con, entry.district, attachment.body, filename=url,
                                    published_on=entry.published_on or art.published_on or art.written_on,
                                    document_no=entry.document_no or art.document_no,
                                    url=entry.url or entry.source, filed_on=entry.filed_on,
                                    allow_partial=entry.allow_partial)
        except LoadError as exc:
            problems += exc.problems
    raise LoadError(problems)


def _fetched_entry(con: duckdb.DuckDBPyConnection, entry: SourceEntry, code: str, fetcher: Fetcher,
                   today: dt.date) -> CrawlReport:
    report = CrawlReport(entry.kind, code, entry.source, "loaded")
    page = fetcher.get(entry.source)
    report.pages = 1
    if entry.kind == "catalog":
        _changed(con, report, code, entry, page, today)
    try:
        result = api.load_entry(con, entry, page.body)
    except LoadError as exc:
        is_page = content_format(page.body, entry.source) == "html"
        if entry.kind != "catalog" or not is_page or not any(p.kind is ProblemKind.NO_TABLE for p in exc.problems):
            raise _Recorded(exc.problems) from None
        result = _catalog_from_article(con, entry, code, fetcher, page, report, today)
    for name in ("result", "rows_read", "rows_loaded", "rows_rejected", "run_id", "problems"):
        setattr(report, name, getattr(result, name))
    report.new, report.unchanged = (0, 1) if result.result == "unchanged" else (1, 0)
    return report


def _step(progress: Progress | None, n: int, total: int, source: str) -> Callable[[float], None] | None:
    """Progress inside source n of total: the overall fraction, with the source as the message."""
    if progress is None:
        return None
    return lambda fraction: progress((n + fraction) / max(total, 1), source)


def pull_entries(con: duckdb.DuckDBPyConnection, entries: list[SourceEntry], *, raw_dir: Path,
                 progress: Progress | None = None, delay: float | None = None, timeout: float, retries: int,
                 max_bytes: int, deadline_s: float, today: dt.date | None = None,
                 pacer: Pacer | None = None) -> list[LoadResult]:
    """Load every entry in order; see module docstring. Never raises for one source's failure."""
    today = today or dt.date.today()
    pacer = pacer or Pacer()
    results: list[LoadResult] = []
    for n, entry in enumerate(entries):
        if progress:
            progress(n / max(len(entries), 1), entry.source)
        code = district_code(entry.district)
        try:
            if code is None:
                raise LoadError([LoadProblem(ProblemKind.UNKNOWN_DISTRICT, entry.source, value=entry.district)])
            if not http_pull.is_url(entry.source):
                try:
                    results.append(api.load_entry(con, entry))
                except LoadError as exc:
                    raise _Recorded(exc.problems) from None
                continue
            overall = max(deadline_s, COLUMN_DEADLINE_S) if entry.kind == "column" else deadline_s
            fetcher = Fetcher(con, raw_dir, code, delay_s=entry.delay_s if delay is None else delay, pacer=pacer,
                              timeout=timeout, retries=retries, max_bytes=max_bytes,
                              deadline=time.monotonic() + overall, page_deadline_s=deadline_s,
                              allowed_hosts=entry.allow_hosts, today=today)
            try:
                if entry.kind == "column":
                    results.append(crawl_column(con, entry, code, fetcher, today, _step(progress, n, len(entries),
                                                                                         entry.source)))
                else:
                    results.append(_fetched_entry(con, entry, code, fetcher, today))
            finally:
                fetcher.flush()
        except LoadError as exc:
            if not isinstance(exc, _Recorded):
                kind = "disclosures" if entry.kind == "column" else entry.kind
                store.record_refused(con, kind, code, entry.source, None, exc.problems)
            results.append(CrawlReport(entry.kind, code, entry.source, "refused", problems=exc.problems,
                                       errors=1))
    if progress:
        progress(1.0, "")
    return results
