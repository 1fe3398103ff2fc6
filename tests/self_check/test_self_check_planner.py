"""The fix planner's promise: a fix's predicted gain is the score change the unit really gets
when the fix is done, and what_if(top N) is the score, grade and rank after doing all N.

"Done" is written with plain SQL on a copy of the sample, the way the what-if contract describes
it (scoring/whatif.py): a catalog fix publishes a new catalog version on as_of (a copy of the
effective catalog with the row added or filled, same 文号); a missing item's fix publishes one
disclosure on as_of with no formation date. Then scoring.evaluate runs again on the copy.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from sc_helpers import TODAY
from scoring import evaluate, fix_candidates, what_if

ELEMENTS = ("level2", "content", "basis", "time_limit", "subject", "channels", "audience", "method",
            "disclosure_level")
APPLIED_KINDS = ("add_item", "fill_elements", "publish_item", "publish_pending", "issue_catalog",
                 "publish_interpretation")
INTERPRETATION_ITEM = "S40"  # 政策解读/本级政策解读: where a unit files its own interpretation


def _effective(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date) -> tuple | None:
    return con.execute(
        "SELECT catalog_id, document_no, filed_on, url FROM district_catalogs"
        " WHERE district_code = ? AND published_on <= ? ORDER BY published_on DESC, load_seq DESC LIMIT 1",
        [code, as_of]).fetchone()


def _new_version(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date, tag: str) -> tuple[str, str | None]:
    """Publish a copy of the effective catalog on as_of (loaded last); returns (new id, old id)."""
    old = _effective(con, code, as_of)
    new_id = f"{code}-whatif-{tag}"
    con.execute(
        "INSERT INTO district_catalogs (catalog_id, district_code, published_on, document_no, url, filed_on,"
        " source, content_hash, load_seq, loaded_at) SELECT ?, ?, ?, ?, ?, ?, 'whatif', ?,"
        " (SELECT coalesce(max(load_seq), 0) + 1 FROM district_catalogs), now()",
        [new_id, code, as_of, old[1] if old else None, old[3] if old else None, old[2] if old else None, new_id])
    if old:
        con.execute("INSERT INTO district_catalog_rows SELECT ? AS catalog_id, * EXCLUDE (catalog_id)"
                    " FROM district_catalog_rows WHERE catalog_id = ?", [new_id, old[0]])
    return new_id, old[0] if old else None


def _filled(column: str) -> str:
    """SQL for the column's text, or a stand-in where it is blank (a filled element)."""
    return f"coalesce(nullif(trim({column}), ''), 'x')"


def apply_fix(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date, kind: str, key: str) -> None:
    if kind == "add_item":
        new_id, _ = _new_version(con, code, as_of, key)
        con.execute(
            "INSERT INTO district_catalog_rows (catalog_id, row_no, level1, level2, level1_key, level2_key,"
            f" {', '.join(ELEMENTS[1:])}, matched_item_id)"
            " SELECT ?, (SELECT coalesce(max(row_no), 0) + 1 FROM district_catalog_rows WHERE catalog_id = ?),"
            " level1, level2, level1_key, level2_key,"
            f" {', '.join(_filled(c) for c in ELEMENTS[1:])}, item_id"
            " FROM standard_catalog WHERE item_id = ?", [new_id, new_id, key])
    elif kind == "fill_elements":
        catalog_id, row_no = key.rsplit("#", 1)
        new_id, old_id = _new_version(con, code, as_of, key.replace("#", "-"))
        assert old_id == catalog_id  # the fix names a row of the effective catalog
        fill = ", ".join(f"{c} = {_filled(c)}" for c in ELEMENTS)
        con.execute(f"UPDATE district_catalog_rows SET {fill} WHERE catalog_id = ? AND row_no = ?",
                    [new_id, int(row_no)])
    elif kind == "publish_item":
        con.execute(
            "INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_raw,"
            " level1_key, level2_key, item_id, formed_on, published_on)"
            " SELECT ?, ?, 'whatif', 1, level2, level1 || '/' || level2, level1_key, level2_key, item_id,"
            " NULL, ? FROM standard_catalog WHERE item_id = ?",
            [f"whatif-{key}", code, as_of, key])
    elif kind in ("publish_pending", "publish_overdue"):
        con.execute("UPDATE disclosures SET published_on = ? WHERE disclosure_id = ? AND district_code = ?",
                    [as_of, key, code])
    elif kind == "issue_catalog":
        new_id, _ = _new_version(con, code, as_of, "issue")
        con.execute("UPDATE district_catalogs SET document_no = ? WHERE catalog_id = ?", ["whatif〔2024〕1号", new_id])
    elif kind == "publish_interpretation":
        (title,) = con.execute("SELECT title FROM disclosures WHERE disclosure_id = ?", [key]).fetchone()
        name = re.search(r"《[^》]+》", title).group(0)
        con.execute(
            "INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, level1_key,"
            " level2_key, item_id, formed_on, published_on)"
            " SELECT ?, ?, 'whatif', 2, ?, level1_key, level2_key, item_id, NULL, ?"
            " FROM standard_catalog WHERE item_id = ?",
            [f"whatif-{key}", code, f"{name}解读", as_of, INTERPRETATION_ITEM])
    else:  # pragma: no cover - the tests only pick the kinds above
        raise AssertionError(kind)


def _score(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date) -> dict:
    return evaluate(con, as_of, district=code).to_json()["districts"][0]


@pytest.fixture(scope="module")
def first_fixes(sc_db: Path) -> dict[str, tuple]:
    """kind -> (code, fix) of the lowest-ranked unit with a fix of that kind (read once from
    our copy of the sample; each test then applies it to its own fresh copy)."""
    con = duckdb.connect(str(sc_db), read_only=True)
    found: dict[str, tuple] = {}
    try:
        for d in reversed(evaluate(con, TODAY).districts):
            for fix in fix_candidates(con, TODAY, d.code):
                if fix.kind in APPLIED_KINDS:
                    found.setdefault(fix.kind, (d.code, fix))
            if all(k in found for k in APPLIED_KINDS):
                break
    finally:
        con.close()
    return found


def test_predicted_gain_is_the_real_gain(sc_db: Path, tmp_path: Path, first_fixes: dict) -> None:
    """Every kind of fix the sample offers (at least the three catalog/disclosure basics)."""
    assert {"add_item", "fill_elements", "publish_item"} <= set(first_fixes)
    for kind, (code, fix) in first_fixes.items():
        copy = tmp_path / f"{kind}.duckdb"
        shutil.copy(sc_db, copy)
        con = duckdb.connect(str(copy))
        before = _score(con, code, TODAY)["score"]
        apply_fix(con, code, TODAY, fix.kind, fix.key)
        after = _score(con, code, TODAY)["score"]
        con.close()
        assert fix.gain > 0, kind
        assert round(after - before, 2) == pytest.approx(fix.gain, abs=0.005), (kind, code, fix)


def test_what_if_top_n_is_the_result_of_doing_them(sample_db_copy: Path) -> None:
    con = duckdb.connect(str(sample_db_copy))
    worst = evaluate(con, TODAY).districts[-1].code
    fixes = [f for f in fix_candidates(con, TODAY, worst) if f.kind in APPLIED_KINDS][:3]
    assert len(fixes) == 3
    predicted = what_if(con, TODAY, worst, fixes)
    for fix in fixes:
        apply_fix(con, worst, TODAY, fix.kind, fix.key)
    done = _score(con, worst, TODAY)
    con.close()
    assert (predicted.score, predicted.grade, predicted.rank) == (done["score"], done["grade"], done["rank"])
