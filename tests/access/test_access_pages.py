"""Sign-in and scope enforcement through the real app (AppTest of dashboard.py) with a real account
file: the gate on every page and URL, wrong passwords locking out, the idle timeout and 退出, and a
district account trying every way around its scope — page switching, `?unit=`, edited session
state, a direct page URL, a draft round — while its downloads hold only its own unit. Demo mode
(no account file) is in test_access_demo.py; rounds pages in test_access_rounds_pages.py."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest
from access_helpers import ERQI, ROOT, audit_rows, sign_in

from accounts import store
from accounts.scope import PAGE_ROLES
from scoring import rounds
from ui_text.access import NO_ACCESS, SIGN_IN

ALL_NAMES = [line.split(",")[2] for line in (ROOT / "data" / "districts.csv").read_text(encoding="utf-8").splitlines()[1:]]
OTHER_NAMES = [n for n in ALL_NAMES if n != "金水区"]


def _gate(at) -> bool:
    """The sign-in form and nothing of any page behind it."""
    labels = [t.label for t in at.text_input]
    return (labels == [SIGN_IN["username"], SIGN_IN["password"]] and [t.value for t in at.title] == ["公开督导台"]
            and len(at.dataframe) == 0 and len(at.metric) == 0)


def _texts(at) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "success", "warning", "error")
             for e in getattr(at, kind)]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    for table in at.table:
        parts.append(table.value.to_csv())
    return "\n".join(str(p) for p in parts)


def test_gate_holds_on_every_page_url(new_app, users: Path) -> None:
    at = new_app().run()
    assert _gate(at)
    assert [b.label for b in at.button] == [SIGN_IN["submit"]]
    for page in PAGE_ROLES:
        at.switch_page(f"pages/{page}.py")  # every URL is known while signed out …
        at.run()
        assert not at.exception
        assert _gate(at), page               # … and every one shows only the form


def test_a_direct_page_url_still_needs_sign_in(new_app, users: Path) -> None:
    for page in ("overview", "district_detail", "self_check", "report", "audit"):
        at = new_app(str(ROOT / "pages" / f"{page}.py")).run()
        assert not at.exception
        assert _gate(at), page


def test_edited_session_state_is_not_a_sign_in(new_app, users: Path) -> None:
    at = new_app()
    at.session_state["user"] = {"role": "bureau", "district_code": None}   # the old chooser's identity
    at.session_state["demo_role"] = "admin"                                  # the demo switch
    at.session_state["auth_token"] = "forged-token"
    at.run()
    assert _gate(at)


def test_bureau_signs_in_to_the_overview_and_signs_out(signed_in, app_db: Path) -> None:
    at = signed_in("duban")
    assert [t.value for t in at.title] == ["督导总览"]
    assert len(at.dataframe(key="ranking_table").value) == 16
    at.sidebar.button(key="sign_out").click().run()
    assert _gate(at)
    assert [(a, who) for a, who, _ in audit_rows(app_db)] == [("sign_in", "duban"), ("sign_out", "duban")]


def test_wrong_passwords_lock_out_for_fifteen_minutes(new_app, users: Path, app_db: Path) -> None:
    at = new_app().run()
    for left in (4, 3, 2, 1):
        sign_in(at, "jinshui", "wrong-password")
        assert [e.value for e in at.error] == [SIGN_IN["remaining"].format(n=left)]
    sign_in(at, "jinshui", "wrong-password")
    assert SIGN_IN["locked"].split("{until}")[0] in at.error[0].value
    # the right password is refused now, also from a brand-new session (the lock is in the file)
    other = new_app().run()
    sign_in(other, "jinshui")
    assert _gate(other) and SIGN_IN["locked"].split("{until}")[0] in other.error[0].value
    assert store.load(users)["jinshui"].locked_until is not None
    rows = [(a, target) for a, _, target in audit_rows(app_db)]
    assert rows == [("sign_in_failed", "jinshui")] * 5 + [("lockout", "jinshui"), ("sign_in_failed", "jinshui")]


def test_idle_session_times_out(signed_in) -> None:
    from appkit import scope as access

    at = signed_in("duban")
    record = access.sessions()[at.session_state["auth_token"]]
    record.last_seen -= dt.timedelta(minutes=31)
    at.run()
    assert _gate(at)
    assert SIGN_IN["expired"] in [w.value for w in at.warning]


def test_a_disabled_account_is_out_at_its_next_click(signed_in, users: Path) -> None:
    at = signed_in("jinshui")
    store.disable("jinshui", users)
    at.run()
    assert _gate(at) and SIGN_IN["gone"] in [w.value for w in at.warning]


def test_district_lands_on_its_own_self_check(signed_in) -> None:
    at = signed_in("jinshui")
    assert [t.value for t in at.title] == ["区县自查"]
    text = _texts(at)
    assert "金水区" in text
    assert not [n for n in OTHER_NAMES if n in text]


@pytest.mark.parametrize("page", [p for p, roles in PAGE_ROLES.items() if "district" not in roles])
def test_district_cannot_switch_to_bureau_pages(signed_in, page: str) -> None:
    at = signed_in("jinshui")
    # every page URL stays registered (no English "Page not found"), so the page itself refuses
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert not at.dataframe  # nothing of another unit (or of every unit) was drawn


@pytest.mark.parametrize("page", ["district_detail", "self_check"])
def test_district_ignores_unit_in_url_and_session_state(signed_in, page: str) -> None:
    at = signed_in("jinshui")
    at.query_params["unit"] = ERQI
    at.session_state["unit"] = ERQI
    at.session_state["self_check_unit"] = ERQI
    at.session_state["demo_role"] = "bureau"
    at.session_state["user"] = {"role": "bureau", "district_code": None}
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception
    text = _texts(at)
    assert "金水区" in text and "二七区" not in text
    assert not [n for n in OTHER_NAMES if n in text]


def test_scope_refuses_another_units_read_even_when_asked_directly(signed_in) -> None:
    """The read functions themselves refuse: a page that asked for another unit gets 无权访问."""
    at = signed_in("jinshui")
    script = ("from appkit import scope\nfrom appkit.db import database\n"
              "scope.resolve(database())\n"
              f"scope.view(database(), 'catalog_diff', '{ERQI}', __import__('datetime').date(2026, 9, 30))\n")
    from streamlit.testing.v1 import AppTest

    probe = AppTest.from_string(script, default_timeout=60)
    probe.session_state["auth_token"] = at.session_state["auth_token"]
    probe.run()
    assert [e.value for e in probe.error] == [NO_ACCESS]


def test_district_downloads_hold_only_its_unit(signed_in, downloads) -> None:
    at = signed_in("jinshui")
    assert at.title[0].value == "区县自查"
    files = [name for name in downloads if name and name.endswith(".xlsx")]
    assert files and all("金水区" in name for name in files)
    for name in files:
        wb = openpyxl.load_workbook(io.BytesIO(downloads[name][0]))
        cells = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
        assert "金水区" in cells
        assert not [n for n in OTHER_NAMES if n in cells], name


def test_district_sees_the_ranking_only_of_circulated_rounds(signed_in, app_db: Path) -> None:
    con = duckdb.connect(str(app_db))
    draft = rounds.create(con, "2026年第三季度试算", dt.date(2026, 9, 30), actor="duban")
    done = rounds.create(con, "2026年第二季度", dt.date(2026, 6, 30), actor="duban")
    rounds.circulate(con, done, "郑房保〔2026〕8号", dt.date(2026, 7, 10), actor="duban")
    con.close()
    at = signed_in("jinshui")
    options = at.sidebar.selectbox(key="_view_round").options
    assert len(options) == 2 and "2026年第二季度" in options[1] and not any("试算" in o for o in options)
    # a draft id put into session state is ignored: the live (own-unit) evaluation is shown
    at.session_state["view_round"] = draft
    at.switch_page("pages/rounds.py")
    at.run()
    assert not at.exception
    assert "试算" not in _texts(at)
    listed, ranking = (d.value for d in at.dataframe)  # rounds_table, round_ranking
    assert list(listed["名称"]) == ["2026年第二季度"]
    assert len(ranking) == 16  # the circulated ranking across units …
    at.sidebar.selectbox(key="_view_round").set_value(done).run()
    at.switch_page("pages/district_detail.py")
    at.run()
    text = _texts(at)  # … but detail only of its own unit, even inside the circulated round
    assert "2026年第二季度" in text and "金水区" in text and "二七区" not in text
