"""Read the tables of a .docx file with python-docx into `ParsedTable`s.

python-docx reports a horizontally or vertically merged cell once per grid cell it covers,
which is exactly the "repeat the merged value" shape the other readers produce.
Paragraphs inside a cell become lines. Row numbers count rows within each table.
"""
from __future__ import annotations

import io
import zipfile

import docx

from loaders import limits
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import ParsedDocument, ParsedTable, rectangular
from loaders.names import clean_text


def read(data: bytes, file: str) -> ParsedDocument:
    """Parse docx bytes. Raises LoadError(bad_zip | unreadable_file)."""
    limits.check_zip(data, file)  # bounded resources (loaders/limits.py)
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise LoadError([LoadProblem(ProblemKind.BAD_ZIP, file)]) from None
    except Exception as exc:  # python-docx raises KeyError/ValueError for a damaged package
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=type(exc).__name__)]) from None
    tables: list[ParsedTable] = []
    for _n, table in enumerate(document.tables, start=1):
        rows = rectangular([[clean_text(cell.text) for cell in row.cells] for row in table.rows])
        if any(any(r) for r in rows):
            tables.append(ParsedTable(file, None, rows, list(range(1, len(rows) + 1))))
    return ParsedDocument(file, "docx", tables)
