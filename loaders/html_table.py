"""Read a portal page (lxml's libxml2 tokeniser, stdlib `html.parser` without it; no bs4) into its
tables and page metadata.

Every <table> becomes a `ParsedTable` (nested layout tables included; the catalog or log
normaliser picks the one whose header it recognises). rowspan/colspan repeat the cell's
text over the cells they cover; <br>, <p> and <div> inside a cell become line breaks.
Page metadata (发布日期, 成文日期, 文号, 备案日期) is read from label/value cell pairs and from
「标签：值」 text anywhere on the page.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from loaders import limits
from loaders.detect import decode_text
from loaders.model import ParsedDocument, ParsedTable, rectangular
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


def _meta(tables: list[list[list[str]]], page_text: str) -> dict[str, str]:
    labels = {header_key(w): key for key, ws in vocabulary()["meta"].items() for w in ws}
    keys: dict[str, str | None] = {}  # header_key of each distinct short cell, once
    meta: dict[str, str] = {}
    for grid in tables:
        for row in grid:
            for i, cell in enumerate(row[:-1]):
                if len(cell) > 12:
                    continue
                key = keys.get(cell, "")
                if key == "":
                    key = keys[cell] = labels.get(header_key(cell))
                if key and key not in meta:
                    value = next((v for v in row[i + 1:] if v and v != cell), "")
                    if value and header_key(value) not in labels:
                        meta[key] = value
    pattern = "|".join(re.escape(w) for ws in vocabulary()["meta"].values() for w in ws)
    for m in re.finditer(rf"({pattern})\s*[:：]\s*([^\s|｜]+)", page_text + "\n" + "\n".join(
            "".join(c for c in row) for grid in tables for row in grid)):
        key = labels[header_key(m.group(1))]
        meta.setdefault(key, m.group(2))
    return meta


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


def read(data: bytes, file: str, tokeniser: str = "lxml") -> ParsedDocument:
    """Parse an HTML page. Raises LoadError(encoding)."""
    limits.check_html(data, file)  # bounded resources (loaders/limits.py)
    parser = _Parser()
    _feed(parser, decode_text(data, file), tokeniser)
    while parser.stack:  # unclosed tables still count
        parser.done.append(parser.stack.pop())
    _clean_cells(parser.done)
    grids = [(_grid(t, lambda c: c.text), _grid(t, lambda c: _link(file, c.href))) for t in parser.done]
    tables = [ParsedTable(file, None, g, list(range(1, len(g) + 1)), links)
              for g, links in grids if g and any(any(r) for r in g)]
    return ParsedDocument(file, "html", tables, _meta([g for g, _ in grids], clean_text("".join(parser.page_text))))
