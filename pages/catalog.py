"""标准目录: the city standard catalog, searchable, with each row's confidence and sources, and how
the officially issued table replaces it."""
from __future__ import annotations

import streamlit as st

from appkit.grids import grid
from appkit.scope import view
from appkit.shell import enter_page
from appkit.table_download import download_table
from appkit.tables import catalog_item_frame
from appkit.widgets import today
from ui_text.common import ELEMENT_LABELS
from ui_text.pages import CATALOG, COLUMNS, PAGE_TITLES, TABLE_DOWNLOAD

db, user = enter_page()
st.title(PAGE_TITLES["catalog"])
full = view(db, "standard_catalog", None)
st.caption(CATALOG["caption"].format(l1=full["level1"].nunique(), l2=len(full)))
if view(db, "standard_source") == "official":
    st.success(CATALOG["official_note"])
else:  # only the bureau can replace it (数据管理 / the CLI); a district office is just told it will be
    st.info(CATALOG["reconstruction_note" if user.get("role") == "bureau" else "reconstruction_note_district"])

query = st.text_input(CATALOG["search"], key="catalog_search")
rows = view(db, "standard_catalog", query or None)
if rows.empty:
    st.info(CATALOG["no_match"])
    st.stop()
st.caption(CATALOG["count"].format(n=len(rows)))
rows = rows.assign(confidence=rows["confidence"].map(CATALOG["confidence"]))
elements = ["content", "basis", "time_limit", "subject", "channels", "audience", "method", "disclosure_level"]
order = ["item_id", "level1", "level2", "confidence", "time_limit_workdays", *elements, "sources", "notes"]
# every row on screen (no inner scrolling) with the short columns, each as wide as its text; the
# full text of the clicked row in a wrapping table below (the nine elements cannot fit as grid columns)
st.caption(CATALOG["click_hint"])
short = ["item_id", "level1", "level2", "confidence", "time_limit_workdays"]  # 公开内容 etc. in full below
picked = grid(rows, short, COLUMNS, key="standard_catalog", on_select="rerun",
              selection_mode=["single-row", "single-cell"])
chosen = list(picked.selection.rows) or [cell[0] for cell in picked.selection.cells] or [0]
item = rows.iloc[chosen[0]]
st.subheader(CATALOG["detail"].format(item=f"{item['level1']}/{item['level2']}"))
st.table(catalog_item_frame(item, elements, {**COLUMNS, **ELEMENT_LABELS}).set_index(CATALOG["field"]))
download_table(rows, order, {**COLUMNS, **ELEMENT_LABELS}, title=TABLE_DOWNLOAD["catalog_title"],
               label=TABLE_DOWNLOAD["label"], as_of=today(), key="download_catalog",
               file_name=TABLE_DOWNLOAD["catalog_file"], kinds={"time_limit_workdays": "integer"})
