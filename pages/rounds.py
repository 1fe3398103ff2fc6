"""考评轮次: the rounds list; for the bureau also create, recompute (drafts), circulate, delete (drafts).

Every action calls `scoring.rounds` with the signed-in username (each writes its audit row) and
then clears the caches. A district sees the circulated rounds only, and opens one to see the
circulated ranking. "在各页面查看" makes every page show the round's stored results.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from appkit import scope as access
from appkit.self_check_tables import ranking_preview
from appkit.shell import enter_page
from appkit.widgets import today
from scoring import rounds as round_store
from ui_text.access import PAGE_TITLES, ROUND_STATUS, ROUNDS_COLUMNS, SIDEBAR
from ui_text.access import ROUNDS_PAGE as R

db, user = enter_page()
bureau = user["role"] in ("admin", "bureau")
st.title(PAGE_TITLES["rounds"])
st.caption(R["caption"])


def _act(work, message) -> None:
    """Run a round write; on success rerun with `message(result)` shown, else show the refusal."""
    try:
        result = access.round_action(db, work)
    except ValueError as exc:  # RoundError, or since after as_of (both Chinese)
        st.error(str(exc))
        return
    st.session_state["_rounds_flash"] = message(result)
    st.rerun()


if (flash := st.session_state.pop("_rounds_flash", None)):
    st.success(flash)

if bureau:
    with st.expander(R["create"], expanded=False), st.form("round_create"):
        name = st.text_input(R["name"], help=R["name_help"], key="round_name")
        cols = st.columns(2)
        as_of = cols[0].date_input(R["as_of"], value=today(), key="round_as_of")
        since = cols[1].date_input(R["since"], value=dt.date(today().year, 1, 1), key="round_since")
        if st.form_submit_button(R["create_button"], type="primary"):
            _act(lambda con: round_store.create(con, name, as_of, since, actor=user["username"]),
                 lambda new_id: R["created"].format(name=name.strip(), id=new_id))

found = access.rounds(db)
if not found:
    st.info(R["none"] if bureau else R["none_district"])
    st.stop()
table = pd.DataFrame([{"id": r.id, "name": r.name, "as_of": r.as_of, "since": r.since,
                       "status": ROUND_STATUS[r.status], "document_no": r.document_no,
                       "circulated_on": r.circulated_on, "revision": r.revision, "created_by": r.created_by,
                       "created_at": r.created_at} for r in found])
st.dataframe(table.rename(columns=ROUNDS_COLUMNS), hide_index=True, key="rounds_table")

by_id = {r.id: r for r in found}
picked = by_id[st.selectbox(R["pick"], list(by_id), key="rounds_pick", format_func=lambda i: SIDEBAR["round_option"].format(
    name=by_id[i].name, as_of=by_id[i].as_of, status=ROUND_STATUS[by_id[i].status]))]
st.caption(R["provenance"].format(rules_version=picked.rules_version, fingerprint=picked.data_fingerprint[:12],
                                  created_by=picked.created_by, created_at=picked.created_at,
                                  revision=picked.revision))
if st.session_state.get(access.ROUND_KEY) == picked.id:
    st.info(R["viewing"])
elif st.button(R["view"], key="round_view"):
    st.session_state[access.ROUND_KEY] = picked.id
    st.rerun()

st.subheader(R["ranking"])
st.dataframe(ranking_preview(access.round_results(db, picked)), hide_index=True, height="content",
             key="round_ranking")
if picked.circulated:
    st.success(R["frozen"].format(on=picked.circulated_on, document_no=picked.document_no))
    st.stop()
if not bureau:
    st.stop()
cols = st.columns(2)
if cols[0].button(R["recompute"], key="round_recompute"):
    _act(lambda con: round_store.recompute(con, picked.id, actor=user["username"]), lambda _: R["recomputed"])
with cols[1]:
    confirm = st.checkbox(R["confirm_delete"], key="round_confirm_delete")
    if st.button(R["delete"], key="round_delete", disabled=not confirm):
        _act(lambda con: round_store.delete(con, picked.id, actor=user["username"]),
             lambda _: R["deleted"].format(name=picked.name))
with st.form("round_circulate"):
    st.markdown(f"**{R['circulate']}**")
    cols = st.columns(2)
    document_no = cols[0].text_input(R["document_no"], key="round_document_no")
    on = cols[1].date_input(R["circulated_on"], value=max(today(), picked.as_of), key="round_circulated_on")
    if st.form_submit_button(R["circulate_button"], type="primary"):
        _act(lambda con: round_store.circulate(con, picked.id, document_no, on, actor=user["username"]),
             lambda _: R["circulated"].format(document_no=document_no.strip()))
