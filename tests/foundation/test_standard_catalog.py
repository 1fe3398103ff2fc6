"""The bundled city standard catalog: 10 first-level and 43 second-level items, nine elements
each, and the working-day limit parsed from each row's time-limit text.

Checked both on the rows `loaders.reference` produces and in an initialised database.
Matching district rows to these items is left to the loader tests.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import reference

# The ten first-level items in table order, as the city guide (2020-06-24) lists them.
LEVEL1 = ["法规政策", "重大决策", "规划计划", "建设管理", "配给管理",
          "配后管理", "办事指南", "政策解读", "回应关切", "评价结果"]
ELEMENT_COLUMNS = ["level2", "content", "basis", "time_limit", "subject",
                   "channels", "audience", "method", "disclosure_level"]


def test_reference_rows_have_ten_first_level_and_43_second_level_items() -> None:
    rows = reference.standard_rows()
    assert len(rows) == 43
    assert [r["seq"] for r in rows] == list(range(1, 44))
    assert [r["item_id"] for r in rows][:2] == ["S01", "S02"] and rows[-1]["item_id"] == "S43"
    first_seen = list(dict.fromkeys(r["level1"] for r in rows))
    assert first_seen == LEVEL1
    assert len({r["level2"] for r in rows}) == 43  # second-level names are unique


def test_nine_elements_are_named_once() -> None:
    assert list(reference.NINE_ELEMENTS) == ELEMENT_COLUMNS


@pytest.mark.parametrize("seq", range(1, 44))
def test_every_row_has_its_nine_elements(seq: int) -> None:
    row = reference.standard_rows()[seq - 1]
    blank = [c for c in ELEMENT_COLUMNS if not str(row[c] or "").strip()]
    assert blank == []


def test_time_limit_parsed_per_row() -> None:
    """Row 11 (「每月后10个工作日内」) is periodic, so NULL; every other row says 20 working days."""
    limits = {r["seq"]: r["time_limit_workdays"] for r in reference.standard_rows()}
    assert limits[11] is None
    assert {s: n for s, n in limits.items() if s != 11} == {s: 20 for s in range(1, 44) if s != 11}


@pytest.mark.parametrize(("text", "expected"), [
    ("信息形成（变更）20个工作日内", 20),
    ("信息形成或者变更之日起20个工作日内", 20),
    ("信息获取（形成、变更）20个工作日内", 20),
    ("信息形成之日起二十个工作日内", 20),
    ("自形成之日起15工作日内", 15),
    ("每月后10个工作日内", None),       # periodic: no count from formation
    ("每季度结束后10个工作日内", None),
    ("实时公开", None),
    ("", None),
    (None, None),
])
def test_parse_time_limit_workdays(text: str | None, expected: int | None) -> None:
    assert reference.parse_time_limit_workdays(text) == expected


def test_initialised_database_holds_the_same_catalog(fresh_db: Path) -> None:
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT level1), count(DISTINCT level2) "
                           "FROM standard_catalog").fetchone() == (43, 10, 43)
        blanks = con.execute(
            "SELECT count(*) FROM standard_catalog WHERE "
            + " OR ".join(f"coalesce(trim({c}), '') = ''" for c in ELEMENT_COLUMNS)).fetchone()[0]
        assert blanks == 0
        limits = dict(con.execute("SELECT seq, time_limit_workdays FROM standard_catalog").fetchall())
        assert limits[11] is None
        assert sum(1 for v in limits.values() if v == 20) == 42  # 43 rows minus the periodic one
        # Match keys are the normalised names (公租房 -> 公共租赁住房 via the synonym list).
        key12 = con.execute("SELECT level2_key FROM standard_catalog WHERE seq = 12").fetchone()[0]
        assert key12 == "公共租赁住房承租资格审核"
        assert con.execute("SELECT value FROM meta WHERE key = 'standard_source'").fetchone() == ("reconstruction",)
    finally:
        con.close()
