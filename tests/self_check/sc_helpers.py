"""Helpers shared by the self-check tests (a plain module: test files cannot import conftest).

`add_catalog` / `add_disclosure` insert rows straight into the schema's tables (what a loader
would store), so the checklist query can be pinned independently of the loaders.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")
TODAY = dt.date(2024, 6, 30)  # COMPLIANCE_TODAY of the self-check page tests (a Sunday)
BUREAU = {"role": "bureau", "district_code": None}

ELEMENTS = ("content", "basis", "time_limit", "subject", "channels", "audience", "method",
            "disclosure_level")


def add_catalog(con: duckdb.DuckDBPyConnection, district: str, catalog_id: str,
                published_on: dt.date | None, rows: list[dict[str, object]],
                document_no: str | None = None, load_seq: int = 1) -> None:
    """A catalog version and its rows; each row dict: item_id (or None), level2, blank (columns)."""
    con.execute(
        "INSERT INTO district_catalogs (catalog_id, district_code, published_on, document_no, source,"
        " content_hash, load_seq, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, now())",
        [catalog_id, district, published_on, document_no, f"{catalog_id}.xlsx", catalog_id, load_seq])
    for no, row in enumerate(rows, start=1):
        blank = set(row.get("blank", ()))  # type: ignore[arg-type]
        values = [None if c in blank else "x" for c in ELEMENTS]
        con.execute(
            "INSERT INTO district_catalog_rows (catalog_id, row_no, level1, level2, level1_key, level2_key,"
            " content, basis, time_limit, subject, channels, audience, method, disclosure_level,"
            " matched_item_id) VALUES (?, ?, 'l1', ?, 'l1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [catalog_id, no, row["level2"], row["level2"], *values, row.get("item_id")])


def add_disclosure(con: duckdb.DuckDBPyConnection, district: str, disclosure_id: str,
                   item_id: str | None, formed_on: dt.date | None, published_on: dt.date | None,
                   title: str = "t") -> None:
    con.execute(
        "INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_id,"
        " formed_on, published_on) VALUES (?, ?, 'src', ?, ?, ?, ?, ?)",
        [disclosure_id, district, int(disclosure_id.lstrip("d") or 0), title, item_id, formed_on,
         published_on])



def download_bytes(at: AppTest, key: str, seen: dict[str, bytes]) -> bytes:
    """The bytes behind the download button `key` of the last run."""
    url = at.get("download_button")
    button = next(b for b in url if b.proto.id.endswith(key) or key in b.proto.id)
    stem = button.proto.deferred_file_id or button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return seen[stem]
