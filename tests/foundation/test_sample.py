"""The bundled sample (data/sample/) loads through the real loaders and keeps the promises of
its README: 16 units, catalogs for 15, disclosures for all, and the scenarios (late and missing
catalogs, missing items and blank elements fixed later, milestones) hold in the database.

Scores computed from these facts are left to the scoring tests.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import duckdb
import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
README_WORDS = tomllib.loads((SAMPLE / "vocabulary.toml").read_text(encoding="utf-8"))["readme"]
CATALOG_DUE, COMPLETE_DUE = dt.date(2020, 9, 30), dt.date(2023, 6, 30)
ELEMENTS = ["content", "basis", "time_limit", "subject", "channels", "audience", "method", "disclosure_level"]
BLANK_ROW = " OR ".join(f"coalesce(trim(r.{c}), '') = ''" for c in ELEMENTS)
CODE = {"航空港区": "410173", "登封市": "410185", "新密市": "410183", "惠济区": "410108",
        "管城回族区": "410104", "金水区": "410105", "中牟县": "410122", "经开区": "410171", "高新区": "410172"}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def test_sixteen_units_catalogs_for_fifteen_disclosures_for_all(sample_con: duckdb.DuckDBPyConnection) -> None:
    assert _rows(sample_con, "SELECT count(*) FROM districts") == [(16,)]
    with_catalog = _rows(sample_con, "SELECT count(DISTINCT district_code) FROM district_catalogs")[0][0]
    assert with_catalog == 15
    without = _rows(sample_con, "SELECT name FROM districts WHERE code NOT IN "
                                "(SELECT district_code FROM district_catalogs)")
    assert without == [("郑州航空港经济综合实验区",)]
    assert _rows(sample_con, "SELECT count(DISTINCT district_code) FROM disclosures") == [(16,)]
    assert _rows(sample_con, "SELECT value FROM meta WHERE key = 'is_sample'") == [("1",)]


def test_every_sample_file_loaded_without_rejections(sample_con: duckdb.DuckDBPyConnection) -> None:
    registry = tomllib.loads((SAMPLE / "sources.toml").read_text(encoding="utf-8"))
    expected = len(registry["catalog"]) + len(registry["disclosures"])
    runs = _rows(sample_con, "SELECT result, count(*), sum(rows_rejected) FROM load_runs GROUP BY 1")
    assert runs == [("loaded", expected, 0)]
    # Only the intended 未归类 rows are reported, never a refused or broken row.
    problems = {p for (p,) in _rows(sample_con, "SELECT DISTINCT problem FROM rejected_rows")}
    assert problems <= {"unclassified_item"}


def test_sample_exercises_every_published_format() -> None:
    registry = tomllib.loads((SAMPLE / "sources.toml").read_text(encoding="utf-8"))
    catalog_kinds = {Path(e["source"]).suffix for e in registry["catalog"]}
    log_kinds = {Path(e["source"]).suffix for e in registry["disclosures"]}
    assert catalog_kinds == {".xlsx", ".csv", ".html"} and log_kinds == {".xlsx", ".csv"}
    encodings = set()
    for e in registry["catalog"] + registry["disclosures"]:
        if e["source"].endswith(".csv"):
            raw = (SAMPLE / e["source"]).read_bytes()
            try:
                raw.decode("utf-8")
                encodings.add("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
            except UnicodeDecodeError:
                raw.decode("gbk")
                encodings.add("gbk")
    assert encodings == {"utf-8", "utf-8-sig", "gbk"}
    size = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert size < 3_000_000


def test_catalog_versions_are_registered_in_chronological_order() -> None:
    registry = tomllib.loads((SAMPLE / "sources.toml").read_text(encoding="utf-8"))
    by_unit: dict[str, list[dt.date]] = {}
    for e in registry["catalog"]:
        by_unit.setdefault(e["district"], []).append(e["published_on"])
    assert all(days == sorted(days) for days in by_unit.values())
    assert len(by_unit) == 15


def test_never_filed_units(sample_con: duckdb.DuckDBPyConnection) -> None:
    """登封市 publishes catalogs but never with a 文号; 航空港区 publishes none."""
    dengfeng = _rows(sample_con, "SELECT count(*), count(document_no) FROM district_catalogs WHERE district_code = ?",
                     [CODE["登封市"]])
    assert dengfeng == [(2, 0)]
    assert _rows(sample_con, "SELECT count(*) FROM district_catalogs WHERE district_code = ?",
                 [CODE["航空港区"]]) == [(0,)]


def test_catalog_published_on_a_working_sunday(sample_con: duckdb.DuckDBPyConnection) -> None:
    row = _rows(sample_con, "SELECT c.published_on, k.is_workday, isodow(c.published_on) FROM district_catalogs c "
                            "JOIN calendar k ON k.day = c.published_on WHERE c.district_code = ?", [CODE["中牟县"]])
    assert row == [(dt.date(2020, 9, 27), True, 7)]


@pytest.mark.parametrize(("unit", "local"), [
    ("金水区", ["人才公寓配租"]), ("经开区", ["人才公寓配租", "保障性租赁住房项目认定"]), ("高新区", ["人才公寓配租"]),
])
def test_local_additions_stay_unmatched(sample_con: duckdb.DuckDBPyConnection, unit: str, local: list[str]) -> None:
    rows = _rows(sample_con, "SELECT DISTINCT r.level2 FROM district_catalog_rows r JOIN district_catalogs c "
                             "USING (catalog_id) WHERE c.district_code = ? AND r.matched_item_id IS NULL ORDER BY 1",
                 [CODE[unit]])
    assert [r[0] for r in rows] == sorted(local)


def test_disclosure_volume_pending_and_unclassified(sample_con: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(sample_con, """
        SELECT district_code, count(*),
               count(*) FILTER (WHERE published_on IS NULL),
               count(*) FILTER (WHERE published_on IS NULL AND formed_on BETWEEN DATE '2026-10-01' AND DATE '2026-11-30'),
               count(*) FILTER (WHERE item_id IS NULL),
               max(published_on), min(coalesce(published_on, formed_on))
        FROM disclosures GROUP BY 1""")
    assert len(rows) == 16
    for code, total, pending, pending_oct_nov, unclassified, last, first in rows:
        assert 150 <= total <= 400, code
        assert pending >= 1 and pending == pending_oct_nov, code
        assert unclassified >= 1, code
        assert last <= dt.date(2026, 11, 25) and first >= dt.date(2020, 6, 1), code


def test_dates_straddle_holidays_and_adjusted_weekends(sample_con: duckdb.DuckDBPyConnection) -> None:
    spring, national, weekend = _rows(sample_con, """
        SELECT
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM calendar k WHERE k.day > d.formed_on AND k.day < d.published_on
                                         AND NOT k.is_workday AND month(k.day) IN (1, 2) AND k.holiday_name IS NOT NULL
                                         AND isodow(k.day) <= 5)),
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM calendar k WHERE k.day > d.formed_on AND k.day < d.published_on
                                         AND NOT k.is_workday AND month(k.day) = 10 AND day(k.day) <= 7)),
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM calendar k WHERE k.day = d.published_on AND k.is_workday
                                         AND isodow(k.day) >= 6))
        FROM disclosures d WHERE formed_on IS NOT NULL AND published_on IS NOT NULL""")[0]
    assert spring >= 50 and national >= 50 and weekend >= 5


def _deadline_sql(n: str) -> str:
    return ("(SELECT c2.day FROM calendar c1 JOIN calendar c2 ON c2.workday_no = c1.workday_no + " + n
            + " AND c2.is_workday WHERE c1.day = d.formed_on)")


def test_every_unit_has_on_time_and_late_disclosures(sample_con: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(sample_con, f"""
        SELECT district_code, count(*) FILTER (WHERE d.published_on <= {_deadline_sql('s.time_limit_workdays')}),
               count(*) FILTER (WHERE d.published_on > {_deadline_sql('s.time_limit_workdays')})
        FROM disclosures d JOIN standard_catalog s USING (item_id)
        WHERE s.time_limit_workdays IS NOT NULL AND d.formed_on IS NOT NULL AND d.published_on IS NOT NULL
        GROUP BY 1""")
    assert len(rows) == 16
    for code, on_time, late in rows:
        assert late >= 1 and on_time > 3 * late, code
    ratio = {code: late / (on_time + late) for code, on_time, late in rows}
    worst = sorted(ratio, key=ratio.get, reverse=True)[:2]
    assert set(worst) == {CODE["新密市"], CODE["航空港区"]}


def _names(title: str) -> set[str]:
    """《…》 names of a title; 〈…〉 inside a 《…》 title counts as a name too."""
    text = title.replace("〈", "《").replace("〉", "》")
    return set(re.findall(r"《([^《》]+)》", text))


def test_policy_documents_with_and_without_timely_interpretation(sample_con: duckdb.DuckDBPyConnection) -> None:
    docs = _rows(sample_con, """
        SELECT d.district_code, d.title, d.published_on, k.workday_no FROM disclosures d
        JOIN standard_catalog s USING (item_id) JOIN calendar k ON k.day = d.published_on
        WHERE s.level2 = '政策文件' AND d.title LIKE '%《%'""")
    interps = _rows(sample_con, """
        SELECT d.district_code, d.title, k.workday_no FROM disclosures d
        JOIN standard_catalog s USING (item_id) JOIN calendar k ON k.day = d.published_on
        WHERE s.level1 = '政策解读'""")
    kinds = {"same_day": 0, "within_3": 0, "late": 0, "none": 0}
    for code, title, _, no in docs:
        gaps = [ino - no for icode, ititle, ino in interps if icode == code and _names(title) & _names(ititle)]
        if not gaps:
            kinds["none"] += 1
        elif min(g for g in gaps) == 0:
            kinds["same_day"] += 1
        elif 0 < min(gaps) <= 3:
            kinds["within_3"] += 1
        else:
            kinds["late"] += 1
    assert all(n >= 5 for n in kinds.values()), kinds
    assert kinds["same_day"] > kinds["late"] and kinds["same_day"] > kinds["none"]


@pytest.mark.parametrize("unit", ["经开区", "高新区", "新密市"])
def test_units_without_economy_housing_disclosures(sample_con: duckdb.DuckDBPyConnection, unit: str) -> None:
    """README: these units never disclose 经济适用住房购买资格审核 (S20) or 配售结果 (S21)."""
    assert _rows(sample_con, "SELECT count(*) FROM disclosures WHERE district_code = ? AND item_id IN ('S20', 'S21')",
                 [CODE[unit]]) == [(0,)]
    assert _rows(sample_con, "SELECT count(*) FROM disclosures WHERE district_code = ? AND item_id = 'S20'",
                 [CODE["金水区"]])[0][0] > 0  # while an ordinary district does


def test_some_ledger_rows_lack_a_formation_date(sample_con: duckdb.DuckDBPyConnection) -> None:
    n = _rows(sample_con, "SELECT count(*) FROM disclosures WHERE formed_on IS NULL AND published_on IS NOT NULL")[0][0]
    assert 10 <= n <= 100


def test_milestone_2023_blockers(sample_con: duckdb.DuckDBPyConnection) -> None:
    """惠济区 first discloses 评价结果 only after 2023-06-30; 新密市 never; 管城回族区's catalog is
    complete only from its 2023-08-10 version."""
    first = dict(_rows(sample_con, """
        SELECT d.district_code, min(d.published_on) FROM disclosures d JOIN standard_catalog s USING (item_id)
        WHERE s.level1 = '评价结果' GROUP BY 1"""))
    assert first[CODE["惠济区"]] > dt.date(2023, 6, 30)
    assert CODE["新密市"] not in first
    assert len(first) == 15
    versions = _rows(sample_con, f"""
        SELECT c.published_on, count(*) FILTER (WHERE {BLANK_ROW}) FROM district_catalogs c
        JOIN district_catalog_rows r USING (catalog_id) WHERE c.district_code = ? GROUP BY 1 ORDER BY 1""",
                     [CODE["管城回族区"]])
    assert versions == [(dt.date(2020, 9, 28), 6), (dt.date(2023, 8, 10), 0)]


def test_loading_the_sample_again_changes_nothing(sample_db_copy: Path) -> None:
    from loaders.sample import load_sample

    con = duckdb.connect(str(sample_db_copy))
    try:
        counts = lambda: [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731
                          for t in ("district_catalogs", "district_catalog_rows", "disclosures")]
        before = counts()
        results = load_sample(con)
        assert {r.result for r in results} == {"unchanged"}
        assert counts() == before
    finally:
        con.close()


def test_a_half_year_without_policy_documents(sample_con: duckdb.DuckDBPyConnection) -> None:
    """README: 金水区 publishes no 法规政策 document and no 政策解读 in 2025-01-01 … 2025-06-30, so an
    evaluation of that half-year has nothing to judge interpretation sync on; it does before and after."""
    per_half = dict(_rows(sample_con, """
        SELECT year(published_on) * 10 + (month(published_on) > 6)::INTEGER, count(*) FROM disclosures d
        JOIN standard_catalog s USING (item_id)
        WHERE d.district_code = ? AND s.level1 IN ('法规政策', '政策解读') AND year(published_on) IN (2024, 2025)
        GROUP BY 1""", [CODE["金水区"]]))
    assert 20250 not in per_half
    assert per_half.get(20240, 0) + per_half.get(20241, 0) > 0 and per_half.get(20251, 0) > 0
