"""网站抓取: what the portal crawl found, for the bureau supervisor — 疑似倒签 per unit, drift
between crawls (with both evidence snapshots), off-site / off-field / robots-blocked entries
(recorded, never scored), and articles still awaiting an item (confirmed on 数据管理)."""
from __future__ import annotations

import streamlit as st

from appkit.grids import static_table
from appkit.scope import view
from appkit.shell import enter_page
from appkit.widgets import unit_names
from loaders.crawl.run import crawl_rules
from ui_text.crawl import COLUMNS, EVENT_LABELS, PAGE, STATUS_LABELS
from ui_text.pages import EMPTY_CELL, PAGE_TITLES

db, user = enter_page(bureau_only=True)
st.title(PAGE_TITLES["crawl"])
st.caption(PAGE["caption"])
names = unit_names(db)
code = st.selectbox(PAGE["unit"], [None, *names], key="crawl_unit", placeholder=PAGE["all_units"],
                    format_func=lambda c: PAGE["all_units"] if c is None else names[c])


def table(frame, key: str, columns: list[str], empty: str) -> None:
    if frame.empty:
        st.info(empty)
        return
    if len(frame) <= STATIC_ROWS:  # titles and addresses in full (a wrapping table)
        static_table(frame, columns, COLUMNS)
        return
    st.dataframe(frame, hide_index=True, key=key, column_order=columns, placeholder=EMPTY_CELL,
                 column_config={c: COLUMNS[c] for c in columns})


STATIC_ROWS = 200  # beyond this a list is scanned in the grid (its own scrollbar), not read row by row


threshold = crawl_rules()[0]
st.subheader(PAGE["flags"])
st.caption(PAGE["threshold"].format(days=threshold))
table(view(db, "crawl_backdated", code, threshold), "crawl_flags",
      ["name", "title", "published_on", "url_date", "first_seen", "backdated_days", "url"], PAGE["flags_none"])

st.subheader(PAGE["events"])
events = view(db, "crawl_events", code)
table(events.assign(kind=events["kind"].map(EVENT_LABELS)), "crawl_events",
      ["seen_on", "name", "kind", "url", "old_value", "new_value", "old_evidence", "new_evidence"],
      PAGE["events_none"])

st.subheader(PAGE["skipped"])
skipped = view(db, "crawl_skipped", code)
table(skipped.assign(status=skipped["status"].map(STATUS_LABELS)), "crawl_skipped",
      ["name", "status", "title", "list_date", "url"], PAGE["skipped_none"])

st.subheader(PAGE["pending"])
table(view(db, "crawl_pending", code), "crawl_pending", ["name", "title", "suggested_item", "confidence", "url"],
      PAGE["pending_none"])
