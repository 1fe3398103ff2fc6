"""What the crawl recorded, for the pages and the CLI: 疑似倒签 flags per unit, drift events,
off-site / off-field / blocked entries, articles awaiting an item decision — and the data
steward's confirmation of an article's item (`confirm`), stored and reused by later crawls.
Read functions return DataFrames with English column names (labels in ui_text.crawl)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from loaders.crawl.items import CityItems
from loaders.crawl.run import CrawlReport, _rebuild, crawl_rules
from loaders.model import LoadResult

__all__ = ["backdated", "confirm", "crawl_rules", "events", "item_choices", "pending", "pull_lines", "skipped",
           "summary_counts"]

SQL = Path(__file__).resolve().parent / "sql"


def _unit(district_code: str | None) -> str:
    return "" if district_code is None else district_code


def backdated(con: duckdb.DuckDBPyConnection, district_code: str | None = None,
              threshold_days: int | None = None) -> pd.DataFrame:
    """Articles whose URL or credible first-seen date is later than the displayed date by more
    than the rules threshold: district, title, url, published_on, url_date, first_seen, backdated_days."""
    days = crawl_rules()[0] if threshold_days is None else threshold_days
    return con.execute(
        "SELECT d.name AS district, a.title, a.url, coalesce(a.published_on, a.list_date) AS published_on, "
        "a.url_date, a.first_seen, a.backdated_days FROM crawl_articles a JOIN districts d ON d.code = a.district_code "
        "WHERE a.status = 'active' AND a.backdated_days > ? AND (? = '' OR a.district_code = ?) "
        "ORDER BY d.sort_order, a.backdated_days DESC, a.url", [days, _unit(district_code), _unit(district_code)]).df()


def events(con: duckdb.DuckDBPyConnection, district_code: str | None = None) -> pd.DataFrame:
    """Drift events, newest first: district, kind, title/url, old/new value and evidence, seen_on."""
    return con.execute(
        "SELECT d.name AS district, e.kind, e.url, e.old_value, e.new_value, e.old_evidence, e.new_evidence, e.seen_on "
        "FROM crawl_events e JOIN districts d ON d.code = e.district_code WHERE (? = '' OR e.district_code = ?) "
        "ORDER BY e.seen_on DESC, e.event_id DESC", [_unit(district_code), _unit(district_code)]).df()


def skipped(con: duckdb.DuckDBPyConnection, district_code: str | None = None) -> pd.DataFrame:
    """Entries recorded but never scored (off-site, off-field, blocked by robots.txt)."""
    return con.execute(
        "SELECT d.name AS district, a.status, a.title, a.url, a.list_date FROM crawl_articles a "
        "JOIN districts d ON d.code = a.district_code WHERE a.status IN ('off_site', 'off_field', 'blocked') "
        "AND (? = '' OR a.district_code = ?) ORDER BY d.sort_order, a.status, a.url",
        [_unit(district_code), _unit(district_code)]).df()


def pending(con: duckdb.DuckDBPyConnection, district_code: str | None = None) -> pd.DataFrame:
    """Active articles without an item (未归类), with the classifier's suggestion and confidence."""
    return con.execute(
        "SELECT d.name AS district, a.title, a.url, a.suggested_item, a.confidence FROM crawl_articles a "
        "JOIN districts d ON d.code = a.district_code WHERE a.status = 'active' AND a.item_id IS NULL "
        "AND (? = '' OR a.district_code = ?) ORDER BY d.sort_order, a.url",
        [_unit(district_code), _unit(district_code)]).df()


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
