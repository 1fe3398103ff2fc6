"""Read-only display queries the pages need beyond evaluation.

Standard catalog browse, one unit's catalog against the city catalog as of a date, the
month × first-level heatmap of disclosures, catalog versions, per-unit filing status, load
history, rejected rows, the sample flag and a data version for cache keys. Every query is a
`queries/sql/*.sql` file run with bound parameters; each function takes an open DuckDB
connection and returns a DataFrame (or a scalar). Nothing here writes, imports Streamlit or
imports `loaders`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from queries import reader
from scoring import districts as scoring_districts


def _frame(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    return reader.run(con, name, params)


def districts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The 16 units: code, name, kind, sort_order, in the bureau's order (`scoring.districts.units`)."""
    return scoring_districts.units(con)


def standard_catalog(con: duckdb.DuckDBPyConnection, query: str | None = None) -> pd.DataFrame:
    """City catalog rows (item_id, seq, level1, level2, the elements, time_limit_workdays,
    confidence, sources, notes) whose text contains `query` (case-insensitive; None or blank = all)."""
    q = query.strip() if query else None
    return _frame(con, "standard_catalog", {"q": q or None})


def effective_catalog(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date) -> dict[str, Any] | None:
    """The unit's catalog version in force on `as_of` (catalog_id, published_on, document_no,
    url, filed_on, source, loaded_at), or None when it has published none by then."""
    frame = _frame(con, "effective_catalog", {"code": code, "as_of": as_of})
    return None if frame.empty else frame.iloc[0].to_dict()


def catalog_diff(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date) -> pd.DataFrame:
    """The unit's effective catalog against the city catalog.

    One row per city item with status 'present' or 'missing', then one per unmatched district
    row with status 'local_addition'. Columns: status, item_id, seq, level1, level2 (city names;
    the district's own for local additions), district_level2, row_no, blank_elements (list of
    element column names), n_blank. Without an effective catalog every city item is 'missing'.
    """
    return _frame(con, "catalog_diff", {"code": code, "as_of": as_of})


def disclosure_heatmap(con: duckdb.DuckDBPyConnection, code: str, since: dt.date,
                       as_of: dt.date) -> pd.DataFrame:
    """Disclosures published in [since, as_of] per month ('YYYY-MM') and first-level item.

    Full grid with zeros: columns month, level1 (None = not matched to a city item; present only
    when such disclosures exist), level1_order, n.
    """
    return _frame(con, "heatmap", {"code": code, "since": since, "as_of": as_of})


def catalog_versions(con: duckdb.DuckDBPyConnection, code: str) -> pd.DataFrame:
    """Every loaded catalog of the unit, oldest first: catalog_id, published_on, document_no,
    filed_on, url, source, loaded_at, rows, matched_items."""
    return _frame(con, "loaded_catalogs", {"code": code})


def catalog_filing(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    """Per unit (all 16, bureau order): code, name, kind and the catalog in force on `as_of`
    (published_on, document_no, filed_on, url; NULL when none)."""
    return _frame(con, "catalog_filing", {"as_of": as_of})


def load_history(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """The latest `limit` load attempts, newest first: run_id, started_at, kind, district_code,
    name, source, result, rows_read, rows_loaded, rows_rejected, message."""
    return _frame(con, "load_history", {"limit": limit})


def rejected_rows(con: duckdb.DuckDBPyConnection, run_id: int | None = None) -> pd.DataFrame:
    """Rejected rows with their Chinese reasons (all runs, or one): run_id, seq, kind, name,
    problem, file, sheet, row_no, column_name, value, message, run_result (the run's result)."""
    return _frame(con, "rejected_rows", {"run_id": run_id})


def meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """One `meta` value (is_sample, standard_source, schema_initialised_at …), None when unset:
    the one read accessor of the front ends (the loaders write it with `loaders.db.set_meta`)."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the bundled sample data is loaded (meta is_sample = '1')."""
    return meta(con, "is_sample") == "1"


def standard_source(con: duckdb.DuckDBPyConnection) -> str:
    """'official' once the issued table replaced the bundled one, else 'reconstruction'."""
    return meta(con, "standard_source") or "reconstruction"


def data_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How much district data is loaded: {"catalogs": n, "disclosures": n}."""
    row = con.execute("SELECT (SELECT count(*) FROM district_catalogs), (SELECT count(*) FROM disclosures)").fetchone()
    return {"catalogs": int(row[0]), "disclosures": int(row[1])}


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever data is loaded (last load run) or the file is rebuilt: a cache key."""
    row = con.execute(
        "SELECT coalesce(max(run_id), 0)::VARCHAR || ':' || "
        "coalesce((SELECT value FROM meta WHERE key = 'schema_initialised_at'), '') FROM load_runs"
    ).fetchone()
    return str(row[0])


# ── crawl (issue #15): what 网站抓取 shows; `code` None = every unit ──
def crawl_backdated(con: duckdb.DuckDBPyConnection, code: str | None, threshold_days: int) -> pd.DataFrame:
    """疑似倒签: name, title, url, published_on, url_date, first_seen, backdated_days."""
    return _frame(con, "crawl_backdated", {"district": code or "", "threshold": threshold_days})


def crawl_events(con: duckdb.DuckDBPyConnection, code: str | None) -> pd.DataFrame:
    """Drift events: name, kind, url, old_value, new_value, old_evidence, new_evidence, seen_on."""
    return _frame(con, "crawl_events", {"district": code or ""})


def crawl_skipped(con: duckdb.DuckDBPyConnection, code: str | None) -> pd.DataFrame:
    """Entries recorded but not scored: name, status, title, url, list_date."""
    return _frame(con, "crawl_skipped", {"district": code or ""})


def crawl_pending(con: duckdb.DuckDBPyConnection, code: str | None) -> pd.DataFrame:
    """Articles awaiting an item: name, title, url, suggested_item, confidence."""
    return _frame(con, "crawl_pending", {"district": code or ""})
