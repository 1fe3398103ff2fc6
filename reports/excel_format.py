"""The formats of the Excel exports, in one place: number formats, the font, widths and caps,
row heights of wrapped text, A4 print scale, grade colours, the display width of text, and
the prefixes that make a cell a formula. `reports.xlsx` (the one workbook writer, used by the
通报, the gap list, the 复评对比 and the pages' table downloads) writes with them; the tests
read the files back against them. No openpyxl here, no database and no Streamlit.
"""
from __future__ import annotations

import functools
import gc
import unicodedata
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ui_text import excel as text

PERCENT = "0.0%"  # one decimal, as the pages show percentages (appkit.tables.PERCENT_FORMAT)
SCORE = "0.00"
INTEGER = "0"
FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_MAX_ROWS = 1_048_576
MIN_WIDTH = 6
MAX_WIDTH = 60

# One East-Asian font in every cell (charset 134 = GB2312 tells Excel/WPS it is a Chinese font), so
# every office opens and prints the workbook the same way instead of each falling back its own way.
FONT_NAME = text.FONT_NAME  # 等线
FONT_SIZE = 11
FONT_CHARSET = 134
# Printed text stays at least 9 pt: a sheet is fitted to one page width only while that keeps
# 11 pt text at ≥ 9 pt (scale ≥ 82 %); a wider one prints at 82 % across as many pages as needed.
MIN_PRINT_PT = 9
MIN_SCALE = -(-MIN_PRINT_PT * 100 // FONT_SIZE)  # 82
# A4 landscape minus 0.4" side margins, in pixels at 96 dpi; a column of width w takes ~7w + 5 px.
PRINT_WIDTH_PX = int((11.69 - 2 * 0.4) * 96)
# Row height per wrapped line (points): CJK fonts (等线, 宋体, Noto Sans CJK in LibreOffice) need
# ~1.4 × 11 pt; Excel, WPS and LibreOffice do not grow rows themselves for a file's wrapped cells.
LINE_HEIGHT = 15.6
ROW_PADDING = 3.0

# Fill per grade id: 优秀 green, 良好 blue, 合格 yellow, 不合格 red (Excel's own "good/bad" tints).
GRADE_COLOURS = {"excellent": "C6EFCE", "good": "DDEBF7", "pass": "FFEB9C", "fail": "FFC7CE"}
# Bands with other ids, by position (the lowest is always GRADE_COLOURS["fail"]).
GRADE_BY_POSITION = ("C6EFCE", "DDEBF7", "FFEB9C", "FCE4D6")


class _CharWidths(dict[str, int]):
    """Character → display width, looked up once per distinct character."""

    def __missing__(self, ch: str) -> int:
        width = 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        self[ch] = width
        return width


_CHAR_WIDTHS = _CharWidths()


@functools.lru_cache(maxsize=65536)
def display_width(value: str) -> int:
    """Terminal-style display width: East Asian wide/fullwidth characters count 2, others 1.

    'abc' → 3, '中文' → 4, 'A中' → 3. Combining marks count 0.
    """
    if value.isascii():
        return len(value)
    return sum(map(_CHAR_WIDTHS.__getitem__, value))


P = ParamSpec("P")
R = TypeVar("R")


def gc_paused(build: Callable[P, R]) -> Callable[P, R]:
    """Run `build` without cyclic garbage collection: a national report is 10⁶ cells, and the
    collector passes their allocation triggers cost more than writing them."""
    @functools.wraps(build)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return run
