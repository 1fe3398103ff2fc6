"""The manual part in the exports (DESIGN §12): the report workbook and a unit's gap workbook carry
a 人工核查与加减分 sheet (findings in force with evidence, vetoes and bonus items with their
reasons), read back with openpyxl; an evaluator's note that looks like a formula stays text.
The Word notice lists vetoes and bonuses with their reasons."""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from reports.excel import build_gap_workbook, build_report_workbook, report_context
from scoring import DistrictResult, Evaluation, evaluate
from tests.manual.helpers import record

AS_OF = dt.date(2025, 12, 31)
SHEET = "人工核查与加减分"


def _evaluated(full_db, con_of):
    record(full_db, "金水区", "staffing", "否", "2025-01-01", "--note", "=HYPERLINK(\"http://x\",\"y\")")
    record(full_db, "金水区", "participation", "3", "2025-01-01", "--evidence", "https://a.gov.cn/p")
    record(full_db, "金水区", "demonstration", "2", "2025-02-01", "--evidence", "https://a.gov.cn/d")
    con = con_of(full_db, read_only=True)
    return con, evaluate(con, AS_OF).to_json()


def _rows(data: bytes, sheet: str):
    ws = load_workbook(io.BytesIO(data))[sheet]
    rows = list(ws.iter_rows())
    start = next(i for i, r in enumerate(rows) if r[0].value == "单位")
    return [list(r) for r in rows[start + 1:] if r[0].value]


def test_report_workbook_has_the_manual_sheet(full_db, con_of) -> None:
    con, ev = _evaluated(full_db, con_of)
    data = build_report_workbook(Evaluation.from_json(ev), report_context(con))
    rows = _rows(data, SHEET)
    values = [[c.value for c in r] for r in rows]
    jinshui = [v for v in values if v[0] == "金水区"]
    assert [v[1:4] for v in jinshui] == [["人工核查", "示范先行", "2"], ["人工核查", "公众参与和解读回应机制", "3"],
                                        ["人工核查", "政务公开机构和专人负责", "否"], ["加分", "示范先行", 2]]
    assert jinshui[1][6] == "https://a.gov.cn/p" and jinshui[0][4] == "2025年2月1日"
    # the note that looks like a formula is a text cell, never a formula
    note = next(r[5] for r in rows if r[0].value == "金水区" and r[2].value == "政务公开机构和专人负责")
    assert note.value.startswith("=HYPERLINK") and note.data_type == "s"
    # every other unit has no catalog in full_db: each carries the no_catalog veto with its reason
    vetoes = [v for v in values if v[1] == "单项否决"]
    assert len(vetoes) == 15 and all("等次最高为不合格" in v[5] for v in vetoes)


def test_gap_workbook_of_one_unit(full_db, con_of) -> None:
    _, ev = _evaluated(full_db, con_of)
    d = next(x for x in ev["districts"] if x["district"] == "金水区")
    data = build_gap_workbook(DistrictResult.from_json(d), {"as_of": AS_OF.isoformat()})
    assert SHEET in load_workbook(io.BytesIO(data)).sheetnames
    values = [[c.value for c in r] for r in _rows(data, SHEET)]
    assert {v[0] for v in values} == {"金水区"} and len(values) == 4
    assert "加2分" in values[-1][5] and "https://a.gov.cn/d" in values[-1][5]


def test_word_notice_lists_vetoes_and_bonuses_with_reasons(full_db, con_of) -> None:
    from docx import Document

    from reports.notice import build_notice

    _, ev = _evaluated(full_db, con_of)
    header = {"id": 1, "name": "2025年度", "status": "draft", "document_no": None, "circulated_on": None,
              "revision": 0}
    doc = Document(io.BytesIO(build_notice(Evaluation.from_json(ev), header)))
    paragraphs = [p.text for p in doc.paragraphs]
    bonus = "金水区：示范先行：加2分（2025-02-01起）。佐证：https://a.gov.cn/d。"
    assert bonus in paragraphs
    # one line per unit without a catalog (every unit but 金水区 in full_db), with its reason
    vetoed = [d for d in ev["districts"] if d["vetoes"]]
    assert len(vetoed) == 15 and "金水区" not in {d["district"] for d in vetoed}
    for d in vetoed:
        assert f"{d['district']}：{d['vetoes'][0]['reason']}" in paragraphs
    # the per-unit annex: the bonus under 金水区's heading, its manual shortfalls in its problem table
    assert "加分：示范先行：加2分（2025-02-01起）。佐证：https://a.gov.cn/d。" in paragraphs
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert any(c.startswith("人工核查项「政务公开机构和专人负责」核查结果为否") for c in cells)
