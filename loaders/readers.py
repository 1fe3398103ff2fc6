"""Bytes -> `ParsedDocument`, choosing the reader by content (`loaders.detect`)."""
from __future__ import annotations

from collections.abc import Callable

from loaders import csv_table, detect, docx_table, html_table, pdf_table, xls_table, xlsx_table
from loaders.model import ParsedDocument

READERS: dict[str, Callable[[bytes, str], ParsedDocument]] = {
    "xlsx": xlsx_table.read,
    "xls": xls_table.read,
    "csv": csv_table.read,
    "html": html_table.read,
    "docx": docx_table.read,
    "pdf": pdf_table.read,
}


def parse(data: bytes, file: str) -> ParsedDocument:
    """Parse any supported file. Raises LoadError for empty, damaged, mislabelled or unknown files."""
    return READERS[detect.detect_format(data, file)](data, file)
