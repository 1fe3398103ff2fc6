"""Crawl one registered `[[column]]`, or fetch a `[[catalog]]` article with its attachment.

A column is followed through its pagination (`loaders.crawl.listing`); entries are deduplicated
by canonical URL, then by normalised title + list date. Off-site entries are recorded as
'off_site' and never followed; each new on-site article is fetched once (`Fetcher`: polite,
conditional, evidence kept), its metadata read (`loaders.crawl.article`), its item resolved
(`loaders.crawl.items`) and its row written to `crawl_articles` at once — so a crawl killed at
any point resumes where it stopped, without duplicates. Known articles are fetched again only
when their list entry changed. When every list page was read, articles no longer listed are
'removed'. Drift against an earlier complete crawl (added, removed, title or date changed) is
written to `crawl_events` with both evidence snapshots. Finally the column's `disclosures`
are rebuilt from its active articles through `loaders.store.store_disclosures` (one
transaction; identical rows are a no-op).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from loaders import store
from loaders.crawl.article import Article, parse_article
from loaders.crawl.fetcher import Fetcher, Page
from loaders.crawl.items import CityItems
from loaders.crawl.listing import ListEntry, parse_list_page
from loaders.crawl.pages import same_site, title_key, url_date
from loaders.detect import decode_text
from loaders.errors import LoadError, ProblemKind
from loaders.model import LoadResult
from loaders.names import DATA_DIR
from loaders.sources import SourceEntry

RULES_TOML = DATA_DIR.parent / "scoring" / "rules.toml"
CRAWL_SQL = Path(__file__).resolve().parent / "sql"


@dataclass
class CrawlReport(LoadResult):
    """A LoadResult with what the crawl of one source did (one CLI line per source)."""
    pages: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: int = 0
    off_site: int = 0
    off_field: int = 0
    blocked: int = 0
    events: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)  # kind, url, old, new


def crawl_rules(path: Path | None = None) -> tuple[int, bool]:
    """(backdate_threshold_days, timeliness_uses_latest_credible_date) from the rules file's [crawl]
    (`scoring/rules.toml` unless `path`; env COMPLIANCE_RULES names another file)."""
    path = path or Path(os.environ.get("COMPLIANCE_RULES") or RULES_TOML)
    try:
        section: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8")).get("crawl", {})
    except (OSError, tomllib.TOMLDecodeError):
        section = {}
    return int(section.get("backdate_threshold_days", 3)), bool(section.get("timeliness_uses_latest_credible_date",
                                                                            False))


def source_key(code: str, url: str) -> str:
    return f"{code}:column:{url}"


def _event(con: duckdb.DuckDBPyConnection, report: CrawlReport, code: str, key: str, kind: str, url: str,
           old: str | None, new: str | None, old_evidence: str | None, new_evidence: str | None,
           today: dt.date) -> None:
    con.execute("INSERT INTO crawl_events (event_id, district_code, source_key, kind, url, old_value, new_value, "
                "old_evidence, new_evidence, seen_on) VALUES (nextval('crawl_event_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [code, key, kind, url, old, new, old_evidence, new_evidence, today])
    report.events.append((kind, url, old, new))


def _list_pages(fetcher: Fetcher, entry: SourceEntry, report: CrawlReport) -> tuple[list[ListEntry], list[str],
                                                                                      str, bool]:
    """Every entry of the column's list pages, its breadcrumb, the first page's evidence, and
    whether every page was read. Raises LoadError when the first page cannot be read."""
    queue, seen = [entry.source], {entry.source}
    entries: list[ListEntry] = []
    crumb: list[str] = []
    first_evidence = ""
    complete = True
    while queue and report.pages < entry.max_pages:
        url = queue.pop(0)
        try:
            page = fetcher.get(url)
        except LoadError as exc:
            if url == entry.source:
                raise
            report.errors += 1
            report.problems += exc.problems
            complete = False
            continue
        report.pages += 1
        parsed = parse_list_page(decode_text(page.body, url), url)
        if url == entry.source:
            crumb, first_evidence = parsed.breadcrumb, page.evidence
        # page_url is replaced by the list page's evidence file: what drift events point to
        entries += [ListEntry(e.title, e.url, e.list_date, page.evidence) for e in parsed.entries]
        for nxt in parsed.more_pages + ([parsed.next_page] if parsed.next_page else []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    if queue:
        complete = False  # max_pages reached: what is not listed may still exist
    return entries, crumb, first_evidence, complete


def _dedupe(entries: list[ListEntry]) -> list[ListEntry]:
    by_url: dict[str, ListEntry] = {}
    by_title: set[tuple[str, dt.date | None]] = set()
    for e in entries:
        key = (title_key(e.title), e.list_date)
        if e.url in by_url or key in by_title:
            continue
        by_url[e.url] = e
        by_title.add(key)
    return list(by_url.values())


def _article_row(art: Article, e: ListEntry, page: Page, threshold: int, seen_late: bool,
                 today: dt.date) -> dict[str, Any]:
    displayed = art.published_on or e.list_date
    udate = url_date(e.url)
    late = [d for d in (udate, today if seen_late else None) if d is not None]
    days = max(((d - displayed).days for d in late), default=0) if displayed else 0
    return {"title": e.title, "list_date": e.list_date, "published_on": art.published_on,
            "formed_on": art.written_on, "formed_basis": "field" if art.formed_on else (
                "signature" if art.signature_date else None),
            "url_date": udate, "backdated_days": days if days > 0 else None, "index_no": art.index_no,
            "publisher": art.publisher, "document_no": art.document_no, "source_link": art.source_link,
            "attachments": "\n".join(u for u, _ in art.attachments) or None, "page_evidence": page.evidence}


_ARTICLE_COLUMNS = ("source_key", "url", "district_code", "row_no", "title", "status", "list_date", "published_on",
                    "formed_on", "formed_basis", "url_date", "first_seen", "seen_late", "backdated_days",
                    "index_no", "publisher", "document_no", "source_link", "attachments", "item_id", "item_basis",
                    "suggested_item", "confidence", "list_evidence", "page_evidence", "problem")


def _upsert(rows: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    rows[row["url"]] = row


def _write_articles(con: duckdb.DuckDBPyConnection, rows: dict[str, dict[str, Any]]) -> None:
    """Write queued crawl_articles rows in one statement (see `Fetcher.flush` for why)."""
    if not rows:
        return
    frame = pd.DataFrame([[r.get(c) for c in _ARTICLE_COLUMNS] for r in rows.values()], columns=list(_ARTICLE_COLUMNS))
    frame = frame.astype({"row_no": "int64", "seen_late": "bool", "backdated_days": "Int64", "confidence": "float64"})
    for c in ("list_date", "published_on", "formed_on", "url_date", "first_seen"):
        frame[c] = pd.to_datetime(frame[c]).dt.date
    cur = con.cursor()  # its own statement state: an open result on `con` cannot block it
    cur.register("_crawl_articles_in", frame)
    try:
        cols = ", ".join(_ARTICLE_COLUMNS)
        cur.execute(f"INSERT OR REPLACE INTO crawl_articles ({cols}) SELECT {cols} FROM _crawl_articles_in")
    finally:
        cur.close()
    rows.clear()


def crawl_column(con: duckdb.DuckDBPyConnection, entry: SourceEntry, code: str, fetcher: Fetcher,
                 today: dt.date, step: Callable[[float], None] | None = None) -> CrawlReport:
    """Crawl one column (see module docstring). Raises LoadError only when its first list page
    cannot be read; article failures are counted in `errors` and retried on the next crawl.
    `step(fraction)` is told how far through the column's entries the crawl is (every 25 entries)."""
    key = source_key(code, entry.source)
    report = CrawlReport("column", code, entry.source, "loaded")
    con.execute("INSERT INTO crawl_columns (source_key, district_code, url, item) SELECT ?, ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM crawl_columns WHERE source_key = ?)",
                [key, code, entry.source, entry.item, key])
    first_crawled = con.execute("SELECT first_crawled FROM crawl_columns WHERE source_key = ?", [key]).fetchall()[0][0]
    threshold, latest_credible = crawl_rules()
    entries, crumb, first_evidence, complete = _list_pages(fetcher, entry, report)
    entries = _dedupe(entries)
    items = CityItems(con, [entry.item, *crumb])
    known = {r[0]: r for r in con.execute(
        "SELECT url, title, list_date, status, row_no, first_seen, seen_late, list_evidence, published_on, "
        "page_evidence FROM crawl_articles "
        "WHERE source_key = ?", [key]).fetchall()}
    confirmed = dict(con.execute("SELECT url, item_id FROM crawl_confirmations").fetchall())
    next_row = max((r[4] for r in known.values()), default=0) + 1
    queued: dict[str, dict[str, Any]] = {}
    for n, e in enumerate(entries):
        if step is not None and n and n % 25 == 0:
            step(n / len(entries))
        if len(queued) >= 50:  # bounded memory; the journal keeps every fetch across a kill
            _write_articles(con, queued)
            fetcher.flush()
        old = known.get(e.url)
        base: dict[str, Any] = {"source_key": key, "url": e.url, "district_code": code, "title": e.title,
                                "list_date": e.list_date, "list_evidence": e.page_url}
        if old is None:
            base.update(row_no=next_row, first_seen=today, seen_late=first_crawled is not None)
            next_row += 1
        else:
            base.update(row_no=old[4], first_seen=old[5], seen_late=old[6])
        if not same_site(e.url, entry.source):
            if old is None:
                _upsert(queued, {**base, "status": "off_site"})
                report.off_site += 1
            elif old[1] != e.title:
                con.execute("UPDATE crawl_articles SET title = ? WHERE source_key = ? AND url = ?",
                            [e.title, key, e.url])
            continue
        listed_same = old is not None and old[1] == e.title and old[2] == e.list_date
        if old is not None and listed_same and old[3] in ("active", "off_field", "blocked"):
            report.unchanged += 1
            continue
        if old is not None and old[3] not in ("failed", "removed") and first_crawled is not None:
            if old[1] != e.title:
                _event(con, report, code, key, "title_changed", e.url, old[1], e.title, old[7], e.page_url, today)
            if old[2] != e.list_date:
                _event(con, report, code, key, "date_changed", e.url, str(old[2]), str(e.list_date), old[7],
                       e.page_url, today)
        try:
            page = fetcher.get(e.url)
        except LoadError as exc:
            if exc.problems[0].kind is ProblemKind.ROBOTS_DISALLOWED:  # the site's rule, not an error
                _upsert(queued, {**base, "status": "blocked", "problem": exc.problems[0].message})
                report.blocked += 1
                continue
            report.errors += 1
            report.problems += exc.problems
            if old is None or old[3] == "failed":
                _upsert(queued, {**base, "status": "failed", "problem": exc.problems[0].message})
            continue
        art = parse_article(decode_text(page.body, e.url), e.url, e.title)
        if old is not None and old[3] != "failed" and first_crawled is not None and old[8] is not None \
                and art.published_on is not None and art.published_on != old[8]:
            _event(con, report, code, key, "date_changed", e.url, str(old[8]), str(art.published_on), old[9],
                   page.evidence, today)
        resolved = items.resolve(e.title, entry.item, crumb, confirmed.get(e.url))
        status = "off_field" if resolved.off_field else "active"
        _upsert(queued, {**base, **_article_row(art, e, page, threshold, bool(base["seen_late"]), today),
                      "status": status, "item_id": resolved.item_id, "item_basis": resolved.basis,
                      "suggested_item": resolved.suggested, "confidence": resolved.confidence})
        if status == "off_field":
            report.off_field += 1
        elif old is None or old[3] in ("failed", "removed"):
            report.new += 1
            if first_crawled is not None and (old is None or old[3] == "removed"):  # new, or listed again
                _event(con, report, code, key, "added", e.url, None, e.title, None, e.page_url, today)
        else:
            report.changed += 1
    _write_articles(con, queued)
    fetcher.flush()
    if complete:
        listed = {e.url for e in entries}
        for url, (_, title, _, status, *_rest) in known.items():
            if url not in listed and status != "removed":
                con.execute("UPDATE crawl_articles SET status = 'removed' WHERE source_key = ? AND url = ?",
                            [key, url])
                if status in ("active", "off_field"):
                    report.removed += 1
                    if first_crawled is not None:
                        _event(con, report, code, key, "removed", url, title, None, known[url][7], first_evidence,
                               today)
        con.execute("UPDATE crawl_columns SET first_crawled = coalesce(first_crawled, ?), breadcrumb = ?, "
                    "pages = ? WHERE source_key = ?", [today, " > ".join(crumb) or None, report.pages, key])
    _rebuild(con, report, code, key, entry.source, latest_credible)
    return report


def _rebuild(con: duckdb.DuckDBPyConnection, report: CrawlReport, code: str, key: str, url: str,
             latest_credible: bool) -> None:
    sql = (CRAWL_SQL / "crawl_disclosure_rows.sql").read_text(encoding="utf-8")
    rows: pd.DataFrame = con.execute(sql, {"source_key": key, "latest_credible": latest_credible}).df()
    digest = hashlib.sha256(rows.to_csv(index=False).encode("utf-8")).hexdigest()
    held = con.execute("SELECT 1 FROM disclosure_sources WHERE source_key = ?", [key]).fetchall()
    if rows.empty and not held:
        return
    stored = store.store_disclosures(con, district_code=code, source=url, source_key=key, content_hash=digest,
                                     rows=rows, problems=[], rows_read=len(rows))
    report.run_id, report.rows_read, report.rows_loaded = stored.run_id, stored.rows_read, stored.rows_loaded
    report.result = stored.result if not report.errors else "partial"
