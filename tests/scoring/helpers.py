"""Scoring test helpers (imported as `tests.scoring.helpers`): insert the smallest rows a rule needs
straight into district_catalogs, district_catalog_rows and disclosures, keyed with the loaders' own
`name_key` and matched with `loaders.db.refresh_matches`. Also `apply_fix`, the one oracle that
does a what-if fix for real on a database (the scoring and the self-check planner tests check
predicted gains against it). conftest.py files hold only fixtures and are never imported."""
from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path
from typing import Any

import duckdb

from loaders.db import refresh_matches
from loaders.names import name_key

ELEMENTS = ("content", "basis", "time_limit", "subject", "channels", "audience", "method",
            "disclosure_level")

_seq = itertools.count(1000)


# Codes of units used throughout the scoring tests.
ZHONGYUAN, ERQI, GUANCHENG, JINSHUI = "410102", "410103", "410104", "410105"


def city_items(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(item_id, level1, level2) of the loaded city catalog in order."""
    return con.execute("SELECT item_id, level1, level2 FROM standard_catalog ORDER BY seq").fetchall()


def full_row(level1: str, level2: str, blanks: tuple[str, ...] = ()) -> dict[str, Any]:
    """A catalog row with all nine elements filled except the columns in `blanks`."""
    row: dict[str, Any] = {"level1": level1, "level2": level2}
    for e in ELEMENTS:
        row[e] = None if e in blanks else f"{e}-text"
    return row


def add_catalog(con: duckdb.DuckDBPyConnection, code: str, published_on: dt.date | None,
                rows: list[dict[str, Any]], document_no: str | None = None,
                loaded_at: dt.datetime = dt.datetime(2026, 1, 5, 9, 0)) -> str:
    """Insert one catalog version (loaded after every earlier one) and match its rows."""
    seq = next(_seq)
    catalog_id = f"{code}-{seq}"
    con.execute("INSERT INTO district_catalogs (catalog_id, district_code, published_on, document_no, "
                "source, content_hash, load_seq, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [catalog_id, code, published_on, document_no, f"test-{seq}.xlsx", f"hash-{seq}", seq, loaded_at])
    if rows:
        con.executemany("INSERT INTO district_catalog_rows (catalog_id, row_no, level1, level2, level1_key, "
                        "level2_key, content, basis, time_limit, subject, channels, audience, method, "
                        "disclosure_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [[catalog_id, i, r["level1"], r["level2"], name_key(r["level1"]), name_key(r["level2"]),
                          *[r.get(e) for e in ELEMENTS]] for i, r in enumerate(rows, start=1)])
    refresh_matches(con)
    return catalog_id


def add_full_catalog(con: duckdb.DuckDBPyConnection, code: str, published_on: dt.date,
                     document_no: str | None = None, skip: tuple[str, ...] = (),
                     blanks: dict[str, tuple[str, ...]] | None = None,
                     extra: list[dict[str, Any]] | None = None) -> str:
    """A catalog holding every city item (except item_ids in `skip`) with all nine elements,
    except the blank columns given per item_id in `blanks`, plus `extra` rows at the end."""
    blanks = blanks or {}
    rows = [full_row(l1, l2, blanks.get(i, ())) for i, l1, l2 in city_items(con) if i not in skip]
    return add_catalog(con, code, published_on, rows + (extra or []), document_no)


def add_disclosure(con: duckdb.DuckDBPyConnection, code: str, title: str, level1: str | None,
                   level2: str | None, formed_on: dt.date | None, published_on: dt.date | None,
                   refresh: bool = True) -> str:
    """Insert one disclosure row and match it to its city item (unless refresh is False)."""
    seq = next(_seq)
    disclosure_id = f"{code}:test#{seq}"
    con.execute("INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_raw, "
                "level1_key, level2_key, formed_on, published_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [disclosure_id, code, f"{code}:test", seq, title, f"{level1}/{level2}",
                 name_key(level1) if level1 else None, name_key(level2) if level2 else None,
                 formed_on, published_on])
    if refresh:
        refresh_matches(con)
    return disclosure_id


def cover_every_item(con: duckdb.DuckDBPyConnection, code: str, published_on: dt.date,
                     skip: tuple[str, ...] = ()) -> None:
    """One disclosure per city item (except `skip`), published on `published_on`, formation unknown."""
    for item_id, l1, l2 in city_items(con):
        if item_id not in skip:
            add_disclosure(con, code, f"{l2}公告", l1, l2, None, published_on, refresh=False)
    refresh_matches(con)


def copy_db(path: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(path, target)
    return target


def apply_fix(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date, fixes: list[Any]) -> None:
    """Do what-if fixes for real, on as_of: catalog fixes publish one new catalog version copying the
    effective one (rows added/filled, 文号 kept or issued); disclosure fixes publish that day."""
    eff = con.execute("SELECT catalog_id, document_no FROM district_catalogs WHERE district_code = ? "
                      "AND published_on <= ? ORDER BY published_on DESC, load_seq DESC LIMIT 1",
                      [code, as_of]).fetchone()
    catalog_fixes = [f for f in fixes if f.kind in ("add_item", "fill_elements", "issue_catalog",
                                                      "publish_catalog")]
    if catalog_fixes:
        rows: list[dict[str, Any]] = []
        if eff:
            cols = ["row_no", "level1", "level2", *ELEMENTS]
            for values in con.execute(f"SELECT {', '.join(cols)} FROM district_catalog_rows "
                                      "WHERE catalog_id = ? ORDER BY row_no", [eff[0]]).fetchall():
                row = dict(zip(cols, values))
                if any(f.kind == "fill_elements" and f.key == f"{eff[0]}#{row['row_no']}" for f in fixes):
                    row.update({e: row[e] or f"{e}-filled" for e in ELEMENTS})
                rows.append(row)
        for f in fixes:
            if f.kind == "publish_catalog":
                rows += [full_row(l1, l2) for _, l1, l2 in city_items(con)]
            if f.kind == "add_item":
                l1, l2 = con.execute("SELECT level1, level2 FROM standard_catalog WHERE item_id = ?",
                                     [f.key]).fetchone()
                rows.append(full_row(l1, l2))
        doc = "测试〔2026〕1号" if any(f.kind in ("issue_catalog", "publish_catalog") for f in fixes) else (eff[1] if eff else None)
        add_catalog(con, code, as_of, rows, doc)
    for f in fixes:
        if f.kind == "publish_item":
            l1, l2 = con.execute("SELECT level1, level2 FROM standard_catalog WHERE item_id = ?",
                                 [f.key]).fetchone()
            add_disclosure(con, code, f"{l2}补充公开", l1, l2, None, as_of)
        elif f.kind in ("publish_pending", "publish_overdue"):
            con.execute("UPDATE disclosures SET published_on = ? WHERE disclosure_id = ?", [as_of, f.key])
        elif f.kind == "publish_interpretation":
            title = con.execute("SELECT title FROM disclosures WHERE disclosure_id = ?", [f.key]).fetchone()[0]
            name = title[title.index("《"):title.index("》") + 1]
            add_disclosure(con, code, f"{name}政策解读", "政策解读", "本级政策解读", None, as_of)
        elif f.kind == "provide_evidence":  # the evaluator records full marks on the evidence (DESIGN §12)
            from scoring import findings, load_rules

            rules = load_rules()
            ind = rules.manual.indicator(f.key)
            findings.record(con, rules, code, f.key, "是" if ind.scale == "yes_no" else f"{ind.max_points:g}",
                            as_of, recorded_by="测试", evidence_url=f"https://evidence.test/{f.key}")
