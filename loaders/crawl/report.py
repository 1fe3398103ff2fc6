"""The data steward's side of the crawl: the confirmation of an article's item (`confirm`),
stored and reused by later crawls, the item choices, and the CLI/page lines of a pull.
What the crawl recorded (疑似倒签 flags, drift events, skipped entries, articles awaiting an
item) is read by the pages through `queries.views.crawl_*` (queries/sql/crawl_*.sql)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from loaders.crawl.items import CityItems
from loaders.crawl.run import CrawlReport, _rebuild, crawl_rules
from loaders.model import LoadResult

__all__ = ["confirm", "crawl_rules", "item_choices", "pull_lines", "summary_counts"]

SQL = Path(__file__).resolve().parent / "sql"


def confirm(con: duckdb.DuckDBPyConnection, url: str, item: str, today: dt.date | None = None) -> str | None:
    """Put the crawled article at `url` under `item` ("一级/二级" or a second-level name), remember
    it for later crawls, and rebuild that column's disclosures. Returns the item id, or None when
    the item is unknown; raises KeyError when no crawled article has that URL."""
    item_id, _ = CityItems(con, [item]).match(item)
    if item_id is None:
        return None
    rows = con.execute("SELECT source_key, district_code FROM crawl_articles WHERE url = ?", [url]).fetchall()
    if not rows:
        raise KeyError(url)
    con.execute("INSERT OR REPLACE INTO crawl_confirmations (url, item_id, confirmed_on) VALUES (?, ?, ?)",
                [url, item_id, today or dt.date.today()])
    con.execute("UPDATE crawl_articles SET item_id = ?, item_basis = 'confirmed', suggested_item = NULL WHERE url = ?",
                [item_id, url])
    latest = crawl_rules()[1]
    for key, code in rows:
        column_url = key.split(":column:", 1)[1]
        _rebuild(con, CrawlReport("column", code, column_url, "loaded"), code, key, column_url, latest)
    return item_id


def item_choices(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every city item as "一级/二级", in catalog order (the choices of a confirmation)."""
    return [f"{a}/{b}" for a, b in con.execute("SELECT level1, level2 FROM standard_catalog ORDER BY seq").fetchall()]


def pull_lines(results: list[LoadResult]) -> pd.DataFrame:
    """One row per crawled or fetched source of a pull, as the CLI prints it: source, result,
    pages, new, changed, unchanged, removed, off_site, off_field, blocked, errors, events."""
    rows = [{"source": r.source, "result": r.result, "pages": r.pages, "new": r.new, "changed": r.changed,
             "unchanged": r.unchanged, "removed": r.removed, "off_site": r.off_site, "off_field": r.off_field,
             "blocked": r.blocked, "errors": r.errors, "events": len(r.events)}
            for r in results if isinstance(r, CrawlReport)]
    return pd.DataFrame(rows)


def summary_counts(results: list[LoadResult]) -> dict[str, int]:
    """Totals of a pull (the CLI's and the page's summary line): sources, failed, pages, new,
    changed, removed, events, errors."""
    reports = [r for r in results if isinstance(r, CrawlReport)]
    return {"sources": len(results), "failed": sum(1 for r in results if r.result == "refused"),
            "pages": sum(r.pages for r in reports), "new": sum(r.new for r in reports),
            "changed": sum(r.changed for r in reports), "removed": sum(r.removed for r in reports),
            "events": sum(len(r.events) for r in reports), "errors": sum(r.errors for r in reports)}
