"""督导总览 on the sample database: the 16 units with the numbers scoring.evaluate gives for the
same dates, KPI cards, the kind filter, the as-of picker, and the drill-down to a unit."""
from __future__ import annotations

import datetime as dt
import json

from page_helpers import JINSHUI, TODAY, ZHONGMU, set_period

import scoring
from ui_text.pages import MILESTONE_STATUS, OVERVIEW, PAGE_TITLES


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_ranking_has_all_16_units_with_evaluate_numbers(make_app, con) -> None:
    at = make_app()
    expected = scoring.evaluate(con, TODAY).to_json()["districts"]
    table = at.dataframe[0].value
    assert len(table) == 16
    assert list(table["code"]) == [d["code"] for d in expected]
    assert list(table["rank"]) == [d["rank"] for d in expected]
    assert list(table["score"]) == [d["score"] for d in expected]
    assert list(table["grade"]) == [d["grade"] for d in expected]
    # components are shown in percent: 0.9375 -> 93.75
    jinshui = table.set_index("code").loc[JINSHUI]
    expected_jinshui = next(d for d in expected if d["code"] == JINSHUI)
    assert jinshui["timeliness"] == round(100 * expected_jinshui["timeliness"], 2)


def test_kpi_cards_match_the_evaluation(make_app, con) -> None:
    at = make_app()
    expected = scoring.evaluate(con, TODAY).to_json()["districts"]
    cards = metrics(at)
    assert cards[OVERVIEW["units"]] == "16"
    assert cards[OVERVIEW["mean_score"]] == f"{sum(d['score'] for d in expected) / 16:.2f}"
    # the default bands of rules.toml: 良好 from 80, 不合格 below 60
    assert cards[OVERVIEW["good_units"].format(min_score=80)] == str(sum(d["score"] >= 80 for d in expected))
    assert cards[OVERVIEW["failing_units"].format(name="不合格")] == str(sum(d["score"] < 60 for d in expected))
    # each milestone box: on time / late / not yet (missed + pending), in that order
    values = [m.value for m in at.metric if m.label in MILESTONE_STATUS.values()]
    want = []
    for key in ("milestone_2020_09", "milestone_2023_06"):
        statuses = [d[key]["status"] for d in expected]
        want += [str(statuses.count("on_time")), str(statuses.count("late")),
                 str(statuses.count("missed") + statuses.count("pending"))]
    assert values == want
    assert sum(int(v) for v in values[:3]) == 16


def test_kind_filter_reduces_rows(make_app) -> None:
    at = make_app()
    at.multiselect(key="overview_kinds").set_value(["县"]).run()
    table = at.dataframe[0].value
    assert list(table["code"]) == [ZHONGMU]  # 中牟县 is the only 县
    at.multiselect(key="overview_kinds").set_value(["区", "县"]).run()
    assert len(at.dataframe[0].value) == 7  # six 区 + 中牟县
    at.multiselect(key="overview_kinds").set_value([]).run()
    assert len(at.dataframe) == 0
    assert OVERVIEW["filter_empty"] in [i.value for i in at.info]


def test_as_of_change_reevaluates(make_app, con) -> None:
    at = make_app()
    before = list(at.dataframe[0].value["score"])
    earlier = dt.date(2021, 3, 31)
    set_period(at, as_of=earlier)
    assert not at.exception
    assert at.session_state["since"] == dt.date(2021, 1, 1)  # the window follows the as-of year
    expected = scoring.evaluate(con, earlier, dt.date(2021, 1, 1)).to_json()["districts"]
    table = at.dataframe[0].value
    assert list(table["score"]) == [d["score"] for d in expected]
    assert list(table["score"]) != before


def test_drill_down_opens_the_unit_detail(make_app, con) -> None:
    at = make_app()
    at.selectbox(key="overview_unit").set_value(JINSHUI)
    at.button(key="open_detail").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == [PAGE_TITLES["district_detail"]]
    assert at.selectbox(key="unit").value == JINSHUI
    score = next(d["score"] for d in scoring.evaluate(con, TODAY).to_json()["districts"] if d["code"] == JINSHUI)
    assert any(f"{score:.2f}" in m.value for m in at.markdown)


def test_score_chart_is_coloured_by_grade(make_app) -> None:
    """得分分布 is an SVG drawn on the server (Markdown: no chart runtime before the first screen,
    README 真实浏览器首屏): one bar per unit in rank order, each grade its colour, scores labelled as
    the table shows them, the Chinese font and an accessible title."""
    import xml.etree.ElementTree as ET

    from appkit import charts

    at = make_app()
    assert not at.get("plotly_chart") and not at.get("vega_lite_chart")
    shown = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert len(shown) == 1
    svg = ET.fromstring(shown[0])
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in svg.iter(f"{ns}rect") if r.get("data-x") is not None]
    table = at.dataframe[0].value
    assert [r.get("data-x") for r in bars] == list(table["name"])  # the ranking's order
    assert [r.get("data-grade") for r in bars] == list(table["grade"])
    grades = charts.grade_colors(scoring.load_rules())
    assert [r.get("fill") for r in bars] == [grades[g] for g in table["grade"]]
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert all(f"{s:.2f}" in texts for s in table["score"])  # bar labels like the table: 99.53
    assert "Noto Sans CJK SC" in svg.get("font-family")
    assert svg.get("aria-label") == OVERVIEW["chart"] == texts[0]


def test_clicking_a_ranking_row_opens_that_unit(make_app) -> None:
    at = make_app()
    at.multiselect(key="overview_kinds").set_value(["县"]).run()  # one row left: 中牟县
    at.session_state["ranking_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [PAGE_TITLES["district_detail"]]
    assert at.selectbox(key="unit").value == ZHONGMU


def test_default_dates_and_their_persistence_across_pages(make_app) -> None:
    at = make_app()
    assert at.date_input(key="as_of_input").value == TODAY  # COMPLIANCE_TODAY
    assert at.date_input(key="since_input").value == dt.date(TODAY.year, 1, 1)
    chosen = dt.date(2023, 6, 30)
    set_period(at, as_of=chosen)
    at.switch_page("pages/milestones.py")
    at.run()
    assert at.date_input(key="as_of_input").value == chosen
    at.switch_page("pages/overview.py")
    at.run()
    assert at.date_input(key="as_of_input").value == chosen
    assert at.date_input(key="since_input").value == dt.date(2023, 1, 1)


def test_a_chosen_window_start_survives_an_as_of_change(make_app) -> None:
    at = make_app()
    set_period(at, since=dt.date(2024, 7, 1))
    set_period(at, as_of=dt.date(2025, 3, 31))
    assert at.date_input(key="since_input").value == dt.date(2024, 7, 1)  # not reset to 2025-01-01
    set_period(at, as_of=dt.date(2024, 3, 31))  # now before the start
    assert at.session_state["since"] == dt.date(2024, 7, 1)
    assert any(w.value.startswith("统计区间起点不能晚于评估日期") for w in at.warning)
    assert not at.exception


def test_ranking_fits_1280_px_and_says_since_when(make_app, con) -> None:
    """The milestone cells carry status and days late (no date, so all columns fit the main area
    at 1280 px with the sidebar open: fixed pixel widths summing to less than ~900 px)."""
    at = make_app()
    expected = {d["code"]: d for d in scoring.evaluate(con, TODAY).to_json()["districts"]}
    table = at.dataframe[0].value.set_index("code")
    late = next(c for c, d in expected.items() if d["milestone_2020_09"]["status"] == "late")
    assert table.loc[late, "milestone_2020_09"] == f"逾期{expected[late]['milestone_2020_09']['days_late']}天"
    config = json.loads(at.dataframe[0].proto.columns)
    widths = [config[c]["width"] for c in at.dataframe[0].proto.column_order]
    assert all(isinstance(w, int) for w in widths)
    assert sum(widths) + 34 <= 920  # + the row-selection checkbox; main area ≈ 1280 − 300 − 2 × 32


def test_percent_format_and_milestone_names_are_the_shared_ones(make_app) -> None:
    """Component columns use appkit's one percent format (one decimal, as 区县详情 and 区县自查);
    milestone headers are the short form, their tooltips and box titles the scoring wording."""
    from appkit.tables import PERCENT_FORMAT, percent_text
    from ui_text.pages import COMPONENT_LABELS, MILESTONE_SHORT
    assert PERCENT_FORMAT == "%.1f%%" and percent_text(0.953) == "95.3%" and percent_text(1.0) == "100.0%"
    at = make_app()
    config = json.loads(at.dataframe[0].proto.columns)
    for key in ("catalog_coverage", "element_completeness", "disclosure_coverage", "timeliness",
                "interpretation_sync"):
        assert config[key]["type_config"]["format"] == PERCENT_FORMAT, config[key]
    for key in ("milestone_2020_09", "milestone_2023_06"):
        assert config[key]["label"] == MILESTONE_SHORT[key]
        assert config[key]["help"] == COMPONENT_LABELS[key]
        assert f"**{COMPONENT_LABELS[key]}**" in [m.value for m in at.markdown]


def test_a_click_on_any_cell_of_a_row_opens_that_unit(make_app) -> None:
    """Not only the small row checkbox: clicking a cell (here the score of the only 县) drills down."""
    at = make_app()
    assert OVERVIEW["click_hint"] in [c.value for c in at.caption]
    assert "点击表头可排序" not in OVERVIEW["caption"]  # no invitation into Streamlit's English column menu
    at.multiselect(key="overview_kinds").set_value(["县"]).run()  # one row left: 中牟县
    at.session_state["ranking_table"] = {"selection": {"rows": [], "columns": [], "cells": [[0, "score"]]}}
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [PAGE_TITLES["district_detail"]]
    assert at.selectbox(key="unit").value == ZHONGMU


def test_many_units_pick_a_unit_in_a_popover_built_when_opened(make_app, con, monkeypatch) -> None:
    """Above `widgets.UNIT_PICKER_MAX` units (3,000 nationally) the 查看单位详情 picker is not sent with
    the first screen: it is built once its popover is opened, then opens the unit as before."""
    from appkit import widgets

    monkeypatch.setattr(widgets, "UNIT_PICKER_MAX", 15)  # the sample's 16 units count as many
    at = make_app()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "overview_unit"]  # closed: no picker, no options sent
    assert len(at.get("popover")) == 1
    at.session_state["overview_picker"] = True  # the popover opened (its state is a widget's)
    at.run()
    assert not at.exception
    at.selectbox(key="overview_unit").set_value(JINSHUI)
    at.button(key="open_detail").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == [PAGE_TITLES["district_detail"]]
    assert at.selectbox(key="unit").value == JINSHUI


def test_few_units_keep_the_picker_on_the_page(make_app) -> None:
    at = make_app()
    assert [s.key for s in at.selectbox if s.key == "overview_unit"] == ["overview_unit"]
    assert not at.get("popover")
