"""Read a legacy .xls (BIFF) workbook with xlrd into one `ParsedTable` per non-empty sheet.

Merged ranges are filled like xlsx merges where xlrd can report them (it needs the
workbook's formatting records); date cells become ISO text.
"""
from __future__ import annotations

import xlrd

from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import ParsedDocument, ParsedTable, cell_text, rectangular


def _open(data: bytes) -> xlrd.book.Book:
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except Exception:  # some writers omit the formatting records merges need
        return xlrd.open_workbook(file_contents=data)


def _value(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError):
            return cell_text(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return cell_text(cell.value)


def read(data: bytes, file: str) -> ParsedDocument:
    """Parse xls bytes. Raises LoadError(unreadable_file | encrypted)."""
    try:
        book = _open(data)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error …
        if "encrypted" in str(exc).lower():  # a FILEPASS record: the workbook has an open password
            raise LoadError([LoadProblem(ProblemKind.ENCRYPTED, file)]) from None
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=type(exc).__name__)]) from None
    tables: list[ParsedTable] = []
    for sheet in book.sheets():
        rows = rectangular([[_value(book, c) for c in sheet.row(r)] for r in range(sheet.nrows)])
        for r0, r1, c0, c1 in getattr(sheet, "merged_cells", []):
            top = rows[r0][c0]
            for r in range(r0, min(r1, len(rows))):
                for c in range(c0, min(c1, len(rows[r]))):
                    rows[r][c] = top
        if any(any(r) for r in rows):
            tables.append(ParsedTable(file, sheet.name, rows, list(range(1, len(rows) + 1))))
    return ParsedDocument(file, "xls", tables)
