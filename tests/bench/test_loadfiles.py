"""The load benchmark's xlsx ledgers: the Excel-style file (shared strings, raw UTF-8, 序号 as
numbers) and the openpyxl inline-string one hold the same table and load the same rows."""
from __future__ import annotations

import zipfile
from pathlib import Path

from bench import loadfiles
from loaders import disclosure_log, readers


def test_excel_style_and_inline_xlsx_parse_to_the_same_table(tmp_path: Path) -> None:
    shared = loadfiles.make("xlsx", 60, tmp_path)
    inline = loadfiles.make("xlsx-inline", 60, tmp_path)
    assert shared != inline
    with zipfile.ZipFile(shared) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
        assert "xl/sharedStrings.xml" in book.namelist() and b't="s"' in sheet and b"&#" not in sheet
        assert "公开台账".encode() in book.read("xl/workbook.xml")
    with zipfile.ZipFile(inline) as book:
        assert b"inlineStr" in book.read("xl/worksheets/sheet1.xml")
    a, b = readers.parse(shared.read_bytes(), "a.xlsx"), readers.parse(inline.read_bytes(), "a.xlsx")
    assert [t.cells for t in a.tables] == [t.cells for t in b.tables] and len(a.tables[0].cells) == 61
    assert a.tables[0].sheet == b.tables[0].sheet == "公开台账"
    rows_a, rows_b = disclosure_log.normalise(a), disclosure_log.normalise(b)
    assert not rows_a.problems and rows_a.rows.equals(rows_b.rows) and len(rows_a.rows) == 60
