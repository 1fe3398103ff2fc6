"""Bounded resources: cheap pre-checks each reader calls first, in one line (issue #16 item 4).

A small file can still explode when parsed: an xlsx with one stray cell at XFD1048576 makes
the reader walk 17 billion cells, a zip part can inflate a thousandfold, an HTML page of large
rowspan/colspan multiplies its cells. These checks look at the raw bytes (zip directory,
sheet XML cell references, HTML span attributes, line counts) without building anything, and
refuse with a located Chinese message before a reader allocates:

- `check_zip`   xlsx/docx: every part's uncompressed size, the total, and the compression ratio;
- `check_xlsx`  + per sheet: the declared <dimension> and the real cells' extent (rows × columns),
                the number of cells and of rows;
- `check_html`  the cells the table would expand to (sum of rowspan × colspan), and spans
                reaching beyond the table;
- `check_text`  csv lines.

The limits are far above any unit's real catalog or log (43 items; some thousand disclosures a
year) and keep a parse of a file up to the upload limit under 1 GB and 30 s.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from loaders.errors import LoadError, LoadProblem, ProblemKind
from ui_text import reliability as text

MAX_PART_BYTES = 200 * 1024 * 1024      # one uncompressed zip part
MAX_TOTAL_BYTES = 400 * 1024 * 1024     # all parts together
MAX_RATIO = 100                          # uncompressed / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_CELLS = 1_000_000                    # cells a sheet's used range may span
MAX_HTML_CELLS = 100_000                 # cells a page's spans may expand to (or twice its written cells)
MAX_ROWS = 300_000                       # rows of one sheet or HTML table
MAX_TEXT_ROWS = 3_000_000                # lines of a csv (read by DuckDB's columnar reader)
SPAN_SLACK = 100                         # a rowspan may reach this many rows past twice the table's rows

_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]{1,3})?([0-9]{1,7})?:?([A-Z]{1,3})?([0-9]{1,7})?\"")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL = re.compile(rb"<Relationship\b([^>]*)>")
_ATTR = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_TD = re.compile(rb"<t[dh]\b([^>]*)>", re.IGNORECASE)
_TR = re.compile(rb"<tr\b", re.IGNORECASE)
_SPAN = re.compile(rb"\b(rowspan|colspan)\s*=\s*[\"']?\s*([0-9]{1,9})", re.IGNORECASE)


def _refuse(kind: ProblemKind, file: str, sheet: str | None = None, value: str | None = None,
            detail: str | None = None) -> LoadError:
    return LoadError([LoadProblem(kind, file, sheet, value=value, detail=detail)])


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_zip(data: bytes, file: str) -> zipfile.ZipFile | None:
    """Refuse a zip whose parts would inflate beyond the limits; the open archive (None if the
    bytes are not a readable zip: the reader reports that itself)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise _refuse(ProblemKind.ZIP_BOMB, file, value=info.filename,
                          detail=f"{_mb(info.file_size)}, {ratio:.0f}:1")
    if total > MAX_TOTAL_BYTES:
        raise _refuse(ProblemKind.ZIP_BOMB, file, value="*", detail=_mb(total))
    return archive


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """worksheet part path -> sheet name shown in Excel."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for attrs in _REL.findall(rels):
        a = dict(_ATTR.findall(attrs))
        targets[a.get(b"Id", b"")] = a.get(b"Target", b"")
    names: dict[str, str] = {}
    for attrs in _SHEET.findall(book):
        a = dict(_ATTR.findall(attrs))
        name, target = a.get(b"name", b""), targets.get(a.get(b"r:id", b""))
        if target:
            text = target.decode("utf-8", "replace").lstrip("/")
            part = text if text.startswith("xl/") else str(PurePosixPath("xl") / text)
            names[part] = name.decode("utf-8", "replace")
    return names


def _worksheets(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]


def worksheet_parts(data: bytes, file: str) -> dict[str, bytes] | None:
    """`check_zip`, then every worksheet part's XML by name (None: not a readable zip), for a
    `check_xlsx` to come: zipfile and zlib only (which release the GIL while inflating)."""
    archive = check_zip(data, file)
    return None if archive is None else {info.filename: archive.read(info) for info in _worksheets(archive)}


def check_xlsx(data: bytes, file: str, inspect: Callable[[bytes], bool] | None = None,
               parts: dict[str, bytes] | None = None) -> bool | None:
    """`check_zip`, then per worksheet: declared dimension, real extent, cells and rows.

    Returns whether `inspect` held for any worksheet's XML (the reader asks about formulas and
    hyperlinks while each part is inflated once), None when `data` is not a readable zip.
    `parts`: the worksheets' XML where `worksheet_parts` inflated them already."""
    archive = check_zip(data, file)
    if archive is None:
        return None
    names = _sheet_names(archive)
    found = False
    for info in _worksheets(archive):
        xml = parts[info.filename] if parts is not None and info.filename in parts else archive.read(info)
        sheet = names.get(info.filename, PurePosixPath(info.filename).stem)
        if _within_limits(xml):
            found = found or (inspect is not None and inspect(xml))
            continue
        refs = _CELL_REF.findall(xml)
        cells = len(refs)
        rows = cols = 0
        if refs:  # the loops run in C: one int() per reference, one column number per distinct letters
            letters, numbers = zip(*refs)
            rows = max(map(int, numbers))
            cols = max(map(_column_number, set(letters)))
        declared = _DIMENSION.search(xml[:4096])
        if declared and declared.group(3) and declared.group(4):
            rows = max(rows, int(declared.group(4)))
            cols = max(cols, _column_number(declared.group(3)))
        if rows * cols > MAX_CELLS:
            last = _column_letters(cols) + str(rows)
            raise _refuse(ProblemKind.TOO_MANY_CELLS, file, sheet, value=f"A1:{last}",
                          detail=text.LIMIT_CELLS.format(extent=rows * cols, limit=MAX_CELLS, cells=cells))
        if rows > MAX_ROWS:
            raise _refuse(ProblemKind.TOO_MANY_ROWS, file, sheet, detail=f"{rows:,} > {MAX_ROWS:,}")
        found = found or (inspect is not None and inspect(xml))
    return found


# Cheap upper bounds of a sheet's extent: the rare references with row numbers of six digits or
# more are read from the first of them on (every reference `_CELL_REF` finds is also found here,
# so the bound is never below the exact extent), then one search for any reference past the
# columns those rows allow: no tuple, no list entry per cell. The searches run in RE2 (Arrow) on
# the part's bytes as one value, without a copy (Python's re tries the match at every r=").
_LONG_ROW = re.compile(rb'r="[A-Z]{1,3}([0-9]{6,})')
_LONG_ROW_RE2 = r'r="[A-Z]{1,3}[0-9]{6}'
# rows ≥ 100,000 allow at most MAX_CELLS // 99,999 columns: a single letter (checked at import)
assert MAX_CELLS // 99_999 < 26


def _past_column(allowed: int) -> str:
    """A reference in a column past the first `allowed` ones (an RE2 pattern)."""
    return r'r="(?:[A-Z]{2,3}|[' + chr(65 + allowed) + r'-Z])[0-9]'


def _whole(data: bytes) -> Any:
    """`data` as one Arrow large-binary value, without a copy (RE2 reads its bytes as Latin-1)."""
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], np.int64))
    return pa.LargeBinaryArray.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])


def _within_limits(xml: bytes) -> bool:
    """Whether a worksheet's extent is certainly within MAX_ROWS and MAX_CELLS, judged from upper
    bounds of its cell references and its declared dimension (False: measure it exactly)."""
    import pyarrow.compute as pc

    whole = _whole(xml)
    first = pc.find_substring_regex(whole, _LONG_ROW_RE2)[0].as_py()
    long_rows = map(int, _LONG_ROW.findall(xml, first)) if first >= 0 else ()
    rows = max([99_999, *long_rows])  # refs with ≤ 5 digits are below 100,000
    cols = 0
    declared = _DIMENSION.search(xml[:4096])
    if declared and declared.group(3) and declared.group(4):
        rows = max(rows, int(declared.group(4)))
        cols = _column_number(declared.group(3))
    allowed = MAX_CELLS // rows  # the most columns these rows may span (< 26)
    if rows > MAX_ROWS or cols > allowed:
        return False
    return not pc.match_substring_regex(whole, _past_column(allowed))[0].as_py()  # none past `allowed`


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _plain_page(data: bytes) -> bool:
    """Whether a page certainly passes `check_html`: it writes no rowspan or colspan (in any case:
    without one every cell counts once and no span reaches anywhere) and at most MAX_ROWS '<tr'
    (an upper bound of the rows `_TR` finds). Counted by RE2 on the page as one Arrow value, no
    copy; its ASCII case folding is what re.IGNORECASE does on bytes (False: check exactly)."""
    import pyarrow.compute as pc

    page = _whole(data)
    if (pc.count_substring(page, "span", ignore_case=True)[0].as_py()
            and pc.count_substring_regex(page, "(?i)(?:row|col)span")[0].as_py()):
        return False
    return bool(pc.count_substring(page, "<tr", ignore_case=True)[0].as_py() <= MAX_ROWS)


def check_html(data: bytes, file: str) -> None:
    """Refuse a page whose table cells would expand (rowspan × colspan) beyond MAX_HTML_CELLS, or
    whose spans reach far beyond its rows."""
    if _plain_page(data):  # a long plain table: two byte counts instead of a scan of every cell
        return
    rows = len(_TR.findall(data))
    if rows > MAX_ROWS:
        raise _refuse(ProblemKind.TOO_MANY_ROWS, file, detail=f"{rows:,} > {MAX_ROWS:,}")
    cells = _TD.findall(data)
    # Spans may at most double the cells the page writes out (and never pass MAX_HTML_CELLS on a
    # small page): a long plain table is as large in memory as its file, a span bomb is not.
    limit = max(MAX_HTML_CELLS, 2 * len(cells))
    expanded = len(cells)
    widest_span = 0
    for attrs in filter(None, cells):  # only a cell with attributes can span
        spans = {k.lower(): int(v) for k, v in _SPAN.findall(attrs)}
        rowspan, colspan = max(spans.get(b"rowspan", 1), 1), max(spans.get(b"colspan", 1), 1)
        expanded += rowspan * colspan - 1
        widest_span = max(widest_span, rowspan)
        if expanded > limit:
            raise _refuse(ProblemKind.SPAN_TOO_LARGE, file, detail=text.LIMIT_EXPANDED.format(limit=limit, rows=rows))
    if widest_span > max(rows, 1) * 2 + SPAN_SLACK:
        raise _refuse(ProblemKind.SPAN_TOO_LARGE, file, detail=text.LIMIT_ROWSPAN.format(span=widest_span, rows=rows))


def check_text(data: bytes, file: str) -> int:
    """Refuse a csv with more than MAX_TEXT_ROWS lines; returns how many line feeds it holds."""
    lines = data.count(b"\n")
    if lines > MAX_TEXT_ROWS:
        raise _refuse(ProblemKind.TOO_MANY_ROWS, file, detail=f"{lines:,} > {MAX_TEXT_ROWS:,}")
    return lines
