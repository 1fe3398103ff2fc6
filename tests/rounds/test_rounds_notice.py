"""The Word notice (通报) of a round, read back with python-docx: title, 文号, date, body figures,
the ranking table equal to the round's ranking, one problem table per unit, Chinese fonts, A4 and a
PAGE field; `summary` checked by hand on a three-unit evaluation; the same round gives the same bytes
after new data is loaded. (Rendering was checked by converting to PDF with LibreOffice and looking.)
"""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from loaders.cli import main as loaders_main
from reports.notice import build_notice, ranking_rows, summary
from scoring.__main__ import main as scoring_main
from scoring.evaluation import DistrictResult, Evaluation, Milestone
from scoring.result_rows import Gap
from scoring.vocabulary import GapCategory, MilestoneStatus

ROOT = Path(__file__).resolve().parents[2]
NEW_CATALOG = ROOT / "tests" / "data" / "xlsx" / "catalog_two_header_rows.xlsx"


def _round(capsys: pytest.CaptureFixture[str], db: Path, circulate: bool = True) -> int:
    assert scoring_main(["round", "create", "--name", "2026年第三季度", "--as-of", "2026-09-30", "--db", str(db)]) == 0
    round_id = int(capsys.readouterr().out.split()[-1])
    if circulate:
        assert scoring_main(["round", "circulate", str(round_id), "--document-no", "郑房保〔2026〕12号",
                             "--on", "2026-10-15", "--db", str(db)]) == 0
    capsys.readouterr()
    return round_id


def _show(capsys: pytest.CaptureFixture[str], db: Path, round_id: int, docx_path: Path) -> dict:
    assert scoring_main(["round", "show", str(round_id), "--json", "-", "--docx", str(docx_path), "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


def test_notice_reads_back_with_the_rounds_ranking(sample_db_copy: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    round_id = _round(capsys, sample_db_copy)
    target = tmp_path / "notice.docx"
    shown = _show(capsys, sample_db_copy, round_id, target)
    doc = docx.Document(str(target))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "关于2026年第三季度保障性住房领域基层政务公开工作评估情况的通报"
    assert texts[1] == "郑房保〔2026〕12号"
    assert "2026年10月15日" in texts and "郑州市住房保障局" in texts
    for heading in ("一、总体情况", "二、主要问题", "三、下一步要求"):
        assert heading in texts
    districts = shown["districts"]
    mean = round(sum(d["score"] for d in districts) / 16, 2)
    overall = next(t for t in texts if t.startswith("本次共评估"))
    assert overall.startswith(f"本次共评估16个单位，平均得分{mean:.2f}分。")
    excellent = sum(d["grade"] == "优秀" for d in districts)
    assert f"优秀{excellent}个" in overall
    # the tasks' deadline: 15 working days after Thu 2026-10-15 (rules [rectification]):
    # Oct 16 = 1, Oct 19–23 = 2–6, Oct 26–30 = 7–11, Nov 2–5 = 12–15 → 2026-11-05
    assert any("2026年11月5日前完成" in t for t in texts)

    ranking = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in ranking.rows]
    assert rows[0][:4] == ["名次", "单位", "得分", "等次"]
    assert [r[:4] for r in rows[1:]] == [[str(d["rank"]), d["district"], f"{d['score']:.2f}", d["grade"]]
                                         for d in districts]
    # annex 2: one problem table per unit with gaps, one row per gap, in ranking order
    with_gaps = [d for d in districts if d["gaps"]]
    problem_tables = doc.tables[1:]
    assert len(problem_tables) == len(with_gaps)
    for table, d in zip(problem_tables, with_gaps):
        assert [r.cells[3].text for r in table.rows[1:]] == [g["detail"] for g in d["gaps"]]


def test_notice_layout_fonts_and_page_numbers(sample_db_copy: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    round_id = _round(capsys, sample_db_copy)
    target = tmp_path / "notice.docx"
    _show(capsys, sample_db_copy, round_id, target)
    doc = docx.Document(str(target))
    section = doc.sections[0]
    assert (round(section.page_width / Cm(1), 1), round(section.page_height / Cm(1), 1)) == (21.0, 29.7)

    def east_asia(paragraph_text: str) -> str:
        p = next(p for p in doc.paragraphs if p.text == paragraph_text)
        return p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asia("关于2026年第三季度保障性住房领域基层政务公开工作评估情况的通报") == "方正小标宋简体"
    assert east_asia("一、总体情况") == "黑体"
    assert east_asia("郑房保〔2026〕12号") == "仿宋_GB2312"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and 'w:fldCharType="begin"' in footer_xml


def test_draft_notice_says_draft(sample_db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = _round(capsys, sample_db_copy, circulate=False)
    target = tmp_path / "draft.docx"
    _show(capsys, sample_db_copy, round_id, target)
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert texts[1] == "（草稿，未通报）" and "2026年9月30日" in texts


def test_notice_bytes_survive_new_data(sample_db_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = _round(capsys, sample_db_copy)
    before, after = tmp_path / "before.docx", tmp_path / "after.docx"
    _show(capsys, sample_db_copy, round_id, before)
    assert loaders_main(["catalog", "--district", "航空港区", str(NEW_CATALOG), "--published-on", "2026-06-01",
                         "--db", str(sample_db_copy)]) == 0
    capsys.readouterr()
    _show(capsys, sample_db_copy, round_id, after)
    assert after.read_bytes() == before.read_bytes()


def _unit(name: str, code: str, rank: int, score: float, grade: str, gaps: list[tuple[str, str]],
          m2020: str = "on_time", m2023: str = "on_time") -> DistrictResult:
    values = {"on_time": 1.0, "late": 0.5, "missed": 0.0}
    return DistrictResult(
        code=code, name=name, kind="区", rank=rank, score=score, grade=grade,
        components={"catalog_coverage": 1.0, "element_completeness": 1.0, "disclosure_coverage": 0.5,
                    "timeliness": None, "milestone_2020_09": values[m2020], "milestone_2023_06": values[m2023]},
        milestones={"milestone_2020_09": Milestone(MilestoneStatus(m2020), None, None),
                    "milestone_2023_06": Milestone(MilestoneStatus(m2023), None, None)},
        pending=(), gaps=tuple(Gap(GapCategory(c), None, None, t, (), None, None, "timeliness") for c, t in gaps),
        calendar_estimated=False, unclassified_count=0)


def test_summary_by_hand() -> None:
    ev = Evaluation(dt.date(2026, 9, 30), dt.date(2026, 1, 1), "test", (
        _unit("甲", "1", 1, 92.0, "优秀", [("overdue", "甲逾期1")]),
        _unit("乙", "2", 2, 81.5, "良好", [("overdue", "乙逾期1"), ("overdue", "乙逾期2"), ("missing_item", "乙缺1")],
              m2020="late"),
        _unit("丙", "3", 3, 40.25, "不合格", [("missing_item", "丙缺1")], m2020="missed", m2023="missed")))
    s = summary(ev, ["优秀", "良好", "合格", "不合格"])
    # mean = (92 + 81.5 + 40.25) / 3 = 213.75 / 3 = 71.25
    assert (s["units"], s["mean"]) == (3, 71.25)
    assert s["grades"] == {"优秀": 1, "良好": 1, "合格": 0, "不合格": 1}
    assert s["milestones"]["milestone_2020_09"] == {"on_time": 1, "late": 1, "missed": 1, "pending": 0}
    assert s["milestones"]["milestone_2023_06"] == {"on_time": 2, "late": 0, "missed": 1, "pending": 0}
    # overdue: 1 + 2 = 3 gaps in 2 units, example from 乙 (2 of them); missing_item: 2 gaps in 2 units
    assert s["total_gaps"] == 5
    assert s["problems"] == [
        {"category": "overdue", "count": 3, "units": 2, "unit": "乙", "example": "乙逾期1"},
        {"category": "missing_item", "count": 2, "units": 2, "unit": "乙", "example": "乙缺1"}]
    assert ranking_rows(ev)[2] == ["3", "丙", "40.25", "不合格", "100.0%", "100.0%", "50.0%", "不参评"]  # one not-evaluated wording everywhere
    raw = build_notice(ev, {"name": "测试轮", "document_no": "测〔2026〕1号", "circulated_on": "2026-10-01"})
    assert raw == build_notice(ev, {"name": "测试轮", "document_no": "测〔2026〕1号", "circulated_on": "2026-10-01"})
    texts = [p.text for p in docx.Document(io.BytesIO(raw)).paragraphs]
    assert "（一）逾期公开。共3个，涉及2个单位。如乙：乙逾期1" in texts
    assert any(t.startswith("得分前三名的单位是甲、乙、丙；得分低于60分的单位有丙。") for t in texts)
