"""Formatting helpers shared by the Excel exports: safe cell writes, tables, widths, print setup.

Pure openpyxl, no database and no Streamlit. Every value is written as a value, never as a
formula: text that a spreadsheet would read as a formula (leading =, +, -, @) is stored as a
plain string with Excel's quote prefix. `finish_workbook` serialises a workbook to bytes that
depend only on its content and the given date (fixed document properties and zip timestamps).
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import gc
import io
import unicodedata
import weakref
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from ui_text import excel as text

PERCENT = "0.00%"
SCORE = "0.00"
INTEGER = "0"
FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_MAX_ROWS = 1_048_576
MIN_WIDTH = 6
MAX_WIDTH = 60

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True)
WARNING_FONT = Font(bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Fill per grade id: 优秀 green, 良好 blue, 合格 yellow, 不合格 red (Excel's own "good/bad" tints).
GRADE_COLOURS = {"excellent": "C6EFCE", "good": "DDEBF7", "pass": "FFEB9C", "fail": "FFC7CE"}
_BY_POSITION = ("C6EFCE", "DDEBF7", "FFEB9C", "FCE4D6")


def _solid(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour, end_color=colour)


def grade_fills(grades: Sequence[Mapping[str, Any]]) -> dict[str, PatternFill]:
    """Grade name → fill, for bands given highest first as {id, name, ...} (rules.toml [[grades]]).

    Known ids get their colour; other bands are coloured by position, the lowest always red.
    """
    fills = {}
    for i, band in enumerate(grades):
        colour = GRADE_COLOURS.get(str(band.get("id")))
        if colour is None:
            colour = GRADE_COLOURS["fail"] if i == len(grades) - 1 else _BY_POSITION[min(i, 3)]
        fills[str(band["name"])] = _solid(colour)
    return fills


class _CharWidths(dict[str, int]):
    """Character → display width, looked up once per distinct character."""

    def __missing__(self, ch: str) -> int:
        width = 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        self[ch] = width
        return width


_CHAR_WIDTHS = _CharWidths()


@functools.lru_cache(maxsize=65536)
def display_width(value: str) -> int:
    """Terminal-style display width: East Asian wide/fullwidth characters count 2, others 1.

    'abc' → 3, '中文' → 4, 'A中' → 3. Combining marks count 0.
    """
    if value.isascii():
        return len(value)
    return sum(map(_CHAR_WIDTHS.__getitem__, value))


def _shown(value: Any, number_format: str) -> str:
    """Roughly what Excel shows for `value`, for width estimates only."""
    if value is None:
        return ""
    if isinstance(value, float) and number_format == PERCENT:
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# Per workbook: style arrays already built, keyed by (boxed, number format, wrap, quote prefix).
# Copying a cell's style array is ~50× faster than assigning Border/Alignment objects per cell.
_STYLE_CACHE: weakref.WeakKeyDictionary[Workbook, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


def put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None,
        boxed: bool = True, wrap: bool = False) -> Cell:
    """Write one value (never a formula), with a thin border unless `boxed` is False."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters from portals break the file
    cell = ws._cells.get((row, col))
    if cell is None:  # what ws.cell() does, minus its checks: rows and columns here are >= 1
        cell = Cell(ws, row=row, column=col)
        ws._add_cell(cell)
    cell.value = value
    quote = False
    if isinstance(value, str):
        # Assigning '=…' makes openpyxl infer a formula; force text, and add Excel's quote
        # prefix so re-editing the cell in Excel does not turn it into one either.
        cell.data_type = "s"
        quote = value.startswith(FORMULA_PREFIXES)
    key = (boxed, number_format, wrap, quote)
    styles = _STYLE_CACHE.setdefault(ws.parent, {})
    if key in styles:
        cell._style = copy.copy(styles[key])
        return cell
    if quote:
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    if boxed:
        cell.border = BORDER
    if wrap:
        cell.alignment = WRAP
    styles[key] = copy.copy(cell._style)
    return cell


def write_table(ws: Worksheet, top: int, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                formats: dict[int, str] | None = None, wrap: Iterable[int] = ()) -> int:
    """Header row at `top`, then one row per item; returns the last row written.

    `formats` maps a 0-based column index to a number format; `wrap` lists columns whose
    long text wraps instead of widening the column.
    """
    formats = formats or {}
    wrap_cols = set(wrap)
    for j, header in enumerate(headers, start=1):
        cell = put(ws, top, j, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
    r = top
    for r, values in enumerate(rows, start=top + 1):
        for j, value in enumerate(values):
            put(ws, r, j + 1, value, formats.get(j), wrap=j in wrap_cols)
    return r


def colour_grade(cell: Cell, fills: Mapping[str, PatternFill]) -> None:
    """Fill a grade cell by its grade (不合格 red … 优秀 green); unknown grades stay plain."""
    fill = fills.get(str(cell.value))
    if fill is not None:
        cell.fill = fill


def fit_columns(ws: Worksheet, first_row: int = 1, max_width: int = MAX_WIDTH) -> None:
    """Set each column's width from the widest displayed line of its table cells (boxed cells).

    Width counts CJK characters double (`display_width`); columns are clamped to
    [MIN_WIDTH, max_width] and cells wider than that wrap. Unboxed cells (titles, prose lines)
    are ignored: they overflow into the empty cells to their right.
    """
    widths: dict[int, int] = {}
    rows: set[int] = set()
    # The written cells straight from the sheet's own map: iter_rows would first build every
    # empty cell of the rectangle (slow at 10⁶ cells). Widths are maxima, so order is irrelevant.
    for (row, col), cell in ws._cells.items():
        if row < first_row:
            continue
        rows.add(row)
        value = cell._value
        if value is None or not cell.has_style or not cell._style.borderId:
            continue
        shown = _shown(value, cell.number_format)
        w = max(display_width(line) for line in shown.split("\n")) if "\n" in shown else display_width(shown)
        if w > widths.get(col, -1):
            widths[col] = w
        if w + 2 > max_width:
            cell.alignment = WRAP
    # iter_rows used to leave an (empty, unwritten) cell in every row of the range; an otherwise
    # empty row still appears in the file as <row r="n"/>, so keep one there: same bytes as before.
    for row in range(first_row, ws.max_row + 1):
        if row not in rows:
            ws.cell(row=row, column=1)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, MIN_WIDTH), max_width)


def setup_page(ws: Worksheet, header_row: int | None) -> None:
    """A4 landscape, one page wide, page x of y in the footer; rows 1..header_row frozen and repeated."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = text.FOOTER
    if header_row is not None:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"1:{header_row}"


def banner(ws: Worksheet, title: str, *warnings: str | None) -> int:
    """Title in row 1 and a red line under it per warning given; returns the first free row."""
    put(ws, 1, 1, title, boxed=False).font = TITLE_FONT
    row = 2
    for warning in warnings:
        if warning:
            put(ws, row, 1, warning, boxed=False).font = WARNING_FONT
            row += 1
    return row


P = ParamSpec("P")
R = TypeVar("R")


def gc_paused(build: Callable[P, R]) -> Callable[P, R]:
    """Run `build` without cyclic garbage collection: a national report is 10⁶ cells, and the
    collector passes their allocation triggers cost more than writing them."""
    @functools.wraps(build)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return run


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed)."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def finish_workbook(wb: Workbook, as_of: dt.date, title: str) -> bytes:
    """Serialise `wb`; the bytes depend only on its content, `as_of` and `title`.

    openpyxl stamps `modified` with now() and zip entries with the current time; both are
    replaced by `as_of` so the same evaluation always gives the same file.
    """
    stamp = dt.datetime.combine(as_of, dt.time())
    raw = io.BytesIO()
    wb.save(raw)
    props = DocumentProperties(creator=text.CREATOR, title=title, created=stamp, modified=stamp,
                               lastModifiedBy=text.CREATOR)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = tostring(props.to_tree())
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()
