"""Scores with findings, hand-computed (DESIGN §12): manual indicators join the weighted mean,
a veto caps the grade, bonuses hit their cap, a finding dated after as_of does not count, a later
finding supersedes an earlier one from its date. Real DuckDB file, findings through the CLI.

金水区 in `full_db` (rules tests/data/rules/manual/valid_two_bonuses.toml, as of 2025-12-31):
catalog_coverage 1 (w20), element_completeness 1 (w10), disclosure_coverage 1 (w20),
milestone_2020_09 on time 1 (w10), milestone_2023_06 on time 1 (w10); timeliness and
interpretation_sync null (nothing judged). Σw·v = 70, Σw = 70: weighted score 100.
"""
from __future__ import annotations

import datetime as dt

import pytest

from scoring import evaluate, load_rules, trend
from tests.manual.helpers import TWO_BONUSES, record
from tests.scoring.helpers import ERQI, JINSHUI

AS_OF = dt.date(2025, 12, 31)


def _unit(con, as_of=AS_OF, code=JINSHUI):
    return evaluate(con, as_of, rules=load_rules(TWO_BONUSES)).district(code).to_json()


def test_without_findings_manual_indicators_are_unchecked_and_drop_out(full_db, con_of) -> None:
    d = _unit(con_of(full_db, read_only=True))
    assert d["components"]["staffing"] is None and d["components"]["participation"] is None  # 未核查
    assert "staffing" not in d  # manual indicators appear in components only
    assert d["weighted_score"] == d["score"] == 100.0 and d["grade"] == "优秀"
    assert d["vetoes"] == [] and d["bonus"] == {"points": 0.0, "items": []} and d["findings"] == []


def test_two_manual_findings_and_a_veto_capping_the_grade(full_db, con_of) -> None:
    assert record(full_db, "金水区", "staffing", "否", "2025-01-01", "--note", "未明确专人") == 0
    assert record(full_db, "金水区", "participation", "2", "2025-01-01",
                  "--evidence", "https://www.zhengzhou.gov.cn/jinshui/zqyj.html", rules=TWO_BONUSES) == 0
    d = _unit(con_of(full_db, read_only=True))
    # staffing 否 = 0 (w3), participation 2 of 4 points = 0.5 (w4):
    # 100 × (70 + 3·0 + 4·0.5) / (70 + 3 + 4) = 7200 / 77 = 93.506… → 93.51
    assert d["components"]["staffing"] == 0.0 and d["components"]["participation"] == 0.5
    assert d["weighted_score"] == d["score"] == 93.51
    # 93.51 is 优秀 by the bands, but staffing_failed (manual_failed:staffing) caps it at 合格
    assert d["grade"] == "合格"
    assert [v["id"] for v in d["vetoes"]] == ["staffing_failed"]
    reason = d["vetoes"][0]["reason"]
    assert "政务公开机构和专人负责" in reason and "合格" in reason and "未明确专人" in reason
    gaps = {(g["category"], g["rule"]) for g in d["gaps"]}
    assert {("manual", "staffing"), ("manual", "participation"), ("veto", "staffing")} <= gaps
    assert {f["indicator"]: f["value_text"] for f in d["findings"]} == {"staffing": "否", "participation": "2"}


def test_bonus_hits_its_cap(full_db, con_of) -> None:
    record(full_db, "金水区", "staffing", "否", "2025-01-01")
    record(full_db, "金水区", "participation", "2", "2025-01-01", "--evidence", "https://a.gov.cn/1")
    assert record(full_db, "金水区", "demonstration", "3", "2025-06-01", "--evidence", "https://a.gov.cn/2",
                  rules=TWO_BONUSES) == 0
    assert record(full_db, "金水区", "innovation", "3", "2025-06-01", "--evidence", "https://a.gov.cn/3",
                  rules=TWO_BONUSES) == 0
    d = _unit(con_of(full_db, read_only=True))
    # items 3 + 3 = 6 > cap 5: bonus 5; score = min(100, 93.51 + 5) = 98.51; the veto still caps the grade
    assert d["bonus"]["points"] == 5.0
    assert [(i["id"], i["points"]) for i in d["bonus"]["items"]] == [("demonstration", 3.0), ("innovation", 3.0)]
    assert "按5分计" in d["bonus"]["items"][-1]["reason"] and "https://a.gov.cn/2" in d["bonus"]["items"][0]["reason"]
    assert d["weighted_score"] == 93.51 and d["score"] == 98.51 and d["grade"] == "合格"


def test_a_finding_after_as_of_does_not_count_and_a_later_one_supersedes(full_db, con_of) -> None:
    record(full_db, "金水区", "staffing", "否", "2025-01-01")
    record(full_db, "金水区", "participation", "2", "2025-01-01", "--evidence", "https://a.gov.cn/1")
    record(full_db, "金水区", "demonstration", "3", "2025-06-01", "--evidence", "https://a.gov.cn/2",
           rules=TWO_BONUSES)
    record(full_db, "金水区", "innovation", "3", "2025-06-01", "--evidence", "https://a.gov.cn/3",
           rules=TWO_BONUSES)
    # staffing rectified: 是 from 2026-01-01, the day after the evaluation date
    assert record(full_db, "金水区", "staffing", "是", "2026-01-01", "--evidence", "https://a.gov.cn/4") == 0
    con = con_of(full_db, read_only=True)
    before = _unit(con)
    assert before["components"]["staffing"] == 0.0 and before["score"] == 98.51 and before["grade"] == "合格"
    after = _unit(con, dt.date(2026, 1, 1))
    # 100 × (70 + 3·1 + 4·0.5) / 77 = 7500 / 77 = 97.40; + bonus 5 = 102.40 → at most 100; veto lifted
    assert after["components"]["staffing"] == 1.0 and after["weighted_score"] == 97.4
    assert after["score"] == 100.0 and after["grade"] == "优秀" and after["vetoes"] == []
    assert {f["indicator"]: f["applies_from"] for f in after["findings"]}["staffing"] == "2026-01-01"


def test_no_catalog_veto_caps_the_score_and_the_trend_agrees(full_db, con_of) -> None:
    # 二七区 has nothing loaded: coverage 0, elements 0, both milestones missed → weighted 0.
    record(full_db, "二七区", "demonstration", "2", "2025-03-01", "--evidence", "https://a.gov.cn/5",
           rules=TWO_BONUSES)
    con = con_of(full_db, read_only=True)
    d = _unit(con, code=ERQI)
    # 0 + bonus 2 = 2, under the no_catalog score cap of 59; the veto is listed all the same
    assert d["score"] == 2.0 and [v["id"] for v in d["vetoes"]] == ["no_catalog"]
    assert "59" in d["vetoes"][0]["reason"]
    t = trend(con, AS_OF, rules=load_rules(TWO_BONUSES))
    last = t[(t["quarter_end"] == AS_OF) & (t["code"] == ERQI)].iloc[0]
    assert last["score"] == 2.0


@pytest.mark.parametrize("value,message", [("5", "0～4"), ("很好", "0～4")])
def test_values_off_the_scale_are_refused(full_db, con_of, capsys, value, message) -> None:
    assert record(full_db, "金水区", "participation", value, "2025-01-01", "--evidence", "https://a.gov.cn/1") == 2
    assert message in capsys.readouterr().err
    con = con_of(full_db, read_only=True)
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 0


def test_fix_planner_offers_evidence_where_it_gains_points(full_db, con_of) -> None:
    from scoring import fix_candidates, what_if

    record(full_db, "金水区", "staffing", "否", "2025-01-01")
    record(full_db, "金水区", "participation", "2", "2025-01-01", "--evidence", "https://a.gov.cn/1")
    con = con_of(full_db, read_only=True)
    rules = load_rules(TWO_BONUSES)
    fixes = [f for f in fix_candidates(con, AS_OF, "金水区", rules=rules) if f.kind == "provide_evidence"]
    # staffing 否 → 是: 100 × (70 + 3 + 2) / 77 = 97.40, gain 97.40 − 93.51 = 3.89;
    # participation 2 → 4 points: 100 × (70 + 0 + 4) / 77 = 96.10, gain 2.59
    assert [(f.key, f.gain, f.description) for f in fixes] == [
        ("staffing", 3.89, "为指标「政务公开机构和专人负责」提供佐证材料"),
        ("participation", 2.59, "为指标「公众参与和解读回应机制」提供佐证材料")]
    predicted = what_if(con, AS_OF, "金水区", fixes[:1], rules=rules)
    assert (predicted.score, predicted.grade) == (97.4, "优秀")  # the staffing_failed veto is lifted too
    con.close()
    # done for real: the evaluator records 是 on the evidence provided, on as_of
    record(full_db, "金水区", "staffing", "是", AS_OF.isoformat(), "--evidence", "https://a.gov.cn/s")
    d = _unit(con_of(full_db, read_only=True))
    assert (d["score"], d["grade"]) == (predicted.score, predicted.grade)
