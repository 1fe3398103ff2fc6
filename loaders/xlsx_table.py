"""Read an .xlsx workbook into one `ParsedTable` per non-empty sheet.

Merged cells (一级事项 merged down its rows, 公开对象 merged across 全社会/特定群体) repeat the
top-left value in every cell they cover. Date cells become ISO text so the disclosure-log
normaliser sees one date syntax; numbers lose a trailing '.0'.

Two engines, chosen by what the sheets hold (their XML is searched for formulas and
hyperlinks before anything is parsed):
- data sheets go through python-calamine (Rust): values and merged ranges, cleaned as
  Arrow columns (`model.clean_columns`);
- a workbook with formulas or hyperlinks goes through openpyxl, which also gives the
  formula text and the link targets: `=HYPERLINK("url","text")` reads as `text` with the
  link `url`, a cell hyperlink becomes the cell's link (the disclosure normaliser takes it
  as 链接), and a formula saved without its computed value is read as its literal text when
  it is a HYPERLINK and otherwise refused with its location ("open and save in Excel").
"""
from __future__ import annotations

import datetime as dt
import io
import operator
import re
import zipfile
from collections.abc import Callable
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from loaders import xlsx_xml
from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.model import ParsedDocument, ParsedTable, cell_text, clean_columns, columns_frame, rectangular
from loaders.names import CONTROL_CHARS

if TYPE_CHECKING:  # (pandas only builds the frames: `direct_columns` runs before it is imported)
    import pandas as pd

_HYPERLINK_FORMULA = re.compile(
    r'^\s*=?\s*HYPERLINK\s*\(\s*"((?:[^"]|"")*)"\s*(?:[,;]\s*"((?:[^"]|"")*)"\s*)?\)\s*$', re.IGNORECASE)


def _needs_openpyxl(data: bytes) -> bool:
    """Whether a worksheet holds formulas or hyperlinks (which calamine does not report)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and xlsx_xml.formulas_or_links(archive.read(name)):
                return True
    return False


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((j + 1 for j, v in enumerate(r) if v), default=0) for r in rows), default=0)
    return [r[:width] for r in rows]


def _fill_merges(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    """Repeat each merged range's top-left value (0-based inclusive r0, c0, r1, c1)."""
    for r0, c0, r1, c1 in merges:
        if r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1 + 1, len(rows))):
            for c in range(c0, min(c1 + 1, len(rows[r]))):
                rows[r][c] = top


def _raw(value: Any) -> str:
    """A calamine value as text before cleaning (the text itself is cleaned in Arrow)."""
    if type(value) is str:
        return value
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, float)):
        return cell_text(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _calamine(data: bytes, file: str) -> tuple[list[ParsedTable], int]:
    from python_calamine import CalamineWorkbook  # Rust-backed: values and merges of data sheets

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for a damaged workbook
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=type(exc).__name__)]) from None
    tables: list[ParsedTable] = []
    control = 0
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            values = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, name, detail=type(exc).__name__)]) from None
        width = max(map(len, values), default=0)
        if not width:
            continue
        merges = sheet.merged_cell_ranges or []
        height, cells = len(values), _flat(values, width)
        del values  # the cells' Python objects are freed before they are cleaned
        table, removed = _table(file, name, cells, height, width, merges)
        control += removed
        if table is not None:
            tables.append(table)
    return tables, control


def _table(file: str, name: str, cells: pa.Array, height: int, width: int,
           merges: list[Any]) -> tuple[ParsedTable | None, int]:
    """A sheet's flat cells (row after row, text before cleaning) as its cleaned table (None when
    blank), and how many cells held control characters."""
    columns, removed = _columns(cells, height, width)
    if merges:
        frame = _merged_frame(columns_frame(columns), merges, width)
        return (None if frame is None else ParsedTable.of_frame(file, name, frame)), removed
    used = _used(columns)
    if used is None:
        return None, removed
    rows, cols = used
    return ParsedTable.of_frame(file, name, columns_frame([c.slice(0, rows) for c in columns[:cols]])), removed


def _cleaned(texts: pa.Array) -> tuple[pa.Array, npt.NDArray[np.bool_]]:
    """Texts cleaned as `clean_columns` cleans cells, and which of them it counts as holding
    control characters (its count is checked against theirs)."""
    columns, removed = clean_columns([texts])
    data = texts.buffers()[2]  # (a control character is a byte below 0x20 or 0x7f in UTF-8: tested at once)
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    if ((raw < 0x20) | (raw == 0x7F)).any():
        flags = pc.match_substring_regex(texts, CONTROL_CHARS).to_numpy(zero_copy_only=False)
    else:
        flags = np.zeros(len(texts), dtype=bool)
    if int(flags.sum()) != removed:
        raise xlsx_xml.Decline("control characters counted differently")
    return columns[0].combine_chunks(), flags


# The sheets of a workbook read from its XML as cleaned Arrow columns (name, columns), and how
# many cells held control characters: all of `read` but the frames, which need pandas.
DirectColumns = tuple[list[tuple[str, list[pa.Array]]], int]


def _direct(file: str, sheets: list[xlsx_xml.SheetCells], strings: pa.Array) -> DirectColumns:
    """The sheets read from their XML (`xlsx_xml`) as `_calamine` makes them of calamine's values,
    cleaning each shared string once rather than each cell: numbers rendered by `_numbers_text`
    (text that needs no cleaning), a cell without a value blank, the table trimmed to the last
    row and column holding a non-blank cell, control characters counted per cell."""
    tables: list[tuple[str, list[pa.Array]]] = []
    control = 0
    clean_strings: tuple[pa.Array, npt.NDArray[np.bool_]] | None = None
    for sheet in sheets:
        (s_rows, s_cols, index), (t_rows, t_cols, texts), (n_rows, n_cols, number) = \
            sheet.shared, sheet.texts, sheet.numbers
        pool: list[pa.Array] = []
        at: list[npt.NDArray[np.int64]] = []
        size = 0
        if len(index):
            if clean_strings is None:
                clean_strings = _cleaned(strings)
            control += int(clean_strings[1][index].sum())
            pool.append(clean_strings[0])
            at.append(index)
            size += len(clean_strings[0])
        if len(texts):
            clean_texts, flags = _cleaned(texts)
            control += int(flags.sum())
            pool.append(clean_texts)
            at.append(size + np.arange(len(texts)))
            size += len(texts)
        if len(number):
            pool.append(_numbers_array(number))
            at.append(size + np.arange(len(number)))
            size += len(number)
        values = pa.concat_arrays([*pool, pa.array([""], pa.string())])
        where = np.concatenate([*at, np.zeros(0, dtype=np.int64)])
        rows = np.concatenate([s_rows, t_rows, n_rows])
        cols = np.concatenate([s_cols, t_cols, n_cols])
        blank = pc.equal(values, "").to_numpy(zero_copy_only=False)
        filled = np.flatnonzero(~blank[where])
        if not len(filled):
            continue
        height, width = int(rows[filled].max()) + 1, int(cols[filled].max()) + 1
        grid = np.full((height, width), size, dtype=np.int64)  # every other cell: the '' at the end
        grid[rows[filled], cols[filled]] = where[filled]
        tables.append((sheet.name, [values.take(pa.array(grid[:, j])) for j in range(width)]))
    return tables, control


def direct_columns(file: str, inspected: xlsx_xml.Inspected) -> DirectColumns | None:
    """The workbook's sheets as `read` takes them from their XML (`_direct`), without pandas (so
    `readers.begin` runs it while the CLI imports pandas); None when `read` takes another engine:
    formulas or hyperlinks (openpyxl), a part the XML reader declines (calamine), not a zip."""
    full, direct = inspected
    if full is not False or direct is None:
        return None
    try:
        return _direct(file, *direct)
    except xlsx_xml.Decline:
        return None


def _flat(values: list[list[Any]], width: int) -> pa.Array:
    """calamine's rows as one flat Arrow string array, row after row: text as it is, numbers
    rendered at once (`_numbers_text`), the rare other values (dates, booleans) through `_raw`."""
    if any(len(r) != width for r in values):
        values = [list(r) + [""] * (width - len(r)) for r in values]
    flat = list(chain.from_iterable(values))
    types = list(map(type, flat))  # the type tests run in C (map), not one Python call per cell
    is_text = np.fromiter(map(operator.is_, types, repeat(str)), dtype=bool, count=len(flat))
    if is_text.all():
        return pa.array(flat, pa.string())
    is_number = np.fromiter(map(operator.is_, types, repeat(float)), dtype=bool, count=len(flat))
    del types
    cells = np.empty(len(flat), dtype=object)
    cells[:] = flat
    del flat
    numbers = np.flatnonzero(is_number)
    if len(numbers):
        cells[numbers] = _numbers_text(cells[numbers].astype(np.float64))
    other = np.flatnonzero(~(is_text | is_number))
    if len(other):
        odd = cells[other]
        kinds = np.fromiter(map(type, odd), dtype=object, count=len(odd))
        done = np.zeros(len(odd), dtype=bool)
        for kind in (dt.datetime, dt.date):
            at = np.flatnonzero(kinds == kind)
            if len(at):
                texts, ok = _dates_text(odd[at], kind is dt.datetime)
                odd[at[ok]] = texts[ok]
                done[at[ok]] = True
        rest = np.flatnonzero(~done)
        if len(rest):
            odd[rest] = [_raw(v) for v in odd[rest].tolist()]
        cells[other] = odd
    return pa.array(cells, pa.string())


_DAY_US = 86_400_000_000
_ISO_RANGE_US = tuple((dt.datetime(*d) - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
                      for d in ((1000, 1, 1), (9999, 12, 31, 23, 59, 59)))


def _dates_text(values: npt.NDArray[np.object_], with_time: bool) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """Dates (or datetimes) as `cell_text` writes them, at once in Arrow: ISO dates, a datetime with
    its time (to the second, microseconds dropped) unless it is exactly midnight. Also whether each
    was rendered here (years 1000–9999, where ISO text has four year digits; the others: `_raw`)."""
    if with_time:
        us = pa.array(values.tolist(), pa.timestamp("us")).to_numpy(zero_copy_only=False).astype(np.int64)
    else:
        us = pa.array(values.tolist(), pa.date32()).to_numpy(zero_copy_only=False).astype(np.int64) * _DAY_US
    ok = (us >= _ISO_RANGE_US[0]) & (us <= _ISO_RANGE_US[1])
    us = np.where(ok, us, 0)
    days = pa.array(np.floor_divide(us, _DAY_US).astype(np.int32), pa.date32()).cast(pa.string())
    out = days.to_numpy(zero_copy_only=False)
    if with_time:
        timed = np.flatnonzero(us % _DAY_US != 0)
        if len(timed):
            seconds = pa.array(np.floor_divide(us[timed], 1_000_000), pa.timestamp("s"))
            out[timed] = seconds.cast(pa.string()).to_numpy(zero_copy_only=False)
    return out, ok


def _numbers_array(values: npt.NDArray[np.float64]) -> pa.Array:
    """`_numbers_text` as an Arrow string array: whole numbers within int64 (a ledger's 序号, as a
    rule all of them) cast to text in Arrow without a Python string each."""
    if (np.isfinite(values) & (values == np.trunc(values)) & (np.abs(values) < 2.0 ** 63)).all():
        return pa.array(values.astype(np.int64)).cast(pa.string())
    return pa.array(_numbers_text(values), pa.string())


def _numbers_text(values: npt.NDArray[np.float64]) -> npt.NDArray[np.object_]:
    """Floats as `cell_text` writes them: whole numbers without '.0' (str(int(v)), so -0.0 is '0'),
    the others as Python's repr. The whole numbers within int64 are cast to text in Arrow at once."""
    whole = np.isfinite(values) & (values == np.trunc(values))
    small = whole & (np.abs(values) < 2.0 ** 63)
    out = np.empty(len(values), dtype=object)
    if small.any():
        out[small] = pa.array(values[small].astype(np.int64)).cast(pa.string()).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~small)
    if len(rest):  # fractions, infinities, NaN, whole numbers past int64: repr / str(int) in a comprehension
        out[rest] = [str(int(v)) if w else repr(v) for v, w in zip(values[rest].tolist(), whole[rest].tolist())]
    return out


def _columns(cells: pa.Array, height: int, width: int) -> tuple[list[pa.ChunkedArray], int]:
    """The flat cells cut into their columns by a strided take (in C), then cleaned as columns
    (`model.clean_columns`): a column of few distinct texts (所属事项, dates) cleans each text once."""
    columns = [cells.take(np.arange(j, height * width, width)) for j in range(width)]
    del cells
    return clean_columns(columns)


def _used(columns: list[pa.ChunkedArray]) -> tuple[int, int] | None:
    """(rows, columns) up to the last non-blank cell, None for a blank sheet."""
    filled = np.stack([pc.not_equal(c, "").to_numpy(zero_copy_only=False) for c in columns], axis=1)
    used_rows = np.flatnonzero(filled.any(axis=1))
    if not len(used_rows):
        return None
    return int(used_rows[-1]) + 1, int(np.flatnonzero(filled.any(axis=0))[-1]) + 1


def _merged_frame(frame: pd.DataFrame, merges: list[Any], width: int) -> pd.DataFrame | None:
    """The frame with each merged range holding its top-left value, trimmed to the used cells."""
    for (r0, c0), (r1, c1) in merges:  # one block assignment per merge
        if r0 < len(frame) and c0 < width:
            top = str(frame.iat[r0, c0])
            for c in range(c0, min(c1 + 1, width)):
                frame.iloc[r0:r1 + 1, c] = top
    filled = np.asarray((frame != "").to_numpy(), dtype=bool)
    used_rows = np.flatnonzero(filled.any(axis=1))
    if not len(used_rows):
        return None
    used_cols = np.flatnonzero(filled.any(axis=0))
    return frame.iloc[:used_rows[-1] + 1, :used_cols[-1] + 1]


def _hyperlink_formula(formula: str) -> tuple[str, str] | None:
    """(url, text) of `=HYPERLINK("url","text")` (text defaults to the url), else None."""
    m = _HYPERLINK_FORMULA.match(formula or "")
    if not m:
        return None
    url = m.group(1).replace('""', '"')
    text = m.group(2).replace('""', '"') if m.group(2) is not None else url
    return url, text


def _openpyxl(data: bytes, file: str) -> list[ParsedTable]:
    import openpyxl  # formulas, hyperlinks: the full object model

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except zipfile.BadZipFile:
        raise LoadError([LoadProblem(ProblemKind.BAD_ZIP, file)]) from None
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise LoadError([LoadProblem(ProblemKind.UNREADABLE_FILE, file, detail=type(exc).__name__)]) from None
    tables: list[ParsedTable] = []
    problems: list[LoadProblem] = []
    for sheet, fsheet in zip(book.worksheets, formulas.worksheets):
        rows: list[list[str]] = []
        links: list[list[str]] = []
        for cells, fcells in zip(sheet.iter_rows(), fsheet.iter_rows()):
            row, row_links = [], []
            for cell, fcell in zip(cells, fcells):
                value, link = cell.value, ""
                formula = fcell.value if fcell.data_type == "f" else None
                if isinstance(formula, str):
                    parsed = _hyperlink_formula(formula)
                    if parsed is not None:
                        link = parsed[0]
                        value = value if value not in (None, "") else parsed[1]
                    elif value is None:
                        problems.append(LoadProblem(ProblemKind.FORMULA_NOT_CACHED, file, sheet.title, cell.row,
                                                    value=cell.coordinate, detail=formula))
                if cell.hyperlink is not None and not link:
                    link = (cell.hyperlink.target or "").strip()
                row.append(cell_text(value))
                row_links.append(link)
            rows.append(row)
            links.append(row_links)
        rows, links = rectangular(rows), rectangular(links)
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        _fill_merges(rows, merges)
        rows = _trim(rows)
        if rows:
            width = len(rows[0])
            table_links = [r[:width] for r in links[:len(rows)]]
            tables.append(ParsedTable(file, sheet.title, rectangular(rows), range(1, len(rows) + 1),
                                      table_links if any(any(r) for r in table_links) else None))
    if problems:
        raise LoadError(problems)
    return tables


def read(data: bytes, file: str, inspected: Callable[[], xlsx_xml.Inspected] | None = None,
         columns: Callable[[], DirectColumns | None] | None = None) -> ParsedDocument:
    """Parse xlsx bytes. Raises LoadError(bad_zip | unreadable_file | formula_not_cached), or a
    limit's refusal (`loaders.limits`). `inspected`: the result of `xlsx_xml.inspect(data, file)`,
    `columns` that of `direct_columns(file, inspected)`, where a caller made them ahead
    (`readers.begin`)."""
    # bounded resources (loaders/limits.py), and the formula/hyperlink search on the same XML
    full, direct = inspected() if inspected is not None else xlsx_xml.inspect(data, file)
    if full is None:
        try:
            full = _needs_openpyxl(data)
        except zipfile.BadZipFile:
            raise LoadError([LoadProblem(ProblemKind.BAD_ZIP, file)]) from None
    if full:
        tables, control = _openpyxl(data, file), 0
    else:
        found = columns() if columns is not None else direct_columns(file, (full, direct))
        if found is None:
            tables, control = _calamine(data, file)
        else:
            tables = [ParsedTable.of_frame(file, name, columns_frame(cols)) for name, cols in found[0]]
            control = found[1]
    warnings = [LoadProblem(ProblemKind.CONTROL_CHARACTERS, file, value=str(control))] if control else []
    return ParsedDocument(file, "xlsx", tables, warnings=warnings)
