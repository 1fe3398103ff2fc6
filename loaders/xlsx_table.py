"""Read an .xlsx workbook into one `ParsedTable` per non-empty sheet.

Merged cells (一级事项 merged down its rows, 公开对象 merged across 全社会/特定群体) repeat the
top-left value in every cell they cover. Date cells become ISO text so the disclosure-log
normaliser sees one date syntax; numbers lose a trailing '.0'.
"""
from __future__ import annotations

import io
import zipfile

import openpyxl

from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders import limits
from loaders.model import ParsedDocument, ParsedTable, cell_text, rectangular


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((j + 1 for j, v in enumerate(r) if v), default=0) for r in rows), default=0)
    return [r[:width] for r in rows]


def read(data: bytes, file: str) -> ParsedDocument:
    """Parse xlsx bytes. Raises LoadError(bad_zip | unreadable_file)."""
    limits.check_xlsx(data, file)  # bounded resources (loaders/limits.py)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except zipfile.BadZipFile:
        raise LoadError([LoadProblem(ProblemKind.BAD_ZIP, file)]) from None
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=type(exc).__name__)]) from None
    tables: list[ParsedTable] = []
    for sheet in book.worksheets:
        rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        rows = rectangular(rows)
        for merged in sheet.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top
        rows = _trim(rows)
        if rows:
            tables.append(ParsedTable(file, sheet.title, rectangular(rows), list(range(1, len(rows) + 1))))
    return ParsedDocument(file, "xlsx", tables)
