"""build_report_workbook read back with openpyxl: every figure equals the evaluation JSON, no
cell is a formula, hostile titles stay text, print settings, panes, formats and widths.

The input is the hand-written evaluation in conftest.py; the real evaluation on the sample is
compared in test_excel_end_to_end.py.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest

from reports.excel import build_report_workbook, display_width
from scoring.rules import load_rules
from tests.reports.helpers import typed
from ui_text import excel as text
from ui_text.common import date_text

H = text.HEADERS
_RULES = load_rules()  # the registry: component ids, kinds and order
COMPONENTS, RATIOS, MILESTONES = _RULES.component_ids, _RULES.ratio_ids, _RULES.milestone_ids


def cn(iso: str | None) -> str | None:
    """A JSON ISO date as the printed workbook writes it: '2023-06-01' → '2023年6月1日'."""
    return None if iso is None else date_text(dt.date.fromisoformat(iso))


RANK_ORDER = ["金水区", "中原区", "二七区", "郑东新区"]  # rank 1; tie at 2 by code 410102 < 410103; 4


@pytest.fixture
def book(evaluation, context, open_book):
    return open_book(build_report_workbook(typed(evaluation), {**context, "per_district_sheets": True}))


def _by_name(evaluation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["district"]: d for d in evaluation["districts"]}


def test_sheets(evaluation, context, open_book) -> None:
    # opens on 排名 (the first, active sheet); methodology, then the data-source annex, come last
    wb = open_book(build_report_workbook(typed(evaluation), context))
    assert wb.sheetnames == ["排名", "分项得分", "问题清单", "里程碑", "说明", "附件：数据来源"]
    assert wb.active.title == "排名"
    wb = open_book(build_report_workbook(typed(evaluation), {**context, "per_district_sheets": True}))
    assert wb.sheetnames == ["排名", "分项得分", "问题清单", "里程碑"] + RANK_ORDER + ["说明", "附件：数据来源"]
    assert wb.active.title == "排名"


def test_ranking_matches_json(book, evaluation, table) -> None:
    rows = table(book["排名"])
    assert [r[H["district"]] for r in rows] == RANK_ORDER
    src = _by_name(evaluation)
    for row in rows:
        d = src[row[H["district"]]]
        assert (row[H["rank"]], row[H["score"]], row[H["grade"]], row[H["kind"]]) == \
            (d["rank"], d["score"], d["grade"], d["kind"])
        for cid in RATIOS:
            expected = text.NONE_MARK if d[cid] is None else d[cid]
            assert row[text.COMPONENT_LABELS[cid]] == expected, (d["district"], cid)
        for cid in MILESTONES:
            status = text.STATUS_LABELS[d[cid]["status"]]
            shown = row[text.COMPONENT_LABELS[cid]]
            assert shown.startswith(status)
            assert (cn(d[cid]["date"]) or "") in shown
    # spot check against the literal JSON, not through the same lookups
    assert rows[0][text.COMPONENT_LABELS["milestone_2023_06"]] == "逾期完成（2023年8月2日）"
    assert rows[3][H["score"]] == 0 and rows[3][H["grade"]] == "不合格"


def test_components_sheet(book, evaluation, weights, table, value_of) -> None:
    rows = table(book["分项得分"])
    assert len(rows) == 4 * len(COMPONENTS)
    src = _by_name(evaluation)
    for row in rows:
        d = src[row[H["district"]]]
        cid = next(c for c in COMPONENTS if text.COMPONENT_LABELS[c] == row[H["component"]])
        assert row[H["value"]] == value_of(d, cid)
        assert row[H["weight"]] == weights[cid]
        if value_of(d, cid) is None:
            assert row[H["points"]] is None and row[H["note"]] == text.NOT_SCORED
    jinshui = {r[H["component"]]: r[H["points"]] for r in rows if r[H["district"]] == "金水区"}
    # Σw over non-null = 95 (interpretation_sync is null)
    assert jinshui[text.COMPONENT_LABELS["catalog_coverage"]] == 21.05      # 100·20·1/95 = 21.0526
    assert jinshui[text.COMPONENT_LABELS["element_completeness"]] == 10.33  # 100·10·0.9815/95 = 10.3316
    assert jinshui[text.COMPONENT_LABELS["disclosure_coverage"]] == 18.6    # 100·20·0.8837/95 = 18.6042
    assert jinshui[text.COMPONENT_LABELS["timeliness"]] == 25               # 100·25·0.95/95 = 25
    assert jinshui[text.COMPONENT_LABELS["milestone_2020_09"]] == 10.53     # 100·10·1/95 = 10.5263
    assert jinshui[text.COMPONENT_LABELS["milestone_2023_06"]] == 5.26      # 100·10·0.5/95 = 5.2632
    # the shares add up to the score 90.78 up to their own rounding (sum 90.77)
    assert sum(v for v in jinshui.values() if v is not None) == pytest.approx(90.78, abs=0.03)


def test_gap_sheet_has_one_row_per_gap(book, evaluation, table) -> None:
    rows = table(book["问题清单"])
    expected = [(d["district"], g) for name in RANK_ORDER for d in [_by_name(evaluation)[name]]
                for g in d["gaps"]]
    assert len(rows) == len(expected) == 8  # 3 + 1 + 2 + 2
    for row, (district, gap) in zip(rows, expected):
        assert row[H["district"]] == district
        assert row[H["category"]] == text.CATEGORY_LABELS[gap["category"]]
        assert row[H["item"]] == gap["item"]
        assert row[H["title"]] == gap["title"]
        assert row[H["detail"]] == gap["detail"]
        assert row[H["missing_elements"]] == ("、".join(gap["missing_elements"]) or None)
        assert row[H["workdays_late"]] == gap["workdays_late"]
        assert row[H["deadline"]] == cn(gap["deadline"])
        assert row[H["rule"]] == text.COMPONENT_LABELS[gap["rule"]]
    assert rows[0][H["missing_elements"]] == "公开依据、公开层级"


def test_milestone_sheet(book, evaluation, table) -> None:
    rows = table(book["里程碑"])
    assert len(rows) == 8
    src = _by_name(evaluation)
    for row in rows:
        d = src[row[H["district"]]]
        cid = next(c for c in MILESTONES if text.COMPONENT_LABELS[c] == row[H["milestone"]])
        m = d[cid]
        assert (row[H["status"]], row[H["date"]], row[H["days_late"]]) == \
            (text.STATUS_LABELS[m["status"]], cn(m["date"]), m["days_late"])
    assert (rows[1][H["status"]], rows[1][H["days_late"]]) == ("逾期完成", 33)


def test_about_sheet(book, evaluation, weights) -> None:
    ws = book["说明"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert values[0] == text.REPORT_TITLE == "郑州市保障性住房领域基层政务公开评估结果"
    assert values[1] == text.ABOUT["sample_warning"] and "示例数据" in values[1]
    pairs = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2)}
    # printed dates read the Chinese way
    assert pairs[text.ABOUT["as_of"]] == "2023年6月30日"
    assert pairs[text.ABOUT["window"]] == "2023年1月1日至2023年6月30日"
    assert pairs[text.ABOUT["unit_count"]] == 4
    assert text.ABOUT["points_text"] in values  # why 折算得分 can exceed the weight
    for cid in COMPONENTS:
        assert pairs[text.COMPONENT_LABELS[cid]] == weights[cid]
        assert text.DEFINITIONS[cid] in values
    # 中原区 has calendar_estimated: the note appears
    assert text.ABOUT["calendar_estimated"] in values
    # provenance (rules version, files, load times) is the internal annex, the last sheet
    assert not any(text.ABOUT["rules_version"] == v for v in values)
    ws = book["附件：数据来源"]
    pairs = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2)}
    assert pairs[text.ABOUT["rules_version"]] == "2023.1"
    source_rows = [[c.value for c in row] for row in ws.iter_rows() if row[3].value and
                   re.match(r"\d{4}-\d\d-\d\d \d", str(row[3].value))]
    assert source_rows == [
        ["全市", "标准目录", "standard_catalog.tsv", "2023-06-01 08:00:00", None, None],
        ["金水区", "事项目录", "jinshui/catalog_2020.xlsx", "2023-06-01 08:00:01", "2020年9月18日",
         "金房保〔2020〕15号"],
        ["金水区", "公开信息台账", '=HYPERLINK("http://x","y")', "2023-06-01 08:00:02", None, None],
    ]


def test_no_sample_warning_for_real_data(evaluation, context, open_book) -> None:
    wb = open_book(build_report_workbook(typed(evaluation), {**context, "is_sample": False}))
    values = {c.value for ws in wb for row in ws.iter_rows() for c in row}
    assert text.ABOUT["sample_warning"] not in values
    assert wb["排名"].freeze_panes == "A3"  # no warning line: header in row 2


def test_no_formulas_anywhere(evaluation, context) -> None:
    data = build_report_workbook(typed(evaluation), {**context, "per_district_sheets": True})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == 10  # 4 tables + 4 units + 说明 + 数据来源
        for name in sheets:
            assert not re.search(rb"<f[ >]", z.read(name)), name


def test_hostile_titles_stay_text(book, hostile) -> None:
    found: dict[str, list[Any]] = {}
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if cell.value in hostile:
                    found.setdefault(cell.value, []).append(cell)
    assert set(found) == set(hostile)
    for cells in found.values():
        for cell in cells:
            assert cell.data_type == "s" and cell.quotePrefix is True


def test_print_settings_and_panes(book) -> None:
    from tests.reports.openpyxl_writer import print_scale
    for ws in book:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
        # printed text ≥ 9 pt: fitted to one page width only while 11 pt shrinks to ≥ 82 %,
        # otherwise printed at 82 % across pages (11 × 0.82 = 9.02 pt)
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
            assert print_scale(ws) * 11 / 100 >= 9, ws.title
        else:
            assert int(ws.page_setup.scale) * 11 / 100 >= 9, ws.title
    # title row, sample warning, header row 3: frozen below it and repeated on every page
    for name in ["排名", "问题清单", "里程碑"]:
        assert book[name].freeze_panes == "A4", name
        assert book[name].print_title_rows == "$1:$3", name
    # 分项得分 has the 折算得分 note above its header (row 4)
    assert book["分项得分"].freeze_panes == "A5" and book["分项得分"]["A3"].value == text.ABOUT["points_text"]
    # unit sheets: title, warning, header line, 折算得分 note, blank, gap header in row 6
    assert book["金水区"].freeze_panes == "A7"
    assert book["金水区"]["A6"].value == H["category"]


def test_formats_and_grade_colours(book, table) -> None:
    ws = book["排名"]
    headers = [c.value for c in ws[3]]
    grade_col = headers.index(H["grade"]) + 1
    score_col = headers.index(H["score"]) + 1
    ratio_cols = [headers.index(text.COMPONENT_LABELS[c]) + 1 for c in RATIOS]
    fills = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=grade_col).fill.fgColor.rgb
             for r in range(4, 8)}
    assert fills["金水区"].endswith("C6EFCE")     # 优秀 green
    assert fills["郑东新区"].endswith("FFC7CE")   # 不合格 red
    assert fills["中原区"] == fills["二七区"]
    for r in range(4, 8):
        assert ws.cell(row=r, column=score_col).number_format == "0.00"
        for c in ratio_cols:
            cell = ws.cell(row=r, column=c)
            if isinstance(cell.value, float | int):
                assert cell.number_format == "0.0%"  # one decimal, as on screen
            assert cell.border.left.style == "thin"
    assert ws.cell(row=3, column=1).font.b is True


def test_column_widths_by_display_width(book) -> None:
    ws = book["排名"]
    # 单位 column: widest is 郑东新区 (4 CJK = 8) + 2 = 10 (under its cap of 14)
    assert ws.column_dimensions["B"].width == 10
    # last milestone column (L): '逾期完成（2023年8月2日）' = 4·2 + 2·2 + 4 + 1 + 1 + 3·2 = 24 display
    # cells; the column is capped at 16 (RANKING_CAPS, so 排名 prints on one page width at ≥ 9 pt)
    # and the cell wraps onto two lines, its row as tall as that
    from reports.excel_format import LINE_HEIGHT
    header = text.COMPONENT_LABELS["milestone_2023_06"]
    assert ws["L3"].value == header
    assert display_width("逾期完成（2023年8月2日）") == 24
    assert ws.column_dimensions["L"].width == 16
    cell = next(c for (c,) in ws.iter_rows(min_row=4, min_col=12, max_col=12) if c.value == "逾期完成（2023年8月2日）")
    assert cell.alignment.wrap_text is True and ws.row_dimensions[cell.row].height >= 2 * LINE_HEIGHT
    # 排名 column A: '排名' is 4 wide → 6, the minimum width
    assert ws.column_dimensions["A"].width == 6


def test_same_input_same_bytes_and_dates_from_as_of(evaluation, context, open_book) -> None:
    first = build_report_workbook(typed(evaluation), context)
    assert build_report_workbook(typed(evaluation), context) == first
    props = open_book(first).properties
    assert props.created == props.modified == dt.datetime(2023, 6, 30)
    assert props.title == text.REPORT_TITLE


def test_json_not_mutated(evaluation, context) -> None:
    import copy

    before = copy.deepcopy(evaluation)
    build_report_workbook(typed(evaluation), {**context, "per_district_sheets": True})
    assert evaluation == before


def test_unit_sheet_header_block(book, evaluation) -> None:
    ws = book["二七区"]
    # one clean line; it is prose (no border), so it does not widen the table's columns
    assert ws["A3"].value == ("单位：二七区　　评估日期：2023年6月30日　　得分：80.00　　等级：良好　　"
                              "排名：第 2 名（共 4 个单位）")
    assert ws["A3"].border.left.style is None
    assert all(ws.cell(row=3, column=c).value is None for c in range(2, 11))


def test_weights_come_from_rules_only_when_versions_match(evaluation, open_book, table) -> None:
    rules = load_rules()
    # the fixture's rules_version '2023.1' is not rules.toml's: weights are left blank, not guessed
    rows = table(open_book(build_report_workbook(typed(evaluation), {}))["分项得分"])
    assert {r[H["weight"]] for r in rows} == {None}
    assert {r[H["points"]] for r in rows} == {None}
    # the same evaluation stamped with rules.toml's version takes rules.toml's weights
    stamped = {**evaluation, "rules_version": rules.version}
    rows = table(open_book(build_report_workbook(typed(stamped), {}))["分项得分"])
    weights = {r[H["component"]]: r[H["weight"]] for r in rows if r[H["district"]] == "金水区"}
    assert weights == {text.COMPONENT_LABELS[c]: w for c, w in rules.weights.items()}
    # an explicit Rules object wins whatever the version
    rows = table(open_book(build_report_workbook(typed(evaluation), {"rules": rules}))["分项得分"])
    assert rows[0][H["weight"]] == rules.weights["catalog_coverage"]


def test_grade_bands_listed_with_colours(book) -> None:
    ws = book["说明"]
    bands = {row[0].value: row[0].fill.fgColor.rgb for row in ws.iter_rows(max_col=1)
             if row[0].value in ("优秀", "良好", "合格", "不合格")}
    assert set(bands) == {"优秀", "良好", "合格", "不合格"}
    assert bands["优秀"].endswith("C6EFCE") and bands["不合格"].endswith("FFC7CE")
    texts = [c.value for row in ws.iter_rows(min_col=2, max_col=2) for c in row]
    assert "优秀：90 分及以上" in texts and "不合格：低于 60 分" in texts


def test_component_value_is_the_evaluations_own_value_at_four_decimals(evaluation) -> None:
    from reports.excel import component_points, component_value
    from scoring.evaluation import DistrictResult

    erqi = DistrictResult.from_json(evaluation["districts"][1])
    assert component_value(erqi, "timeliness") is None  # not evaluated
    assert component_value(erqi, "milestone_2020_09") == 0.5  # late: its value in "components"
    # a live result holds unrounded values; the workbook shows what the JSON states (4 decimals)
    live = dataclasses.replace(erqi, components={**erqi.components, "catalog_coverage": 41 / 43})
    assert component_value(live, "catalog_coverage") == 0.9535
    # points over the non-null components: Σw = 20 + 10 + 20 + 5 + 10 + 10 = 75 (timeliness null);
    # catalog 100 × 20 × 0.9535 / 75 = 25.43, milestone_2020_09 100 × 10 × 0.5 / 75 = 6.67
    points = component_points(live, {c: float(w) for c, w in _RULES.weights.items()}, COMPONENTS)
    assert (points["catalog_coverage"], points["milestone_2020_09"], points["timeliness"]) == (25.43, 6.67, None)


def test_rows_beyond_the_sheet_limit_are_cut_with_a_note(open_book, table) -> None:
    from reports.excel import _resolve, _table_sheet
    from reports.xlsx import finish_workbook, new_workbook

    wb = new_workbook()
    ctx = _resolve(None, {"is_sample": False})
    # a 10-row sheet holds title, two note lines, header and 6 rows: 9 rows in, 6 shown
    _table_sheet(wb, "gaps", "t", ctx, ["n"], [[i] for i in range(9)], {}, max_rows=10)
    back = open_book(finish_workbook(wb, dt.date(2023, 6, 30), "t"))["问题清单"]
    assert back["A2"].value == text.TRUNCATED.format(shown=6, total=9)
    assert [r["n"] for r in table(back)] == [0, 1, 2, 3, 4, 5]


def test_long_text_wraps_instead_of_widening_the_gap_sheet(evaluation, context, open_book) -> None:
    long_title = "关于" + "公共租赁住房" * 10 + "的公示"  # 2·(2 + 60 + 3) = 130 display cells
    evaluation["districts"][0]["gaps"][1]["title"] = long_title
    ws = open_book(build_report_workbook(typed(evaluation), context))["问题清单"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == long_title)
    assert ws.column_dimensions[cell.column_letter].width == 28  # 信息标题's cap (print ≥ 9 pt)
    assert cell.alignment.wrap_text is True
    # the row is as tall as the wrapped text: 130 display cells in 27 a line = 5 lines
    from reports.excel_format import LINE_HEIGHT, ROW_PADDING
    assert ws.row_dimensions[cell.row].height == round(5 * LINE_HEIGHT + ROW_PADDING, 1)


def test_one_east_asian_font_in_every_cell(book) -> None:
    """等线 with the GB2312 charset in every written cell, titles and headers included, so Excel,
    WPS and LibreOffice all open (and print) it with the same Chinese font."""
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "等线" and cell.font.charset == 134, (ws.title, cell.coordinate)
    assert book["排名"]["A1"].font.sz == 14 and book["排名"]["A4"].font.sz == 11


def test_every_wrapped_row_is_tall_enough(book) -> None:
    """Each row holding a wrapped cell has a written height covering its longest wrapped text."""
    from reports.excel_format import LINE_HEIGHT
    from tests.reports.openpyxl_writer import wrapped_lines
    checked = 0
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or not cell.alignment.wrap_text or isinstance(cell.value, int | float):
                    continue
                if any(cell.coordinate in r for r in ws.merged_cells.ranges):
                    continue
                width = ws.column_dimensions[cell.column_letter].width
                lines = wrapped_lines(str(cell.value), width)
                if lines > 1:
                    height = ws.row_dimensions[cell.row].height
                    assert height is not None and height >= lines * LINE_HEIGHT, (ws.title, cell.coordinate)
                    checked += 1
    assert checked > 0
