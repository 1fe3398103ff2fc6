"""Shared widgets: the sign-in form, the sidebar (user, 演示模式 switch, live/round picker, 退出),
the period pickers and role checks.

Who is signed in is decided by `appkit.scope.resolve` from the account file, never from session
state; `current_user()` is that scope as a dict `{"username", "role", "district_code", "demo"}`.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from appkit import scope as access
from appkit.cache import view
from appkit.db import Db
from scoring.rules import load_rules
from ui_text.access import DEMO, ROLE_LABELS, ROUND_STATUS, SIGN_IN
from ui_text.access import SIDEBAR as ACCESS_SIDEBAR
from ui_text.common import date_text
from ui_text.pages import APP_SUBTITLE, APP_TITLE, NO_DATA, NO_DATA_BUREAU, PERIOD, SIDEBAR

BEIJING = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    """The default as-of date: env COMPLIANCE_TODAY (YYYY-MM-DD, for repeatable tests) or today
    in Beijing (the server's clock is often UTC, eight hours behind: before 08:00 Beijing time
    its date would still be yesterday's)."""
    fixed = os.environ.get("COMPLIANCE_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.datetime.now(BEIJING).date()


def current_user() -> dict[str, Any] | None:
    """The signed-in scope of this run as a dict, or None before sign-in."""
    scope = access.current()
    return None if scope is None else scope.as_user()


# 督导总览's "查看单位详情" picker lists every unit shown. Above this many it sits in a popover whose
# content is built only when opened: a select box of 3,000 options cost the browser's main thread
# about 0.5 s before the ranking table above it was drawn (national scale, README 真实浏览器首屏,
# 第四轮); a click on any row of the table opens a unit as before.
UNIT_PICKER_MAX = 60


def unit_names(db: Db) -> dict[str, str]:
    """code -> name of the 16 units, in the bureau's order."""
    frame = view(db, "districts")
    return dict(zip(frame["code"], frame["name"]))


def sign_in_form(db: Db) -> None:
    """The password form (用户名、密码、登录) shown before sign-in on every page and URL."""
    st.title(APP_TITLE)
    st.caption(APP_SUBTITLE)
    message = access.flash()
    if message:
        st.warning(message)
    with st.form("sign_in"):
        st.subheader(SIGN_IN["heading"])
        username = st.text_input(SIGN_IN["username"], key="sign_in_username")
        password = st.text_input(SIGN_IN["password"], type="password", key="sign_in_password")
        submitted = st.form_submit_button(SIGN_IN["submit"], type="primary")
    if _sso_configured():
        st.button(SIGN_IN["sso"], key="sign_in_sso", on_click=st.login)
    st.caption(SIGN_IN["note"])
    if submitted:
        error = access.sign_in(username, password)
        if error:
            st.error(error)
            return
        linked = st.query_params.get("unit")
        if linked in unit_names(db):  # a shared detail link keeps its unit through the gate
            st.session_state["unit"] = linked
        st.rerun()


def _sso_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login (OIDC)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _keep(widget_key: str, state_key: str) -> None:
    # Widget state does not survive a page switch; the choice is kept under a key of its own.
    st.session_state[state_key] = st.session_state[widget_key]


def _demo_switch(db: Db) -> None:
    """演示模式: view as any role or unit (appkit.scope reads demo_role / demo_unit)."""
    scope = access.require()
    roles = list(ROLE_LABELS)
    st.selectbox(DEMO["switch"], roles, format_func=ROLE_LABELS.get, key="_demo_role", index=roles.index(scope.role),
                 on_change=_keep, args=("_demo_role", "demo_role"))
    if scope.role == "district":
        names = unit_names(db)
        st.selectbox(DEMO["unit"], list(names), format_func=names.get, key="_demo_unit",
                     index=list(names).index(scope.district), on_change=_keep, args=("_demo_unit", "demo_unit"))


def _round_picker(db: Db) -> None:
    """实时评估 or one of the rounds this scope may open; every page then shows that choice."""
    found = access.rounds(db)
    chosen = access.selected_round(db)
    if not found:
        return
    labels = {r.id: ACCESS_SIDEBAR["round_option"].format(name=r.name, as_of=r.as_of, status=ROUND_STATUS[r.status])
              for r in found}
    options = [None, *labels]
    st.selectbox(ACCESS_SIDEBAR["source"], options, key="_view_round",
                 index=options.index(chosen.id if chosen else None),
                 format_func=lambda v: labels.get(v, ACCESS_SIDEBAR["live"]),
                 on_change=_keep, args=("_view_round", access.ROUND_KEY))


def sidebar(db: Db, user: dict[str, Any]) -> None:
    """Who is signed in, the demo switch (演示模式 only), live/round picker, 示例数据 badge, 退出."""
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        if user.get("demo"):
            _demo_switch(db)
        else:
            st.caption(ACCESS_SIDEBAR["signed_in_as"].format(user=user["username"], role=ROLE_LABELS[user["role"]]))
        if user.get("district_code"):
            st.caption(SIDEBAR["signed_in_unit"].format(unit=unit_names(db).get(user["district_code"], "")))
        _round_picker(db)
        if view(db, "is_sample"):
            st.badge(SIDEBAR["sample_badge"], color="orange", help=SIDEBAR["sample_note"])
        # the database path is for the data steward only: 数据管理 shows it (数据文件位置)
        if not user.get("demo"):
            st.button(SIDEBAR["sign_out"], key="sign_out", on_click=access.sign_out)


def demo_banner(user: dict[str, Any]) -> None:
    if user.get("demo"):
        st.info(DEMO["banner"])


def for_role(texts: dict[str, str], key: str, role: str | None) -> str:
    """The wording of `key` for the reader's role: `key_bureau` / `key_district` where the hint
    differs (only the data steward, admin, opens 数据管理), else `key` itself."""
    return texts.get(f"{key}_{role}", texts[key]) if role and role != "admin" else texts[key]


def no_data_notice(db: Db) -> bool:
    """Say so (and who can fix it, in the reader's role) when no district catalog or disclosure is
    loaded; True then."""
    if any(view(db, "data_counts").values()):
        return False
    user = current_user()
    st.info(NO_DATA_BUREAU if user and user.get("role") == "bureau" else NO_DATA)
    return True


def sample_banner(db: Db) -> None:
    """A warning banner while the bundled sample data is loaded."""
    if view(db, "is_sample"):
        st.warning(f"{SIDEBAR['sample_badge']}：{SIDEBAR['sample_note']}")


AS_OF_INPUT, SINCE_INPUT = "as_of_input", "since_input"  # the form's fields; "as_of"/"since" = committed
DATE_MIN, DATE_MAX = dt.date(2019, 1, 1), dt.date(2040, 12, 31)


def _parse_day(text: Any) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _commit_period() -> None:
    """确定 (runs as the form's callback, before the script): the typed dates become the period."""
    state = st.session_state
    as_of = state.get(AS_OF_INPUT) or state["as_of"]
    since = state.get(SINCE_INPUT)
    if since is not None and since != state["since"]:
        state["_since_custom"] = True  # picked deliberately: it stays when the as-of date moves
        state["since"] = since
    elif not state.get("_since_custom"):
        state["since"] = load_rules().since_for(as_of)  # the window follows the as-of year
    state["as_of"] = as_of
    state[SINCE_INPUT] = state["since"]


def period(show_since: bool = True) -> tuple[dt.date, dt.date]:
    """The committed as-of date and window start, kept for the whole session across pages.

    The dates sit in a form: typing a date changes nothing until 确定 is clicked (a date field
    commits only on blur, so without the form a download clicked straight after typing would be
    for the previous date). The committed as-of date is mirrored in the URL (?as_of=), so a reload
    or a shared link keeps it; the default is today in Beijing. While the sidebar shows an
    evaluation round, the round's own dates are shown instead (read-only).
    """
    r = access.selected_round(access._run.db) if access.current() is not None else None
    if r is not None:
        document = ACCESS_SIDEBAR["document"].format(document_no=r.document_no) if r.document_no else ""
        st.info(ACCESS_SIDEBAR["viewing_round"].format(name=r.name, as_of=r.as_of, since=r.since,
                                                       status=ROUND_STATUS[r.status], document=document))
        return r.as_of, r.since
    state = st.session_state
    if "as_of" not in state:
        state["as_of"] = _parse_day(st.query_params.get("as_of")) or today()
    if "since" not in state:
        state["since"] = load_rules().since_for(state["as_of"])
    # a field not drawn on the previous page was forgotten by Streamlit: start it at the period
    state.setdefault(AS_OF_INPUT, state["as_of"])
    state.setdefault(SINCE_INPUT, state["since"])
    with st.form("period", border=False, enter_to_submit=True):
        cols = st.columns([1, 1, 0.5, 1.5] if show_since else [1, 0.5, 2.5], vertical_alignment="bottom")
        cols[0].date_input(PERIOD["as_of"], key=AS_OF_INPUT, help=PERIOD["as_of_help"],
                           min_value=DATE_MIN, max_value=DATE_MAX)
        if show_since:
            cols[1].date_input(PERIOD["since"], key=SINCE_INPUT, help=PERIOD["since_help"],
                               min_value=DATE_MIN, max_value=DATE_MAX)
        cols[2 if show_since else 1].form_submit_button(PERIOD["submit"], on_click=_commit_period,
                                                        key="period_submit", type="primary")
    as_of, since = state["as_of"], state["since"]
    if since > as_of:
        st.warning(PERIOD["since_after_as_of"])
        since = load_rules().since_for(as_of)
    st.query_params["as_of"] = as_of.isoformat()
    text = PERIOD["current"] if show_since else PERIOD["current_no_since"]
    st.caption(text.format(as_of=date_text(as_of), since=date_text(since)))
    return as_of, since
