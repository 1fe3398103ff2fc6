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
    text = unicodedata.normalize("NFKC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
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
