"""The period form (issue 11 item 1): typed dates count only after 确定; every download names the
date it was built for; the committed as-of date lives in the URL (?as_of=) and survives a reload."""
from __future__ import annotations

import datetime as dt

from page_helpers import DASHBOARD, TODAY, set_period

from ui_text import self_check as SC
from ui_text.common import date_text


def test_a_typed_date_is_not_used_before_confirming(make_app) -> None:
    at = make_app(page="pages/report.py")
    at.date_input(key="as_of_input").set_value(dt.date(2023, 6, 30)).run()  # typed, 确定 not clicked
    assert at.session_state["as_of"] == TODAY
    button = at.get("download_button")[0]
    assert button.proto.label == SC.REPORT_DOWNLOAD.format(as_of=date_text(TODAY))
    set_period(at, as_of=dt.date(2023, 6, 30))  # typed again, then 确定
    assert at.session_state["as_of"] == dt.date(2023, 6, 30)
    assert at.get("download_button")[0].proto.label == SC.REPORT_DOWNLOAD.format(as_of="2023年6月30日")


def test_as_of_is_in_the_url_and_survives_a_reload(make_app, app_env, pages_db) -> None:
    at = make_app()
    assert at.query_params["as_of"] == TODAY.isoformat()
    set_period(at, as_of=dt.date(2023, 6, 30))
    assert at.query_params["as_of"] == "2023-06-30"
    # a reload is a new session with the same URL
    from streamlit.testing.v1 import AppTest
    app_env(pages_db)
    again = AppTest.from_file(DASHBOARD, default_timeout=120)
    again.session_state["user"] = {"role": "bureau", "district_code": None}
    again.query_params["as_of"] = "2023-06-30"
    again.run()
    assert not again.exception
    assert again.session_state["as_of"] == dt.date(2023, 6, 30)
    assert again.date_input(key="as_of_input").value == dt.date(2023, 6, 30)
    assert again.session_state["since"] == dt.date(2023, 1, 1)


def test_unit_and_as_of_in_the_url_open_that_unit_after_a_reload(app_env, pages_db) -> None:
    """A reload (a new session) of 区县详情?unit=410105&as_of=2023-06-30 opens 金水区 at that date."""
    from streamlit.testing.v1 import AppTest

    from ui_text.pages import PAGE_TITLES
    app_env(pages_db)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["user"] = {"role": "bureau", "district_code": None}
    at.switch_page("pages/district_detail.py")  # the URL's page …
    at.query_params["unit"] = "410105"  # … and its parameters
    at.query_params["as_of"] = "2023-06-30"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [PAGE_TITLES["district_detail"]]
    assert at.selectbox(key="unit").value == "410105"
    assert at.session_state["as_of"] == dt.date(2023, 6, 30)
    assert at.query_params["as_of"] == "2023-06-30"


def test_the_root_keeps_the_url_parameters_on_its_way_to_the_first_page(app_env, pages_db) -> None:
    from streamlit.testing.v1 import AppTest
    app_env(pages_db)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["user"] = {"role": "bureau", "district_code": None}
    at.query_params["as_of"] = "2023-06-30"
    at.run()  # '/': the landing page switches to 督导总览 with ?as_of= kept
    assert at.session_state["as_of"] == dt.date(2023, 6, 30)
