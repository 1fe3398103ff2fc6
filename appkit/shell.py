"""Every page runs inside the app shell (dashboard.py): sign-in gate, sidebar, navigation.

Why this exists: the pages live in `pages/`, and Streamlit treats a `pages/` folder next to the
entrypoint as a legacy multipage app until the first `st.navigation` call of the process (and
AppTest resets that on every run). In that mode a URL such as `/overview` runs
`pages/overview.py` directly, without dashboard.py, so the sign-in gate would be skipped. Each
page therefore starts with `enter_page()`: when the shell is not active in this script run, it
runs dashboard.py (which registers the navigation and runs the requested page inside the shell)
and stops the direct run.
"""
from __future__ import annotations

import datetime as dt
import runpy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from appkit.db import Db, database
from appkit.widgets import current_user, no_data_notice, period, sample_banner
from ui_text.pages import NO_ACCESS, PAGE_TITLES

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
# Narrower side padding than Streamlit's wide layout (5rem): at 1280 px with the sidebar open the
# main area is 940 px (appkit.grids.MAIN_PX), enough for the ranking's and the milestones' columns.
# Static tables (st.table) are where long text is read in full: Streamlit caps each cell at 25rem
# and never breaks a long URL, so a 公开依据 column stopped at 400 px and a source link was cut at
# the cell edge. Cells may take the table's whole width and break anywhere when they must; a cell
# styled `white-space: nowrap` (appkit.grids: dates, counts, statuses) keeps to one line; a header
# keeps at least two characters on a line (a two-character 批次 no longer stands one per line); a row
# label (公开内容, 2020年9月底目录编制节点) stays on one line.
LAYOUT_CSS = ("<style>[data-testid='stMainBlockContainer']"
              "{padding-left: 1.25rem; padding-right: 1.25rem; max-width: 100%;}"
              "[data-testid='stTable'] td {white-space: normal;}"
              "[data-testid='stTable'] th {min-width: 3.4em;}"
              "[data-testid='stTable'] tbody th [data-testid='stMarkdownContainer'] p {white-space: nowrap;}"
              "[data-testid='stTable'] td > [data-testid='stMarkdownContainer'],"
              "[data-testid='stTable'] td > [data-testid='stMarkdownContainer'] p"
              "{max-width: none; overflow-wrap: anywhere; white-space: inherit;}</style>")
_run = threading.local()  # Streamlit runs each session's script in one thread at a time


@contextmanager
def active() -> Iterator[None]:
    """Mark the shell as running for the page dashboard.py is about to run."""
    _run.active = True
    try:
        yield
    finally:
        _run.active = False


def enter_page(bureau_only: bool = False, roles: tuple[str, ...] | None = None) -> tuple[Db, dict[str, Any]]:
    """The database and the signed-in user for a page; stops the page for a user without access.

    `bureau_only` admits admin and bureau; `roles` names the roles admitted exactly. The user dict
    is rebuilt from the account file on every run (`appkit.scope`), never read from session state."""
    if not getattr(_run, "active", False):
        runpy.run_path(str(DASHBOARD), run_name="__main__")
        st.stop()
    user = current_user()
    allowed = roles or (("admin", "bureau") if bureau_only else ("admin", "bureau", "district"))
    if user is None or user.get("role") not in allowed:
        st.error(NO_ACCESS)
        st.stop()
    return database(), user


def bureau_page(page: str, caption: str, *, show_since: bool = True,
                notice: bool = True) -> tuple[Db, dict[str, Any], dt.date, dt.date]:
    """The head every bureau page (督导总览, 里程碑, 趋势) starts with: `enter_page(bureau_only=True)`,
    the title `PAGE_TITLES[page]`, `caption`, the sample banner, the committed period (the window
    start field only when `show_since`) and, when `notice`, the no-data notice. Returns
    (db, user, as_of, since)."""
    db, user = enter_page(bureau_only=True)
    st.title(PAGE_TITLES[page])
    st.caption(caption)
    sample_banner(db)
    as_of, since = period(show_since=show_since)
    if notice:
        no_data_notice(db)
    return db, user, as_of, since
