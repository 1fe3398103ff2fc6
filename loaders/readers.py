"""Bytes -> `ParsedDocument`, choosing the reader by content (`loaders.detect`).

Readers are imported when a file of their format arrives: a csv load does not pay for
openpyxl, xlrd or python-docx at start-up. Every parse runs with Python's cyclic garbage
collector paused: readers allocate hundreds of thousands of cell strings and row lists that
are never cyclic, and each collection would walk all of them again.

`begin` starts the first, pandas-free part of reading an xlsx (the limits, the formula search,
the sheets' XML: `xlsx_xml.inspect`) on a thread; the next `parse` of the same bytes under the
same name takes its result up. The CLI calls it before it imports pandas and DuckDB and opens
the database, which then happen beside it (zlib, numpy, Arrow and RE2 release the GIL).
"""
from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from loaders import detect
from loaders.errors import LoadError

if TYPE_CHECKING:  # (model imports pandas: `begin` runs before it is imported)
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


# The one xlsx begun ahead: (name, bytes, its `xlsx_xml.inspect` running on a thread).
_ahead: list[tuple[str, bytes, Future[Any]]] = []


def begin(data: bytes, file: str) -> None:
    """Start inspecting `data` on a thread when it is an xlsx (anything else, or a file `detect`
    refuses, is left to `parse`, which reports it as ever). Imports numpy and pyarrow only."""
    try:
        if detect.detect_format(data, file) != "xlsx":
            return
    except LoadError:
        return
    from loaders import xlsx_xml

    pool = ThreadPoolExecutor(max_workers=1)
    _ahead[:] = [(file, data, pool.submit(xlsx_xml.inspect, data, file))]
    pool.shutdown(wait=False)


def forget() -> None:
    """Drop what `begin` started and no `parse` took (a command that stopped before reading)."""
    _ahead.clear()


def _taken(data: bytes, file: str) -> Future[Any] | None:
    """The inspection `begin` started for these very bytes under this name, if any (taken once)."""
    if not _ahead:
        return None
    name, begun, future = _ahead.pop()
    return future if name == file and (begun is data or begun == data) else None


def parse(data: bytes, file: str) -> ParsedDocument:
    """Parse any supported file. Raises LoadError for empty, damaged, mislabelled or unknown files."""
    fmt = detect.detect_format(data, file)
    read = reader(fmt)
    ahead = _taken(data, file) if fmt == "xlsx" else None
    with no_gc():
        if ahead is not None:
            return read(data, file, ahead.result)  # type: ignore[call-arg]
        return read(data, file)
