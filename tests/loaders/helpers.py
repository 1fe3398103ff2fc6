"""Plain helpers shared by the tests of tests/loaders/ (imported as `tests.loaders.helpers`;
conftest.py holds only fixtures and is never imported by a test)."""
from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "tests" / "data"

DATA_TABLES = ("meta", "districts", "district_aliases", "item_synonyms", "standard_catalog", "calendar",
               "district_catalogs", "district_catalog_rows", "disclosures", "disclosure_sources")

AUDIT_TABLES = ("load_runs", "rejected_rows")


def snapshot(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = DATA_TABLES) -> dict[str, list[tuple]]:
    """Every row of each table, ordered, for before/after comparisons (the one table-by-table
    oracle of the tests: tests/reliability/helpers.py uses it too)."""
    out = {}
    for t in tables:
        out[t] = con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
    return out


def main_tables(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Every table of the database's main schema, by name (for a snapshot of all of them)."""
    return tuple(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'main' ORDER BY 1").fetchall())


def tsv_rows() -> list[dict[str, str]]:
    with (ROOT / "data" / "standard_catalog.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def nfkc(text: str) -> str:
    # The loaders store cell text as a person reads it: NFKC, so （ becomes (.
    return unicodedata.normalize("NFKC", text)


def numbered(text: str) -> str:
    parts = [p for p in text.split(";") if p]
    return nfkc(parts[0] if len(parts) == 1 else "\n".join(f"{i}.{p}" for i, p in enumerate(parts, 1)))


def kept_channels(text: str) -> str:
    """'■政府网站；□政府公报；■公开查阅点' -> '政府网站；公开查阅点' (the ■ items only)."""
    items = [i for i in text.split("；") if i.startswith("■")]
    return "；".join(i[1:] for i in items)


def expected_row(r: dict[str, str]) -> dict[str, str]:
    """The stored elements of a catalog row generated from tsv row r."""
    return {
        "level1": r["level1"], "content": numbered(r["content_elements"]), "basis": numbered(r["basis"]),
        "time_limit": nfkc(r["time_limit"]), "subject": nfkc(r["subject"]),
        "channels": kept_channels(r["channels"]),
        "audience": "、".join(r["audience"].split(";")), "method": "、".join(r["method"].split(";")),
        "disclosure_level": "、".join(r["level"].split(";")),
    }
