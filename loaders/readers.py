"""Bytes -> `ParsedDocument`, choosing the reader by content (`loaders.detect`).

Readers are imported when a file of their format arrives: a csv load does not pay for
openpyxl, xlrd or python-docx at start-up. Every parse runs with Python's cyclic garbage
collector paused: readers allocate hundreds of thousands of cell strings and row lists that
are never cyclic, and each collection would walk all of them again.
"""
from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused (and restored as it was) for a bulk parse."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse(data: bytes, file: str) -> ParsedDocument:
    """Parse any supported file. Raises LoadError for empty, damaged, mislabelled or unknown files."""
    read = reader(detect.detect_format(data, file))
    with no_gc():
        return read(data, file)
