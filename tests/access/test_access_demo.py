"""演示模式 (no account file, or none active): the first screen is 督导总览 as a supervisor with all 16
units and the banner, no chooser in the way; the sidebar switch views it as any role or unit; with an
active account the switch is gone and the gate is back."""
from __future__ import annotations

from pathlib import Path

import pytest
from access_helpers import PASSWORDS, ROOT

from accounts import store
from ui_text.access import DEMO, NO_ACCESS, SIGN_IN

ALL_NAMES = [line.split(",")[2] for line in (ROOT / "data" / "districts.csv").read_text(encoding="utf-8").splitlines()[1:]]


def test_demo_lands_on_the_ranking_with_its_banner(new_app) -> None:
    at = new_app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["督导总览"]
    assert DEMO["banner"] in [i.value for i in at.info]
    ranking = at.dataframe(key="ranking_table").value
    assert sorted(ranking["name"]) == sorted(ALL_NAMES) and len(ranking) == 16
    assert not at.text_input  # no sign-in form, no chooser
    assert at.sidebar.selectbox(key="_demo_role").value == "bureau"


def test_demo_switch_views_as_a_district(new_app) -> None:
    at = new_app().run()
    at.sidebar.selectbox(key="_demo_role").set_value("district").run()
    at.sidebar.selectbox(key="_demo_unit").set_value("410183").run()  # 新密市
    assert not at.exception
    assert [t.value for t in at.title] == ["区县自查"]
    assert "新密市" in [s.value for s in at.subheader]
    at.switch_page("pages/overview.py").run()  # registered URL, refused by the page: no ranking drawn
    assert [e.value for e in at.error] == [NO_ACCESS] and not at.dataframe
    at.switch_page("pages/district_detail.py")
    at.run()
    assert "新密市" in [s.value for s in at.subheader]
    assert DEMO["banner"] in [i.value for i in at.info]


def test_demo_switch_views_as_admin(new_app) -> None:
    at = new_app().run()
    at.sidebar.selectbox(key="_demo_role").set_value("admin").run()
    at.switch_page("pages/audit.py")
    at.run()
    assert not at.exception and at.title[0].value == "审计日志"


def test_only_disabled_accounts_is_still_demo(new_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users = tmp_path / "users.toml"
    store.add("duban", "bureau", PASSWORDS["duban"], path=users)
    store.disable("duban", users)
    monkeypatch.setenv("COMPLIANCE_USERS", str(users))
    at = new_app().run()
    assert at.title[0].value == "督导总览" and DEMO["banner"] in [i.value for i in at.info]
    store.enable("duban", users)
    at.run()
    assert [t.label for t in at.text_input] == [SIGN_IN["username"], SIGN_IN["password"]]
    assert not at.sidebar.selectbox  # the switch is gone
