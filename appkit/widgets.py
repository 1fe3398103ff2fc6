"""Shared widgets: the sign-in form, the sidebar, the period pickers and role checks.

The sign-in is an identity choice on the bureau's internal network, not authentication: it
decides which pages `dashboard.py` registers. `st.session_state["user"]` holds
`{"role": "bureau"|"district", "district_code": code|None}`.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any

import streamlit as st

from appkit.cache import view
from appkit.db import Db
from scoring.rules import load_rules
from ui_text.pages import APP_SUBTITLE, APP_TITLE, NO_DATA, PERIOD, PLACEHOLDERS, ROLE_LABELS, SIDEBAR, SIGN_IN

USER_KEY = "user"


def today() -> dt.date:
    """The default as-of date: env COMPLIANCE_TODAY (YYYY-MM-DD, for repeatable tests) or today."""
    fixed = os.environ.get("COMPLIANCE_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def current_user() -> dict[str, Any] | None:
    return st.session_state.get(USER_KEY)


def unit_names(db: Db) -> dict[str, str]:
    """code -> name of the 16 units, in the bureau's order."""
    frame = view(db, "districts")
    return dict(zip(frame["code"], frame["name"]))


def sign_in_form(db: Db) -> None:
    """The gate shown before anyone has chosen an identity."""
    st.title(APP_TITLE)
    st.caption(APP_SUBTITLE)
    names = unit_names(db)
    with st.form("sign_in"):
        st.subheader(SIGN_IN["heading"])
        role = st.radio(SIGN_IN["role"], list(ROLE_LABELS), format_func=ROLE_LABELS.get, key="sign_in_role")
        code = st.selectbox(SIGN_IN["district"], list(names), format_func=names.get, index=None,
                            key="sign_in_district", placeholder=PLACEHOLDERS["unit"])
        submitted = st.form_submit_button(SIGN_IN["submit"], type="primary")
    st.caption(SIGN_IN["note"])
    if submitted:
        if role == "district" and not code:
            st.error(SIGN_IN["need_district"])
            return
        st.session_state[USER_KEY] = {"role": role, "district_code": code if role == "district" else None}
        linked = st.query_params.get("unit")
        if linked in names:  # a shared detail link keeps its unit through the gate
            st.session_state["unit"] = linked
        st.rerun()


def sidebar(db: Db, user: dict[str, Any]) -> None:
    """Who is signed in, the 退出 button and the 示例数据 badge."""
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        st.caption(SIDEBAR["signed_in_as"].format(role=ROLE_LABELS[user["role"]]))
        if user.get("district_code"):
            st.caption(SIDEBAR["signed_in_unit"].format(unit=unit_names(db).get(user["district_code"], "")))
        if view(db, "is_sample"):
            st.badge(SIDEBAR["sample_badge"], color="orange", help=SIDEBAR["sample_note"])
        if user["role"] == "bureau":
            st.caption(SIDEBAR["db_path"].format(path=db.path))
        st.button(SIDEBAR["sign_out"], key="sign_out", on_click=sign_out)


def sign_out() -> None:
    """Forget the identity and the period (runs as a callback, before the next script run)."""
    for key in (USER_KEY, "unit", "as_of", "since", "_since_custom"):
        st.session_state.pop(key, None)


def no_data_notice(db: Db) -> bool:
    """Say so (and how to fix it) when no district catalog or disclosure is loaded; True then."""
    if any(view(db, "data_counts").values()):
        return False
    st.info(NO_DATA)
    return True


def sample_banner(db: Db) -> None:
    """A warning banner while the bundled sample data is loaded."""
    if view(db, "is_sample"):
        st.warning(f"{SIDEBAR['sample_badge']}：{SIDEBAR['sample_note']}")


def _as_of_changed() -> None:
    # the window follows the as-of year unless someone picked its start deliberately
    as_of = st.session_state["as_of"]
    if not st.session_state.get("_since_custom"):
        st.session_state["since"] = load_rules().since_for(as_of)


def _since_changed() -> None:
    st.session_state["_since_custom"] = True


def period(show_since: bool = True) -> tuple[dt.date, dt.date]:
    """The as-of date and window start, kept for the whole session across pages."""
    state = st.session_state
    if "as_of" not in state:
        state["as_of"] = today()
    if "since" not in state:
        state["since"] = load_rules().since_for(state["as_of"])
    cols = st.columns(4)
    as_of = cols[0].date_input(PERIOD["as_of"], key="as_of", help=PERIOD["as_of_help"],
                               min_value=dt.date(2019, 1, 1), max_value=dt.date(2040, 12, 31),
                               on_change=_as_of_changed, persist_state="session")
    since = state["since"]
    if show_since:
        since = cols[1].date_input(PERIOD["since"], key="since", help=PERIOD["since_help"],
                                   min_value=dt.date(2019, 1, 1), max_value=dt.date(2040, 12, 31),
                                   on_change=_since_changed, persist_state="session")
    if since > as_of:
        st.warning(PERIOD["since_after_as_of"])
        since = load_rules().since_for(as_of)
    return as_of, since


def require_bureau() -> dict[str, Any]:
    """Stop the page for anyone but a bureau supervisor; same as `appkit.shell.enter_page(True)`."""
    from appkit.shell import enter_page  # shell imports this module

    return enter_page(bureau_only=True)[1]
