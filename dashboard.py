"""Streamlit entrypoint of 公开督导台: page config, sign-in gate, navigation.

Run with `streamlit run dashboard.py`. The database is `COMPLIANCE_DB` or
`data/compliance.duckdb`, built from the bundled sample on first use.

The sign-in is an identity choice, not authentication: the app runs on the bureau's internal
network, and the chosen identity only decides which pages are registered. Bureau supervisors
see every page; a district office sees 区县自查, its own 区县详情 and 标准目录.

Pages stay in `pages/` with English file names and are always registered explicitly through
`st.navigation` (titles from `ui_text.pages`), so Streamlit's automatic `pages/` discovery is
never used.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from appkit.db import database
from appkit.shell import LAYOUT_CSS, active
from appkit.widgets import current_user, sidebar, sign_in_form
from ui_text.pages import APP_TITLE, PAGE_TITLES

ROOT = Path(__file__).resolve().parent

# (file, url_path, roles that see it), in sidebar order.
PAGES: list[tuple[str, str, tuple[str, ...]]] = [
    ("pages/overview.py", "overview", ("bureau",)),
    ("pages/trend.py", "trend", ("bureau",)),
    ("pages/milestones.py", "milestones", ("bureau",)),
    ("pages/district_detail.py", "district_detail", ("bureau", "district")),
    ("pages/self_check.py", "self_check", ("bureau", "district")),
    ("pages/report.py", "report", ("bureau",)),
    ("pages/catalog.py", "catalog", ("bureau", "district")),
    ("pages/data_admin.py", "data_admin", ("bureau",)),
    ("pages/crawl.py", "crawl", ("bureau",)),
]
DEFAULT_PAGE = {"bureau": "overview", "district": "self_check"}


def pages_for(role: str) -> list[st.Page]:
    """The st.Page objects a role may open; its default page is marked default."""
    return [st.Page(ROOT / f, title=PAGE_TITLES[u], url_path=u, default=(u == DEFAULT_PAGE[role]))
            for f, u, roles in PAGES if role in roles]


st.set_page_config(page_title=APP_TITLE, layout="wide")
st.html(LAYOUT_CSS)
db = database()
user = current_user()
if user is None:
    # Every page's URL stays known (a reload or a shared link is not "page not found"), but
    # whatever page the URL asks for, nobody passes the gate without choosing an identity.
    st.navigation(pages_for("bureau"), position="hidden")
    sign_in_form(db)
else:
    sidebar(db, user)
    page = st.navigation(pages_for(user["role"]))
    with active():
        page.run()
