"""区县详情 on the sample database: summary and components from scoring.evaluate, the catalog
diff from scoring.views, overdue disclosures, heatmap and versions; empty states; district users
locked to their own unit."""
from __future__ import annotations

import datetime as dt
import json

from page_helpers import BUREAU, JINSHUI, TODAY, set_period

import scoring
from queries import views
from ui_text.common import ELEMENT_LABELS
from ui_text.pages import COLUMNS, COMPONENT_LABELS, DETAIL, PAGE_TITLES

HANGKONGGANG = "410173"  # has no catalog in the sample


def open_detail(make_app, code: str | None, user: dict = BUREAU):
    at = make_app(user=user)
    if code is not None:
        at.session_state["unit"] = code
    at.switch_page("pages/district_detail.py")
    at.run()
    assert not at.exception
    return at


def test_summary_and_components_come_from_the_evaluation(make_app, con) -> None:
    at = open_detail(make_app, JINSHUI)
    d = scoring.evaluate(con, TODAY).district(JINSHUI).to_json()
    summary = DETAIL["summary"].format(score=f"{d['score']:.2f}", grade=d["grade"], rank=d["rank"], total=16)
    assert "#### " + summary in [m.value for m in at.markdown]
    # a static table (wrapped explanations), indexed by the component's name
    components = at.table[0].value[COLUMNS["value"]]
    assert len(components) == 7
    assert at.table[0].value.index.name == COLUMNS["component"]
    assert at.table[0].value[COLUMNS["explanation"]].str.len().min() > 10  # every row explained
    assert components[COMPONENT_LABELS["catalog_coverage"]] == f"{100 * d['catalog_coverage']:.1f}%"
    assert components[COMPONENT_LABELS["timeliness"]] == f"{100 * d['timeliness']:.1f}%"
    m = d["milestone_2020_09"]
    assert components[COMPONENT_LABELS["milestone_2020_09"]] == f"按时（{m['date']}）"


def test_a_component_not_evaluated_is_shown_as_such(make_app, con) -> None:
    """interpretation_sync is null when the window holds no policy document (DESIGN §6)."""
    unit = next(d for d in scoring.evaluate(con, TODAY).to_json()["districts"] if d["interpretation_sync"] is None)
    at = open_detail(make_app, unit["code"])
    components = at.table[0].value[COLUMNS["value"]]
    assert components[COMPONENT_LABELS["interpretation_sync"]] == "不参评"


def test_catalog_diff_counts_and_only_grows_verdict(make_app, con) -> None:
    at = open_detail(make_app, JINSHUI)
    diff = views.catalog_diff(con, JINSHUI, TODAY)
    # 金水区's 2023 catalog: all 43 city items plus one local addition, no blank element
    assert diff["status"].value_counts().to_dict() == {"present": 43, "local_addition": 1}
    cards = {m.label: m.value for m in at.metric}
    assert cards[DETAIL["present"]] == "43 / 43"
    assert cards[DETAIL["missing"]] == "0"
    assert cards[DETAIL["local"]] == "1"
    assert DETAIL["keeps_all"].format(n=43) in [s.value for s in at.success]
    shown = at.dataframe[0].value
    assert list(shown["status"]).count(DETAIL["diff_status"]["local_addition"]) == 1


def test_overdue_heatmap_and_versions(make_app, con) -> None:
    at = open_detail(make_app, JINSHUI)
    d = scoring.evaluate(con, TODAY).district(JINSHUI).to_json()
    # a wrapping static table (long titles in full), Chinese headers, text cells
    [overdue] = [t.value for t in at.table if {COLUMNS["published_on"], COLUMNS["workdays_late"]} <= set(t.value)]
    assert list(overdue[COLUMNS["title"]]) == [o["title"] for o in d["overdue"]]
    assert list(overdue[COLUMNS["workdays_late"]]) == [str(o["workdays_late"]) for o in d["overdue"]]
    heat = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    grid = views.disclosure_heatmap(con, JINSHUI, dt.date(2025, 1, 1), TODAY)
    assert sum(sum(v for v in row if v is not None) for row in heat["z"]) == int(grid["n"].sum()) > 0
    assert heat["x"] == [f"2025年{m}月" for m in range(1, 7)]  # 2025-01 … 2025-06, never 'Jan 2025'
    assert heat["colorbar"]["tickformat"] == "d"  # counts are whole numbers …
    assert heat["colorbar"]["dtick"] == max(1, -(-int(grid["n"].max()) // 5))  # … in whole steps
    [versions] = [f for f in at.dataframe if "document_no" in f.value]
    assert len(versions.value) == len(views.catalog_versions(con, JINSHUI)) == 2
    config = json.loads(versions.proto.columns)  # dates without a midnight time
    assert config["published_on"]["type_config"] == {"type": "date", "format": "YYYY-MM-DD"}
    [late] = [t.value for t in at.table if {COLUMNS["published_on"], COLUMNS["workdays_late"]} <= set(t.value)]
    assert list(late.columns)[:2] == [COLUMNS["title"], COLUMNS["workdays_late"]]  # how late, next to the title


def test_unit_without_catalog_shows_what_to_do(make_app) -> None:
    at = open_detail(make_app, HANGKONGGANG)
    infos = [i.value for i in at.info]
    assert DETAIL["no_catalog"] in infos
    assert DETAIL["versions_empty"] in infos


def test_no_unit_chosen_says_so(make_app) -> None:
    at = open_detail(make_app, None)
    assert DETAIL["no_unit"] in [i.value for i in at.info]
    assert len(at.dataframe) == 0


def test_district_user_sees_only_their_own_unit(make_app) -> None:
    at = make_app(user={"role": "district", "district_code": JINSHUI}, page="pages/district_detail.py")
    assert [t.value for t in at.title] == [PAGE_TITLES["district_detail"]]
    assert [s.key for s in at.selectbox if s.key == "unit"] == []  # no unit picker
    assert [s.value for s in at.subheader][0] == "金水区"
    # a unit planted in the state or the URL is ignored for a district user
    at.session_state["unit"] = HANGKONGGANG
    at.run()
    assert [s.value for s in at.subheader][0] == "金水区"


def test_unpublished_past_deadline_is_listed(make_app, con) -> None:
    """Formed, unpublished, past its deadline: listed with the working days past it (the sample
    has such rows once the as-of date is set near its end, 2026-11-25)."""
    as_of = dt.date(2026, 11, 25)
    expected = [p for p in scoring.evaluate(con, as_of).district("410102").to_json()["pending"] if p["overdue"]]
    assert expected  # the case exists in the sample
    at = open_detail(make_app, "410102")
    set_period(at, as_of=as_of)
    assert f"**{DETAIL['unpublished_overdue']}**" in [m.value for m in at.markdown]
    # the one table with a deadline and no publication date
    [table] = [t.value for t in at.table if COLUMNS["deadline"] in t.value and COLUMNS["published_on"] not in t.value]
    assert sorted(table[COLUMNS["title"]]) == sorted(p["title"] for p in expected)
    late = table[DETAIL["workdays_past_deadline"]].astype(int)
    assert sorted(late) == sorted(-p["workdays_left"] for p in expected)
    assert (late > 0).all()


def test_missing_items_and_blank_elements_lead_the_diff(make_app, con) -> None:
    """新密市 drops city items and leaves elements blank: the verdict says so and the gaps come first."""
    xinmi = "410183"
    diff = views.catalog_diff(con, xinmi, TODAY)
    missing = int((diff["status"] == "missing").sum())
    blank = diff[diff["n_blank"] > 0]
    assert missing > 0 and len(blank) > 0
    at = open_detail(make_app, xinmi)
    assert DETAIL["drops_some"].format(n=missing) in [e.value for e in at.error]
    shown = at.dataframe[0].value
    assert list(shown["status"][:missing]) == [DETAIL["diff_status"]["missing"]] * missing
    first_blank = shown.iloc[missing]
    expected = "、".join(ELEMENT_LABELS[e] for e in blank.iloc[0]["blank_elements"])
    assert first_blank["blank_elements"] == expected and expected != ""


def test_every_unit_renders_at_early_and_late_dates(make_app, con) -> None:
    """Each of the 16 units, before most catalogs existed and at the test date, without an error."""
    at = open_detail(make_app, JINSHUI)
    codes = list(views.districts(con)["code"])
    for as_of in (dt.date(2020, 9, 30), TODAY):
        set_period(at, as_of=as_of)
        scores = {d.code: d.score for d in scoring.evaluate(con, as_of).districts}
        for code in codes:
            at.selectbox(key="unit").set_value(code).run()
            assert not at.exception, (code, as_of)
            assert any(f"{scores[code]:.2f}" in m.value for m in at.markdown), (code, as_of)


def test_the_unit_opened_in_detail_carries_over_to_self_check(make_app) -> None:
    """A supervisor drills into 新密市, then opens 区县自查: the same unit, not the first in the list."""
    at = open_detail(make_app, "410183")
    at.switch_page("pages/self_check.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="self_check_unit").value == "410183"
