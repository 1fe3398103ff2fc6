"""The app shell: the sign-in gate, what each identity may open, the sidebar, and that every
registered page renders on the sample database. Page contents are pinned in the page tests."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from page_helpers import BUREAU, JINSHUI, ROOT
from streamlit.testing.v1 import AppTest

from ui_text.pages import NO_ACCESS, PAGE_TITLES, SIDEBAR, SIGN_IN


def registered_pages() -> list[tuple[str, str, tuple[str, ...]]]:
    """dashboard.PAGES read from the source (importing it would run the app)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "PAGES":
            return ast.literal_eval(node.value)
    raise AssertionError("dashboard.PAGES not found")


def test_gate_blocks_until_signed_in(make_app) -> None:
    at = make_app(user=None)
    assert [t.value for t in at.title] == ["公开督导台"]
    assert SIGN_IN["note"] in [c.value for c in at.caption]
    assert len(at.dataframe) == 0  # no page content behind the gate
    assert "user" not in at.session_state


def test_gate_holds_on_every_page_url(make_app) -> None:
    at = make_app(user=None)
    for page, _, _ in registered_pages():
        at.switch_page(page)  # every page URL is known while signed out (no "page not found") …
        at.run()
        assert not at.exception
        assert [t.value for t in at.title] == ["公开督导台"]  # … and every one shows the gate
        assert len(at.dataframe) == 0 and len(at.metric) == 0


def test_sign_in_as_bureau_opens_overview(make_app) -> None:
    at = make_app(user=None)
    at.radio(key="sign_in_role").set_value("bureau")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["user"] == {"role": "bureau", "district_code": None}
    assert [t.value for t in at.title] == [PAGE_TITLES["overview"]]


def test_district_sign_in_needs_a_unit(make_app) -> None:
    at = make_app(user=None)
    at.radio(key="sign_in_role").set_value("district")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [SIGN_IN["need_district"]]
    assert "user" not in at.session_state
    at.selectbox(key="sign_in_district").set_value(JINSHUI)
    at.button[0].click().run()
    assert at.session_state["user"] == {"role": "district", "district_code": JINSHUI}


BUREAU_ONLY = [p for p, _, roles in registered_pages() if "district" not in roles]


@pytest.mark.parametrize("page", BUREAU_ONLY)
def test_district_user_cannot_navigate_to_bureau_pages(make_app, page: str) -> None:
    at = make_app(user={"role": "district", "district_code": JINSHUI})
    assert PAGE_TITLES["self_check"] in [t.value for t in at.title]  # a district's default page
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


@pytest.mark.parametrize("page", BUREAU_ONLY)
def test_a_page_run_directly_still_goes_through_the_shell(app_env, pages_db, page: str) -> None:
    """Streamlit runs pages/<x>.py directly for a deep link while the process is in its legacy
    pages/ mode; the page must then hand over to dashboard.py (gate, navigation, roles)."""
    app_env(pages_db)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["公开督导台"]  # the sign-in gate, not the page
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["user"] = {"role": "district", "district_code": JINSHUI}
    at.run()
    assert PAGE_TITLES["self_check"] in [t.value for t in at.title]  # the district's default page
    assert NO_ACCESS not in [e.value for e in at.error]


def test_district_pages_are_registered_for_districts_only_where_allowed() -> None:
    pages = {url: roles for _, url, roles in registered_pages()}
    district_pages = {url for url, roles in pages.items() if "district" in roles}
    assert district_pages <= {"self_check", "district_detail", "catalog"}
    assert district_pages == {"self_check", "district_detail", "catalog"}
    assert all("bureau" in roles for roles in pages.values())


@pytest.mark.parametrize("page,url", [(p, u) for p, u, _ in registered_pages()])
def test_every_registered_page_renders_for_bureau(make_app, page: str, url: str) -> None:
    assert (ROOT / page).exists()
    at = make_app(page=page)
    assert not at.exception
    assert PAGE_TITLES[url] in [t.value for t in at.title]


def test_sidebar_shows_identity_sample_badge_and_signs_out(make_app) -> None:
    at = make_app()
    captions = [c.value for c in at.sidebar.caption]
    assert SIDEBAR["signed_in_as"].format(role="市住房保障局督导人员") in captions
    badges = [m.value for m in at.sidebar.markdown]
    assert any(SIDEBAR["sample_badge"] in b for b in badges)
    at.sidebar.button(key="sign_out").click().run()
    assert "user" not in at.session_state
    assert [t.value for t in at.title] == ["公开督导台"]


def test_no_sample_badge_on_a_database_without_the_sample(make_app, fresh_db: Path) -> None:
    at = make_app(db=fresh_db)
    assert not any(SIDEBAR["sample_badge"] in m.value for m in at.sidebar.markdown)
    assert BUREAU["role"] == at.session_state["user"]["role"]
