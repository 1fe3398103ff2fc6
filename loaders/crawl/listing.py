"""Read one list page of a portal column: its entries and where the next pages are.

Pagination styles (issue #15): a static `index.html` with `index_1.html` … announced by a
`createPageHTML(N, cur, "index", "html")` script; a 共N页 / 下一页 pager; records embedded as
CDATA in a `<script type="text/xml"><datastore>…` with a data-proxy URL for the other
groups; and a plain single page. An entry is a link with a date in its list item or row
(`<li><a href="./202403/t20240305_1.html" title="…">…</a><span>[2024-03-05]</span></li>`);
navigation links carry no date and are not entries. Pure functions over text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from loaders.crawl.pages import (
    Blocks,
    breadcrumb,
    canonical_url,
    first_date,
    page_words,
    parse_blocks,
    word_key,
)

_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w\-]+)['\"]"
                          r"\s*,\s*['\"](\w+)['\"]")
_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"].*?\]\]>\s*</nextgroup>", re.DOTALL)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
_PER_PAGE = re.compile(r"perpage\s*[=:]\s*['\"]?(\d+)")
_SKIP_HREF = ("javascript:", "mailto:", "#", "tel:")


@dataclass(frozen=True)
class ListEntry:
    title: str
    url: str                       # canonical absolute URL
    list_date: dt.date | None
    page_url: str                  # the list page it was seen on


@dataclass
class ListPage:
    url: str
    entries: list[ListEntry] = field(default_factory=list)
    more_pages: list[str] = field(default_factory=list)   # further list pages this page announces
    next_page: str | None = None                          # a 下一页 link (followed one by one)
    breadcrumb: list[str] = field(default_factory=list)
    page_title: str = ""


def _entries(blocks: Blocks, page_url: str) -> list[ListEntry]:
    out: list[ListEntry] = []
    for a in blocks.anchors:
        if not a.href or a.href.lower().startswith(_SKIP_HREF) or not a.context:
            continue
        date = first_date(a.context)
        title = a.title or a.text
        if date is None or not title.strip():
            continue
        out.append(ListEntry(re.sub(r"\s+", " ", title).strip(), canonical_url(page_url, a.href), date, page_url))
    return out


def _static_pages(scripts: list[str], page_url: str) -> list[str]:
    for script in scripts:
        m = _CREATE_PAGE.search(script)
        if m:
            count, current, stem, ext = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
            if current != 0:
                return []  # only the first page announces the others
            return [urljoin(page_url, f"{stem}_{n}.{ext}") for n in range(1, min(count, 1000))]
    return []


def _next_link(blocks: Blocks, page_url: str) -> str | None:
    words = {word_key(w) for w in page_words()["pager"]["next"] if word_key(w)}
    for a in blocks.anchors:
        if word_key(a.text) in words and a.href and not a.href.lower().startswith(_SKIP_HREF):
            target = canonical_url(page_url, a.href)
            if target != canonical_url(page_url, ""):
                return target
    return None


def _proxy_pages(script: str, page_url: str, shown: int) -> list[str]:
    """Data-proxy URLs of the record groups after the first (startrecord/endrecord/perpage)."""
    nextgroup = _NEXTGROUP.search(script)
    total = _TOTAL_RECORD.search(script)
    if not nextgroup or not total or shown == 0:
        return []
    per_page = _PER_PAGE.search(script)
    base = canonical_url(page_url, nextgroup.group(1).replace("&amp;", "&"))
    sep = "&" if urlsplit(base).query else "?"
    urls = []
    for start in range(shown + 1, int(total.group(1)) + 1, shown):
        query = {"startrecord": start, "endrecord": start + shown - 1,
                 "perpage": per_page.group(1) if per_page else shown}
        urls.append(base + sep + urlencode(query))
    return urls


def parse_list_page(html: str, page_url: str) -> ListPage:
    """Entries and pagination of one list page (or one data-proxy reply)."""
    records = [r for script in re.findall(r"<datastore>.*?</datastore>", html, re.DOTALL)
               for r in _CDATA_RECORD.findall(script)]
    blocks = parse_blocks(html)
    page = ListPage(page_url, breadcrumb=breadcrumb(blocks), page_title=blocks.page_title)
    if records:
        page.entries = _entries(parse_blocks("<ul>" + "".join(records) + "</ul>"), page_url)
        store = "\n".join(blocks.scripts) or html
        page.more_pages = _proxy_pages(store, page_url, len(records))
        page.entries += [e for e in _entries(blocks, page_url) if e not in page.entries]
        return page
    page.entries = _entries(blocks, page_url)
    page.more_pages = _static_pages(blocks.scripts, page_url)
    if not page.more_pages:
        page.next_page = _next_link(blocks, page_url)
    return page
