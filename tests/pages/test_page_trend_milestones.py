"""趋势 and 里程碑 on the sample database: quarterly lines and risers/fallers from scoring.trend;
the milestone timeline and table from scoring.evaluate and the catalog filing view."""
from __future__ import annotations

import datetime as dt
import json

from page_helpers import JINSHUI, TODAY, set_period

import scoring
from ui_text.common import date_text
from ui_text.pages import TREND


def chart_spec(at, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def test_trend_lines_follow_the_unit_choice(make_app) -> None:
    at = make_app(page="pages/trend.py")
    assert len(chart_spec(at)["data"]) == 16
    at.multiselect(key="trend_units").set_value([JINSHUI, "410173"]).run()
    assert {t["name"] for t in chart_spec(at)["data"]} == {"金水区", "郑州航空港经济综合实验区"}
    at.multiselect(key="trend_units").set_value([]).run()
    assert TREND["no_units"] in [i.value for i in at.info]


def test_risers_and_fallers_over_four_quarters(make_app, con) -> None:
    at = make_app(page="pages/trend.py")
    frame = scoring.trend(con, TODAY)
    # last quarter end 2025-06-30 against four quarters earlier, 2024-06-30
    start, end = dt.date(2024, 6, 30), dt.date(2025, 6, 30)
    first = frame[frame["quarter_end"] == start].set_index("code")["score"]
    last = frame[frame["quarter_end"] == end].set_index("code")["score"]
    change = (last - first).round(2)
    risers, fallers = at.dataframe[0].value, at.dataframe[1].value
    # only rises among the risers and only falls among the fallers, at most five each
    assert len(risers) == min(5, int((change > 0).sum())) and len(fallers) == min(5, int((change < 0).sum()))
    assert (risers["change"] > 0).all() and (fallers["change"] < 0).all()
    assert risers["change"].iloc[0] == change.max()
    assert fallers["change"].iloc[0] == change.min()
    # the page's one date format (the period caption above says 2025年6月30日 too)
    assert TREND["window"].format(start=date_text(start), end=date_text(end)) in [c.value for c in at.caption]


def test_trend_before_the_first_quarter_says_so(make_app) -> None:
    at = make_app(page="pages/trend.py")
    set_period(at, as_of=dt.date(2020, 6, 30))
    assert TREND["empty"] in [i.value for i in at.info]
    assert len(at.get("plotly_chart")) == 0


def test_milestone_table_and_timeline(make_app, con) -> None:
    at = make_app(page="pages/milestones.py")
    expected = {d["code"]: d for d in scoring.evaluate(con, TODAY).to_json()["districts"]}
    table = at.dataframe[0].value.set_index("name")
    assert len(table) == 16
    # 郑东新区: 2020 catalog with 文号 published after 2020-09-30 -> late by N calendar days
    zd = expected["ZZ-ZDXQ"]["milestone_2020_09"]
    assert zd["status"] == "late"
    assert table.loc["郑东新区", "milestone_2020_09"] == f"逾期{zd['days_late']}天（{zd['date']}）"
    # 航空港区 has no catalog at all
    assert table.loc["郑州航空港经济综合实验区", "milestone_2020_09"] == "未完成"
    assert table.loc["郑州航空港经济综合实验区", "filing"] == "无目录"
    jinshui = table.loc["金水区"]
    assert jinshui["document_no"] == "金房保〔2023〕6号"
    assert jinshui["filing"] == "已备案（2023-04-26）"
    spec = chart_spec(at)
    lines = sorted(a["text"] for a in spec["layout"]["annotations"])
    # the two deadlines and the as-of date, where the unmet milestones are drawn
    assert lines == ["截止日 2020-09-30", "截止日 2023-06-30", f"评估日 {TODAY.isoformat()}（未完成的节点画在此处）"]
    assert len(spec["layout"]["shapes"]) == 3
    points = sum(len(t["y"]) for t in spec["data"])
    assert points == 32  # 16 units × 2 milestones


def test_trend_chart_reads_in_chinese_and_tells_units_apart(make_app) -> None:
    """Dates as 2021年 / 2025-06-30 (Plotly's default is 'Jun 30, 2025'), 16 different line
    colours, and the risers/fallers with two decimals and a signed change."""
    at = make_app(page="pages/trend.py")
    spec = chart_spec(at)
    assert spec["layout"]["xaxis"]["tickformat"] == "%Y年"
    assert spec["layout"]["xaxis"]["dtick"] == "M12"  # one tick a year: never '2021年, 2021年, …'
    assert spec["layout"]["xaxis"]["hoverformat"] == "%Y年%-m月%-d日"
    assert spec["layout"]["hovermode"] == "x unified"
    # one Chinese line per unit in the unified hover, not Plotly's 'district=… quarter_end=…'
    assert {t["hovertemplate"] for t in spec["data"]} == {"%{fullData.name}：%{y:.2f}<extra></extra>"}
    assert len({t["line"]["color"] for t in spec["data"]}) == 16
    # legend in the bureau's order, as in the unit picker (not by code: 中牟县 410122 is 12th)
    picker = list(at.multiselect(key="trend_units").options)  # the labels, in the bureau's order
    assert picker.index("中牟县") == 11
    assert [t["name"] for t in spec["data"]] == picker
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["last_score"]["type_config"]["format"] == "%.2f"
    assert config["change"]["type_config"]["format"] == "%+.2f"


def test_milestone_legend_names_milestone_and_status(make_app) -> None:
    at = make_app(page="pages/milestones.py")
    spec = chart_spec(at)
    names = {t["name"] for t in spec["data"]}
    assert "2020年节点：按时完成" in names
    assert all("," not in n for n in names)  # not Plotly's 'status, milestone' pairs
    assert spec["layout"]["xaxis"]["hoverformat"] == "%Y年%-m月%-d日"
    assert spec["layout"]["xaxis"]["dtick"] == "M12"
    # the hover says it in words (航空港区 has no catalog: 未完成), never 'NaN' days late
    hover = " ".join(t["hovertemplate"] for t in spec["data"])
    assert "完成情况=" in hover and "逾期天数" not in hover
    shown = {row[2] for t in spec["data"] for row in t["customdata"]}  # customdata[2] is 完成情况
    assert "未完成" in shown and "按时（2020-09-15）" in shown  # 中原区's 2020 catalog, in words
    assert at.dataframe[0].proto.placeholder == "—"  # 航空港区 has no 文号: a dash, not 'None'


def test_no_unit_whose_score_rose_is_listed_among_the_fallers(make_app, con) -> None:
    """At 2023-06-30 most units rose over the last four quarters: the fallers list holds only
    units whose score fell (or says there are none), never the smallest risers."""
    from page_helpers import set_period
    at = make_app(page="pages/trend.py")
    set_period(at, as_of=dt.date(2023, 6, 30))
    frame = scoring.trend(con, dt.date(2023, 6, 30))
    first = frame[frame["quarter_end"] == dt.date(2022, 6, 30)].set_index("code")["score"]
    last = frame[frame["quarter_end"] == dt.date(2023, 6, 30)].set_index("code")["score"]
    change = (last - first).round(2)
    rose, fell = int((change > 0).sum()), int((change < 0).sum())
    tables = [d.value for d in at.dataframe]  # risers first, then fallers, each only when not empty
    assert len(tables) == (rose > 0) + (fell > 0)
    if fell == 0:
        assert TREND["no_fallers"] in [i.value for i in at.info]
    else:
        assert len(tables[-1]) == min(5, fell) and (tables[-1]["change"] < 0).all()
    if rose:
        assert (tables[0]["change"] > 0).all()
    spec = chart_spec(at)
    assert spec["layout"]["xaxis"]["dtick"] == "M12"


def test_unmet_milestones_on_the_as_of_date_stay_visible(make_app) -> None:
    """Both markers of a unit that met neither milestone sit on the as-of date: the later
    milestone's symbol is larger and drawn first, the earlier one smaller on top."""
    at = make_app(page="pages/milestones.py")
    spec = chart_spec(at)
    sizes = [t["marker"]["size"] for t in spec["data"]]
    assert sizes == sorted(sizes, reverse=True) and set(sizes) == {17, 10}
    small = [t for t in spec["data"] if t["marker"]["size"] == 10]
    assert small and all(t["name"].startswith("2020年节点") for t in small)


def test_plotly_modebar_is_hidden(make_app) -> None:
    at = make_app(page="pages/trend.py")
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["displayModeBar"] is False
