"""Table-driven normalisation of the marks catalogs use: ● required / 〇 optional elements,
■ checked / □ unchecked channel boxes, √ ticks in the 对象/方式/层级 sub-columns.

One mapping from character to meaning (`MARKS`) drives every function here; a new mark
is one new entry, not a new branch in a loader.
"""
from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

import pandas as pd

from loaders.vocabulary import vocabulary


class Mark(str, Enum):
    REQUIRED = "required"    # ● in 公开内容: a required element
    OPTIONAL = "optional"    # 〇 in 公开内容: an optional element
    CHECKED = "checked"      # ■ before a channel: this channel is used
    UNCHECKED = "unchecked"  # □ before a channel: listed but not used
    TICK = "tick"            # √ in a sub-column: that sub-column applies
    CROSS = "cross"          # × in a sub-column: explicitly does not apply


MARKS: dict[str, Mark] = {
    "\u25cf": Mark.REQUIRED,   # ● black circle
    "\u2022": Mark.REQUIRED,   # • bullet, a common substitute
    "\u3007": Mark.OPTIONAL,   # 〇 ideographic zero
    "\u25cb": Mark.OPTIONAL,   # ○ white circle
    "\u25ef": Mark.OPTIONAL,   # ◯ large circle
    "\u25a0": Mark.CHECKED,    # ■ black square
    "\u2611": Mark.CHECKED,    # ☑ ballot box with check
    "\u2612": Mark.CHECKED,    # ☒ ballot box with x (Word's checked box)
    "\u25a1": Mark.UNCHECKED,  # □ white square
    "\u2610": Mark.UNCHECKED,  # ☐ ballot box
    "\u221a": Mark.TICK,       # √ square root, the usual tick
    "\u2713": Mark.TICK,       # ✓
    "\u2714": Mark.TICK,       # ✔
    "\u2705": Mark.TICK,       # ✅
    "v": Mark.TICK,
    "V": Mark.TICK,
    "\u00d7": Mark.CROSS,      # ×
    "\u2717": Mark.CROSS,      # ✗
    "x": Mark.CROSS,
    "X": Mark.CROSS,
}
# A sub-column counts as ticked when its cell carries one of these.
TICKING = frozenset({Mark.TICK, Mark.CHECKED, Mark.REQUIRED})
_TICK_CHARS = "".join(re.escape(c) for c, m in MARKS.items() if m in TICKING)
_BOX_CHARS = "".join(re.escape(c) for c, m in MARKS.items() if m in (Mark.CHECKED, Mark.UNCHECKED))
_OPTIONAL_CHARS = [c for c, m in MARKS.items() if m is Mark.OPTIONAL]
_BOX_ITEM = re.compile(rf"([{_BOX_CHARS}])\s*([^{_BOX_CHARS}]*)")
_ITEM_EDGES = " \t\n;；,，、。/|"
_LIST_SPLIT = re.compile(r"\s*[;；,，、/|\n]+\s*")
CHANNEL_SEPARATOR = "\uff1b"   # ；
TICK_SEPARATOR = "\u3001"      # 、


@lru_cache(maxsize=1)
def _tick_words() -> frozenset[str]:
    return frozenset(vocabulary()["marks"]["tick_words"])


def is_ticked(text: str) -> bool:
    """True when a sub-column cell holds a tick-like mark (√, ✓, ■, ● …) or a tick word (是)."""
    return any(MARKS.get(ch) in TICKING for ch in text) or text.strip() in _tick_words()


def ticked(cells: pd.Series) -> pd.Series:
    """Vectorised `is_ticked` over a column of cell texts."""
    text = cells.fillna("").astype(str)
    return text.str.contains(f"[{_TICK_CHARS}]", regex=True) | text.str.strip().isin(_tick_words())


def channels_text(text: str) -> str:
    """'■政府网站；□政府公报；■公开查阅点' -> '政府网站；公开查阅点'; text without boxes unchanged."""
    items = _BOX_ITEM.findall(text)
    if not items:
        return text
    kept = [label.strip(_ITEM_EDGES) for box, label in items if MARKS[box] is Mark.CHECKED]
    return CHANNEL_SEPARATOR.join(k for k in kept if k)


def content_text(text: str) -> str:
    """Element lists keep their ● / 〇 marks; the optional-mark look-alikes become 〇."""
    for ch in _OPTIONAL_CHARS:
        text = text.replace(ch, "\u3007")
    return text


def list_text(text: str) -> str:
    """'全社会;特定群体' or '全社会，特定群体' -> '全社会、特定群体' (a tick group written as text)."""
    parts = [p.strip("".join(MARKS)).strip() for p in _LIST_SPLIT.split(text.strip())]
    return TICK_SEPARATOR.join(p for p in parts if p)
