"""Nothing on a page is cut at 1280 px (issue #11 item 6), checked on what the pages hand to Streamlit.

Every page, as the bureau (区县详情 and 区县自查 on 新密市, a unit with gaps), the admin (数据管理, 审计日志)
and 新密市's own office, at the page tests' TODAY and at 2026-11-25 (when 新密市 has overdue pending items):
- every data grid: each visible column is at least as wide as its longest displayed cell and its
  header (measured as appkit.grids measures: 14 px a CJK character, 7 px a Latin one, plus padding),
  and the columns together fit the main area at 1280 px with the sidebar open (940 px);
- every static table (st.table, whose cells wrap): no cell reads None/NaN/NaT, so a blank says —.
Row heights are checked in the browser (tests/pages/test_page_browser.py): AppTest does not carry them.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from page_helpers import ADMIN, BUREAU, TODAY, XINMI, open_page
from streamlit.testing.v1 import AppTest

from appkit.grids import CELL_PAD, MAIN_PX, SELECT_PX, text_px

LATE_TODAY = dt.date(2026, 11, 25)
NAMED_WIDTHS = {"small": 75, "medium": 200, "large": 400}
PAGES = {
    "bureau": ["overview", "trend", "milestones", "district_detail", "self_check", "report", "catalog", "rounds",
               "rectification", "crawl", "findings"],
    "admin": ["data_admin", "audit"],
    "district": ["self_check", "district_detail", "catalog", "rounds", "rectification"],
}
USERS = {"bureau": BUREAU, "admin": ADMIN, "district": {"role": "district", "district_code": XINMI}}
LEAKS = {"None", "nan", "NaN", "NaT", "<NA>"}


def shown_text(value: object, conf: dict) -> str:
    """A cell as the grid draws it (its printf format for numbers; ISO dates)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    fmt = conf.get("type_config", {}).get("format")
    if isinstance(value, int | float) and not isinstance(value, bool) and fmt and "%" in fmt:
        return fmt % value
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def grid_problems(element) -> list[str]:
    frame: pd.DataFrame = element.value
    config = json.loads(element.proto.columns or "{}")
    order = list(element.proto.column_order) or [str(c) for c in frame.columns]
    selectable = bool(element.proto.selection_mode)
    total, found = SELECT_PX if selectable else 0, []
    for column in order:
        conf = config.get(column, {})
        if conf.get("hidden") or column not in frame.columns:
            continue
        header = conf.get("label") or column
        need = CELL_PAD + max([text_px(header), *(text_px(shown_text(v, conf)) for v in frame[column])])
        width = conf.get("width")
        width = NAMED_WIDTHS.get(width, width) if width is not None else need  # unset: sized to content
        if width < need:
            found.append(f"{header}: {width} px shows {need} px of text")
        total += width
    if total > MAIN_PX:
        found.append(f"columns are {total} px wide, the main area {MAIN_PX} px at 1280 px")
    return found


def table_problems(element) -> list[str]:
    frame: pd.DataFrame = element.value
    cells = {str(v) for column in frame.columns for v in frame[column]}
    return [f"cell {c!r}" for c in sorted(cells & LEAKS)]


CASES = [(role, page) for role, pages in PAGES.items() for page in pages]


@pytest.mark.parametrize("today", [TODAY, LATE_TODAY], ids=["today", "late_today"])
@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_every_table_shows_its_full_text_at_1280_px(monkeypatch: pytest.MonkeyPatch, pages_db: Path, role: str,
                                                    page: str, today: dt.date) -> None:
    at = open_page(monkeypatch, pages_db, page, USERS[role], today)
    problems = [f"grid {i}: {p}" for i, g in enumerate(at.dataframe) for p in grid_problems(g)]
    problems += [f"table {i}: {p}" for i, t in enumerate(at.table) for p in table_problems(t)]
    assert problems == []


def test_the_check_catches_a_cut_column() -> None:
    """The checker itself: a 60 px column of a 12-character name, and twelve 100 px columns."""
    cut = AppTest.from_string(
        "import pandas as pd, streamlit as st\n"
        "st.dataframe(pd.DataFrame({'单位': ['郑州航空港经济综合实验区']}), hide_index=True,\n"
        "             column_config={'单位': st.column_config.Column('单位', width=60)})\n").run()
    assert grid_problems(cut.dataframe[0]) == [f"单位: 60 px shows {CELL_PAD + 12 * 14} px of text"]
    wide = AppTest.from_string(
        "import pandas as pd, streamlit as st\n"
        "f = pd.DataFrame({f'列{i}': ['甲'] for i in range(12)})\n"
        "st.dataframe(f, column_config={c: st.column_config.Column(c, width=100) for c in f.columns})\n").run()
    assert grid_problems(wide.dataframe[0]) == [f"columns are 1200 px wide, the main area {MAIN_PX} px at 1280 px"]
    blank = AppTest.from_string("import pandas as pd, streamlit as st\nst.table(pd.DataFrame({'甲': [None]}))\n").run()
    assert table_problems(blank.table[0]) == ["cell 'None'"]
