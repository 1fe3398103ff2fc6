"""Read a csv export (UTF-8, UTF-8 with BOM, GBK/GB18030; comma, tab, semicolon or a
full-width comma) into one `ParsedTable`. Row numbers are record numbers, as a spreadsheet
program shows them.

Csv has no merged cells: 一级事项 left blank on continuation rows is filled in by the
catalog normaliser, not here.

The file is parsed by DuckDB's own csv reader into Arrow columns and cleaned by Arrow's
kernels (`model.clean_columns`: NFKC only for the cells holding a character it may change,
trimmed; the rare cells with control characters or line breaks through `names.clean_text`). A file DuckDB's reader cannot take exactly as Python's csv module would
(blank lines that number records, rows wider than the header, odd quoting) is read by the
csv module instead, with the same result. Text that is not one encoding throughout is
refused with the row where the second encoding starts.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable

import duckdb
import pandas as pd
import pyarrow as pa

from loaders import limits
from loaders.db import release_memory
from loaders.detect import decode_text, utf8_pieces
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import ParsedDocument, ParsedTable, clean_cell, clean_columns, rectangular, system_memory_pool
from loaders.names import CONTROL_CHARS
from loaders.readers import no_gc

_DELIMITERS = (",", "\t", ";", "，")  # in order of preference when two fit equally well
_SAMPLE_LINES = 50
_FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALF_WIDTH = "".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " "
_FAST_MIN_BYTES = 256 * 1024  # below this the csv module is as fast and has no set-up cost
# GBK is transcoded 256 KiB at a time: with pieces of 16 MB (or 1 MB) every temporary string was
# a fresh mapping of its own (1M-row log: 127k page faults, 0.72 CPU s; now 33k, 0.57 s; issue #17).
_TRANSCODE_PIECE = 1 << 18
# DuckDB reads a file: the bytes go to memory-backed /dev/shm where there is one (no disk write).
_TMP_DIR = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
# Where the open copy is named by its descriptor (Linux): it is unlinked as soon as it is made.
_FD_DIR = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else None


def _sample_records(text: str, delimiter: str) -> list[list[str]]:
    lines = text.split("\n", _SAMPLE_LINES + 1)[:_SAMPLE_LINES]
    try:
        return [r for r in csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter) if r]
    except csv.Error:
        return []


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields.

    Counting characters is fooled by titles full of Chinese commas; splitting with each
    candidate (quotes respected) and asking how many lines agree on one field count > 1 is not.
    """
    best, best_score = ",", (0, 0)
    for d in _DELIMITERS:
        records = _sample_records(text, d)
        counts = [len(r) for r in records if len(r) > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode), mode)  # lines agreeing, then more fields
        if score > best_score:
            best, best_score = d, score
    return best


def _blank_lines(data: bytes) -> bool:
    body = data.strip(b"\r\n")
    return b"\n\n" in body or b"\n\r\n" in body or b"\r\r" in body


def _records_are_lines(data: bytes, newlines: int, records: int) -> bool:
    """True when DuckDB's `records` are exactly the file's lines (no blank line it skipped, no
    quoted line break): then its record numbers are the csv module's. Counts, no copy."""
    end = len(data)
    while end and data[end - 1] in (10, 13):  # trailing line breaks end the last record
        end -= 1
    trailing = data.count(b"\n", end) if end < len(data) else 0
    return records == newlines - trailing + 1


def _sql(width: int) -> str:
    spec = "{" + ", ".join(f"'c{j}': 'VARCHAR'" for j in range(width)) + "}"
    return (f"SELECT * FROM read_csv($path, auto_detect = false, header = false, delim = $delim, quote = '\"', "
            f"escape = '\"', columns = {spec}, null_padding = true, strict_mode = true, parallel = $parallel)")


class _NotUtf8(Exception):
    """DuckDB's reader found bytes that are not UTF-8."""


def _fast(pieces: Iterable[bytes | memoryview], lines: bytes, delimiter: str, width: int,
          newlines: int) -> tuple[pd.DataFrame, int] | None:
    """(frame, cells with control characters) via DuckDB of the UTF-8 text written from `pieces`,
    or None when it cannot read the file exactly as the csv module would. `lines` is the file as
    loaded (its line breaks are the text's: UTF-8 itself, or GBK, whose multi-byte sequences never
    hold one). Raises _NotUtf8 for bytes that are not UTF-8."""
    fd, path = tempfile.mkstemp(suffix=".csv", dir=_TMP_DIR)
    if _FD_DIR:  # the copy has no name from the start: a load killed while reading leaves nothing in /dev/shm
        os.unlink(path)
        path = f"{_FD_DIR}/{fd}"
    try:
        with os.fdopen(fd, "wb", closefd=False) as f:
            for piece in pieces:
                f.write(piece)
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        try:
            table = None
            for parallel in (True, False):  # DuckDB's parallel scanner refuses quoted line breaks here
                params = {"path": path, "delim": delimiter, "parallel": parallel}
                try:
                    table = con.sql(_sql(width), params=params).to_arrow_table()
                    break
                except duckdb.Error as exc:
                    if "unicode" in str(exc).lower():
                        raise _NotUtf8() from None
                    if parallel and "parallel" in str(exc):
                        continue
                    return None
        finally:
            con.close()
    finally:
        os.close(fd)
        if not _FD_DIR:
            os.unlink(path)
    if table is None:
        return None
    if not _records_are_lines(lines, newlines, table.num_rows) and _blank_lines(lines):
        return None
    raw = [table.column(f"c{j}") for j in range(width)]
    del table  # DuckDB's batches are freed while they are cleaned (`release`), not after the load
    columns, control = clean_columns(raw, release=True)
    frame = pa.table({str(j): c for j, c in enumerate(columns)}).to_pandas()
    frame.columns = range(width)
    del columns
    release_memory()  # what the cleaning freed goes back now, not after the normaliser's peak on top of it
    return frame, control


def _head_text(data: bytes) -> tuple[str, bool]:
    """The first 64 KiB as text and whether it reads as UTF-8 (for the delimiter and width)."""
    head = data[3:65539] if data.startswith(b"\xef\xbb\xbf") else data[:65536]
    for cut in range(4):  # the last character may be cut in two
        try:
            return head[:len(head) - cut].decode("utf-8"), True
        except UnicodeDecodeError:
            continue
    return head.decode("gb18030", errors="ignore"), False


def _slow(text: str, delimiter: str, file: str) -> tuple[list[list[str]], int]:
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=str(exc))]) from None
    control = 0
    pattern = re.compile(CONTROL_CHARS)
    rows: list[list[str]] = []
    for rec in records:
        row = []
        for v in rec:
            if pattern.search(v):
                control += 1
                v = pattern.sub("", v)
            row.append(clean_cell(v))
        rows.append(row)
    return rows, control


def _frame_table(frame: pd.DataFrame, file: str) -> ParsedTable:
    blank = ~((frame != "").any(axis=1)).to_numpy()
    last = len(frame) - int(blank[::-1].argmin()) if len(frame) and not blank.all() else 0
    if not last:
        raise LoadError([LoadProblem(ProblemKind.EMPTY_FILE, file)])
    return ParsedTable.of_frame(file, None, frame.iloc[:last])


def read(data: bytes, file: str) -> ParsedDocument:
    """Parse csv bytes. Raises LoadError(encoding | mixed_encoding | unreadable_file | empty_file)."""
    newlines = limits.check_text(data, file)  # bounded resources (loaders/limits.py)
    with no_gc(), system_memory_pool():
        head, utf8_head = _head_text(data)
        delimiter = _delimiter(head)
        width = max((len(r) for r in _sample_records(head, delimiter)), default=0)
        fast = len(data) >= _FAST_MIN_BYTES and width > 0
        result = None
        text: str | None = None
        if fast and utf8_head:
            try:
                start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
                result = _fast([memoryview(data)[start:]], data, delimiter, width, newlines)
            except _NotUtf8:
                text = decode_text(data, file)  # GBK after an ASCII head, or refused as mixed
        if result is None and text is None and fast and not utf8_head:
            try:  # GBK/GB18030: transcoded once, piece by piece, straight into DuckDB's file
                result = _fast(utf8_pieces(data, file, _TRANSCODE_PIECE), data, delimiter, width, newlines)
            except _NotUtf8:
                result = None
        if result is None and text is None:
            text = decode_text(data, file)
        if result is not None:
            frame, control = result
            table = _frame_table(frame, file)
        else:
            rows, control = _slow(text if text is not None else decode_text(data, file), delimiter, file)
            while rows and not any(rows[-1]):
                rows.pop()
            if not rows:
                raise LoadError([LoadProblem(ProblemKind.EMPTY_FILE, file)])
            table = ParsedTable(file, None, rectangular(rows), range(1, len(rows) + 1))
    warnings = [LoadProblem(ProblemKind.CONTROL_CHARACTERS, file, value=str(control))] if control else []
    return ParsedDocument(file, "csv", [table], warnings=warnings)
