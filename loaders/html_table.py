"""Read a portal page (stdlib `html.parser`, no bs4/lxml) into its tables and page metadata.

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


def _cell_text(cell: _Cell) -> str:
    # Source line breaks inside markup are layout, not content; only tags break lines.
    text = "".join(p if p == "\n" else re.sub(r"\s+", " ", p) for p in cell.parts)
    return re.sub(r"\n{2,}", "\n", clean_text(text))


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
    meta: dict[str, str] = {}
    for grid in tables:
        for row in grid:
            for i, cell in enumerate(row[:-1]):
                key = labels.get(header_key(cell))
                if key and key not in meta and len(cell) <= 12:
                    value = next((v for v in row[i + 1:] if v and v != cell), "")
                    if value and header_key(value) not in labels:
                        meta[key] = value
    pattern = "|".join(re.escape(w) for ws in vocabulary()["meta"].values() for w in ws)
    for m in re.finditer(rf"({pattern})\s*[:：]\s*([^\s|｜]+)", page_text + "\n" + "\n".join(
            "".join(c for c in row) for grid in tables for row in grid)):
        key = labels[header_key(m.group(1))]
        meta.setdefault(key, m.group(2))
    return meta


def read(data: bytes, file: str) -> ParsedDocument:
    """Parse an HTML page. Raises LoadError(encoding)."""
    limits.check_html(data, file)  # bounded resources (loaders/limits.py)
    parser = _Parser()
    parser.feed(decode_text(data, file))
    parser.close()
    while parser.stack:  # unclosed tables still count
        parser.done.append(parser.stack.pop())
    grids = [(_grid(t, _cell_text), _grid(t, lambda c: urljoin(file, c.href) if c.href else "")) for t in parser.done]
    tables = [ParsedTable(file, None, g, list(range(1, len(g) + 1)), links)
              for g, links in grids if g and any(any(r) for r in g)]
    return ParsedDocument(file, "html", tables, _meta([g for g, _ in grids], clean_text("".join(parser.page_text))))
