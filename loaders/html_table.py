"""Read a portal page (lxml's libxml2 tokeniser, stdlib `html.parser` without it; no bs4) into its
tables and page metadata.

Three paths give the same result (tests/loaders/test_load_paths.py, test_html_fast.py): the
tree path (libxml2 builds the tree, two XSLT passes write the cells and the page text out, Arrow
splits and cleans them; no Python per cell) for every page it covers; within it, the table
tokeniser (`_fast_tree`: a page's large plain table read from its bytes by numpy and RE2, no
tree for it) where it knows libxml2 reads the table the same way; and the event handlers
(`_Parser`, fed by lxml's tokeniser or `html.parser`) for the rest: tables inside tables or
inside skipped elements, cells outside rows.

Every <table> becomes a `ParsedTable` (nested layout tables included; the catalog or log
normaliser picks the one whose header it recognises). rowspan/colspan repeat the cell's
text over the cells they cover; <br>, <p> and <div> inside a cell become line breaks.
Page metadata (发布日期, 成文日期, 文号, 备案日期) is read from label/value cell pairs and from
「标签：值」 text anywhere on the page.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any
from urllib.parse import urljoin

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from loaders import limits
from loaders.detect import decode_text
from loaders.model import ParsedDocument, ParsedTable, clean_columns, columns_frame, rectangular
from loaders.names import clean_text
from loaders.vocabulary import header_key, vocabulary

_MAX_SPAN = 500
_BREAK_TAGS = {"br", "p", "div", "li", "tr"}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript"}


@dataclass
class _Cell:
    parts: list[str] = field(default_factory=list)
    href: str = ""
    rowspan: int = 1
    colspan: int = 1
    text: str = ""  # the cleaned text, set for every cell at once (`_clean_cells`)


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    cell: _Cell | None = None


def _span(value: str | None) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(value or 1)))
    except ValueError:
        return 1


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Table] = []
        self.done: list[_Table] = []
        self.page_text: list[str] = []
        self.skip = 0

    def _sink(self) -> list[str]:
        if self.stack and self.stack[-1].cell is not None:
            return self.stack[-1].cell.parts
        return self.page_text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "table":
            self.stack.append(_Table())
        elif tag == "tr" and self.stack:
            table = self.stack[-1]
            table.cell = None
            table.rows.append([])
        elif tag in ("td", "th") and self.stack:
            table = self.stack[-1]
            if not table.rows:
                table.rows.append([])
            a = dict(attrs)
            table.cell = _Cell(rowspan=_span(a.get("rowspan")), colspan=_span(a.get("colspan")))
            table.rows[-1].append(table.cell)
        elif tag == "a" and self.stack and self.stack[-1].cell is not None and not self.stack[-1].cell.href:
            self.stack[-1].cell.href = (dict(attrs).get("href") or "").strip()
        elif tag in _BREAK_TAGS:
            self._sink().append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self._sink().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.stack:
            self.done.append(self.stack.pop())
        elif tag in ("td", "th") and self.stack:
            self.stack[-1].cell = None
        elif tag in ("p", "div", "li"):
            self._sink().append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._sink().append(data)


_SPACES = re.compile(r"\s+")
_ABSOLUTE = re.compile(r"^https?://[^\s?#%\\]*$")  # urljoin returns such a link unchanged unless it has dot segments


def _raw_text(cell: _Cell) -> str:
    # Source line breaks inside markup are layout, not content; only tags break lines.
    if len(cell.parts) == 1 and cell.parts[0] != "\n":
        return _SPACES.sub(" ", cell.parts[0])
    return "".join(p if p == "\n" else _SPACES.sub(" ", p) for p in cell.parts)


def _clean_cells(tables: list[_Table]) -> None:
    """Every cell's text cleaned as `names.clean_text` would, in one vectorised pass over all
    cells (`model.clean_columns`), with runs of line breaks folded to one."""
    cells = [c for t in tables for row in t.rows for c in row]
    if not cells:
        return
    import pyarrow as pa
    import pyarrow.compute as pc

    from loaders.model import clean_columns
    columns, _ = clean_columns([pa.array([_raw_text(c) for c in cells], pa.string())])
    texts = pc.replace_substring_regex(columns[0], r"\n{2,}", "\n").to_pylist()
    for cell, text in zip(cells, texts):
        cell.text = text


def _link(file: str, href: str) -> str:
    if not href:
        return ""
    if _ABSOLUTE.match(href) and "/." not in href:
        return href
    return urljoin(file, href)


def _grid(table: _Table, value: Callable[[_Cell], str]) -> list[list[str]]:
    """Expand rowspan/colspan into a rectangular grid of `value(cell)`."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, row in enumerate(table.rows):
        out: list[str] = []
        col = 0
        cells = iter(row)
        cell = next(cells, None)
        while cell is not None or any(k[0] == r and k[1] >= col for k in pending):
            if (r, col) in pending:
                out.append(pending.pop((r, col)))
                col += 1
                continue
            if cell is None:
                col += 1
                out.append("")
                continue
            text = value(cell)
            for dr in range(1, cell.rowspan):
                for dc in range(cell.colspan):
                    pending[(r + dr, col + dc)] = text
            out.extend([text] * cell.colspan)
            col += cell.colspan
            cell = next(cells, None)
        grid.append(out)
    return rectangular(grid)


def _meta(tables: list[list[pa.ChunkedArray | pa.Array]], page_text: str) -> dict[str, str]:
    """发布日期, 成文日期, 文号, 备案日期 of the page: from a short label cell and the next filled cell of
    its row (read row by row, left to right), then from 「标签：值」 text in the page text followed by
    every row's cells run together, one row per line (first find wins). Only cells that can be
    labels (non-ASCII, at most 12 characters) and rows that hold a label word are looked at in
    Python; the result is what a scan of every cell and of the whole text gives."""
    import pyarrow.compute as pc

    labels = {header_key(w): key for key, ws in vocabulary()["meta"].items() for w in ws}
    words = [w for ws in vocabulary()["meta"].values() for w in ws]
    ascii_labels = any(k.isascii() for k in labels)  # an ASCII cell has an ASCII header_key
    meta: dict[str, str] = {}
    found: list[tuple[int, int, int]] = []  # (table, row, column) of every label cell, in reading order
    for t, columns in enumerate(tables):
        for j, column in enumerate(columns[:-1]):
            short = pc.less_equal(pc.utf8_length(column), 12)
            if not ascii_labels:
                short = pc.and_(short, pc.invert(pc.string_is_ascii(column)))
            rows = np.flatnonzero(short.to_numpy(zero_copy_only=False))
            if not len(rows):
                continue
            short_cells = pc.dictionary_encode(column.take(pa.array(rows)))
            if isinstance(short_cells, pa.ChunkedArray):
                short_cells = short_cells.combine_chunks()
            hit = np.array([bool(labels.get(header_key(v))) for v in short_cells.dictionary.to_pylist()], dtype=bool)
            found.extend((t, int(r), j) for r in rows[hit[short_cells.indices.to_numpy(zero_copy_only=False)]])
    for t, r, j in sorted(found):
        row = [c[r].as_py() for c in tables[t]]
        key = labels[header_key(row[j])]
        if key not in meta:
            value = next((v for v in row[j + 1:] if v and v != row[j]), "")
            if value and header_key(value) not in labels:
                meta[key] = value
    pattern = re.compile(rf"({'|'.join(re.escape(w) for w in words)})\s*[:：]\s*([^\s|｜]+)")
    for text in _label_texts(tables, page_text, "|".join(re.escape(w) for w in words)):
        for m in pattern.finditer(text):
            meta.setdefault(labels[header_key(m.group(1))], m.group(2))
    return meta


def _label_texts(tables: list[list[pa.ChunkedArray | pa.Array]], page_text: str, words: str) -> list[str]:
    """The pieces of `page_text + '\n' + '\n'.join(row texts)` where a 「标签：值」 match can lie, in
    order: a match starts at a label word (within one row or the page text) and may run over blank
    rows to the colon and the value, so it ends by the second non-blank row after its start. Each
    piece spans from a row holding a label word to that end, overlapping pieces joined; the first
    always starts with the page text."""
    import pyarrow.compute as pc

    joined = [pc.binary_join_element_wise(*columns, "") if len(columns) > 1 else pc.cast(columns[0], pa.string())
              for columns in tables if columns and len(columns[0])]
    if not joined:
        return [page_text + "\n"]
    text = pa.chunked_array([c for j in joined for c in (j.chunks if isinstance(j, pa.ChunkedArray) else [j])],
                            pa.string())
    labelled = np.flatnonzero(pc.match_substring_regex(text, words).to_numpy(zero_copy_only=False))
    # A row of whitespace only is blank here: `\s*` runs over it as over an empty row.
    filled = np.flatnonzero(pc.invert(pc.match_substring_regex(text, f"^(?:{_WHITESPACE})?$"))
                            .to_numpy(zero_copy_only=False))

    def end(start: int) -> int:  # the second non-blank row after `start` (or the last row)
        k = int(np.searchsorted(filled, start, side="right")) + 1
        return int(filled[k]) if k < len(filled) else len(text) - 1

    spans: list[list[int]] = [[-1, end(-1)]]
    for r in map(int, labelled):
        if r <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end(r))
        else:
            spans.append([r, end(r)])
    return [(page_text + "\n" if a < 0 else "") + "\n".join(text.slice(max(a, 0), b + 1 - max(a, 0)).to_pylist())
            for a, b in spans]


class _Events:
    """lxml's C tokeniser (libxml2) driving `_Parser`'s handlers: the same events as
    `html.parser` gives, without its per-character Python scanning."""

    def __init__(self, parser: _Parser) -> None:
        self.parser = parser

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        stack = self.parser.stack
        if (tag == "td" or tag == "th") and stack:  # the common event, handled here: no attribute list
            table = stack[-1]
            if not table.rows:
                table.rows.append([])
            table.cell = _Cell(rowspan=_span(attrib.get("rowspan")), colspan=_span(attrib.get("colspan"))) \
                if attrib else _Cell()
            table.rows[-1].append(table.cell)
        else:
            self.parser.handle_starttag(tag, list(attrib.items()))

    def end(self, tag: str) -> None:
        self.parser.handle_endtag(tag)

    def data(self, data: str) -> None:
        self.parser.handle_data(data)

    def close(self) -> None:
        return None


def _feed(parser: _Parser, text: str, tokeniser: str = "lxml") -> None:
    """Feed the page to `parser` through lxml's tokeniser, or the standard library's
    (`tokeniser='html.parser'`, and wherever lxml is not installed), which gives the same events."""
    try:
        if tokeniser != "lxml":
            raise ImportError(tokeniser)
        from lxml import etree
    except ImportError:
        parser.feed(text)
        parser.close()
        return
    events = etree.HTMLParser(target=_Events(parser), recover=True, no_network=True, remove_comments=True,
                              remove_pis=True)
    events.feed(text)
    events.close()


# ── The tree path: libxml2 builds the tree, two XSLT passes (libxslt, C) write every cell and the
# page text out as one string each, split and cleaned in Arrow. It gives what the event handlers
# above give (tests/loaders/test_load_paths.py); a page it does not cover (a table inside a
# table or inside a skipped element, a cell outside a row, a row inside a cell, text holding the
# private-use characters it marks with) goes through the handlers instead.
_CELL_END, _ROW_END, _TABLE_END, _LINKS, _LINK_END = "\ue002", "\ue003", "\ue004", "\ue005", "\ue006"
_BREAK, _PART_END, _SPANS, _NOT_COVERED = "\ue001", "\ue007", "\ue009", "\ue00b"
_MARKERS = re.compile("[\ue000-\ue00f]")
_MARKER_PREFIX = "\ue000".encode()[:2]
_SKIPPED = "script|style|head|title|noscript"
_CELLS_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/"><xsl:apply-templates select="//table" mode="table"/></xsl:template>
<xsl:template match="table" mode="table"><xsl:if test="ancestor::table or {' or '.join(
    'ancestor::' + t for t in _SKIPPED.split('|'))}">&#xE00B;</xsl:if><xsl:apply-templates mode="rows"/>&#xE004;</xsl:template>
<xsl:template match="tr" mode="rows"><xsl:apply-templates mode="cells"/>&#xE003;&#xE002;</xsl:template>
<xsl:template match="td|th|table|{_SKIPPED}" mode="rows">&#xE00B;</xsl:template>
<xsl:template match="*" mode="rows"><xsl:apply-templates mode="rows"/></xsl:template>
<xsl:template match="text()" mode="rows"/>
<xsl:template match="td|th" mode="cells"><xsl:choose><xsl:when test="*"><xsl:apply-templates
 mode="text"/>&#xE005;<xsl:for-each select=".//a/@href"><xsl:value-of select="."/>&#xE006;</xsl:for-each></xsl:when
><xsl:otherwise><xsl:value-of select="."/>&#xE005;</xsl:otherwise></xsl:choose><xsl:if test="@rowspan or @colspan"
 >&#xE009;<xsl:value-of select="@rowspan"/>&#xE009;<xsl:value-of select="@colspan"/></xsl:if>&#xE002;</xsl:template>
<xsl:template match="tr|table|{_SKIPPED}" mode="cells">&#xE00B;</xsl:template>
<xsl:template match="*" mode="cells"><xsl:apply-templates mode="cells"/></xsl:template>
<xsl:template match="text()" mode="cells"/>
<xsl:template match="text()" mode="text"><xsl:value-of select="."/>&#xE007;</xsl:template>
<xsl:template match="text()[. = '&#10;']" mode="text">&#xE001;</xsl:template>
<xsl:template match="br" mode="text">&#xE001;</xsl:template>
<xsl:template match="p|div|li" mode="text">&#xE001;<xsl:apply-templates mode="text"/>&#xE001;</xsl:template>
<xsl:template match="{_SKIPPED}" mode="text"><xsl:apply-templates mode="skip"/></xsl:template>
<xsl:template match="tr|td|th|table" mode="text">&#xE00B;</xsl:template>
<xsl:template match="*" mode="text"><xsl:apply-templates mode="text"/></xsl:template>
<xsl:template match="text()" mode="skip"/>
<xsl:template match="br" mode="skip">&#xE001;</xsl:template>
<xsl:template match="p|div|li" mode="skip">&#xE001;<xsl:apply-templates mode="skip"/>&#xE001;</xsl:template>
<xsl:template match="tr|td|th|table" mode="skip">&#xE00B;</xsl:template>
<xsl:template match="*" mode="skip"><xsl:apply-templates mode="skip"/></xsl:template>
</xsl:stylesheet>"""
_PAGE_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/"><xsl:apply-templates mode="page"/></xsl:template>
<xsl:template match="text()" mode="page"><xsl:value-of select="."/></xsl:template>
<xsl:template match="br" mode="page"><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="p|div|li" mode="page"><xsl:text>&#10;</xsl:text><xsl:apply-templates mode="page"/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="tr" mode="page"><xsl:text>&#10;</xsl:text><xsl:apply-templates mode="page"/></xsl:template>
<xsl:template match="table" mode="page"><xsl:apply-templates mode="table"/></xsl:template>
<xsl:template match="{_SKIPPED}" mode="page"><xsl:apply-templates mode="skip"/></xsl:template>
<xsl:template match="*" mode="page"><xsl:apply-templates mode="page"/></xsl:template>
<xsl:template match="text()" mode="table"><xsl:value-of select="."/></xsl:template>
<xsl:template match="td|th" mode="table"/>
<xsl:template match="br" mode="table"><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="p|div|li" mode="table"><xsl:text>&#10;</xsl:text><xsl:apply-templates mode="table"/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="*" mode="table"><xsl:apply-templates mode="table"/></xsl:template>
<xsl:template match="text()" mode="skip"/>
<xsl:template match="br" mode="skip"><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="p|div|li" mode="skip"><xsl:text>&#10;</xsl:text><xsl:apply-templates mode="skip"/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="tr" mode="skip"><xsl:text>&#10;</xsl:text><xsl:apply-templates mode="skip"/></xsl:template>
<xsl:template match="*" mode="skip"><xsl:apply-templates mode="skip"/></xsl:template>
</xsl:stylesheet>"""
# Python's `\s` (what `_SPACES` collapses) as an RE2 class; a test checks it against `str.isspace`.
_WHITESPACE = "[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
# What a cell's text must hold for that folding (or the markers' removal) to change it.
_CHANGING = "[\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000" + _PART_END + _BREAK + "]|  "


@cache
def _stylesheets() -> tuple[Any, Any]:
    from lxml import etree
    return etree.XSLT(etree.XML(_CELLS_XSLT)), etree.XSLT(etree.XML(_PAGE_XSLT))


def _page_bytes(data: bytes, file: str) -> bytes:
    """The UTF-8 bytes of `decode_text`'s text of the page (libxml2 reads them faster than a str):
    a UTF-8 page's own bytes, its BOM dropped, which are exactly what its text encodes to (Arrow
    validates them as CPython's strict decoder does, several times faster, without building the
    text); a page in another encoding is decoded (or refused) by `decode_text` and encoded."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    offsets = pa.py_buffer(np.array([0, len(body)], np.int64))
    try:
        pa.LargeBinaryArray.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(body)]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return decode_text(data, file).encode("utf-8")
    return body


def _tree(data: bytes, file: str) -> tuple[list[_Tree], str] | None:
    """The page's tables and page text by the tree path; None where it does not cover the page.
    Raises LoadError(encoding) as `decode_text` does. A page's large plain table is read by the
    table tokeniser (`_fast_tree`), which gives what the cell pass would."""
    try:
        from lxml import etree  # noqa: F401
    except ImportError:
        return None
    utf8 = _page_bytes(data, file)
    # U+E000–E00F are EE 80 80–8F in UTF-8: a byte search (memchr speed) spares nearly every
    # page the regex walk over its whole text.
    if _MARKER_PREFIX in utf8 and _MARKERS.search(utf8.decode("utf-8")):
        return None
    fast = _fast_tree(utf8, file)
    if fast is not None:
        return fast  # (a large page's text is not held while its tree is built)
    written = _written(utf8)
    del utf8
    if written is None:
        return None
    out, page, _ = written
    return _split_tables(out, file), page


def _written(utf8: bytes) -> tuple[bytes, str, Any] | None:
    """What the cell pass writes for a page (UTF-8), its page text and the tree; None where the
    tree path does not cover the page."""
    from lxml import etree
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True,
                              encoding="utf-8")
    try:
        parser.feed(utf8)
        root = parser.close()
    except etree.LxmlError:
        return None
    if root is None:
        return None
    cells_xslt, page_xslt = _stylesheets()
    out = bytes(cells_xslt(root))
    if _NOT_COVERED.encode() in out:
        return None
    return out, str(page_xslt(root)), root


def _split_tables(out: bytes, file: str) -> list[_Tree]:
    """The tables the cell pass wrote, each read from its bytes without a copy."""
    view, end, start, tables = memoryview(out), _TABLE_END.encode(), 0, []
    while (stop := out.find(end, start)) >= 0:
        tables.append(_Tree.of(view[start:stop], file))
        start = stop + len(end)
    return tables


def _utf8(data: memoryview) -> pa.StringArray:
    """UTF-8 bytes (libxslt's output) as a one-value Arrow string array, without a copy."""
    return pa.Array.from_buffers(pa.string(), 1, [None, pa.py_buffer(np.array([0, len(data)], np.int32)),
                                                  pa.py_buffer(data)])


def _cells(written: memoryview) -> tuple[Any, npt.NDArray[np.int64]]:
    """A table's cells (each ended by a cell end, each row by a row end and a cell end), flat, and
    how many cells each row has."""
    import pyarrow.compute as pc

    pieces = pc.split_pattern(_utf8(written), _CELL_END).flatten()
    ends = np.flatnonzero(pc.equal(pieces, _ROW_END).to_numpy(zero_copy_only=False))
    widths = np.diff(np.concatenate([[-1], ends])) - 1
    keep = np.ones(len(pieces), dtype=bool)
    keep[ends] = False
    keep[-1] = False  # the '' after the last cell end
    return pc.filter(pieces, pa.array(keep)), widths


@dataclass
class _Tree:
    """One table of the tree path: rectangular cleaned text columns and the links by row."""
    columns: list[pa.ChunkedArray]
    links: list[list[str]]

    @classmethod
    def of(cls, written: memoryview, file: str) -> _Tree:
        import pyarrow.compute as pc

        flat, widths = _cells(written)
        if not len(widths):
            return cls([], [])
        parts = pc.split_pattern(flat, _LINKS, max_splits=1)
        return cls.of_cells(pc.list_element(parts, 0), pc.list_element(parts, 1), widths, file)

    @classmethod
    def of_cells(cls, text: Any, hrefs: Any, widths: npt.NDArray[np.int64], file: str) -> _Tree:
        """The table of the cells the cell pass wrote, row after row: each cell's text (its nodes
        as written) and its links (each ended by a link end, then any spans); `widths[i]` cells
        in row i (at least one row)."""
        import pyarrow.compute as pc

        # Each text node has its whitespace runs folded to one space (its end marker keeps two
        # nodes' runs apart); a node that is one line break was written as a break, as `_raw_text`
        # reads it; the breaks become line breaks.
        # (Only the cells holding a marker, a run of spaces or another whitespace character change.)
        needs = pc.match_substring_regex(text, _CHANGING)
        if pc.any(needs).as_py():
            some = pc.filter(text, needs)
            some = pc.replace_substring_regex(some, _WHITESPACE, " ")
            some = pc.replace_substring(pc.replace_substring(some, _PART_END, ""), _BREAK, "\n")
            text = pc.replace_with_mask(text, needs, some)
        links = _links(hrefs, file)
        starts = np.concatenate([[0], np.cumsum(widths)])
        spanned = pc.any(pc.match_substring(hrefs, _SPANS)).as_py()
        width, height = int(widths.max()), len(widths)
        if not spanned and (widths == width).all():
            # Cleaning is per cell: the columns are cleaned each on its own (a column of few
            # texts, 所属事项 or dates written 2023年6月1日, cleans each distinct text once).
            columns = [_single_breaks(c) for c in
                       clean_columns([text.take(np.arange(j, height * width, width)) for j in range(width)])[0]]
            grid = [links[k:k + width] for k in range(0, height * width, width)] if width else [[] for _ in widths]
            return cls(columns, grid)
        texts = _single_breaks(clean_columns([text])[0][0])
        if spanned:
            return cls._spanned(texts.to_pylist(), hrefs, links, starts)
        cells = texts.to_pylist()
        grid_text = rectangular([cells[a:b] for a, b in pairwise(starts.tolist())])
        grid_links = rectangular([links[a:b] for a, b in pairwise(starts.tolist())])
        return cls(_columns(grid_text), grid_links)

    @classmethod
    def _spanned(cls, texts: list[str], hrefs: pa.ChunkedArray, links: list[str], starts: Any) -> _Tree:
        """A table with rowspan/colspan: its cells expanded by `_grid`, as the event path does."""
        table = _Table()
        written = iter(hrefs.to_pylist())
        for a, b in pairwise(starts.tolist()):
            row: list[_Cell] = []
            for k in range(a, b):
                rowspan, _, colspan = next(written).partition(_SPANS)[2].partition(_SPANS)
                row.append(_Cell(href=links[k], rowspan=_span(rowspan or None), colspan=_span(colspan or None),
                                 text=texts[k]))
            table.rows.append(row)
        return cls(_columns(_grid(table, lambda c: c.text)), _grid(table, lambda c: c.href))


def _single_breaks(texts: pa.ChunkedArray) -> pa.ChunkedArray:
    """Runs of line breaks in cleaned cells as one line break."""
    import pyarrow.compute as pc

    if pc.any(pc.match_substring(texts, "\n\n")).as_py():
        return pc.replace_substring_regex(texts, r"\n{2,}", "\n")
    return texts


# A cell with one absolute http(s) link and nothing to resolve (`_link` returns it as it is).
_PLAIN_LINK = "^https?://[^" + _WHITESPACE[1:-2] + "?#%\\\\" + _LINK_END + _SPANS + "]*" + _LINK_END + "$"


def _links(hrefs: Any, file: str) -> list[str]:
    """Each cell's link: its first <a href> that is not blank, resolved against the page. A plain
    absolute link is taken as it is in Arrow; the others go through `_link`."""
    import pyarrow.compute as pc

    plain = pc.and_(pc.match_substring_regex(hrefs, _PLAIN_LINK), pc.invert(pc.match_substring(hrefs, "/.")))
    out: list[str] = pc.if_else(plain, pc.utf8_slice_codeunits(hrefs, 0, -1), "").to_pylist()
    other = np.flatnonzero(pc.and_(pc.not_equal(hrefs, ""), pc.invert(plain)).to_numpy(zero_copy_only=False))
    for k, written in zip(other, hrefs.take(pa.array(other, pa.int64())).to_pylist()):
        found = next((h.strip() for h in written.partition(_SPANS)[0].split(_LINK_END) if h.strip()), "")
        out[k] = _link(file, found)
    return out


def _columns(grid: list[list[str]]) -> list[pa.ChunkedArray]:
    """A rectangular grid of cleaned strings as Arrow columns."""
    return [pa.chunked_array([pa.array(list(col), pa.string())]) for col in zip(*grid)]


def _document(file: str, tables: list[_Tree], page_text: str) -> ParsedDocument:
    """The document of a page's tables (those with a filled cell) and its metadata."""
    import pyarrow.compute as pc

    kept = []
    for t in tables:
        if any(pc.any(pc.not_equal(c, "")).as_py() for c in t.columns):
            table = ParsedTable.of_frame(file, None, columns_frame(t.columns), list(range(1, len(t.links) + 1)))
            table.links = t.links
            kept.append(table)
    return ParsedDocument(file, "html", kept, _meta([t.columns for t in tables], clean_text(page_text)))


# ── The table tokeniser: a page's largest table, when it is large and plain, read straight from
# the page's bytes by RE2 kernels (pyarrow.compute) into what the cell pass above writes for it,
# without a tree. The rest of the page (its other tables, its page text, where the table sits)
# still goes through the tree path, with the large table cut out and a placeholder table in its
# place; the placeholder's cell and its text are then swapped for the tokenised table and the
# table's own text outside its cells (the whitespace between its tags, which libxml2 keeps).
# It reads a table only where it knows libxml2 reads it the same way, and declines (the page then
# takes the tree path whole) otherwise: no comment, processing instruction, element whose content
# is not markup (script, style …) or nested table, no rowspan/colspan, no control character,
# every row opened by <tr>, every cell closed by its own end tag, nothing but whitespace between
# cells and rows, and each cell plain text (no '<' or '&') or such text around one
# <a href="…">text</a>. tests/loaders/test_html_fast.py compares it with the tree path on every
# fixture page and on generated tables.
_FAST_MIN_BYTES = 1 << 16  # a smaller table is read by the tree path (it takes milliseconds there)
_FAST_LIBXML = (2, 14)  # the libxml2 release whose reading the tests prove this equal to

# One attribute as libxml2 and this reader both delimit it (a quoted value may hold '>').
_T_ATTR = r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'<>=`]+))?"""
_T_OPEN = re.compile(rf"<table(?:{_T_ATTR})*\s*>".encode(), re.IGNORECASE)
_T_CLOSE = re.compile(rb"</table\s*>", re.IGNORECASE)
_T_TABLE_START = re.compile(rb"<table[\s/>]", re.IGNORECASE)
# What would make libxml2 read the table's bytes otherwise than as tags and text (a comment, a
# processing instruction, an element whose content is not markup, another table …), a span (the
# cell pass writes it), and characters libxml2 may not copy as they are (control characters,
# noncharacters).
_T_NONCHARS = "".join(f"\\x{{{p:x}fffe}}-\\x{{{p:x}ffff}}" for p in range(1, 17))
_T_DECLINE = (r"(?i)<[!?]|</?(?:table|caption|colgroup|col|script|style|textarea|title|xmp|iframe|noembed|"
              r"noframes|noscript|plaintext|template|select|option|optgroup|svg|math|html|head|body|frameset|"
              rf"frame|form|isindex)[\s/>]|<t[dh](?:{_T_ATTR})*\s+(?:rowspan|colspan)[\s=/>]|"
              rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{{fdd0}}-\x{{fdef}}\x{{fffe}}\x{{ffff}}{_T_NONCHARS}]")
# The tags a table may hold, by the bytes after '<' (lowercased): kind, name, end tag.
_T_ROW, _T_ROW_END, _T_TD, _T_TD_END, _T_TH, _T_TH_END, _T_GROUP, _T_A, _T_A_END, _T_OTHER = range(10)
_T_NAMES = ((b"tr", _T_ROW, _T_ROW_END), (b"td", _T_TD, _T_TD_END), (b"th", _T_TH, _T_TH_END),
            (b"thead", _T_GROUP, _T_GROUP), (b"tbody", _T_GROUP, _T_GROUP), (b"tfoot", _T_GROUP, _T_GROUP),
            (b"a", _T_A, _T_A_END))
_T_BARE = sorted((int.from_bytes(f"<{'/' * end}{word.decode()}>".encode(), "little"), kinds[end])
                 for word, *kinds in _T_NAMES for end in (0, 1) if len(word) + 2 + end <= 8)
_T_BARE_KEYS = np.array([k for k, _ in _T_BARE], np.uint64)
_T_BARE_KINDS = np.array([kind for _, kind in _T_BARE])
_T_ELEMENT = re.compile(r"[a-z][a-z0-9]*\Z")
_T_NAME_END = np.zeros(256, dtype=bool)  # what may follow a tag's name: whitespace, '/' or '>'
_T_NAME_END[[9, 10, 12, 32, ord("/"), ord(">")]] = True
# Which structural tag may follow which (a row opened by <tr>, each cell closed by its own end
# tag, groups only between rows); the last row is START → END.
_T_START, _T_END = _T_A, _T_A_END  # (as row/column indices of the table below)
_T_FOLLOWS = np.zeros((9, 9), dtype=bool)
for _prev, _nexts in ((_T_START, (_T_ROW, _T_GROUP, _T_END)), (_T_GROUP, (_T_GROUP, _T_ROW, _T_END)),
                      (_T_ROW, (_T_ROW, _T_ROW_END, _T_TD, _T_TH, _T_END)), (_T_ROW_END, (_T_ROW, _T_GROUP, _T_END)),
                      (_T_TD, (_T_TD_END,)), (_T_TH, (_T_TH_END,)),
                      (_T_TD_END, (_T_TD, _T_TH, _T_ROW, _T_ROW_END, _T_END)),
                      (_T_TH_END, (_T_TD, _T_TH, _T_ROW, _T_ROW_END, _T_END))):
    _T_FOLLOWS[_prev, list(_nexts)] = True
_T_TAG = rf"(?i)^(?:<(?:tr|td|th|thead|tbody|tfoot)(?:{_T_ATTR})*\s*>|</(?:tr|td|th|thead|tbody|tfoot|a)\s*>)$"
_T_LINK = r"""(?i)^<a\s+href="[^"<&\s]*"(?:\s+[a-z][a-z0-9_-]*="[^"<>]*")*\s*>$"""
_T_BLANK = "^[ \t\n]*$"


def _fast_tree(utf8: bytes, file: str) -> tuple[list[_Tree], str] | None:
    """The page's tables and page text as `_tree` gives them, its largest table
    tokenised; None where this does not read the page (the tree path then reads it whole).
    `utf8`: the page's text in UTF-8, without the tree path's markers."""
    from lxml import etree

    if etree.LIBXML_VERSION[:2] != _FAST_LIBXML or len(utf8) < _FAST_MIN_BYTES:
        return None
    span = _fast_largest(utf8)
    if span is None:
        return None
    start, body, end, stop = span
    token = "t" + secrets.token_hex(8)
    while token.encode() in utf8:
        token = "t" + secrets.token_hex(8)
    placeholder = f"<table>{token}w<tr><td>{token}c</td></tr></table>".encode()
    written = _written(utf8[:start] + placeholder + utf8[stop:])
    if written is None:
        return None
    out, page, root = written
    cells = root.xpath("//td[. = $t]", t=f"{token}c")
    if len(cells) != 1 or page.count(f"{token}w") != 1:
        return None
    outer = [e.tag for e in cells[0].iterancestors()][2:]  # the elements the table sits in, innermost first
    if not all(isinstance(t, str) and _T_ELEMENT.match(t) for t in outer) or "a" in outer:
        return None
    mine = f"{token}c{_LINKS}{_CELL_END}{_ROW_END}{_CELL_END}".encode()
    pieces = out.split(_TABLE_END.encode())[:-1]
    if pieces.count(mine) != 1:
        return None
    read = _fast_table(utf8[body:end], file, outer, token)
    if read is None:
        return None
    table, own_text = read
    tables = [table if piece == mine else _Tree.of(memoryview(piece), file) for piece in pieces]
    return tables, page.replace(f"{token}w", own_text)


def _fast_cells(contents: list[memoryview], heads: list[bytes], outer: list[str],
                token: str) -> tuple[Any, Any] | None:
    """What the cell pass writes for cells of any content (text and links, as `_Tree.of_cells`
    takes them), read by libxml2 itself: the cells alone, each in a row of a table inside the
    elements the page's table sits in (`outer`, innermost first), so every tag in them closes
    what it closes there. None unless the table comes out as those rows, one cell each, and
    the elements around it are still open after it."""
    import pyarrow.compute as pc

    opening = "".join(f"<{t}>" for t in reversed(outer)).encode()
    parts: list[bytes | memoryview] = [opening, b"<table>"]
    for head, content in zip(heads, contents):
        parts += (b"<tr><", head, b">", content, b"</", head, b"></tr>")
    parts += (b"</table><b>", token.encode(), b"s</b>")
    written = _written(b"".join(parts))
    if written is None:
        return None
    out, _, root = written
    after = root.xpath("//b[. = $t]", t=f"{token}s")
    if len(after) != 1 or [e.tag for e in after[0].iterancestors()] != outer:
        return None
    tables = out.split(_TABLE_END.encode())
    if len(tables) != 2 or tables[1]:
        return None
    flat, widths = _cells(memoryview(tables[0]))
    if len(widths) != len(contents) or (widths != 1).any():
        return None
    parts = pc.split_pattern(flat, _LINKS, max_splits=1)
    return pc.list_element(parts, 0), pc.list_element(parts, 1)


def _fast_largest(utf8: bytes) -> tuple[int, int, int, int] | None:
    """(start, body start, body end, end) of the page's largest table written <table …> … </table>,
    if it is large; None otherwise."""
    best: tuple[int, int, int, int] | None = None
    at = 0
    while (m := _T_TABLE_START.search(utf8, at)) is not None:
        close = _T_CLOSE.search(utf8, m.end())
        if close is None:
            break
        if best is None or close.start() - m.start() > best[2] - best[0]:
            best = (m.start(), m.start(), close.start(), close.end())
        at = close.end()
    if best is None or best[2] - best[0] < _FAST_MIN_BYTES:
        return None
    opened = _T_OPEN.match(utf8, best[0])
    if opened is None or opened.end() > best[2]:
        return None
    return best[0], opened.end(), best[2], best[3]


def _fast_array(data: bytes) -> pa.Array:
    """UTF-8 bytes as a one-value Arrow string array, without a copy."""
    return _utf8(memoryview(data))


def _fast_table(body: bytes, file: str, outer: list[str], token: str) -> tuple[_Tree, str] | None:
    """The table whose bytes between <table …> and </table> are `body` (inside the elements
    `outer`), and the text it holds outside its cells; None where this reader does not read it.
    Every '<' and the next '>' is a tag (found by numpy on the bytes, structural ones checked by
    RE2 where not bare: <td>, </td> …); the text between tags is sliced out of the bytes as
    Arrow strings without a copy. A cell of plain text, or of plain text around one
    <a href="…">, is written here; any other cell (entities, breaks, inline tags) is read by
    libxml2 alone (`_fast_cells`)."""
    import pyarrow.compute as pc

    if len(body) >= 1 << 31:
        return None
    if b"\r" in body:  # libxml2 reads CR LF and a lone CR as LF, in text and attributes alike
        body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if pc.match_substring_regex(_fast_array(body), _T_DECLINE)[0].as_py():
        return None
    buf = np.frombuffer(body, np.uint8)
    starts = np.flatnonzero(buf == ord("<"))
    ends = np.flatnonzero(buf == ord(">"))
    at = np.searchsorted(ends, starts)  # each tag ends at the first '>' after its '<' …
    if len(starts) and at[-1] >= len(ends):
        return None
    ends = ends[at] + 1
    if (ends[:-1] > starts[1:]).any():  # … before the next '<'
        return None
    kinds, bare = _fast_kinds(buf, starts, ends)
    # Piece 2k is the text before tag k, piece 2k + 1 tag k (Arrow strings over the bytes).
    offsets = np.empty(2 * len(starts) + 2, np.int32)
    offsets[0], offsets[-1] = 0, len(body)
    offsets[1:-1:2], offsets[2:-1:2] = starts, ends
    pieces = pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(body))
    structural = np.flatnonzero(kinds < _T_A)
    check = structural[~bare[structural]]  # a structural tag written other than bare is checked whole
    if len(check) and not pc.all(pc.match_substring_regex(pieces.take(2 * check + 1), _T_TAG)).as_py():
        return None
    order = kinds[structural]
    pairs = np.concatenate([[_T_START], order, [_T_END]])
    if not _T_FOLLOWS[pairs[:-1], pairs[1:]].all():
        return None
    # Cells: a cell tag, the tags inside it, its end tag; nothing but cells holds other tags.
    is_cell = (order == _T_TD) | (order == _T_TH)
    opened = structural[is_cell]
    inner = np.diff(np.append(structural, len(kinds)))[is_cell] - 1
    if len(structural) + inner.sum() != len(kinds):
        return None
    depth = np.cumsum(np.isin(kinds, (_T_TD, _T_TH)).astype(np.int8) - np.isin(kinds, (_T_TD_END, _T_TH_END)))
    inside = np.append(False, depth == 1)  # the texts inside cells (text k precedes tag k)
    text_starts, text_ends = np.append(0, ends), np.append(starts, len(body))
    # The texts between cells and rows: whitespace only, kept as the table's own text.
    lengths = (text_ends - text_starts)[~inside]
    at = np.repeat(text_starts[~inside] - np.cumsum(np.append(0, lengths[:-1])), lengths) + np.arange(lengths.sum())
    between = buf[at]
    if not np.isin(between, (9, 10, 32)).all():
        return None
    own_text = between.tobytes().decode("ascii")
    rows = structural[order == _T_ROW]
    if not len(rows):
        return _Tree([], []), own_text
    widths = np.bincount(np.searchsorted(rows, opened) - 1, minlength=len(rows)).astype(np.int64)
    # Which cells are written here: no entity in their text, and no tag or one plain link.
    amp = np.zeros(len(starts) + 1, dtype=bool)
    amps = np.flatnonzero(buf == ord("&"))  # (an entity: libxml2 decodes it)
    amp[np.searchsorted(text_starts, amps, side="right") - 1] = True
    plain = (inner == 0) & ~amp[opened + 1]
    linked = np.flatnonzero(inner == 2)
    ok = (kinds[opened[linked] + 1] == _T_A) & (kinds[opened[linked] + 2] == _T_A_END) & bare[opened[linked] + 2]
    ok &= ~(amp[opened[linked] + 1] | amp[opened[linked] + 2] | amp[opened[linked] + 3])
    linked = linked[ok]
    if len(linked):
        linked = linked[pc.match_substring_regex(pieces.take(2 * opened[linked] + 3), _T_LINK)
                        .to_numpy(zero_copy_only=False)]
    other = np.ones(len(opened), dtype=bool)
    other[plain] = other[linked] = False
    other = np.flatnonzero(other)
    text = pieces.take(2 * (opened + 1))
    places, values, links = [], [], []
    if len(linked):
        tags = opened[linked]
        sizes = [(text_ends - text_starts)[tags + k] for k in (1, 2, 3)]
        nodes = [pieces.take(2 * (tags + k)) for k in (1, 2, 3)]
        if sizes[0].any() or sizes[2].any() or not sizes[1].all() or \
                ((sizes[1] == 1) & pc.equal(nodes[1], "\n").to_numpy(zero_copy_only=False)).any():
            nodes = [_fast_node(node, size) for node, size in zip(nodes, sizes)]
        else:  # one text node, not a lone line break: written without its part end, it folds the same
            nodes = [nodes[1]]
        quote = np.flatnonzero(buf == ord('"'))
        first = np.searchsorted(quote, starts[tags + 1])  # href is the link's first attribute
        spans = np.empty(2 * len(tags), np.int32)
        spans[0::2], spans[1::2] = quote[first] + 1, quote[first + 1]
        href = pa.StringArray.from_buffers(len(spans) - 1, pa.py_buffer(spans), pa.py_buffer(body))
        places.append(linked)
        values.append(pc.binary_join_element_wise(*nodes, ""))
        links.append(pc.binary_join_element_wise(href.take(np.arange(0, len(href), 2)), _LINK_END, ""))
    if len(other):
        closed = opened[other] + inner[other] + 1
        view = memoryview(body)
        read = _fast_cells([view[a:b] for a, b in zip(ends[opened[other]].tolist(), starts[closed].tolist())],
                           [b"td" if k == _T_TD else b"th" for k in kinds[opened[other]].tolist()], outer, token)
        if read is None:
            return None
        places.append(other)
        values.append(read[0])
        links.append(read[1])
    if places:
        at = np.concatenate(places)
        by = np.argsort(at, kind="stable")
        text = _fast_place(text, at, pa.concat_arrays(values))
        hrefs = _fast_sparse(len(opened), at[by], pa.concat_arrays(links).take(by))
    else:
        hrefs = _fast_sparse(len(opened), np.arange(0), pa.array([], pa.string()))
    return _Tree.of_cells(text, hrefs, widths, file), own_text


def _fast_kinds(buf: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64],
                ends: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The kind of each tag from `starts` (its '<') to `ends` (after its '>'), by the name after
    '<' or '</' (any case) and the character after it (whitespace, '/' or '>'), `_T_OTHER` for
    any other tag; and whether it is bare (<td>, </TD> …: nothing but its name)."""
    padded = np.concatenate([buf, np.zeros(8, np.uint8)])  # zeros past the end
    window = np.lib.stride_tricks.as_strided(padded, shape=(len(buf), 8), strides=(1, 1))[starts]  # 8 bytes from '<'
    low = (window | 0x20).view("<u8").ravel()  # letters lowercased; '<', '/', '>' stay as they are
    sizes = ends - starts
    # A bare tag is its 3 to 8 bytes: looked up at once among the bare forms.
    short = np.minimum(sizes, 8)
    key = low & np.where(short >= 8, np.uint64(2**64 - 1),
                         (np.uint64(1) << (np.uint64(8) * short.astype(np.uint64))) - np.uint64(1))
    found = np.minimum(np.searchsorted(_T_BARE_KEYS, key), len(_T_BARE_KEYS) - 1)
    bare = (_T_BARE_KEYS[found] == key) & (sizes <= 8)
    kinds = np.where(bare, _T_BARE_KINDS[found], _T_OTHER)
    rest = np.flatnonzero(~bare)  # tags with attributes or spaces, by the name after '<' or '</'
    for word, start_kind, end_kind in _T_NAMES:
        for prefix, kind in ((b"<" + word, start_kind), (b"</" + word, end_kind)):
            mask = np.uint64((1 << 8 * len(prefix)) - 1)
            match = (low[rest] & mask) == np.uint64(int.from_bytes(prefix, "little"))
            match &= _T_NAME_END[window[rest, len(prefix)]]
            kinds[rest[match]] = kind
    return kinds, bare


def _fast_place(base: pa.Array, at: npt.NDArray[np.int64], values: pa.Array) -> pa.Array:
    """`base` with `values` in its places `at`."""
    order = np.arange(len(base))
    order[at] = len(base) + np.arange(len(values))
    return pa.concat_arrays([base, values]).take(order)


def _fast_sparse(size: int, at: npt.NDArray[np.int64], values: pa.Array) -> pa.Array:
    """`size` strings, `values` in the places `at` and '' elsewhere, over `values`' bytes."""
    if not len(values):
        return pa.nulls(size, pa.string()).fill_null("")
    offsets = np.frombuffer(values.buffers()[1], np.int32)[values.offset:values.offset + len(values) + 1]
    lengths = np.zeros(size, np.int32)
    lengths[at] = np.diff(offsets)
    out = np.empty(size + 1, np.int32)
    out[0] = offsets[0]
    np.cumsum(lengths, out=out[1:])
    out[1:] += out[0]
    return pa.StringArray.from_buffers(size, pa.py_buffer(out), values.buffers()[2])


def _fast_node(texts: Any, lengths: npt.NDArray[np.int64]) -> Any:
    """Text nodes (of `lengths` bytes) as the cell pass writes them inside a cell with elements:
    none for no text, a break for a node of one line break, else the text and a part end."""
    import pyarrow.compute as pc

    if not lengths.any():
        return texts
    written = pc.binary_join_element_wise(texts, _PART_END, "")
    if (lengths == 0).any() or ((lengths == 1) & pc.equal(texts, "\n").to_numpy(zero_copy_only=False)).any():
        return pc.if_else(pc.equal(texts, ""), "", pc.if_else(pc.equal(texts, "\n"), _BREAK, written))
    return written


def read(data: bytes, file: str, tokeniser: str = "lxml") -> ParsedDocument:
    """Parse an HTML page. Raises LoadError(encoding). `tokeniser`: 'lxml' (the tree path where it
    covers the page, else lxml's events), 'lxml-events' or 'html.parser' (the standard library)."""
    limits.check_html(data, file)  # bounded resources (loaders/limits.py)
    if tokeniser == "lxml":
        tree = _tree(data, file)
        if tree is not None:
            return _document(file, *tree)
    text = decode_text(data, file)
    parser = _Parser()
    _feed(parser, text, "html.parser" if tokeniser == "html.parser" else "lxml")
    while parser.stack:  # unclosed tables still count
        parser.done.append(parser.stack.pop())
    _clean_cells(parser.done)
    grids = [(_grid(t, lambda c: c.text), _grid(t, lambda c: _link(file, c.href))) for t in parser.done]
    return _document(file, [_Tree(_columns(g), links) for g, links in grids], "".join(parser.page_text))
