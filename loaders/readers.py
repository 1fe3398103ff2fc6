"""Bytes -> `ParsedDocument`, choosing the reader by content (`loaders.detect`).

Readers are imported when a file of their format arrives: a csv load does not pay for
openpyxl, xlrd or python-docx at start-up. Every parse runs with Python's cyclic garbage
collector paused: readers allocate hundreds of thousands of cell strings and row lists that
are never cyclic, and each collection would walk all of them again.

`begin` starts reading an xlsx on a thread: first the part that needs no pandas (the limits,
the formula search, the sheets' XML: `xlsx_xml.inspect`, and their cells cleaned into Arrow
columns: `xlsx_table.direct_columns`), then, once `imported` says the loaders are imported, the
rest (the frames, or calamine and openpyxl); the next `parse` of the same bytes under the same name takes
the document (or the LoadError) up. The CLI begins before it imports pandas and DuckDB and
opens the database, which then happen beside the reading (zlib, numpy, Arrow and RE2 release
the GIL).
"""
from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

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


class _Reading:
    """A document read on a thread (or the exception reading it raised), waited for once."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._document: ParsedDocument | None = None
        self._error: BaseException | None = None

    def finish(self, document: ParsedDocument | None, error: BaseException | None = None) -> None:
        self._document, self._error = document, error
        self._done.set()

    def result(self) -> ParsedDocument:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._document is not None
        return self._document


# The one xlsx begun ahead: (name, bytes, the document its thread reads).
_ahead: list[tuple[str, bytes, _Reading]] = []
_imported = threading.Event()  # set once the loaders (pandas beneath them) are imported


def begin(data: bytes, file: str) -> None:
    """Start reading `data` on a thread when it is an xlsx (anything else, or a file `detect`
    refuses, is left to `parse`, which reports it as ever). The thread first inflates the
    worksheets (`limits.worksheet_parts`) while this imports numpy and pyarrow, the only
    imports here; it then imports the xlsx reader (numpy and pyarrow beneath it, not pandas)
    while the caller imports the rest, and builds the frames after `imported`."""
    try:
        if detect.detect_format(data, file) != "xlsx":
            return
    except LoadError:
        return
    from loaders import limits

    reading, numpy_ready = _Reading(), threading.Event()

    def read_ahead() -> None:
        try:
            try:
                parts = limits.worksheet_parts(data, file)
            except Exception:  # (inspect meets it again and reports it in its place)
                parts = None
            numpy_ready.wait()
            from loaders import xlsx_xml  # (imported by `begin` before `numpy_ready`)

            inspected = xlsx_xml.inspect(data, file, parts)
            del parts  # (the worksheets' XML is not held through the rest of the reading)
            from loaders import xlsx_table  # (no pandas beneath it)

            with no_gc():
                columns = xlsx_table.direct_columns(file, inspected)
            _imported.wait()
            with no_gc():
                document = xlsx_table.read(data, file, lambda: inspected, lambda: columns)
        except BaseException as exc:  # (handed to `parse`, which raises it)
            reading.finish(None, exc)
        else:
            reading.finish(document)

    _ahead[:] = [(file, data, reading)]
    threading.Thread(target=read_ahead, name="read-ahead", daemon=True).start()
    try:
        with no_gc():  # (numpy and pyarrow: imported here, as the package's other imports are, without collections)
            from loaders import xlsx_xml  # noqa: F401
    finally:
        numpy_ready.set()


def imported() -> None:
    """The caller of `begin` has imported the loaders: the reading goes on to the tables."""
    _imported.set()


def forget() -> None:
    """Drop what `begin` started and no `parse` took (a command that stopped before reading)."""
    _ahead.clear()


def _taken(data: bytes, file: str) -> _Reading | None:
    """The reading `begin` started for these very bytes under this name, if any (taken once)."""
    if not _ahead:
        return None
    name, begun, future = _ahead.pop()
    return future if name == file and (begun is data or begun == data) else None


def parse(data: bytes, file: str) -> ParsedDocument:
    """Parse any supported file. Raises LoadError for empty, damaged, mislabelled or unknown files."""
    fmt = detect.detect_format(data, file)
    ahead = _taken(data, file) if fmt == "xlsx" else None
    if ahead is not None:
        _imported.set()  # (a caller parsing has its imports behind it)
        return ahead.result()
    read = reader(fmt)
    with no_gc():
        return read(data, file)
