"""An independent .xlsx writer built on openpyxl, the tests' reference for `reports.xlsx` (the
one writer the exports use): the same sheet built through both and read back has to match
(tests/reports/test_xlsx.py). It was the exports' own writer before #17 replaced it with the
fast one; it stays here only as the oracle, with the formats of `reports.excel_format`. Also
`print_scale` / `wrapped_lines` for sheets read back with openpyxl.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import weakref
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from reports.excel_format import (
    FONT_CHARSET,
    FONT_NAME,
    FONT_SIZE,
    FORMULA_PREFIXES,
    GRADE_BY_POSITION,
    GRADE_COLOURS,
    LINE_HEIGHT,
    MAX_WIDTH,
    MIN_SCALE,
    MIN_WIDTH,
    PERCENT,
    PRINT_WIDTH_PX,
    ROW_PADDING,
    display_width,
)
from ui_text import excel as text

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
BODY_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, charset=FONT_CHARSET, family=3)
HEADER_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, charset=FONT_CHARSET, family=3, bold=True)
TITLE_FONT = Font(name=FONT_NAME, sz=14, charset=FONT_CHARSET, family=3, bold=True)
LABEL_FONT = HEADER_FONT
WARNING_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, charset=FONT_CHARSET, family=3, bold=True, color="C00000")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # every table cell: a wrapped neighbour's row grows downwards
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)

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
            colour = GRADE_COLOURS["fail"] if i == len(grades) - 1 else GRADE_BY_POSITION[min(i, 3)]
        fills[str(band["name"])] = _solid(colour)
    return fills


def _shown(value: Any, number_format: str) -> str:
    """Roughly what Excel shows for `value`, for width estimates only."""
    if value is None:
        return ""
    if isinstance(value, float) and number_format == PERCENT:
        return f"{value:.1%}"
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
    elif boxed:
        cell.alignment = TOP
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


def fit_columns(ws: Worksheet, first_row: int = 1, max_width: int = MAX_WIDTH,
                caps: Mapping[int, int] | None = None) -> None:
    """Set each column's width from the widest displayed line of its table cells (boxed cells).

    Width counts CJK characters double (`display_width`); columns are clamped to
    [MIN_WIDTH, max_width] (or the column's own cap in `caps`, 1-based) and cells wider than that
    wrap; rows holding wrapped cells get the height their text needs. Unboxed cells (titles, prose lines)
    are ignored: they overflow into the empty cells to their right.
    """
    caps = caps or {}

    def limit(col: int) -> int:
        return caps.get(col, max_width)

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
        if w + 2 > limit(col):
            cell.alignment = WRAP
    # iter_rows used to leave an (empty, unwritten) cell in every row of the range; an otherwise
    # empty row still appears in the file as <row r="n"/>, so keep one there: same bytes as before.
    for row in range(first_row, ws.max_row + 1):
        if row not in rows:
            ws.cell(row=row, column=1)
    final = {col: min(max(w + 2, MIN_WIDTH), limit(col)) for col, w in widths.items()}
    for col, w in final.items():
        ws.column_dimensions[get_column_letter(col)].width = w
    set_row_heights(ws, final, first_row)


def wrapped_lines(value: str, width: float) -> int:
    """Lines a wrapped cell of column width `width` shows `value` in (CJK characters count 2)."""
    room = max(int(width) - 1, 1)
    return sum(max(1, -(-display_width(line) // room)) for line in value.split("\n"))


def set_row_heights(ws: Worksheet, widths: Mapping[int, float], first_row: int = 1) -> None:
    """Write the height of every row holding a wrapped cell, so the whole text prints (Excel, WPS
    and LibreOffice keep a file's row heights and do not grow rows for wrapped text themselves)."""
    alignments = ws.parent._alignments
    wraps = {i for i, a in enumerate(alignments) if a.wrapText}
    lines: dict[int, int] = {}
    for (row, col), cell in ws._cells.items():
        if row < first_row or cell._value is None or not cell.has_style or cell._style.alignmentId not in wraps:
            continue
        n = wrapped_lines(str(cell._value), widths.get(col, MIN_WIDTH))
        if n > lines.get(row, 1):
            lines[row] = n
    for row, n in lines.items():
        ws.row_dimensions[row].height = round(n * LINE_HEIGHT + ROW_PADDING, 1)


def setup_page(ws: Worksheet, header_row: int | None) -> None:
    """A4 landscape, one page wide, page x of y in the footer; rows 1..header_row frozen and repeated."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_margins.left = ws.page_margins.right = 0.4
    scale = print_scale(ws)
    if scale >= MIN_SCALE:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as needed
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:  # fitting one page width would shrink the text below 9 pt
        ws.page_setup.scale = MIN_SCALE
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = text.FOOTER
    if header_row is not None:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"1:{header_row}"


def wrap_prose(ws: Worksheet, row: int, last_col: int) -> None:
    """Make the prose line in column A of `row` wrap across columns A..last_col (merged) with the
    height its text needs, instead of running past the table and the page edge. Call after
    fit_columns, which sets the widths it wraps to."""
    cell = ws.cell(row=row, column=1)
    if not isinstance(cell.value, str):
        return
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last_col + 1))
    if last_col > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell.alignment = WRAP
    ws.row_dimensions[row].height = round(wrapped_lines(cell.value, width) * LINE_HEIGHT + ROW_PADDING, 1)


def print_width_px(ws: Worksheet) -> int:
    """Printed width of the sheet's used columns in pixels at 100 % (7 px per width unit + 5)."""
    last = ws.max_column
    total = 0
    for col in range(1, last + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        width = dim.width if dim is not None and dim.width else 8.43
        total += int(width * 7 + 5)
    return total


def print_scale(ws: Worksheet) -> int:
    """The percentage at which the used columns fit one A4 landscape page width (at most 100)."""
    return min(100, PRINT_WIDTH_PX * 100 // max(print_width_px(ws), 1))


def banner(ws: Worksheet, title: str, *warnings: str | None) -> int:
    """Title in row 1 and a red line under it per warning given; returns the first free row."""
    put(ws, 1, 1, title, boxed=False).font = TITLE_FONT
    row = 2
    for warning in warnings:
        if warning:
            put(ws, row, 1, warning, boxed=False).font = WARNING_FONT
            row += 1
    return row


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb._fonts = IndexedList([BODY_FONT])  # the default (style 0) font of every cell without its own
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
