"""Bytes -> `ParsedDocument`, choosing the reader by content (`loaders.detect`).

Readers are imported when a file of their format arrives: a csv load does not pay for
openpyxl, xlrd or python-docx at start-up.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable

from loaders import detect
from loaders.model import ParsedDocument

MODULES: dict[str, str] = {
    "xlsx": "loaders.xlsx_table",
    "xls": "loaders.xls_table",
    "csv": "loaders.csv_table",
    "html": "loaders.html_table",
    "docx": "loaders.docx_table",
    "pdf": "loaders.pdf_table",
}


def reader(fmt: str) -> Callable[[bytes, str], ParsedDocument]:
    """The `read(data, file)` function of a format."""
    read: Callable[[bytes, str], ParsedDocument] = importlib.import_module(MODULES[fmt]).read
    return read


def parse(data: bytes, file: str) -> ParsedDocument:
    """Parse any supported file. Raises LoadError for empty, damaged, mislabelled or unknown files."""
    return reader(detect.detect_format(data, file))(data, file)
