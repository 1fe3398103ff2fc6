"""End to end: the real `scoring.evaluate` on the bundled sample (the `sample_db` fixture, built
through the real loaders), exported by build_report_workbook / build_gap_workbook and by
`python -m scoring evaluate --excel`, read back and compared with `to_json()` cell for cell.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reports.excel import build_gap_workbook, build_report_workbook, report_context
from scoring import evaluate
from scoring.__main__ import main as scoring_cli
from scoring.rules import load_rules
from tests.reports.helpers import typed, typed_unit
from ui_text import excel as text
from ui_text.common import date_text

H = text.HEADERS
_RULES = load_rules()  # the registry: component ids, kinds and order
COMPONENTS, RATIOS, MILESTONES = _RULES.component_ids, _RULES.ratio_ids, _RULES.milestone_ids


def cn(iso: str | None) -> str | None:
    """A JSON ISO date as the printed workbook writes it: '2023-06-01' → '2023年6月1日'."""
    return None if iso is None else date_text(dt.date.fromisoformat(iso))


AS_OF = dt.date(2023, 6, 30)


@pytest.fixture(scope="module")
def evaluated(sample_db: Path) -> tuple[dict[str, Any], dict[str, Any], Any]:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        result = evaluate(con, AS_OF)
        ctx = report_context(con, rules=result.rules, per_district_sheets=True)
    finally:
        con.close()
    return result.to_json(), ctx, result.rules


def _value(d: dict[str, Any], cid: str, rules: Any) -> float | None:
    v = d[cid] if cid in d else d["components"][cid]  # manual indicators: in components only
    return rules.milestone_values.get(v["status"]) if isinstance(v, dict) else v


def _milestone_text(m: dict[str, Any]) -> str:
    label = text.STATUS_LABELS[m["status"]]
    return f"{label}（{cn(m['date'])}）" if m["date"] else label


def assert_report_matches(wb: Any, ev: dict[str, Any], rules: Any, table: Any) -> None:
    units = ev["districts"]
    assert len(units) == 16
    ranking = table(wb["排名"])
    assert len(ranking) == 16
    for row, d in zip(ranking, units):  # to_json lists units by rank, then code, as the sheet does
        assert [row[H["rank"]], row[H["district"]], row[H["kind"]], row[H["score"]], row[H["grade"]]] == \
            [d["rank"], d["district"], d["kind"], d["score"], d["grade"]]
        for cid in RATIOS:
            assert row[text.COMPONENT_LABELS[cid]] == (text.NONE_MARK if d[cid] is None else d[cid])
        for cid in MILESTONES:
            assert row[text.COMPONENT_LABELS[cid]] == _milestone_text(d[cid])

    parts = table(wb["分项得分"])
    n = len(COMPONENTS)
    assert len(parts) == 16 * n
    for i, d in enumerate(units):
        rows = parts[n * i: n * i + n]
        assert {r[H["district"]] for r in rows} == {d["district"]}
        for r, cid in zip(rows, COMPONENTS):
            assert r[H["component"]] == text.COMPONENT_LABELS[cid]
            assert r[H["value"]] == _value(d, cid, rules) == d["components"][cid]
            assert r[H["weight"]] == rules.weights[cid]
        # the shares add back up to the evaluation's score (each rounded to 2 dp: ≤ 7 × 0.005)
        assert sum(r[H["points"]] or 0 for r in rows) == pytest.approx(d["score"], abs=0.035)

    gaps = table(wb["问题清单"])
    expected = [(d["district"], g) for d in units for g in d["gaps"]]
    assert len(gaps) == len(expected) > 0
    for row, (name, g) in zip(gaps, expected):
        assert [row[H["district"]], row[H["category"]], row[H["item"]], row[H["title"]], row[H["detail"]],
                row[H["missing_elements"]], row[H["workdays_late"]], row[H["deadline"]], row[H["rule"]]] == \
            [name, text.CATEGORY_LABELS[g["category"]], g["item"], g["title"], g["detail"],
             text.ELEMENT_SEPARATOR.join(g["missing_elements"]) or None, g["workdays_late"],
             cn(g["deadline"]), text.COMPONENT_LABELS[g["rule"]]]

    miles = table(wb["里程碑"])
    assert len(miles) == 32
    for row, (d, cid) in zip(miles, [(d, c) for d in units for c in MILESTONES]):
        m = d[cid]
        assert [row[H["district"]], row[H["milestone"]], row[H["status"]], row[H["date"]],
                row[H["days_late"]]] == [d["district"], text.COMPONENT_LABELS[cid],
                                         text.STATUS_LABELS[m["status"]], cn(m["date"]), m["days_late"]]
    for ws in wb:
        for r in ws.iter_rows():
            for cell in r:
                assert cell.data_type != "f"


def test_report_matches_evaluation(evaluated, open_book, table) -> None:
    ev, ctx, rules = evaluated
    wb = open_book(build_report_workbook(typed(ev), ctx))
    assert wb.sheetnames[:4] == ["排名", "分项得分", "问题清单", "里程碑"]
    # 人工核查与加减分 (DESIGN §12) comes next when any unit has a finding, a veto or a bonus
    manual = any(d["findings"] or d["vetoes"] or d["bonus"]["items"] for d in ev["districts"])
    assert wb.sheetnames[4:4 + manual] == ["人工核查与加减分"][:int(manual)]
    assert wb.sheetnames[4 + manual:-2] == [d["district"] for d in ev["districts"]]
    assert wb.sheetnames[-2:] == ["说明", "附件：数据来源"]
    assert_report_matches(wb, ev, rules, table)
    about = {c.value for row in wb["附件：数据来源"].iter_rows() for c in row}
    assert text.ABOUT["sample_warning"] in about  # the sample is flagged
    assert ev["rules_version"] in about
    # every loaded source is listed with its load time, except catalogs published after the
    # evaluation date (they were not a source of it); the sample has such catalogs
    later = [s for s in ctx["sources"] if s.get("published_on") and s["published_on"] > ev["as_of"]]
    used = [s for s in ctx["sources"] if s["kind"] != "standard" and s not in later]
    assert later and len(used) >= 16
    assert all(s["source"] in about and s["loaded_at"] in about for s in used)
    listed = [row[4] for row in wb["附件：数据来源"].iter_rows(values_only=True) if row[4]][1:]  # under 发布日期
    printed = [dt.date(*map(int, re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", v).groups())) for v in listed]
    assert printed and max(printed) <= dt.date.fromisoformat(ev["as_of"])


def test_gap_workbook_matches_each_unit(evaluated, open_book) -> None:
    ev, ctx, _rules = evaluated
    for d in ev["districts"]:
        wb = open_book(build_gap_workbook(typed_unit(d), {**ctx, "as_of": ev["as_of"], "unit_count": 16}))
        ws = wb["问题清单"]
        line = ws.cell(row=3, column=1).value
        assert f"单位：{d['district']}" in line and f"得分：{d['score']:.2f}" in line
        assert f"等级：{d['grade']}" in line and f"第 {d['rank']} 名" in line
        header = ws[ws.freeze_panes].row - 1
        details = [ws.cell(row=r, column=4).value for r in range(header + 1, header + 1 + len(d["gaps"]))]
        assert details == [g["detail"] for g in d["gaps"]]
        if not d["gaps"]:
            assert ws.cell(row=header + 1, column=1).value == text.NO_GAPS
        assert ("待公开事项" in wb.sheetnames) == bool(d["pending"])


def test_cli_excel_matches_cli_json(sample_db: Path, tmp_path: Path, open_book, table) -> None:
    xlsx, js = tmp_path / "report.xlsx", tmp_path / "report.json"
    code = scoring_cli(["evaluate", "--as-of", AS_OF.isoformat(), "--excel", str(xlsx),
                        "--json", str(js), "--db", str(sample_db)])
    assert code == 0
    ev = json.loads(js.read_text(encoding="utf-8"))
    from scoring import load_rules

    assert_report_matches(open_book(xlsx.read_bytes()), ev, load_rules(), table)
