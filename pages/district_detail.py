"""区县详情: one unit's components, its catalog against the city catalog, overdue disclosures,
the month × first-level heatmap and its catalog versions. District users see only their own unit."""
from __future__ import annotations

import streamlit as st

from appkit import charts
from appkit.grids import grid, static_table
from appkit.manual_tables import show_manual
from appkit.scope import district_result, unit_count, view
from appkit.shell import enter_page
from appkit.tables import component_frame, diff_frame, overdue_frame, unpublished_overdue_frame
from appkit.widgets import period, sample_banner, unit_names
from ui_text.pages import COLUMNS, DETAIL, PAGE_TITLES

# working days late right after the title (the wrapping tables show every column at 1280 px)
LATE_FIRST = ["title", "workdays_late", "item", "formed_on", "deadline", "published_on"]

db, user = enter_page()
names = unit_names(db)
suffix = "_district" if user.get("role") == "district" else ""  # hints a district office can act on
st.title(PAGE_TITLES["district_detail"])
sample_banner(db)
if user.get("role") == "district":
    code = user["district_code"]
    st.subheader(names[code])
else:
    linked = st.query_params.get("unit")  # a reload or a shared link: ?unit= opens that unit
    if st.session_state.get("unit") is None and linked in names:
        st.session_state["unit"] = linked
    code = st.selectbox(DETAIL["unit"], list(names), format_func=names.get, index=None,
                        key="unit", bind="query-params", placeholder=DETAIL["no_unit"])
if not code:
    st.info(DETAIL["no_unit"])
    st.stop()

as_of, since = period()
result = district_result(db, as_of, since, code)  # typed DistrictResult, shared (appkit.cache)
total = unit_count(db, as_of, since)
st.markdown("#### " + DETAIL["summary"].format(score=f"{result.score:.2f}", grade=result.grade,
                                                rank=result.rank, total=total))
if result.calendar_estimated:
    st.warning(DETAIL["calendar_estimated"])

st.subheader(DETAIL["components"])
# a static table wraps the long explanations (a data grid would cut them off)
st.table(component_frame(result).rename(columns=COLUMNS).set_index(COLUMNS["component"]))
show_manual(result, "detail", db)  # findings with evidence, vetoes and bonus (DESIGN §12)

st.subheader(DETAIL["catalog_diff"])
effective = view(db, "effective_catalog", code, as_of)
diff = view(db, "catalog_diff", code, as_of)
if effective is None:
    st.info(DETAIL["no_catalog" + suffix])
else:
    status = diff["status"].value_counts()
    present, missing = int(status.get("present", 0)), int(status.get("missing", 0))
    cards = st.columns(4)
    cards[0].metric(DETAIL["present"], f"{present} / {present + missing}", border=True)
    cards[1].metric(DETAIL["missing"], missing, border=True)
    cards[2].metric(DETAIL["local"], int(status.get("local_addition", 0)), border=True)
    cards[3].metric(DETAIL["blank"], int((diff["n_blank"] > 0).sum()), border=True)
    if missing == 0:
        st.success(DETAIL["keeps_all"].format(n=present))
    else:
        st.error(DETAIL["drops_some"].format(n=missing))
    # every row (43 city items and the local additions), every column at 1280 px
    grid(diff_frame(diff), ["status", "level1", "level2", "district_level2", "blank_elements"],
         {**COLUMNS, "district_level2": DETAIL["district_level2"]}, key="catalog_diff")

st.subheader(DETAIL["overdue"])
overdue = overdue_frame(result)
if overdue.empty:
    st.info(DETAIL["overdue_empty"])
else:
    static_table(overdue, LATE_FIRST, COLUMNS)  # long titles wrap instead of being cut
unpublished = unpublished_overdue_frame(result)
if not unpublished.empty:
    st.markdown(f"**{DETAIL['unpublished_overdue']}**")
    static_table(unpublished, [c for c in LATE_FIRST if c in unpublished.columns],
                 {**COLUMNS, "workdays_late": DETAIL["workdays_past_deadline"]})

st.subheader(DETAIL["heatmap"])
heat = view(db, "disclosure_heatmap", code, since, as_of)
if int(heat["n"].sum()) == 0:
    st.info(DETAIL["heatmap_empty" + suffix])
else:
    charts.show(charts.disclosure_heatmap(heat), key="heatmap")

st.subheader(DETAIL["versions"])
versions = view(db, "catalog_versions", code)
if versions.empty:
    st.info(DETAIL["versions_empty" + suffix])
else:
    cols = ["published_on", "document_no", "filed_on", "rows", "matched_items", "source", "loaded_at"]
    grid(versions, cols, {**COLUMNS, "matched_items": COLUMNS["matched_rows"]}, key="versions",
         column_config={**{k: st.column_config.DateColumn(format="YYYY-MM-DD") for k in ("published_on", "filed_on")},
                        "loaded_at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
