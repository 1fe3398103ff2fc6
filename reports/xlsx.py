"""A small, fast .xlsx writer for the report workbooks (#17: the national 通报 has 2 × 10⁶ cells).

openpyxl builds one Python object per cell, re-reads them to fit columns and serialises them
through lxml again; at national scale that is ~34 s. Here a table is kept as the row lists the
exporter built (`write_table`), column widths and wrapped-row heights are computed column by
column from those lists (`fit_columns`), and each sheet's XML is written straight from them with
one f-string per cell. Only the handful of title, label and prose cells (`put`) are objects.

The formats are those of `reports.excel_format` (every export's one writer is this one):
the same fonts (等线, charset 134), fills, thin borders, number formats, column caps, row heights
of wrapped cells, A4 landscape print at ≥ 9 pt, frozen and repeated header rows, the footer. Every
value is a value, never a formula: strings are inline text, and text a spreadsheet would read as a
formula (leading = + - @) carries Excel's quote prefix. The bytes depend only on the content, the
date and the title (zip entries and document properties are stamped with `as_of`).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from reports.excel_format import (
    _CHAR_WIDTHS,
    EXCEL_MAX_ROWS,
    FONT_CHARSET,
    FONT_NAME,
    FONT_SIZE,
    FORMULA_PREFIXES,
    GRADE_BY_POSITION,
    GRADE_COLOURS,
    INTEGER,
    LINE_HEIGHT,
    MAX_WIDTH,
    MIN_SCALE,
    MIN_WIDTH,
    PERCENT,
    PRINT_WIDTH_PX,
    ROW_PADDING,
    SCORE,
)
from ui_text import excel as text

__all__ = ["BODY", "BOLD", "EXCEL_MAX_ROWS", "INTEGER", "LABEL_FONT", "MAX_WIDTH", "PERCENT", "SCORE", "Book",
           "Cell", "Sheet", "banner", "finish_workbook", "fit_columns", "grade_fills", "new_workbook", "put",
           "setup_page", "wrap_prose", "write_table"]

# Fonts by key: (bold, size, colour). Index 0 is every cell's default.
BODY, TITLE, WARNING, BOLD = "body", "title", "warning", "bold"
_FONTS = {BODY: (False, FONT_SIZE, None), TITLE: (True, 14, None), WARNING: (True, FONT_SIZE, "C00000"),
          BOLD: (True, FONT_SIZE, None)}
LABEL_FONT = BOLD
HEADER_FILL = "D9E1F2"
# Alignments by key
TOP, WRAP, HEADER = "top", "wrap", "header"
_ALIGN_XML = {TOP: '<alignment vertical="top"/>', WRAP: '<alignment vertical="top" wrapText="1"/>',
              HEADER: '<alignment horizontal="center" vertical="center" wrapText="1"/>'}
_BUILTIN_FORMATS = {None: 0, INTEGER: 1, SCORE: 2}
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # openpyxl's ILLEGAL_CHARACTERS_RE
_CONTROL = re.compile(r"[\000-\037]")  # any character below the space (searched in C, not min() per string)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def grade_fills(grades: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Grade name → fill colour (hex), for bands given highest first as {id, name, ...}: known ids
    get their colour (优秀 green … 不合格 red), other bands one by position, the lowest always red."""
    fills = {}
    for i, band in enumerate(grades):
        colour = GRADE_COLOURS.get(str(band.get("id")))
        if colour is None:
            colour = GRADE_COLOURS["fail"] if i == len(grades) - 1 else GRADE_BY_POSITION[min(i, 3)]
        fills[str(band["name"])] = colour
    return fills


@dataclass
class Cell:
    """One cell written on its own (titles, labels, prose lines, the 说明 sheet's facts)."""
    value: Any
    number_format: str | None = None
    boxed: bool = True
    alignment: str | None = None   # TOP, WRAP, HEADER or None
    font: str = BODY
    fill: str | None = None        # hex colour


@dataclass
class Table:
    """A header row at `top` and the rows under it, as the exporter built them."""
    top: int
    headers: list[str]
    rows: list[Sequence[Any]]
    formats: dict[int, str]
    wrap: set[int]
    grade_col: int | None = None   # 0-based column filled by grade
    fills: Mapping[str, str] = field(default_factory=dict)
    # filled in by fit_columns: per column, the 0-based rows whose cell wraps, and each row's lines
    wrapped: dict[int, set[int]] = field(default_factory=dict)


@dataclass
class Sheet:
    title: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)     # 1-based column → width
    heights: dict[int, float] = field(default_factory=dict)    # row → height (points)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_row: int | None = None                              # frozen and repeated rows 1..header_row
    fit_to_page: bool = True
    scale: int | None = None

    @property
    def max_row(self) -> int:
        rows = [r for r, _ in self.cells] + [t.top + len(t.rows) for t in self.tables]
        return max(rows, default=1)

    @property
    def max_column(self) -> int:
        cols = [c for _, c in self.cells] + [max([len(t.headers), *map(len, t.rows)]) for t in self.tables]
        return max(cols, default=1)


@dataclass
class Book:
    sheets: list[Sheet] = field(default_factory=list)

    def create_sheet(self, title: str) -> Sheet:
        ws = Sheet(title)
        self.sheets.append(ws)
        return ws


def new_workbook() -> Book:
    return Book()


def put(ws: Sheet, row: int, col: int, value: Any, number_format: str | None = None, boxed: bool = True,
        wrap: bool = False) -> Cell:
    """Write one value (never a formula), with a thin border unless `boxed` is False."""
    cell = Cell(value, number_format, boxed, WRAP if wrap else TOP if boxed else None)
    ws.cells[(row, col)] = cell
    return cell


def write_table(ws: Sheet, top: int, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                formats: dict[int, str] | None = None, wrap: Iterable[int] = ()) -> int:
    """Header row at `top`, then one row per item (kept as given); returns the last row written.
    `formats` maps a 0-based column to a number format; `wrap` lists columns whose text wraps."""
    rows = rows if isinstance(rows, list) else list(rows)
    ws.tables.append(Table(top, list(headers), rows, dict(formats or {}), set(wrap)))
    return top + len(rows)


def fill_grades(ws: Sheet, grade_col: int, fills: Mapping[str, str]) -> None:
    """Fill the grade cells (0-based column `grade_col`) of the sheet's last table by grade."""
    table = ws.tables[-1]
    table.grade_col, table.fills = grade_col, fills


def text_width(value: str) -> int:
    """`excel_format.display_width` (wide/full-width characters 2, combining marks 0, others 1),
    without its cache: most texts of a national report are distinct."""
    return len(value) if value.isascii() else sum(map(_CHAR_WIDTHS.__getitem__, value))


def _shown_width(value: Any, number_format: str | None) -> int:
    """Display width of roughly what Excel shows for `value` (-1 for an empty cell)."""
    if value is None:
        return -1
    if isinstance(value, str):
        if _CONTROL.search(value):
            value = _ILLEGAL.sub("", value)  # removed when written
        if "\n" in value:
            return max(text_width(line) for line in value.split("\n"))
        return text_width(value)
    if isinstance(value, float):
        return len(f"{value:.1%}") if number_format == PERCENT else len(f"{value:.2f}")
    return len(str(value))


_BMP_WIDTHS: Any = None


def _bmp_widths() -> Any:
    """text_width of every Basic Multilingual Plane character, as a numpy array (built once)."""
    global _BMP_WIDTHS
    if _BMP_WIDTHS is None:
        import numpy as np

        _BMP_WIDTHS = np.fromiter((_CHAR_WIDTHS[chr(c)] for c in range(0x10000)), dtype=np.int64, count=0x10000)
    return _BMP_WIDTHS


def _widths(values: Iterable[Any], number_format: str | None) -> dict[Any, int]:
    """value → `_shown_width(value, number_format)` for distinct values; the single-line texts
    of a large column are measured together in numpy (one lookup per character, in C)."""
    out: dict[Any, int] = {}
    texts: list[str] = []
    for v in values:
        if isinstance(v, str) and len(v) > 8 and not v.isascii() and not _CONTROL.search(v):
            texts.append(v)
        else:
            out[v] = _shown_width(v, number_format)
    if len(texts) < 256:
        out.update((v, text_width(v)) for v in texts)
        return out
    import numpy as np

    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    per_char = np.empty(len(codes), dtype=np.int64)
    bmp = codes < 0x10000
    per_char[bmp] = _bmp_widths()[codes[bmp]]
    if not bmp.all():  # beyond the BMP: each distinct character once
        astral = codes[~bmp]
        found = {int(c): _CHAR_WIDTHS[chr(int(c))] for c in np.unique(astral)}
        per_char[~bmp] = [found[int(c)] for c in astral]
    total = np.concatenate(([0], np.cumsum(per_char)))
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    starts = np.concatenate(([0], ends[:-1]))
    out.update(zip(texts, (total[ends] - total[starts]).tolist(), strict=True))
    return out


def _lines(value: Any, width: float, shown: int) -> int:
    """Lines a wrapped cell of column width `width` shows `value` in (CJK characters count 2)."""
    room = max(int(width) - 1, 1)
    if isinstance(value, str) and "\n" in value:
        return sum(max(1, -(-text_width(line) // room)) for line in value.split("\n"))
    if not isinstance(value, str):
        shown = text_width(str(value))
    return max(1, -(-shown // room))


def _column_lines(values: Sequence[Any], wrapped: Sequence[int] | None, width: float,
                  shown: Mapping[Any, int]) -> list[int]:
    """Per row, the lines its cell in this column takes when wrapped (1 when it does not wrap);
    `wrapped` lists the wrapping rows (None: all of them). Computed once per distinct value."""
    room = max(int(width) - 1, 1)
    # a one-line text's lines follow from its width alone (`_lines` without the call)
    per_value = {v: max(1, -(-shown[v] // room)) if type(v) is str and "\n" not in v else _lines(v, width, shown[v])
                 for v in (shown if wrapped is None else {values[i] for i in wrapped}) if v is not None}
    if wrapped is None:
        return list(map(per_value.get, values, repeat(1)))
    lines = [1] * len(values)
    for i in wrapped:
        lines[i] = per_value[values[i]]
    return lines


def fit_columns(ws: Sheet, first_row: int = 1, max_width: int = MAX_WIDTH,
                caps: Mapping[int, int] | None = None) -> None:
    """Each column's width from the widest displayed line of its boxed cells from `first_row` on,
    clamped to [MIN_WIDTH, max_width] (or the column's cap in `caps`, 1-based); cells wider than
    that wrap, and rows holding wrapped cells get the height their text needs. Unboxed cells
    (titles, prose lines) are ignored: they overflow into the empty cells to their right.

    Widths and line counts are worked out once per distinct value of a column (a national 问题清单
    repeats its categories, items and rules 10⁵ times)."""
    caps = caps or {}
    widths: dict[int, int] = {}
    tables = [t for t in ws.tables if t.top >= first_row]
    columns: list[dict[int, tuple[list[Any], dict[Any, int]]]] = []
    for t in tables:
        cols: dict[int, tuple[list[Any], dict[Any, int]]] = {}
        ncols = max([len(t.headers), *map(len, t.rows)])
        rectangular = all(len(r) == ncols for r in t.rows)
        for j in range(ncols):
            fmt = t.formats.get(j)
            values = [row[j] for row in t.rows] if rectangular else \
                [row[j] if j < len(row) else None for row in t.rows]
            shown = _widths(set(values), fmt)
            cols[j] = (values, shown)
            head = _shown_width(t.headers[j], None) if j < len(t.headers) else -1
            w = max(max(shown.values(), default=-1), head)
            if w > widths.get(j + 1, -1):
                widths[j + 1] = w
        columns.append(cols)
    cells = [(rc, c) for rc, c in ws.cells.items() if rc[0] >= first_row]
    for (_, col), c in cells:
        if c.boxed and c.value is not None:
            w = _shown_width(c.value, c.number_format)
            if w > widths.get(col, -1):
                widths[col] = w
    final = {col: min(max(w + 2, MIN_WIDTH), caps.get(col, max_width)) for col, w in widths.items()}
    ws.widths.update(final)
    lines: dict[int, int] = {}

    def grow(row: int, n: int) -> None:
        if n > lines.get(row, 1):
            lines[row] = n

    for t, cols in zip(tables, columns, strict=True):
        per_column = []
        for j, (values, shown) in cols.items():
            limit = caps.get(j + 1, max_width)
            width = final.get(j + 1, MIN_WIDTH)
            if j in t.wrap:
                per_column.append(_column_lines(values, None, width, shown))
            else:
                too_wide = {v for v, w in shown.items() if w + 2 > limit}
                if too_wide:
                    t.wrapped[j] = {i for i, v in enumerate(values) if v in too_wide}
                    per_column.append(_column_lines(values, sorted(t.wrapped[j]), width, shown))
            if j < len(t.headers):  # header cells wrap (centred)
                grow(t.top, _lines(t.headers[j], width, _shown_width(t.headers[j], None)))
        if per_column and t.rows:
            for i, n in enumerate(map(max, zip(*per_column))):
                if n > 1:
                    grow(t.top + 1 + i, n)
    for (row, col), c in cells:
        if c.value is None:
            continue
        if c.boxed and _shown_width(c.value, c.number_format) + 2 > caps.get(col, max_width):
            c.alignment = WRAP
        if c.alignment in (WRAP, HEADER):
            grow(row, _lines(c.value, final.get(col, MIN_WIDTH), _shown_width(c.value, None)))
    for row, n in lines.items():
        ws.heights[row] = round(n * LINE_HEIGHT + ROW_PADDING, 1)


def wrap_prose(ws: Sheet, row: int, last_col: int) -> None:
    """Make the prose line in column A of `row` wrap across columns A..last_col (merged) with the
    height its text needs. Call after fit_columns, which sets the widths it wraps to."""
    cell = ws.cells.get((row, 1))
    if cell is None or not isinstance(cell.value, str):
        return
    width = sum(ws.widths.get(c, 8.43) for c in range(1, last_col + 1))
    if last_col > 1:
        ws.merges.append((row, 1, row, last_col))
    cell.alignment = WRAP
    room = max(int(width) - 1, 1)
    n = sum(max(1, -(-text_width(line) // room)) for line in cell.value.split("\n"))
    ws.heights[row] = round(n * LINE_HEIGHT + ROW_PADDING, 1)


def print_width_px(ws: Sheet) -> int:
    """Printed width of the sheet's used columns in pixels at 100 % (7 px per width unit + 5)."""
    return sum(int(ws.widths.get(col, 8.43) * 7 + 5) for col in range(1, ws.max_column + 1))


def setup_page(ws: Sheet, header_row: int | None) -> None:
    """A4 landscape, one page wide while text stays ≥ 9 pt (else 82 % across pages), page x of y
    in the footer; rows 1..header_row frozen and repeated on every printed page."""
    scale = min(100, PRINT_WIDTH_PX * 100 // max(print_width_px(ws), 1))
    ws.fit_to_page = scale >= MIN_SCALE
    ws.scale = None if ws.fit_to_page else MIN_SCALE
    ws.header_row = header_row


def banner(ws: Sheet, title: str, *warnings: str | None) -> int:
    """Title in row 1 and a red line under it per warning given; returns the first free row."""
    put(ws, 1, 1, title, boxed=False).font = TITLE
    row = 2
    for warning in warnings:
        if warning:
            put(ws, row, 1, warning, boxed=False).font = WARNING
            row += 1
    return row


# --- serialisation --------------------------------------------------------------------------------

def _letter(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


_LETTERS = [""] + [_letter(c) for c in range(1, 200)]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class _Styles:
    """cellXfs registry: (font, fill, boxed, number format, alignment, quote prefix) → index."""

    def __init__(self) -> None:
        self.fonts = list(_FONTS)
        self.fills: list[str] = []
        self.formats: dict[str, int] = {}
        self.xfs: dict[tuple[Any, ...], int] = {}
        self.get(BODY, None, False, None, None, False)  # index 0: the default

    def get(self, font: str, fill: str | None, boxed: bool, number_format: str | None, align: str | None,
            quote: bool) -> int:
        key = (font, fill, boxed, number_format, align, quote)
        index = self.xfs.get(key)
        if index is None:
            if fill is not None and fill not in self.fills:
                self.fills.append(fill)
            if number_format not in _BUILTIN_FORMATS and number_format not in self.formats:
                self.formats[number_format] = 164 + len(self.formats)  # type: ignore[index]
            index = self.xfs[key] = len(self.xfs)
        return index

    def xml(self) -> str:
        fonts = "".join(
            f'<font><name val="{FONT_NAME}"/><charset val="{FONT_CHARSET}"/><family val="3"/>'
            + ('<b val="1"/>' if bold else "") + (f'<color rgb="00{colour}"/>' if colour else "")
            + f'<sz val="{size}"/></font>' for bold, size, colour in (_FONTS[k] for k in self.fonts))
        fills = "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{c}"/><bgColor rgb="00{c}"/>'
                        f"</patternFill></fill>" for c in self.fills)
        thin = '<color rgb="00808080"/>'
        xfs = []
        for (font, fill, boxed, number_format, align, quote) in self.xfs:
            num = _BUILTIN_FORMATS.get(number_format, self.formats.get(number_format or "", 0))
            attrs = (f'numFmtId="{num}" fontId="{self.fonts.index(font)}" '
                     f'fillId="{0 if fill is None else 2 + self.fills.index(fill)}" borderId="{int(boxed)}" '
                     'xfId="0"' + (' applyNumberFormat="1"' if num else "") + (' applyAlignment="1"' if align else "")
                     + (' quotePrefix="1"' if quote else ""))
            xfs.append(f"<xf {attrs}>{_ALIGN_XML[align]}</xf>" if align else f"<xf {attrs}/>")
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(f)}"/>' for f, i in self.formats.items())
        return (f"<styleSheet {_NS}>"
                + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
                + f'<fonts count="{len(self.fonts)}">{fonts}</fonts>'
                + f'<fills count="{2 + len(self.fills)}"><fill><patternFill/></fill>'
                  f'<fill><patternFill patternType="gray125"/></fill>{fills}</fills>'
                + '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
                  f'<border><left style="thin">{thin}</left><right style="thin">{thin}</right>'
                  f'<top style="thin">{thin}</top><bottom style="thin">{thin}</bottom><diagonal/></border></borders>'
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                + "</styleSheet>")


class _Text:
    """Cell XML of text values, escaped once per distinct string."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, bool]] = {}

    def __call__(self, value: str) -> tuple[str, bool]:
        hit = self.cache.get(value)
        if hit is None:
            # control characters from portals break the file (all are below the space)
            clean = _ILLEGAL.sub("", value) if _CONTROL.search(value) else value
            esc = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            space = ' xml:space="preserve"' if clean != clean.strip() or "\n" in clean else ""
            hit = self.cache[value] = (f'<is><t{space}>{esc}</t></is>', clean.startswith(FORMULA_PREFIXES))
        return hit


def _value_xml(ref: str, style: int, value: Any) -> str:
    if value is None:
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    return f'<c r="{ref}" s="{style}" t="n"><v>{value!r}</v></c>'


def _table_rows(t: Table, styles: _Styles, texts: _Text, out: dict[int, str]) -> None:
    """The cells XML of each row of `t` (header row included) into `out`, by row number."""
    r0 = t.top
    head = []
    for j, h in enumerate(t.headers):
        xml, quote = texts(h)
        s = styles.get(BOLD, HEADER_FILL, True, None, HEADER, quote)
        head.append(f'<c r="{_LETTERS[j + 1]}{r0}" s="{s}" t="inlineStr">{xml}</c>')
    out[r0] = "".join(head)
    ncols = max([len(t.headers), *map(len, t.rows)]) if t.rows else len(t.headers)
    plain = [[styles.get(BODY, None, True, t.formats.get(j), a, q) for a, q in
              ((TOP, False), (WRAP, False), (TOP, True), (WRAP, True))] for j in range(ncols)]
    # None: the whole column wraps; else the rows fit_columns found too wide for the column
    wrapped: list[set[int] | None] = [None if j in t.wrap else t.wrapped.get(j, set()) for j in range(ncols)]
    letters = _LETTERS
    grade = t.grade_col
    if t.rows and all(len(row) == ncols for row in t.rows):
        _columns_rows(t, ncols, plain, wrapped, styles, texts, out)
        return
    cache = texts.cache
    for i, row in enumerate(t.rows):
        r = r0 + 1 + i
        parts = []
        for j, v in enumerate(row):
            w = wrapped[j]
            wrap = 1 if w is None or i in w else 0
            if type(v) is str and j != grade:
                hit = cache.get(v) or texts(v)
                parts.append(f'<c r="{letters[j + 1]}{r}" s="{plain[j][wrap + 2 * hit[1]]}" t="inlineStr">{hit[0]}</c>')
            elif j == grade and isinstance(v, str) and v in t.fills:
                xml, quote = texts(v)
                s = styles.get(BODY, t.fills[v], True, t.formats.get(j), WRAP if wrap else TOP, quote)
                parts.append(f'<c r="{letters[j + 1]}{r}" s="{s}" t="inlineStr">{xml}</c>')
            elif isinstance(v, str):
                xml, quote = texts(v)
                parts.append(f'<c r="{letters[j + 1]}{r}" s="{plain[j][wrap + 2 * quote]}" t="inlineStr">{xml}</c>')
            elif v is None:
                parts.append(f'<c r="{letters[j + 1]}{r}" s="{plain[j][wrap]}"/>')
            else:
                parts.append(_value_xml(f"{letters[j + 1]}{r}", plain[j][wrap], v))
        out[r] = "".join(parts)


def _columns_rows(t: Table, ncols: int, plain: list[list[int]], wrapped: list[set[int] | None], styles: _Styles,
                  texts: _Text, out: dict[int, str]) -> None:
    """`_table_rows` for a rectangular table, column by column: a cell's XML after its reference
    depends only on its value (a column wraps throughout, or just where a value is too wide for
    it), so it is built once per distinct value. Each distinct value's piece ends with the next
    cell's reference up to its row number, so a row is its number joining its pieces: one
    `str.join` per row, in C (map), not one concatenation per cell."""
    first = t.top + 1
    numbers = range(first, first + len(t.rows))
    columns: list[Iterator[str]] = [repeat('<c r="A')]
    for j in range(ncols):
        values = [row[j] for row in t.rows]
        w = wrapped[j]
        too_wide = None if w is None else {values[i] for i in w}
        after = f'<c r="{_LETTERS[j + 2]}' if j + 1 < ncols else ""
        tails: dict[Any, str] = {}
        for v in dict.fromkeys(values):  # first-appearance order: styles are numbered as they come
            wrap = 1 if too_wide is None or v in too_wide else 0
            if isinstance(v, str):
                xml, quote = texts(v)
                fill = t.fills.get(v) if j == t.grade_col else None
                style = (plain[j][wrap + 2 * quote] if fill is None else
                         styles.get(BODY, fill, True, t.formats.get(j), WRAP if wrap else TOP, quote))
                tails[v] = f'" s="{style}" t="inlineStr">{xml}</c>{after}'
            elif v is None:
                tails[v] = f'" s="{plain[j][wrap]}"/>{after}'
            else:
                tails[v] = f'" s="{plain[j][wrap]}" t="n"><v>{v!r}</v></c>{after}'
        columns.append(map(tails.__getitem__, values))
    # row 17: '17'.join(('<c r="A', '" s=…</c><c r="B', …)) == '<c r="A17" s=…</c><c r="B17…'
    out.update(zip(numbers, map(str.join, map(str, numbers), zip(*columns))))


def _sheet_xml(ws: Sheet, styles: _Styles, texts: _Text, selected: bool) -> list[str]:
    """The sheet's XML as pieces to write one after another."""
    rows: dict[int, str] = {}
    widths: dict[int, int] = {}  # row -> columns its table row fills
    for t in ws.tables:
        _table_rows(t, styles, texts, rows)
        widths[t.top] = len(t.headers)
        widths.update((t.top + 1 + i, len(row)) for i, row in enumerate(t.rows))
    sparse: dict[int, list[str]] = {}
    for (r, c), cell in sorted(ws.cells.items()):
        if c <= widths.get(r, 0):
            raise ValueError(f"{ws.title}: cell {_LETTERS[c]}{r} is inside a table row")
        if isinstance(cell.value, str):
            xml, quote = texts(cell.value)
            s = styles.get(cell.font, cell.fill, cell.boxed, cell.number_format, cell.alignment, quote)
            sparse.setdefault(r, []).append(f'<c r="{_LETTERS[c]}{r}" s="{s}" t="inlineStr">{xml}</c>')
        else:
            s = styles.get(cell.font, cell.fill, cell.boxed, cell.number_format, cell.alignment, False)
            sparse.setdefault(r, []).append(_value_xml(f"{_LETTERS[c]}{r}", s, cell.value))
    for r, extra in sparse.items():
        rows[r] = rows.get(r, "") + "".join(extra)  # after the table's cells: columns are in order
    heights = ws.heights
    for r in heights:
        rows.setdefault(r, "")  # a row with a height and no cell (never in practice) keeps its height
    # the rows in chunks, each row's cells released as it is written (a national 问题清单 is ~200 MB)
    body: list[str] = []
    chunk: list[str] = []
    for r in sorted(rows):
        ht = heights.get(r)
        cells = rows.pop(r)
        if ht is None:
            chunk.append(f'<row r="{r}">{cells}</row>')
        else:
            chunk.append(f'<row r="{r}" ht="{ht}" customHeight="1">{cells}</row>')
        if len(chunk) == 4096:
            body.append("".join(chunk))
            chunk = []
    body.append("".join(chunk))
    last = f"{_LETTERS[ws.max_column]}{ws.max_row}"
    pane = ""
    if ws.header_row is not None:
        top = f"A{ws.header_row + 1}"
        pane = (f'<pane ySplit="{ws.header_row}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>')
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(ws.widths.items()))
    merges = "".join(f'<mergeCell ref="{_LETTERS[c1]}{r1}:{_LETTERS[c2]}{r2}"/>' for r1, c1, r2, c2 in ws.merges)
    setup = ('fitToHeight="0" fitToWidth="1"' if ws.fit_to_page else f'scale="{ws.scale}"')
    head = (f'<worksheet {_NS} {_NS_R}>'
            + f'<sheetPr><pageSetUpPr fitToPage="{int(ws.fit_to_page)}"/></sheetPr><dimension ref="A1:{last}"/>'
            + f'<sheetViews><sheetView workbookViewId="0"{_SELECTED if selected else ""}>{pane}'
              "</sheetView></sheetViews>"
            + '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>")
    tail = ("</sheetData>"
            + (f'<mergeCells count="{len(ws.merges)}">{merges}</mergeCells>' if ws.merges else "")
            + '<printOptions horizontalCentered="1"/>'
            + '<pageMargins left="0.4" right="0.4" top="1" bottom="1" header="0.5" footer="0.5"/>'
            + f'<pageSetup paperSize="9" orientation="landscape" {setup}/>'
            + f"<headerFooter><oddFooter>&amp;C{_attr(text.FOOTER)}</oddFooter></headerFooter>"
            + "</worksheet>")
    return [head, *body, tail]


_SELECTED = ' tabSelected="1"'


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def finish_workbook(wb: Book, as_of: dt.date, title: str, active: int = 0) -> bytes:
    """Serialise `wb`; the bytes depend only on its content, `as_of` and `title`."""
    styles, texts = _Styles(), _Text()
    stamp = dt.datetime.combine(as_of, dt.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
    sheet_list = "".join(f'<sheet name="{_attr(ws.title)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, ws in enumerate(wb.sheets, start=1))
    names = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{_attr(_quoted(ws.title))}!'
                    f"$1:${ws.header_row}</definedName>"
                    for i, ws in enumerate(wb.sheets) if ws.header_row is not None)
    workbook = (f"<workbook {_NS} {_NS_R}><workbookPr/><bookViews><workbookView activeTab=\"{active}\"/></bookViews>"
                f"<sheets>{sheet_list}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    n = len(wb.sheets)
    workbook_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                               for i in range(1, n + 1))
                     + f'<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>')
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
                  for i in range(1, n + 1)) + "</Types>")
    root_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                 'metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{rel}/extended-properties" Target="docProps/app.xml"/>'
                 "</Relationships>")
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_attr(text.CREATOR)}</dc:creator><dc:title>{_attr(title)}</dc:title>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            f"<cp:lastModifiedBy>{_attr(text.CREATOR)}</cp:lastModifiedBy></cp:coreProperties>")
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f"<Application>{_attr(text.CREATOR)}</Application></Properties>")
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels), ("docProps/app.xml", app),
             ("docProps/core.xml", core), ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels)]
    out = io.BytesIO()
    date_time = dt.datetime.combine(as_of, dt.time()).timetuple()[:6]

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        setattr(info, "_compresslevel", 1)  # noqa: B010  # ZipFile.open(…, "w") reads it (Python 3.11)
        return info

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, xml in parts:
            z.writestr(entry(name), xml.encode("utf-8"), compresslevel=1)
        # each sheet streamed as it is built (its styles join the registry); styles.xml comes last
        for i, ws in enumerate(wb.sheets, start=1):
            with z.open(entry(f"xl/worksheets/sheet{i}.xml"), "w") as f:
                for piece in _sheet_xml(ws, styles, texts, i - 1 == active):
                    f.write(piece.encode("utf-8"))
        z.writestr(entry("xl/styles.xml"), styles.xml().encode("utf-8"), compresslevel=1)
    return out.getvalue()
