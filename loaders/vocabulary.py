"""The loaders' recognised words (loaders/vocabulary.toml), read once, and header matching.

`header_key` reduces a header cell to what is compared; `match_field` maps it to a field
using the variants of one section (equal, else the longest variant it starts with).
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

VOCABULARY_TOML = Path(__file__).resolve().parent / "vocabulary.toml"
_BRACKETED = re.compile(r"[\(\[（【〔][^\)\]）】〕]*[\)\]）】〕]")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    with VOCABULARY_TOML.open("rb") as f:
        return tomllib.load(f)


def header_key(text: str) -> str:
    """'公开内容（要素）' -> '公开内容'; full-width folded, no spaces or punctuation, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    stripped = _BRACKETED.sub("", text)
    if not _DROP.sub("", stripped):  # the whole label is bracketed: '[ 发布日期 ]', '【索引号】'
        stripped = text
    return _DROP.sub("", stripped).lower()


@cache
def _variants(section: str) -> tuple[tuple[str, str], ...]:
    node: Any = vocabulary()
    for part in section.split("."):
        node = node[part]
    pairs = [(header_key(v), field) for field, words in node.items() if isinstance(words, list) for v in words]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def match_field(text: str, section: str) -> str | None:
    """The field of `section` (e.g. 'catalog.columns') a header cell names, or None."""
    key = header_key(text)
    if not key:
        return None
    for variant, field in _variants(section):
        if key == variant:
            return field
    for variant, field in _variants(section):
        if key.startswith(variant):
            return field
    return None


def words(section: str, field: str) -> list[str]:
    node: Any = vocabulary()
    for part in section.split("."):
        node = node[part]
    return list(node[field])


@lru_cache(maxsize=1)
def item_path_pattern() -> str:
    """The regex of an item path's separators ('一级/二级', `[items] path_separators`): disclosure
    logs and the crawler split item names on it, at its first match only."""
    return "[" + "".join(re.escape(s) for s in vocabulary()["items"]["path_separators"]) + "]"


def item_path_parts(text: str) -> tuple[str, str]:
    """('一级', '二级') of an item path, ('', text) of a bare name."""
    parts = re.split(item_path_pattern(), text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", text)
