"""reports/xlsx.py, the one writer of the export workbooks, against the openpyxl reference writer
of tests/reports/openpyxl_writer.py (the exports' writer before #17): the same sheet built through both and read back with openpyxl has the
same values, types, fonts, fills, borders, number formats, wrapping, column widths, row heights,
merged cells, panes and print settings. Plus its text width and its refusals.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from reports import xlsx
from reports.excel_format import INTEGER, PERCENT, display_width
from tests.reports import openpyxl_writer as fmt
from ui_text import excel as text

AS_OF = dt.date(2025, 6, 30)
GRADES = [{"id": "excellent", "name": "优秀"}, {"id": "good", "name": "良好"}, {"id": "fail", "name": "不合格"}]
HEADERS = ["单位", "等级", "得分率", "问题说明", "逾期工作日"]
ROWS: list[list[Any]] = [
    ["金水区", "优秀", 0.9535, "短句", 3],
    ["二七区", "良好", None, "关于" + "公共租赁住房" * 8 + "的公示逾期公开，请整改。", 0],
    ["中原区", "不合格", 1.0, '=HYPERLINK("http://x","y")', None],
    ["惠济区\x07", "不合格", 0.5, "第一行\n第二行较长的一行文字说明", 17],
    ["-2", "优秀", 0.25, "+1", 1],
]


def _build(m: Any) -> bytes:
    """One sheet through module `m` (the openpyxl reference or xlsx): title, warning, a label, a table with
    formats, wrapping and caps, graded cells, a merged prose line, print setup."""
    wb = m.new_workbook()
    ws = wb.create_sheet("排名")
    top = m.banner(ws, "标题：郑州市评估结果", "【示例数据】仅用于演示")
    m.put(ws, top, 1, "单位：金水区　评估日期：2025年6月30日", boxed=False).font = \
        fmt.LABEL_FONT if m is fmt else xlsx.LABEL_FONT
    m.put(ws, top + 1, 1, "说明：" + "折算得分按参评指标的权重之和重新折算。" * 4, boxed=False)
    header = top + 3
    m.write_table(ws, header, HEADERS, [list(r) for r in ROWS], formats={2: PERCENT, 4: INTEGER},
                  wrap=(0,))
    fills = m.grade_fills(GRADES)
    if m is fmt:
        for (cell,) in ws.iter_rows(min_row=header + 1, min_col=2, max_col=2):
            fmt.colour_grade(cell, fills)
    else:
        xlsx.fill_grades(ws, 1, fills)
    m.fit_columns(ws, first_row=header, caps={4: 24})
    m.wrap_prose(ws, top + 1, len(HEADERS))
    m.setup_page(ws, header)
    return m.finish_workbook(wb, AS_OF, "测试")


def _cells(data: bytes) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    ws = load_workbook(io.BytesIO(data))["排名"]
    cells = []
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(HEADERS)):
        for c in row:
            fill = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
            cells.append((c.coordinate, c.value, c.data_type, bool(c.quotePrefix), c.number_format,
                          c.font.name, c.font.sz, bool(c.font.b), c.font.color.rgb if c.font.color else None,
                          c.font.charset, fill, c.border.left.style, c.border.bottom.style,
                          bool(c.alignment.wrap_text), c.alignment.vertical, c.alignment.horizontal))
    sheet = {"widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
             "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
             "merged": sorted(str(r) for r in ws.merged_cells.ranges), "freeze": ws.freeze_panes,
             "titles": ws.print_title_rows, "fit": ws.sheet_properties.pageSetUpPr.fitToPage,
             "fit_width": ws.page_setup.fitToWidth, "fit_height": ws.page_setup.fitToHeight,
             "scale": ws.page_setup.scale, "paper": int(ws.page_setup.paperSize),
             "orientation": ws.page_setup.orientation, "margins": (ws.page_margins.left, ws.page_margins.right),
             "centred": ws.print_options.horizontalCentered, "footer": ws.oddFooter.center.text}
    return cells, sheet


def test_the_fast_writer_matches_the_openpyxl_helpers() -> None:
    ours, theirs = _cells(_build(xlsx)), _cells(_build(fmt))
    assert ours[1] == theirs[1]
    assert ours[0] == theirs[0]
    # the sheet is a real test of the formats: wrapped rows grew, the capped column wraps, fills differ
    assert len(ours[1]["heights"]) >= 3 and ours[1]["widths"]["D"] == 24
    assert {c[10] for c in ours[0]} >= {"00C6EFCE", "00DDEBF7", "00FFC7CE", "00D9E1F2"}


def test_text_stays_text_and_control_characters_go() -> None:
    cells = {c[0]: c for c in _cells(_build(xlsx))[0]}
    formula = next(c for c in cells.values() if c[1] == '=HYPERLINK("http://x","y")')
    assert formula[2] == "s" and formula[3] is True
    assert next(c for c in cells.values() if c[1] == "-2")[3] is True
    assert any(c[1] == "惠济区" for c in cells.values())  # \x07 removed, as openpyxl's writer does


def test_same_content_same_bytes_stamped_with_the_date() -> None:
    data = _build(xlsx)
    assert _build(xlsx) == data
    wb = load_workbook(io.BytesIO(data))
    assert wb.properties.created == wb.properties.modified == dt.datetime(2025, 6, 30)
    assert wb.properties.creator == text.CREATOR and wb.properties.title == "测试"


def test_text_width_is_display_width() -> None:
    for code in range(0x10000):
        ch = chr(code)
        assert xlsx.text_width(ch) == display_width(ch), hex(code)
    for value in ("abc", "中文", "A中", "「配租结果」已逾期17个工作日", "e\u0301", "\U00020000x"):
        assert xlsx.text_width(value) == display_width(value)


def test_a_cell_written_inside_a_table_row_is_refused() -> None:
    wb = xlsx.new_workbook()
    ws = wb.create_sheet("t")
    xlsx.write_table(ws, 1, ["a", "b"], [[1, 2]])
    xlsx.put(ws, 2, 2, "x")
    with pytest.raises(ValueError):
        xlsx.finish_workbook(wb, AS_OF, "t")


def test_same_bytes_in_every_process() -> None:
    """Styles are numbered in first-appearance order, never in set order (which varies with the
    process's hash seed): a circulated round downloads the same file after a restart."""
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    # the sheet of _build: three grades, each with its own fill style
    code = ("import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
            "from reports import xlsx; from tests.reports.test_xlsx import _build;"
            "print(hashlib.sha256(_build(xlsx)).hexdigest())")
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code, str(root)], cwd=root, env=env, capture_output=True,
                              text=True, check=True)
        digests.add(done.stdout.strip())
    assert len(digests) == 1 and len(next(iter(digests))) == len(hashlib.sha256().hexdigest())
