"""督导总览: KPI cards, the ranking table filterable by kind, the score chart, drill-down to a unit."""
from __future__ import annotations

import streamlit as st

from appkit import charts, widgets
from appkit.scope import ranking as ranking_of
from appkit.scope import ranking_chart, view
from appkit.shell import bureau_page
from appkit.table_download import download_table
from appkit.tables import DISTRICT_WIDTH, PERCENT_FORMAT, milestone_counts
from scoring import load_rules
from ui_text.common import date_text
from ui_text.overview_scale import RANKING_SCROLL
from ui_text.pages import (
    COLUMNS,
    COMPONENT_LABELS,
    COMPONENT_SHORT,
    KIND_LABELS,
    MILESTONE_SHORT,
    MILESTONE_STATUS,
    NO_DATA_BUREAU,
    NOT_EVALUATED,
    OVERVIEW,
    PLACEHOLDERS,
    TABLE_DOWNLOAD,
)

RANKING_ROWS = 30  # rows the ranking grid shows before it scrolls (every unit of a city at once)

db, user, as_of, since = bureau_page("overview", OVERVIEW["caption"], notice=False)  # its own no-data card
rules = load_rules()
COMPONENTS, MILESTONES = rules.ratio_ids, rules.milestone_ids
ranking = ranking_of(db, as_of, since)  # built once per evaluation, shared by every rerun
good, lowest = rules.band("good"), rules.grades[-1]

if not any(view(db, "data_counts").values()):
    st.info(NO_DATA_BUREAU if user.get("role") == "bureau" else OVERVIEW["no_data"])  # who can load data

cards = st.columns(4)
cards[0].metric(OVERVIEW["units"], len(ranking), border=True)
cards[1].metric(OVERVIEW["mean_score"], f"{ranking['score'].mean():.2f}", border=True)
cards[2].metric(OVERVIEW["good_units"].format(min_score=good.min_score),
                int((ranking["score"] >= good.min_score).sum()), border=True)
cards[3].metric(OVERVIEW["failing_units"].format(name=lowest.name),
                int((ranking["grade"] == lowest.name).sum()), border=True)
for key, column in zip(MILESTONES, st.columns(2)):
    counts = milestone_counts(ranking, key)
    with column.container(border=True):
        st.markdown(f"**{COMPONENT_LABELS[key]}**")
        # 未到期 only while the deadline is ahead (then nobody can have missed it yet)
        shown = [s for s in ("on_time", "late", "missed", "pending") if s != "pending" or counts["pending"]]
        for status, cell in zip(shown, st.columns(len(shown))):
            cell.metric(MILESTONE_STATUS[status], counts[status])

st.subheader(OVERVIEW["ranking"])
kinds = st.multiselect(OVERVIEW["kind_filter"], list(KIND_LABELS), default=list(KIND_LABELS),
                       placeholder=PLACEHOLDERS["kinds"],
                       format_func=KIND_LABELS.get, key="overview_kinds")
shown = ranking[ranking["kind"].isin(kinds)]
if shown.empty:
    st.info(OVERVIEW["filter_empty"])
else:
    # pixel widths (each column's longest text, appkit.grids' measure): the 11 columns fit the main
    # area at 1280 px with the sidebar open and the longest unit name (郑州航空港经济综合实验区) is not cut;
    # 类型 is the filter above the table (and a column of the download)
    narrow = {k: st.column_config.Column(COLUMNS[k], width=w) for k, w in (("rank", 44), ("grade", 58))}
    percent = {k: st.column_config.NumberColumn(COMPONENT_SHORT[k], help=COMPONENT_LABELS[k], format=PERCENT_FORMAT,
                                                width=72) for k in COMPONENTS}
    st.caption(OVERVIEW["click_hint"])
    if len(shown) > RANKING_ROWS:  # the grid scrolls instead of growing 35 px per unit (3,000 units: 105,000 px)
        st.caption(RANKING_SCROLL.format(n=len(shown)))
    picked = st.dataframe(
        shown, hide_index=True, key="ranking_table", on_select="rerun",
        selection_mode=["single-row", "single-cell"],  # a click on any cell of a row selects it
        placeholder=NOT_EVALUATED, height=35 * min(len(shown), RANKING_ROWS) + 40,
        column_order=["rank", "name", "score", "grade", *COMPONENTS, *MILESTONES],  # 类型: the filter above
        column_config={**narrow, **percent,
                       "name": st.column_config.Column(COLUMNS["name"], width=DISTRICT_WIDTH),
                       "score": st.column_config.NumberColumn(COLUMNS["score"], format="%.2f", width=56),
                       **{k: st.column_config.Column(MILESTONE_SHORT[k], help=COMPONENT_LABELS[k], width=86)
                          for k in MILESTONES}},
    )
    rows = list(picked.selection.rows) or [cell[0] for cell in picked.selection.cells]
    if rows:  # a click on a row (any of its cells) opens that unit; positions refer to `shown`
        st.session_state["unit"] = shown.iloc[rows[0]]["code"]
        st.switch_page("pages/district_detail.py")
    columns = ["rank", "name", "kind", "score", "grade", *COMPONENTS, *MILESTONES]
    download_table(shown, columns, {**COLUMNS, **{k: COMPONENT_LABELS[k] for k in (*COMPONENTS, *MILESTONES)}},
                   title=TABLE_DOWNLOAD["ranking_title"].format(as_of=date_text(as_of)),
                   label=TABLE_DOWNLOAD["label"], as_of=as_of, key="download_ranking",
                   file_name=TABLE_DOWNLOAD["ranking_file"].format(as_of=as_of.isoformat()),
                   kinds={"score": "score", "rank": "integer", **dict.fromkeys(COMPONENTS, "percent100")},
                   blank=NOT_EVALUATED)
    charts.show(ranking_chart(db, as_of, since, kinds), key="score_bars")

    names = dict(zip(shown["code"], shown["name"]))

    def unit_picker(widths: list[float]) -> None:
        pick = st.columns(widths, vertical_alignment="bottom")
        code = pick[0].selectbox(OVERVIEW["open_detail"], list(names), format_func=names.get, key="overview_unit")
        if pick[1].button(OVERVIEW["open_button"], key="open_detail") and code:
            st.session_state["unit"] = code  # the detail page's unit picker (bound to ?unit=)
            st.switch_page("pages/district_detail.py")

    if len(names) <= widgets.UNIT_PICKER_MAX:
        unit_picker([3, 1, 4])
    else:  # thousands of options: the picker is built only once its popover is opened (see UNIT_PICKER_MAX)
        picker = st.popover(OVERVIEW["open_detail"], icon=":material/search:", key="overview_picker",
                            on_change="rerun")
        if picker.open:
            with picker:
                unit_picker([3, 1])
