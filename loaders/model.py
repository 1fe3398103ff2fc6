"""The shapes passed between the parts of a load: a parsed table and a load result.

Every reader (xlsx, xls, csv, html, docx) returns a `ParsedDocument`: its tables as grids
of cleaned strings with merged cells already filled in, plus page metadata where the page
shows it (发布日期, 成文日期, 文号). Normalisers (catalog, disclosure_log) read only this shape.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from loaders.errors import LoadProblem
from loaders.names import CONTROL_CHARS, NFKC_STABLE_CLASS, clean_text, unknown_class

if TYPE_CHECKING:  # pandas is imported where a frame is built: an xlsx is cleaned before it is (`readers.begin`)
    import pandas as pd


class ParsedTable:
    """One table as a person sees it.

    `cells[i][j]` is the text of row i, column j ('' when blank); every row has the same
    length. Merged cells (xlsx merges, HTML rowspan/colspan, docx merges) repeat their value
    in every cell they cover. `row_numbers[i]` is the row number shown to the user.
    `links[i][j]` is the first hyperlink target of the cell ('' if none) where the format has
    links (HTML list pages link each title to its article, xlsx cells carry hyperlinks); None
    otherwise.

    Large readers (csv) build the table from a column frame instead (`ParsedTable.of_frame`):
    columns 0..w-1 of cleaned strings. `frame()` gives every table as such a frame and
    `head(n)` its first rows as lists, so a normaliser never materialises a million Python
    lists; `cells` is built from the frame only when something asks for it.
    """

    __slots__ = ("_cells", "_frame", "file", "links", "row_numbers", "sheet")

    def __init__(self, file: str, sheet: str | None, cells: list[list[str]] | None,
                 row_numbers: Sequence[int], links: list[list[str]] | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.row_numbers = row_numbers
        self.links = links
        self._cells = cells
        self._frame: pd.DataFrame | None = None

    @classmethod
    def of_frame(cls, file: str, sheet: str | None, frame: pd.DataFrame,
                 row_numbers: Sequence[int] | None = None) -> ParsedTable:
        """A table over a frame whose columns are 0..w-1 and whose values are cleaned strings."""
        table = cls(file, sheet, None, row_numbers if row_numbers is not None else range(1, len(frame) + 1))
        table._frame = frame.reset_index(drop=True)
        return table

    @property
    def cells(self) -> list[list[str]]:
        if self._cells is None:
            assert self._frame is not None
            self._cells = self._frame.astype(object).values.tolist()
        return self._cells

    def __len__(self) -> int:
        return len(self._cells) if self._cells is not None else len(self._frame)  # type: ignore[arg-type]

    def head(self, n: int) -> list[list[str]]:
        """The first `n` rows as lists (header search)."""
        if self._cells is not None:
            return self._cells[:n]
        assert self._frame is not None
        return self._frame.iloc[:n].astype(object).values.tolist()

    def frame(self) -> pd.DataFrame:
        """The table as a frame with columns 0..w-1 (object or string dtype, '' when blank)."""
        if self._frame is None:
            import pandas as pd

            cells = self._cells or []
            width = len(cells[0]) if cells else 0
            self._frame = pd.DataFrame(cells, columns=range(width), dtype=object) if cells else \
                pd.DataFrame(columns=range(width), dtype=object)
        return self._frame


@dataclass
class ParsedDocument:
    file: str
    format: str                                   # xlsx | xls | csv | html | docx
    tables: list[ParsedTable]
    meta: dict[str, str] = field(default_factory=dict)   # keys: published_on, written_on, document_no, filed_on
    warnings: list[LoadProblem] = field(default_factory=list)  # reader's own warnings (control characters removed)


@dataclass
class NormalisedRows:
    """What a normaliser (catalog or disclosure log) makes of a parsed table: the rows ready
    for the store, every problem found, how many data rows were read, and the sheet read.
    `unclassified` (disclosure logs) locates a 未归类 warning (file, sheet, item column); the
    store fills in row and value for the rows the SQL match leaves without an item."""
    rows: pd.DataFrame
    problems: list[LoadProblem] = field(default_factory=list)
    rows_read: int = 0
    sheet: str | None = None
    unclassified: LoadProblem | None = None


class LoadOutcome(StrEnum):
    """`LoadResult.result` (also `load_runs.result`); Chinese names in ui_text.errors.RESULT_LABELS."""
    LOADED = "loaded"
    UNCHANGED = "unchanged"
    PARTIAL = "partial"
    REFUSED = "refused"      # pull results only: the failure is reported per source, not raised


@dataclass
class LoadResult:
    """What one load did. `result` is 'loaded', 'unchanged' or 'partial' ('refused' only in
    `pull` results, whose failures are reported per source instead of raised)."""
    kind: str
    district_code: str | None
    source: str
    result: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    run_id: int | None = None
    problems: list[LoadProblem] = field(default_factory=list)


_SPECIAL = r"[\x00-\x1f\x7f]"  # control characters and line breaks: rare, handled one by one
# A cell needs cleaning only when it starts or ends with a space or holds a character outside
# the NFKC-stable set (which also catches tab, line breaks and control characters): one RE2
# pass per column finds those cells; every other cell is already exactly what cleaning returns.
_NEEDS_WORK = "^ | $|" + NFKC_STABLE_CLASS.replace("[^\\t\\n\\r", "[^", 1)
# After the full-width forms are folded: a character NFKC may still change (or a control one).
_NEEDS_NFKC = NFKC_STABLE_CLASS.replace("[^\\t\\n\\r", "[^", 1)


def _string_parts(col: pa.Array) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]:
    """(offsets from 0, data bytes) of a string array without a copy."""
    offsets = np.frombuffer(col.buffers()[1], dtype=np.int32, count=len(col) + 1, offset=col.offset * 4)
    buffer = col.buffers()[2]
    data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)
    return offsets - offsets[0], data[offsets[0]:offsets[-1]]


_FOLD_BLOCK = 1 << 20  # bytes of cells folded at a time: small temporaries, reused instead of faulted in


def _fold_positions(data: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint8]]:
    """(start, half-width byte) of every full-width form and U+3000 in `data` (whole UTF-8 cells),
    in order. U+FF01–FF3F are EF BC 81–BF, U+FF40–FF5E are EF BD 80–9E, U+3000 is E3 80 80. In
    valid UTF-8, EF and E3 only ever start a character, so no match straddles two."""
    n = len(data)
    if n < 3:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.uint8)
    ef = np.flatnonzero(data[:n - 2] == 0xEF)
    e3 = np.flatnonzero(data[:n - 2] == 0xE3)
    second, third = data[ef + 1], data[ef + 2]
    ef = ef[((second == 0xBC) & (third >= 0x81)) | ((second == 0xBD) & (third <= 0x9E))]
    e3 = e3[(data[e3 + 1] == 0x80) & (data[e3 + 2] == 0x80)]
    if not len(e3):
        half = ((data[ef + 1].astype(np.int32) & 0x3F) << 6 | (data[ef + 2].astype(np.int32) & 0x3F)) - 0xEE0
        return ef, half.astype(np.uint8)
    half = ((data[ef + 1].astype(np.int32) & 0x3F) << 6 | (data[ef + 2].astype(np.int32) & 0x3F)) - 0xEE0
    at = np.concatenate([ef, e3])
    values = np.concatenate([half.astype(np.uint8), np.full(len(e3), 0x20, dtype=np.uint8)])
    order = np.argsort(at, kind="stable")
    return at[order], values[order]


def fold_full_width(col: pa.Array) -> pa.Array:
    """The full-width ASCII forms (U+FF01–FF5E) and the ideographic space (U+3000) of a string
    array without NULLs as their half-width characters, on the UTF-8 bytes at once (numpy): what
    NFKC makes of them, without NFKC's per-character cost. Every other byte is kept as it is.
    Folded in blocks of whole cells (~1 MB) into one new buffer: a 60 MB column of titles
    touches its output once instead of five temporaries of its size (page faults, issue #17)."""
    offsets, data = _string_parts(col)
    n = len(data)
    bounds = np.searchsorted(offsets, np.arange(0, n, _FOLD_BLOCK), side="left")  # first cell of each block
    cuts = [*dict.fromkeys(int(c) for c in bounds), len(col)]
    out: npt.NDArray[np.uint8] | None = None
    new_offsets: npt.NDArray[np.int32] | None = None
    written = 0  # bytes of `out` filled
    for first, last in itertools.pairwise(cuts):
        start, end = int(offsets[first]), int(offsets[last])
        block = data[start:end]
        at, values = _fold_positions(block)
        if out is None:
            if not len(at):
                continue
            out = np.empty(n, dtype=np.uint8)
            new_offsets = offsets.copy()
            out[:start] = data[:start]
            written = start
        assert new_offsets is not None
        cells = offsets[first:last + 1] - start  # the block's cell starts (and its end), from 0
        if not len(at):
            out[written:written + end - start] = block
            new_offsets[first:last + 1] = cells + written
            written += end - start
            continue
        keep = np.ones(len(block), dtype=bool)
        keep[at + 1] = False
        keep[at + 2] = False
        folded = block.copy()
        folded[at] = values
        size = len(block) - 2 * len(at)
        out[written:written + size] = folded[keep]
        new_offsets[first:last + 1] = cells - 2 * np.searchsorted(at, cells, side="left") + written
        written += size
    if out is None or new_offsets is None:
        return col
    return pa.Array.from_buffers(pa.string(), len(col),
                                 [None, pa.py_buffer(new_offsets.astype(np.int32, copy=False)),
                                  pa.py_buffer(out[:written])])


def _clean_subset(original: pa.Array, folded: pa.Array) -> tuple[pa.Array, int]:
    """The cleaning of `names.clean_text` for the few cells that need any (`folded`: their text
    with the full-width forms already folded): NFKC only for the cells still holding a character
    it may change, trimmed; the rare cells with control characters, line breaks or a character
    this Python's Unicode does not know (`names.unknown_class`) through `clean_text` itself (from
    their `original` text)."""
    unstable = pc.match_substring_regex(folded, _NEEDS_NFKC)  # also every control character
    special = None
    if pc.any(unstable).as_py():
        special = pc.or_(pc.match_substring_regex(original, _SPECIAL), pc.match_substring_regex(folded, unknown_class()))
    if special is not None:
        folded = pc.replace_with_mask(folded, unstable, pc.utf8_normalize(pc.filter(folded, unstable), form="NFKC"))
    clean = pc.utf8_trim_whitespace(folded)
    if special is None or not pc.any(special).as_py():
        return clean, 0
    control = re.compile(CONTROL_CHARS)
    texts = pc.filter(original, special).to_pylist()
    removed = sum(1 for t in texts if control.search(t))
    return pc.replace_with_mask(clean, special, pa.array([clean_text(t) for t in texts], pa.string())), removed


_REPEATS_MIN_CELLS = 4096  # a slice this long is sampled for repeated texts
_REPEATS_SAMPLE = 2048
_REPEATS_SHARE = 0.05  # at most this share of distinct texts in the sample: clean each distinct text once


def _clean_one(col: pa.Array) -> tuple[pa.Array, int]:
    col = pc.fill_null(col.cast(pa.string()) if col.type != pa.string() else col, "")
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    if len(col) >= _REPEATS_MIN_CELLS and \
            pc.count_distinct(col.slice(0, _REPEATS_SAMPLE)).as_py() <= _REPEATS_SHARE * _REPEATS_SAMPLE:
        # A column of few texts (所属事项, dates written 2023年6月1日): cleaning is per cell, so each
        # distinct text is cleaned once and the results taken back to the cells.
        encoded = pc.dictionary_encode(col)
        texts, removed = _clean_cells(encoded.dictionary)
        if not removed:  # control characters are counted per cell: those columns take the long way
            # texts already clean (dates, most item columns) keep the column's own buffers
            return (col if texts.equals(encoded.dictionary) else texts.take(encoded.indices)), 0
    return _clean_cells(col)


def _clean_cells(col: pa.Array) -> tuple[pa.Array, int]:
    ascii_cells = pc.string_is_ascii(col)
    # An ASCII cell needs work only for an edge space or a control character.
    needs = pc.or_(pc.invert(pc.or_(pc.ascii_is_printable(col), pc.equal(pc.binary_length(col), 0))),
                   pc.or_(pc.starts_with(col, " "), pc.ends_with(col, " ")))
    other = pc.invert(ascii_cells)
    n_other = pc.sum(other).as_py() or 0
    folded = col
    if n_other:
        # The other cells: full-width forms folded on the bytes first, then one RE2 test of the
        # NFKC-stable set (a link column is ASCII but for its header: only that cell is tested).
        folded = fold_full_width(col)
        if n_other * 2 > len(col):
            test = pc.match_substring_regex(folded, _NEEDS_WORK)
            needs = pc.if_else(ascii_cells, needs, test)
        else:
            needs = pc.replace_with_mask(needs, other, pc.match_substring_regex(pc.filter(folded, other), _NEEDS_WORK))
    if not pc.any(needs).as_py():
        return folded, 0
    fixed, removed = _clean_subset(pc.filter(col, needs), pc.filter(folded, needs))
    return pc.replace_with_mask(folded, needs, fixed), removed


_SLICE_ROWS = 262_144  # columns are cleaned in slices of this many cells, on every core


@contextmanager
def system_memory_pool() -> Iterator[None]:
    """Arrow allocating from the C library's malloc (and freeing to it) for the body, then from the
    pool it used before. A bulk parse frees most of what it allocates (a csv's DuckDB batches, the
    cleaning's temporaries): mimalloc, Arrow's default, keeps freed pages and purges them later,
    which held ~30 MB more at a 1M-row log's peak and cost ~0.5 s more system time (issue #17).
    Arrays keep the pool that allocated them, so switching back is safe."""
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def _shares_memory(out: pa.Array, piece: pa.Array) -> bool:
    """Whether `out` holds any buffer of `piece` (an unchanged column is returned as it came)."""
    held = {b.address for b in piece.buffers() if b is not None}
    return any(b is not None and b.address in held for b in out.buffers())


def clean_columns(columns: list[pa.Array | pa.ChunkedArray], *,
                  release: bool = False) -> tuple[list[pa.ChunkedArray], int]:
    """Text columns cleaned as `names.clean_text` cleans one cell, in Arrow's vectorised
    kernels: NULL -> '', and only the cells that need it (one test per column: a leading or
    trailing space, or a character NFKC may change, a control character or a line break) are
    normalised (NFKC), trimmed and, with control characters or line breaks, put through
    `clean_text`; CJK ideographs, ASCII and common CJK punctuation are left alone. Slices of
    the columns are cleaned on every core (Arrow's kernels release the GIL). Returns the
    columns and how many cells held control characters (a reader reports them as a warning).

    With `release`, `columns` is emptied, each piece is dropped as soon as it is cleaned and no
    returned column shares memory with them (an unchanged piece is copied): a reader's DuckDB
    result, whose record batches are freed only with all their columns, is handed back while the
    cleaning runs instead of being held by its unchanged columns until the load ends (issue #17:
    a 1M-row log's ~175 MB). The pieces are cleaned batch by batch (piece i of every column, then
    piece i + 1) so that each batch is freed early, and come back as large_string, the type of a
    pandas string column (a frame of them is built without converting every column's offsets)."""
    pieces = [col.chunks if isinstance(col, pa.ChunkedArray) and col.num_chunks else
              [col.slice(at, _SLICE_ROWS) for at in range(0, max(len(col), 1), _SLICE_ROWS)] for col in columns]
    tasks = [(j, i) for i in range(max(map(len, pieces), default=0)) for j in range(len(pieces)) if i < len(pieces[j])]
    pending: list[pa.Array | None] = [pieces[j][i] for j, i in tasks]
    width = len(columns)
    del pieces
    if release:
        columns.clear()

    def clean(k: int) -> tuple[pa.Array, int]:
        piece = pending[k]
        assert piece is not None
        if release:
            pending[k] = None
        out, removed = _clean_one(piece)
        if release:
            out = out.cast(pa.large_string())  # new offsets; the text bytes stay where they are
            if _shares_memory(out, piece):
                out = pa.concat_arrays([out])
        return out, removed

    if len(tasks) > 1:
        with ThreadPoolExecutor(max_workers=min(len(tasks), os.cpu_count() or 1)) as pool:
            done = list(pool.map(clean, range(len(tasks))))
    else:
        done = [clean(k) for k in range(len(tasks))]
    parts: list[list[pa.Array]] = [[] for _ in range(width)]
    for (j, _), (col, _n) in zip(tasks, done):
        parts[j].append(col)
    kind = pa.large_string() if release else pa.string()
    return [pa.chunked_array(p, kind) for p in parts], sum(n for _, n in done)


def columns_frame(columns: list[pa.Array]) -> pd.DataFrame:
    """Cleaned Arrow columns as a frame with columns 0..w-1 (Arrow-backed strings)."""
    import pandas as pd

    frame = pa.table({str(j): c for j, c in enumerate(columns)}).to_pandas() if columns else pd.DataFrame()
    frame.columns = range(len(columns))
    return frame


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Pad rows to the same width."""
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def clean_cell(text: str) -> str:
    """`names.clean_text` with a fast path for the common cell: already NFKC, one line."""
    if not text:
        return ""
    if text.isprintable() and unicodedata.is_normalized("NFKC", text):  # no line break, no control character
        return text.strip()
    return clean_text(text)


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates as ISO (with the time only when it is not midnight),
    whole numbers without '.0', everything else cleaned (`names.clean_text`)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_cell(str(value))
