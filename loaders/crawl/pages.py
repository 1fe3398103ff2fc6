"""Shared page helpers of the crawler: the page words (page_words.toml), an HTML-to-blocks
parser (stdlib `html.parser`), dates in text and URLs, canonical URLs and title keys.

`parse_blocks` walks a page once and returns its anchors (href, text, title attribute, the
text of the enclosing list item or table row), its visible text with one line per block
element, its <title> and breadcrumb. Pure functions, no I/O.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

PAGE_WORDS_TOML = Path(__file__).resolve().parent / "page_words.toml"
_BLOCK = {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dd", "dt", "dl",
          "section", "article", "header", "footer", "form"}
_CELL = {"td", "th", "span"}
_SKIP = {"style", "noscript", "head"}
_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"(20\d{2}|19\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_URL_DATES = (re.compile(r"/t(20\d{2})(\d{2})(\d{2})_\d+"), re.compile(r"/(20\d{2})(\d{2})/(\d{2})/"),
              re.compile(r"/(20\d{2})-(\d{2})-(\d{2})/"), re.compile(r"/(20\d{2})(\d{2})(\d{2})/"))
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def page_words() -> dict[str, Any]:
    with PAGE_WORDS_TOML.open("rb") as f:
        return tomllib.load(f)


def word_key(text: str) -> str:
    """A label as compared: NFKC, no spaces, punctuation or brackets."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or ""))


def make_date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def first_date(text: str) -> dt.date | None:
    """The first 2024-03-05 / 2024/3/5 / 2024.3.5 / 2024年3月5日 in `text`."""
    for m in _DATE.finditer(text or ""):
        value = make_date(*m.groups())
        if value:
            return value
    return None


def cn_dates(text: str) -> list[tuple[int, dt.date]]:
    """(offset, date) of every 2023年11月29日 in `text`."""
    out = []
    for m in _CN_DATE.finditer(text or ""):
        value = make_date(*m.groups())
        if value:
            out.append((m.start(), value))
    return out


def url_date(url: str) -> dt.date | None:
    """The date a CMS embeds in an article URL (…/202403/t20240305_12992379.html), or None."""
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        m = pattern.search(path)
        if m:
            value = make_date(*m.groups())
            if value:
                return value
    return None


def canonical_url(base: str, href: str) -> str:
    """Absolute URL without fragment, host lower-cased, default port and empty query dropped."""
    parts = urlsplit(urljoin(base, href.strip()))
    host = (parts.hostname or "").lower()
    port = parts.port
    scheme = parts.scheme.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if "/." in path:  # ./ and ../ segments left in an href
        normal = posixpath.normpath(path)
        path = normal + "/" if path.endswith("/") and not normal.endswith("/") else normal
    return urlunsplit((scheme, host, path, parts.query, ""))


def same_site(url: str, site: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == (urlsplit(site).hostname or "").lower()


def title_key(title: str) -> str:
    """A title as deduplicated: NFKC, no spaces or punctuation."""
    return word_key(title)


@dataclass
class Anchor:
    href: str
    text: str
    title: str
    context: str          # text of the enclosing <li>/<tr> ('' when none)
    before: str = ""      # page text just before the anchor (for 「原文链接：<a>」)


@dataclass
class Blocks:
    anchors: list[Anchor] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    page_title: str = ""
    scripts: list[str] = field(default_factory=list)


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Blocks()
        self.text: list[str] = []
        self.skip = 0
        self.in_title = False
        self.in_script = False
        self.containers: list[tuple[str, int, list[Anchor]]] = []   # (tag, text chunk index, anchors inside)
        self.anchor: tuple[str, str, int] | None = None              # (href, title attr, text chunk index)

    def _offset(self) -> int:
        return len(self.text)  # chunk index: joining from here is linear in what follows

    def _before(self, index: int, size: int = 40) -> str:
        out: list[str] = []
        total = 0
        for chunk in reversed(self.text[:index]):
            out.append(chunk)
            total += len(chunk)
            if total >= size:
                break
        return "".join(reversed(out))[-size:]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "title":
            self.in_title = True
        if tag == "script":
            self.in_script = True
            self.out.scripts.append("")
            return
        if tag in _BLOCK:
            self.text.append("\n")
        elif tag in _CELL:
            self.text.append("\t")
        if tag in ("li", "tr", "dd", "dl"):
            self.containers.append((tag, self._offset(), []))
        if tag == "a":
            a = dict(attrs)
            self.anchor = ((a.get("href") or "").strip(), (a.get("title") or "").strip(), self._offset())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.in_script = False
            return
        if tag == "a" and self.anchor is not None:
            href, title, start = self.anchor
            text = re.sub(r"\s+", " ", "".join(self.text[start:])).strip()
            before = re.sub(r"\s+", " ", self._before(start)).strip()
            anchor = Anchor(href, text, title, "", before)
            self.out.anchors.append(anchor)
            if self.containers:
                self.containers[-1][2].append(anchor)
            self.anchor = None
        if tag in ("li", "tr", "dd", "dl"):
            for i in range(len(self.containers) - 1, -1, -1):
                if self.containers[i][0] == tag:
                    _, start, anchors = self.containers.pop(i)
                    context = re.sub(r"\s+", " ", "".join(self.text[start:])).strip()
                    for a in anchors:
                        a.context = a.context or context
                    if i:
                        self.containers[i - 1][2].extend(anchors)
                    break
        if tag in _BLOCK:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.out.scripts[-1] += data
            return
        if self.skip and not self.in_title:
            return
        if self.in_title:
            self.out.page_title += data
            return
        self.text.append(data)


def parse_blocks(html: str) -> Blocks:
    """Anchors, text lines, <title> and scripts of a page (see module docstring)."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    blocks = parser.out
    raw = unicodedata.normalize("NFKC", "".join(parser.text))
    blocks.lines = [re.sub(r"[ \u3000\xa0]+", " ", line).strip() for line in raw.split("\n")]
    blocks.lines = [line for line in blocks.lines if line.strip()]
    blocks.page_title = re.sub(r"\s+", " ", blocks.page_title).strip()
    return blocks


def breadcrumb(blocks: Blocks) -> list[str]:
    """Segments of the page's breadcrumb (当前位置：首页 > 专题 > 保障性住房 > 配给管理), home dropped."""
    words = page_words()["breadcrumb"]
    markers = [word_key(m) for m in words["markers"]]
    seps = "".join(re.escape(s) for s in words["separators"])
    skip = {word_key(s) for s in words["skip"]}
    for line in blocks.lines:
        head = line.split("：")[0].split(":")[0]
        if any(word_key(head).startswith(m) for m in markers) and re.search(f"[{seps}]", line):
            rest = re.split(r"[:：]", line, maxsplit=1)[-1]
            parts = [p.strip().strip("\t ") for p in re.split(f"[{seps}]", rest)]
            return [p for p in parts if p and word_key(p) not in skip]
    return []
