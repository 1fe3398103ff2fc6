"""Name normalisation shared by every loader: item names and district names.

`name_key` turns an item name as a district wrote it into the key it is matched on:
NFKC (full-width to half-width), no spaces, punctuation, brackets or leading list numbers,
and short forms replaced by long forms from `data/item_synonyms.csv` (公租房 -> 公共租赁住房).
Pure functions; the synonym list is data, read once.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SYNONYMS_CSV = DATA_DIR / "item_synonyms.csv"
DISTRICTS_CSV = DATA_DIR / "districts.csv"

# Leading enumerators as catalogs write them: "1.", "1、", "(一)", "一、", "①".
_LEADING_NUMBER = re.compile(r"^\s*(?:[\(（]?[0-9一二三四五六七八九十]+[\)）\.、．]|[①-⑳])\s*")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)

# Control characters a cell never means to hold (NUL, BEL, form feed …; not tab or line breaks).
CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL = re.compile(CONTROL_CHARS)

# Blocks of characters Chinese text is made of, searched for the ones NFKC leaves alone.
_STABLE_BLOCKS = ((0xA1, 0xFF), (0x2010, 0x206F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x27BF),
                  (0x3001, 0x303F), (0x3041, 0x30FF), (0xFE30, 0xFE4F))


def _stable(c: int) -> bool:
    ch = chr(c)
    cat = unicodedata.category(ch)
    return not (cat[0] == "M" or cat in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")) and \
        unicodedata.normalize("NFKC", ch) == ch


def _stable_class() -> str:
    """An RE2 class matching any character that NFKC might change once the full-width ASCII
    forms and U+3000 are folded: a cell without one needs no `unicodedata.normalize` (CJK
    ideographs, ASCII, the punctuation above and the kana are left alone by NFKC)."""
    ranges: list[tuple[int, int]] = [(0x20, 0x7E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF)]
    for lo, hi in _STABLE_BLOCKS:
        start = prev = None
        for c in range(lo, hi + 1):
            if _stable(c):
                if start is None:
                    start = prev = c
                elif c == prev + 1:  # type: ignore[operator]
                    prev = c
                else:
                    ranges.append((start, prev))  # type: ignore[arg-type]
                    start = prev = c
        if start is not None:
            ranges.append((start, prev))  # type: ignore[arg-type]
    body = "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    return f"[^\\t\\n\\r{body}]"


NFKC_STABLE_CLASS = _stable_class()

_PLANES_CHECKED = 0x40000  # planes 0-3 hold every assigned character but plane 14's tags and selectors


@lru_cache(maxsize=1)
def unknown_class() -> str:
    """An RE2 class matching any character this Python's Unicode (`unicodedata.unidata_version`)
    does not know: unassigned (Cn) in planes 0-3, and everything above them (plane 14's few
    assigned ones too: `clean_text` is right for those as well). Arrow's NFKC
    (`pc.utf8_normalize`) follows a newer Unicode, and changes some of these (U+1DFCD, new in
    Unicode 15, becomes U+1DF57), where `clean_text` leaves them: a cell holding one is cleaned
    by `clean_text` itself, so both paths agree. Built when first needed (about 0.05 s)."""
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    prev = 0
    for c in range(_PLANES_CHECKED):
        if unicodedata.category(chr(c)) == "Cn":
            start = c if start is None else start
            prev = c
        elif start is not None:
            ranges.append((start, prev))
            start = None
    if start is not None:
        ranges.append((start, prev))
    ranges.append((_PLANES_CHECKED, 0x10FFFF))
    return "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges) + "]"


@lru_cache(maxsize=1)
def synonyms() -> tuple[tuple[str, str], ...]:
    """(short_form, long_form) pairs, longest short form first so replacements do not overlap."""
    with SYNONYMS_CSV.open(encoding="utf-8") as f:
        pairs = [(r["short_form"].strip(), r["long_form"].strip()) for r in csv.DictReader(f)]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def clean_text(value: object) -> str:
    """Cell text as a person reads it: NFKC, unified line breaks, trimmed; '' for None."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", _CONTROL.sub("", str(value))).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def name_key(name: object) -> str:
    """The match key of an item name; '' for a blank name."""
    text = unicodedata.normalize("NFKC", "" if name is None else str(name)).strip()
    text = _LEADING_NUMBER.sub("", text)
    text = _DROP.sub("", text)
    for short, long in synonyms():
        text = text.replace(short, long)
    return text


@lru_cache(maxsize=1)
def district_lookup() -> dict[str, str]:
    """Every accepted spelling of a unit (name, aliases, code) -> its code."""
    lookup: dict[str, str] = {}
    with DISTRICTS_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            spellings = [r["name"], r["code"], *[a for a in r["aliases"].split(";") if a]]
            for s in spellings:
                lookup[_DROP.sub("", unicodedata.normalize("NFKC", s))] = r["code"]
    return lookup


def district_code(name: str) -> str | None:
    """The code of a unit given its name, short name or code; None when unknown."""
    return district_lookup().get(_DROP.sub("", unicodedata.normalize("NFKC", name or "")))
