"""Streamlit entrypoint of 公开督导台: page config, sign-in gate, navigation.

Run with `streamlit run dashboard.py`. The database is `COMPLIANCE_DB` or
`data/compliance.duckdb`, built from the bundled sample on first use.

Sign-in is real when an account file exists (`COMPLIANCE_USERS`, default `data/users.toml`, made
with `python -m accounts add`): every page and URL shows the 用户名/密码 form until a password
is accepted, and the pages registered are those of the account's role (accounts.scope.PAGE_ROLES).
Without an account file (or without an active account) the app runs in 演示模式: a banner says so,
the first screen is 督导总览 as a supervisor, and a sidebar switch views it as any role or unit.

Pages stay in `pages/` with English file names and are always registered explicitly through
`st.navigation` (titles from `ui_text.pages` / `ui_text.access`), so Streamlit's automatic
`pages/` discovery is never used.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from accounts.scope import DEFAULT_PAGE, PAGE_ROLES
from appkit import scope as access
from appkit.cache import script_run, warm
from appkit.db import database
from appkit.rectification import sidebar_waiting
from appkit.shell import LAYOUT_CSS, active
from appkit.widgets import current_user, demo_banner, sidebar, sign_in_form, today
from scoring.rules import load_rules
from ui_text.access import PAGE_TITLES as ACCESS_TITLES
from ui_text.pages import APP_TITLE, PAGE_TITLES

ROOT = Path(__file__).resolve().parent
TITLES = {**PAGE_TITLES, **ACCESS_TITLES}


def pages_for(role: str | None) -> list[st.Page]:
    """The st.Page objects a role may open (every page for None), in sidebar order. None is the
    default: Streamlit serves the default page at '/' only, so a default 督导总览 made the
    bookmarked /overview an English "Page not found"; `landing` is the default instead."""
    return [st.Page(ROOT / "pages" / f"{u}.py", title=TITLES[u], url_path=u)
            for u, roles in PAGE_ROLES.items() if role is None or role in roles]


def landing(role: str) -> st.Page:
    """The app root '/': opens the role's own first page (区县自查 for a district office …)."""
    target = ROOT / "pages" / f"{DEFAULT_PAGE[role]}.py"

    def start() -> None:
        st.switch_page(target, query_params=st.query_params.to_dict())  # keeps ?as_of= / ?unit=

    return st.Page(start, title=TITLES[DEFAULT_PAGE[role]], url_path="start", default=True)


def navigation(role: str) -> st.Page:
    """Register every page (a bookmark of any page is a known URL: a page the role may not open
    says so in Chinese), but list only the role's own pages in the sidebar."""
    page = st.navigation([landing(role), *pages_for(None)], position="hidden")
    with st.sidebar:
        for own in pages_for(role):
            st.page_link(own)
    return page


# every run inside script_run(): the background warm-up waits until no run (of any session) is under way
with script_run():
    st.set_page_config(page_title=APP_TITLE, layout="wide")
    st.html(LAYOUT_CSS)
    db = database()
    access.resolve(db)
    user = current_user()
    if user is None:
        # Every page's URL stays known (a reload or a shared link is not "page not found"), but
        # whatever page the URL asks for, nobody passes the gate without a password.
        st.navigation([landing("admin"), *pages_for(None)], position="hidden")
        sign_in_form(db)
    else:
        sidebar(db, user)
        user = current_user()  # the demo switch may have changed the role in this run
        sidebar_waiting(db, user)  # what waits for this role (整改跟踪), on every page after sign-in
        page = navigation(user["role"])
        shown_before = st.session_state.get("_shown_role")
        st.session_state["_shown_role"] = user["role"]
        if shown_before is not None and shown_before != user["role"]:  # 演示模式 switched role:
            st.switch_page(ROOT / "pages" / f"{DEFAULT_PAGE[user['role']]}.py")  # open its own first page
        demo_banner(user)
        with active():
            page.run()
        # the default view (today, the default window) warmed in the background once per data version,
        # after this run's own work: the next visitor's 督导总览 and unit pages need no evaluation
        warm(db, today(), load_rules().since_for(today()))
