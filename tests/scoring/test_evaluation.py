"""`evaluate` on real DuckDB files with minimal inserted rows: coverage and elements of the effective
catalog (point-in-time across catalog versions, ties to the later load), disclosure coverage,
interpretation sync at 0/3/4 working days, milestone statuses and conditions, the whole score,
tied ranks listed by code, the explanation lists and the JSON shape. Deadlines are in
test_deadlines.py; pure arithmetic in test_decisions.py.
"""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from scoring import evaluate
from tests.scoring.helpers import (
    ERQI,
    GUANCHENG,
    JINSHUI,
    ZHONGYUAN,
    add_catalog,
    add_disclosure,
    add_full_catalog,
    cover_every_item,
    full_row,
)

D = dt.date
DESIGN_KEYS = {"district", "code", "rank", "score", "grade", "catalog_coverage", "element_completeness",
               "disclosure_coverage", "timeliness", "interpretation_sync", "milestone_2020_09",
               "milestone_2023_06", "missing_items", "overdue", "calendar_estimated",
               "vetoes", "bonus"}  # the last two: DESIGN §12
EXTRA_KEYS = {"kind", "components", "gaps", "pending", "unclassified_count", "weighted_score", "findings"}


def test_nothing_loaded_all_sixteen_units_score_zero(con: duckdb.DuckDBPyConnection) -> None:
    # As of 2024-01-01: coverage 0, elements 0, disclosures 0, both milestones missed (0);
    # timeliness and sync not evaluated → 100 × 0 / 70 = 0; all tie at rank 1, listed by code.
    result = evaluate(con, D(2024, 1, 1))
    assert len(result.districts) == 16
    assert [d.code for d in result.districts] == sorted(d.code for d in result.districts)
    for d in result.districts:
        assert (d.score, d.grade, d.rank) == (0.0, "不合格", 1)
        assert d.timeliness is None and d.interpretation_sync is None
        assert d.catalog_coverage == 0.0 and d.element_completeness == 0.0
        assert d.milestone_2020_09.status == "missed" and d.milestone_2023_06.status == "missed"
        assert len(d.missing_items) == 43


def test_catalog_coverage_and_elements_with_local_addition(con: duckdb.DuckDBPyConnection) -> None:
    # Catalog without S29 (配后管理/退出管理) and S43; S12's row lacks 公开依据 and 公开时限; one local
    # addition (本地新增), fully filled, never counts against it.
    # coverage = 41/43; rows = 41 + 1 = 42; filled = 42·9 − 2 = 376 → 376/378.
    local = full_row("配给管理", "人才公寓配租")
    add_full_catalog(con, ZHONGYUAN, D(2023, 3, 1), skip=("S29", "S43"),
                     blanks={"S12": ("basis", "time_limit")}, extra=[local])
    r = evaluate(con, D(2023, 6, 30)).district(ZHONGYUAN)
    assert r.catalog_coverage == pytest.approx(41 / 43)
    assert r.element_completeness == pytest.approx(376 / 378)
    assert r.missing_items == ("配后管理/退出管理", "评价结果/评价结果")
    blank = [g for g in r.gaps if g.category == "blank_elements"]
    assert [g.to_json() for g in blank] == [{"category": "blank_elements", "item": "配给管理/公租房承租资格审核", "title": None,
                      "detail": "目录第12行「配给管理/公租房承租资格审核」缺少要素：公开依据、公开时限。",
                      "missing_elements": ["公开依据", "公开时限"], "workdays_late": None,
                      "deadline": None, "rule": "element_completeness"}]
    assert r.to_json()["missing_items"] == [g.item for g in r.gaps if g.category == "missing_item"]


def test_later_catalog_fixes_coverage_only_from_its_publication(con: duckdb.DuckDBPyConnection) -> None:
    # v1 (2021-03-01) lacks three items → 40/43 until v2 (2022-05-10, complete) is published.
    add_full_catalog(con, ZHONGYUAN, D(2021, 3, 1), skip=("S01", "S02", "S03"))
    add_full_catalog(con, ZHONGYUAN, D(2022, 5, 10))
    assert evaluate(con, D(2022, 5, 9)).district(ZHONGYUAN).catalog_coverage == pytest.approx(40 / 43)
    assert evaluate(con, D(2022, 5, 10)).district(ZHONGYUAN).catalog_coverage == 1.0
    assert evaluate(con, D(2021, 2, 28)).district(ZHONGYUAN).catalog_coverage == 0.0


def test_same_day_catalogs_the_one_loaded_last_wins(con: duckdb.DuckDBPyConnection) -> None:
    add_full_catalog(con, ZHONGYUAN, D(2022, 5, 10))
    add_full_catalog(con, ZHONGYUAN, D(2022, 5, 10), skip=("S05",))
    assert evaluate(con, D(2022, 6, 1)).district(ZHONGYUAN).catalog_coverage == pytest.approx(42 / 43)


def test_undated_catalog_counts_from_its_load_date(con: duckdb.DuckDBPyConnection) -> None:
    # No publication date: the version is known only from 2024-03-05 (loaded_at), never earlier.
    add_catalog(con, ZHONGYUAN, None, [full_row("法规政策", "政策文件")], "中房〔2024〕1号",
                loaded_at=dt.datetime(2024, 3, 5, 16, 30))
    assert evaluate(con, D(2024, 3, 4)).district(ZHONGYUAN).catalog_coverage == 0.0
    r = evaluate(con, D(2024, 3, 5)).district(ZHONGYUAN)
    assert r.catalog_coverage == pytest.approx(1 / 43)
    assert (r.milestone_2020_09.status, r.milestone_2020_09.date) == ("late", D(2024, 3, 5))


def test_disclosure_coverage_point_in_time(con: duckdb.DuckDBPyConnection) -> None:
    # S17 published 2023-02-01, S18 2023-08-01, one unmatched title (未归类) 2023-01-05.
    add_disclosure(con, ZHONGYUAN, "配租结果", "配给管理", "配租结果", None, D(2023, 2, 1))
    add_disclosure(con, ZHONGYUAN, "补贴审核", "配给管理", "租赁补贴资格审核", None, D(2023, 8, 1))
    add_disclosure(con, ZHONGYUAN, "其他", None, "某某本地事项", None, D(2023, 1, 5))
    assert evaluate(con, D(2023, 6, 30)).district(ZHONGYUAN).disclosure_coverage == pytest.approx(1 / 43)
    later = evaluate(con, D(2023, 9, 30)).district(ZHONGYUAN)
    assert later.disclosure_coverage == pytest.approx(2 / 43) and later.unclassified_count == 1
    assert len([g for g in later.gaps if g.category == "no_disclosure"]) == 41


def test_interpretation_sync_same_day_three_and_four_working_days(con: duckdb.DuckDBPyConnection) -> None:
    # Policy document published Thu 2023-09-28; window: 10-07 (调休) #1, 10-08 #2, 10-09 #3.
    # 中原区 interprets the same day (synced), 二七区 on 10-09 (3rd working day, synced),
    # 管城回族区 on 10-10 (4th working day, not synced).
    cases = [(ZHONGYUAN, D(2023, 9, 28), 1.0), (ERQI, D(2023, 10, 9), 1.0), (GUANCHENG, D(2023, 10, 10), 0.0)]
    for code, interp_on, _ in cases:
        add_disclosure(con, code, "关于印发《郑州市公共租赁住房管理办法》的通知", "法规政策", "政策文件",
                       D(2023, 9, 20), D(2023, 9, 28))
        add_disclosure(con, code, "《郑州市公共租赁住房管理办法》政策解读", "政策解读", "本级政策解读",
                       None, interp_on)
    result = evaluate(con, D(2023, 12, 31))
    for code, _, synced in cases:
        r = result.district(code)
        assert r.interpretation_sync == synced, code
        unsynced = [g for g in r.gaps if g.category == "unsynced_interpretation"]
        assert [g.deadline for g in unsynced] == ([] if synced else ["2023-10-09"]), code


def test_interpretation_under_other_name_or_without_document_names(con: duckdb.DuckDBPyConnection) -> None:
    # P counts only policy documents whose title names a 《…》 document: 1 here, not synced by an
    # interpretation of a different document.
    add_disclosure(con, ZHONGYUAN, "《甲办法》", "法规政策", "政策文件", None, D(2023, 3, 1))
    add_disclosure(con, ZHONGYUAN, "工作通知", "法规政策", "政策文件", None, D(2023, 3, 1))
    add_disclosure(con, ZHONGYUAN, "《乙办法》解读", "政策解读", "本级政策解读", None, D(2023, 3, 1))
    assert evaluate(con, D(2023, 12, 31)).district(ZHONGYUAN).interpretation_sync == 0.0


def test_interpretation_title_names_the_document_in_angle_brackets(con: duckdb.DuckDBPyConnection) -> None:
    # 《关于〈X〉的政策解读》 names X (the inner 〈…〉 is a document name too): the document
    # 《X》 published 2023-03-01 is synced by it the same day, so sync = 1/1. A second document
    # 《Y》 only has an interpretation of X: 1 synced of 2 policy documents = 0.5.
    add_disclosure(con, ZHONGYUAN, "关于印发《郑州市公共租赁住房管理办法》的通知", "法规政策", "政策文件",
                   None, D(2023, 3, 1))
    add_disclosure(con, ZHONGYUAN, "《关于〈郑州市公共租赁住房管理办法〉的政策解读》", "政策解读", "本级政策解读",
                   None, D(2023, 3, 1))
    assert evaluate(con, D(2023, 12, 31)).district(ZHONGYUAN).interpretation_sync == 1.0
    add_disclosure(con, ZHONGYUAN, "《租赁补贴实施细则》", "法规政策", "政策文件", None, D(2023, 3, 2))
    assert evaluate(con, D(2023, 12, 31)).district(ZHONGYUAN).interpretation_sync == 0.5


def _complete_unit(con: duckdb.DuckDBPyConnection, code: str, catalog_on: dt.date,
                   disclosed_on: dt.date, document_no: str | None = "某房〔2020〕1号") -> None:
    add_full_catalog(con, code, catalog_on, document_no=document_no)
    cover_every_item(con, code, disclosed_on)


@pytest.mark.parametrize(("catalog_on", "disclosed_on", "as_of", "status", "date", "days_late", "last"), [
    pytest.param(D(2023, 6, 30), D(2023, 1, 5), D(2023, 12, 31), "on_time", "2023-06-30", 0, "九要素齐全（最后满足的条件）",
                 id="on_time_catalog_last"),
    pytest.param(D(2023, 8, 2), D(2023, 1, 5), D(2023, 12, 31), "late", "2023-08-02", 33, "九要素齐全（最后满足的条件）",
                 id="late_33_days"),
    pytest.param(D(2021, 1, 5), D(2023, 7, 3), D(2023, 12, 31), "late", "2023-07-03", 3, "首次有公开信息（最后满足的条件）",
                 id="late_disclosure_last"),
    pytest.param(D(2023, 8, 2), D(2023, 1, 5), D(2023, 7, 31), "missed", None, None, "尚未满足",
                 id="missed"),
    pytest.param(D(2023, 8, 2), D(2023, 1, 5), D(2023, 6, 30), "missed", None, None, "尚未满足",
                 id="missed_at_deadline"),
    pytest.param(D(2023, 8, 2), D(2023, 1, 5), D(2023, 6, 29), "pending", None, None, "尚未满足",
                 id="pending_day_before"),
])
def test_milestone_2023_06(con: duckdb.DuckDBPyConnection, catalog_on: dt.date, disclosed_on: dt.date,
                           as_of: dt.date, status: str, date: str | None, days_late: int | None,
                           last: str) -> None:
    _complete_unit(con, ZHONGYUAN, catalog_on, disclosed_on)
    m = evaluate(con, as_of).district(ZHONGYUAN).milestone_2023_06
    assert (m.status, m.date and m.date.isoformat(), m.days_late) == (status, date, days_late)
    assert last in m.condition


@pytest.mark.parametrize(("published_on", "document_no", "as_of", "status", "days_late"), [
    pytest.param(D(2020, 9, 30), "中房〔2020〕9号", D(2021, 1, 1), "on_time", 0, id="on_time_at_deadline"),
    pytest.param(D(2020, 10, 9), "中房〔2020〕9号", D(2021, 1, 1), "late", 9, id="late_9_days"),
    pytest.param(D(2020, 9, 1), None, D(2020, 10, 1), "missed", None, id="missed_no_document_no"),
    pytest.param(D(2020, 9, 1), None, D(2020, 9, 30), "missed", None, id="missed_at_deadline"),
    pytest.param(D(2020, 9, 1), None, D(2020, 9, 29), "pending", None, id="pending_day_before"),
])
def test_milestone_2020_09(con: duckdb.DuckDBPyConnection, published_on: dt.date, document_no: str | None,
                           as_of: dt.date, status: str, days_late: int | None) -> None:
    add_catalog(con, ZHONGYUAN, published_on, [full_row("法规政策", "政策文件")], document_no)
    r = evaluate(con, as_of).district(ZHONGYUAN)
    m = r.milestone_2020_09
    assert (m.status, m.days_late) == (status, days_late)
    if document_no:
        assert document_no in m.condition
    gap = [g for g in r.gaps if g.category == "milestone_2020_09"]
    assert len(gap) == (1 if status in ("late", "missed") else 0)


def test_whole_score_and_renormalisation(con: duckdb.DuckDBPyConnection) -> None:
    # Full catalog with 文号 on 2020-09-25 (m2020 on time); every item disclosed 2021-01-05, so the 2023
    # milestone is met on 2021-01-05 (on time). 2023 window: 4 judged, 3 on time; no policy documents.
    # score = 100 × (20 + 10 + 20 + 25·0.75 + 10 + 10) / (100 − 5) = 8875 / 95 = 93.421… → 93.42
    _complete_unit(con, ZHONGYUAN, D(2020, 9, 25), D(2021, 1, 5))
    for formed, published in [(D(2023, 3, 1), D(2023, 3, 2))] * 3 + [(D(2023, 3, 1), D(2023, 6, 1))]:
        add_disclosure(con, ZHONGYUAN, "配租结果", "配给管理", "配租结果", formed, published)
    r = evaluate(con, D(2023, 12, 31)).district(ZHONGYUAN)
    assert r.timeliness == 0.75 and r.interpretation_sync is None
    assert (r.score, r.grade, r.rank) == (93.42, "优秀", 1)
    assert r.milestone_2023_06.date == D(2021, 1, 5)


def test_tied_ranks_listed_by_code(con: duckdb.DuckDBPyConnection) -> None:
    # As of 2024-01-01, catalogs of 2023-03-01 without 文号 and no disclosures: components catalog,
    # elements, disclosures (0), milestones missed (0) → weights 70.
    #   金水 full:            100 × (20 + 10) / 70            = 42.857 → 42.86 (rank 1)
    #   二七, 管城 42 items:   100 × (20·42/43 + 10) / 70      = 42.19  (rank 2, 2; 410103 before 410104)
    #   中原 40 items:         100 × (20·40/43 + 10) / 70      = 40.86  (rank 4)
    #   the other 12 units:   0 (rank 5)
    add_full_catalog(con, JINSHUI, D(2023, 3, 1))
    add_full_catalog(con, GUANCHENG, D(2023, 3, 1), skip=("S10",))
    add_full_catalog(con, ERQI, D(2023, 3, 1), skip=("S10",))
    add_full_catalog(con, ZHONGYUAN, D(2023, 3, 1), skip=("S10", "S11", "S12"))
    result = evaluate(con, D(2024, 1, 1))
    top = [(d.code, d.rank, d.score) for d in result.districts[:4]]
    assert top == [(JINSHUI, 1, 42.86), (ERQI, 2, 42.19), (GUANCHENG, 2, 42.19), (ZHONGYUAN, 4, 40.86)]
    rest = result.districts[4:]
    assert {d.rank for d in rest} == {5} and [d.code for d in rest] == sorted(d.code for d in rest)


def test_district_filter_keeps_rank_among_all(con: duckdb.DuckDBPyConnection) -> None:
    add_full_catalog(con, JINSHUI, D(2023, 3, 1))
    add_full_catalog(con, ZHONGYUAN, D(2023, 3, 1), skip=("S10",))
    only = evaluate(con, D(2024, 1, 1), unit="中原区")
    assert [(d.code, d.rank) for d in only.districts] == [(ZHONGYUAN, 2)]
    assert evaluate(con, D(2024, 1, 1), unit="经开区").districts[0].code == "410171"


def test_json_shape(con: duckdb.DuckDBPyConnection) -> None:
    add_full_catalog(con, ZHONGYUAN, D(2023, 3, 1), skip=("S10",))
    add_disclosure(con, ZHONGYUAN, "配租结果", "配给管理", "配租结果", D(2023, 3, 1), D(2023, 6, 1))
    payload = evaluate(con, D(2023, 12, 31)).to_json()
    json.dumps(payload)  # serialisable as is
    assert set(payload) == {"as_of", "since", "rules_version", "districts"}
    assert (payload["as_of"], payload["since"]) == ("2023-12-31", "2023-01-01")
    zy = next(d for d in payload["districts"] if d["code"] == ZHONGYUAN)
    assert DESIGN_KEYS <= set(zy) <= DESIGN_KEYS | EXTRA_KEYS
    assert zy["catalog_coverage"] == round(42 / 43, 4) == 0.9767
    assert set(zy["milestone_2020_09"]) == {"status", "date", "days_late"}
    # components: the same values in one dict, milestones as values (on_time 1, late 0.5, missed 0).
    assert zy["components"]["catalog_coverage"] == 0.9767 and zy["components"]["milestone_2020_09"] == 0.0
    assert zy["components"]["interpretation_sync"] is None
    # formed 03-01 (Wed): deadline 03-29; published 06-01: late. 1 overdue row with the DESIGN keys.
    assert zy["overdue"][0]["deadline"] == "2023-03-29"
    assert set(zy["overdue"][0]) == {"title", "item", "formed_on", "published_on", "deadline", "workdays_late"}
    for gap in zy["gaps"]:
        assert set(gap) == {"category", "item", "title", "detail", "missing_elements", "workdays_late",
                            "deadline", "rule"}
