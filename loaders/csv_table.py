"""Read a csv export (UTF-8, UTF-8 with BOM, GBK/GB18030; comma, tab or semicolon) into one
`ParsedTable`. Row numbers are record numbers, as a spreadsheet program shows them.

Csv has no merged cells: 一级事项 left blank on continuation rows is filled in by the
catalog normaliser, not here.
"""
from __future__ import annotations

import csv
import io

from loaders.detect import decode_text
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders import limits
from loaders.model import ParsedDocument, ParsedTable, clean_cell, rectangular

_DELIMITERS = (",", "\t", ";", "，")


def _delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read(data: bytes, file: str) -> ParsedDocument:
    """Parse csv bytes. Raises LoadError(encoding | unreadable_file | empty_file)."""
    limits.check_text(data, file)  # bounded resources (loaders/limits.py)
    text = decode_text(data, file)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=str(exc))]) from None
    rows = [[clean_cell(v) for v in rec] for rec in records]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise LoadError([LoadProblem(ProblemKind.EMPTY_FILE, file)])
    return ParsedDocument(file, "csv", [ParsedTable(file, None, rectangular(rows), list(range(1, len(rows) + 1)))])
