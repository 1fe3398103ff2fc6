"""Read one article page: its metadata block, signature date, 原文链接 and attachments.

The metadata appears in three forms on real portals (issue #15): bracketed labels
(`[ 索引号 ] 1150024100913825XR/2024-00047`), inline pairs on one line
(`发布日期:2024-07-09 信息来源:凌源市`), and a table of label/value cells. All three are
read from the page's text lines, where table cells are separated by tabs. When no field
gives 成文日期, the signature date at the end of the body (a line that is only
「2023年11月29日」) is used. 文号 spacing is normalised (「豫政办 〔2020〕5号」 → 「豫政办〔2020〕5号」).
Pure functions, no I/O.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from loaders.crawl.pages import (
    Blocks,
    canonical_url,
    cn_dates,
    first_date,
    page_words,
    parse_blocks,
    word_key,
)

_YEAR_BRACKETS = re.compile(r"[\[［【(（〔]\s*((?:19|20)\d{2})\s*[\]］】)）〕]")


@dataclass
class Article:
    title: str = ""
    published_on: dt.date | None = None
    formed_on: dt.date | None = None           # 成文日期 field
    signature_date: dt.date | None = None      # the date under the body's signature
    index_no: str | None = None
    publisher: str | None = None
    document_no: str | None = None
    source_link: str | None = None             # 原文链接
    attachments: list[tuple[str, str]] = field(default_factory=list)   # (url, link text)
    fields: dict[str, str] = field(default_factory=dict)               # every label found, raw

    @property
    def written_on(self) -> dt.date | None:
        """成文日期: the field, else the signature date."""
        return self.formed_on or self.signature_date


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[str, str], ...]:
    """(label key, field), longest first so 发布机构 is not read as 发布…"""
    pairs = [(word_key(w), f) for f, ws in page_words()["labels"].items() for w in ws]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    spelled = sorted({w for ws in page_words()["labels"].values() for w in ws}, key=len, reverse=True)
    # a label, optionally in brackets, then a colon or a closing bracket
    alternatives = "|".join(r"\s*".join(map(re.escape, w.replace(" ", ""))) for w in spelled)
    return re.compile(rf"[\[［【]?\s*({alternatives})\s*[\]］】]?\s*[:：]?")


def _field_of(label: str) -> str | None:
    key = word_key(label)
    for k, f in _labels():
        if key == k:
            return f
    return None


def normalise_document_no(text: str) -> str:
    """「豫政办 〔2020〕5号」, 「豫政办[2020]5号」 → 「豫政办〔2020〕5号」."""
    text = re.sub(r"\s+", "", text)
    return _YEAR_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)


def _pairs(line: str) -> list[tuple[str, str]]:
    """(field, value) pairs of one text line holding labels and values (any of the three forms).

    A label counts only where it stands as one: at the start of the line or a cell (or after a
    space or an opening bracket), and followed by a colon, a closing bracket, a cell break or
    the end of the line — so 「房源来源于…」 in a sentence is not a 来源 field."""
    accepted: list[tuple[re.Match[str], str]] = []
    for m in _label_pattern().finditer(line):
        f = _field_of(m.group(1))
        if f is None:
            continue
        start_ok = m.start() == 0 or m.start(1) > m.start() or line[m.start() - 1] in "\t [［【"
        gap = line[m.end(1):m.end()]
        end_ok = bool(gap.strip()) or "\t" in gap or m.end() == len(line) or line[m.end()] == "\t"
        if start_ok and end_ok:
            accepted.append((m, f))
    out: list[tuple[str, str]] = []
    for i, (m, f) in enumerate(accepted):
        end = accepted[i + 1][0].start() if i + 1 < len(accepted) else len(line)
        value = line[m.end():end].strip(" \t[［【")
        out.append((f, value.split("\t")[0].strip()))
    return out


def _meta_fields(blocks: Blocks) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in blocks.lines:
        if len(line) > 400:
            continue  # body paragraphs, not a metadata block
        for f, value in _pairs(line):
            if value and f not in found:
                found[f] = value
    return found


def _signature_date(blocks: Blocks, published: dt.date | None) -> dt.date | None:
    """The last line that is only a 年月日 date (the signature), ignoring the metadata lines."""
    for line in reversed(blocks.lines):
        stripped = re.sub(r"[\s（()）]", "", line)
        dates = cn_dates(stripped)
        if len(dates) == 1 and dates[0][0] == 0 and re.fullmatch(r"(19|20)\d{2}年\d{1,2}月\d{1,2}日", stripped):
            return dates[0][1]
    return None


def attachment_ext(url: str) -> str | None:
    """The file extension of an attachment link: of its path, else of a query value
    (`downfile.jsp?filename=catalog.pdf`); None when it names no attachment type."""
    exts: tuple[str, ...] = tuple(page_words()["attachments"]["extensions"])
    parts = urlsplit(url)
    for candidate in [parts.path, *(v for _, v in parse_qsl(parts.query))]:
        lowered = candidate.lower()
        for ext in sorted(exts, key=len, reverse=True):
            if lowered.endswith(ext):
                return str(ext)
    return None


def _attachments(blocks: Blocks, page_url: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for a in blocks.anchors:
        if not a.href or a.href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        if attachment_ext(a.href):
            url = canonical_url(page_url, a.href)
            if url not in [u for u, _ in out]:
                out.append((url, a.text or a.title))
    return out


def _source_link(blocks: Blocks, page_url: str, fields: dict[str, str]) -> str | None:
    labels = [word_key(w) for w in page_words()["labels"]["source_link"]]
    for a in blocks.anchors:
        if a.href and any(word_key(a.before).endswith(k) or word_key(a.text).startswith(k) for k in labels):
            return canonical_url(page_url, a.href)
    value = fields.get("source_link", "")
    m = re.search(r"https?://\S+", value)
    return m.group(0) if m else None


def parse_article(html: str, page_url: str, list_title: str = "") -> Article:
    """The metadata of one article page (see module docstring)."""
    blocks = parse_blocks(html)
    fields = _meta_fields(blocks)
    art = Article(fields=fields)
    heading = next((line for line in blocks.lines if list_title and word_key(line) == word_key(list_title)), "")
    art.title = heading or list_title or blocks.page_title
    art.published_on = first_date(fields.get("published_on", ""))
    art.formed_on = first_date(fields.get("formed_on", ""))
    art.index_no = fields.get("index_no", "").split(" ")[0] or None
    art.publisher = fields.get("publisher") or None
    if fields.get("document_no"):
        art.document_no = normalise_document_no(fields["document_no"]) or None
    art.signature_date = _signature_date(blocks, art.published_on)
    art.attachments = _attachments(blocks, page_url)
    art.source_link = _source_link(blocks, page_url, fields)
    return art
