"""里程碑: each unit's 2020-09-30 and 2023-06-30 milestones against the deadlines, with the
文号 and 备案 status of the catalog in force."""
from __future__ import annotations

import streamlit as st

from appkit import charts
from appkit.grids import grid
from appkit.scope import evaluation, view
from appkit.shell import bureau_page
from appkit.table_download import download_table
from appkit.tables import milestone_points, milestone_table
from scoring import load_rules
from ui_text.common import date_text
from ui_text.pages import (
                           COLUMNS,
                           COMPONENT_LABELS,
                           MILESTONE_SHORT,
                           MILESTONES,
                           TABLE_DOWNLOAD,
)

db, user, as_of, since = bureau_page("milestones", MILESTONES["caption"], show_since=False)
result = evaluation(db, as_of, since)
rules = load_rules()

charts.show(charts.milestone_timeline(milestone_points(result, as_of, rules), as_of), key="milestone_chart")

st.subheader(MILESTONES["table"])
table = milestone_table(result, view(db, "catalog_filing", as_of), rules)
columns = ["name", "milestone_2020_09", "milestone_2023_06", "document_no", "published_on", "filing"]
# all 16 units; every column as wide as its text (a wrapping table if they do not fit 1280 px)
grid(table, columns, {**COLUMNS, **MILESTONE_SHORT}, key="milestone_table",
     column_config={"published_on": st.column_config.DateColumn(format="YYYY-MM-DD")})
download_table(table, columns, {**COLUMNS, **{k: COMPONENT_LABELS[k] for k in MILESTONE_SHORT}},
               title=TABLE_DOWNLOAD["milestones_title"].format(as_of=date_text(as_of)),
               label=TABLE_DOWNLOAD["label"], as_of=as_of, key="download_milestones",
               file_name=TABLE_DOWNLOAD["milestones_file"].format(as_of=as_of.isoformat()))
