"""Constants shared by the page tests (a plain module: test files cannot import conftest)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")
TODAY = dt.date(2025, 6, 30)  # COMPLIANCE_TODAY of every page test
BUREAU = {"role": "bureau", "district_code": None}
ADMIN = {"role": "admin", "district_code": None}  # 数据管理员: the only role with 数据管理
JINSHUI = "410105"
ZHONGMU = "410122"  # the only unit of kind 县
XINMI = "410183"  # a unit with gaps: the detail and self-check pages of the display tests


def set_period(at, as_of: dt.date | None = None, since: dt.date | None = None):
    """Type dates into the period form and click 确定 (the page only uses committed dates)."""
    if as_of is not None:
        at.date_input(key="as_of_input").set_value(as_of)
    if since is not None:
        at.date_input(key="since_input").set_value(since)
    at.button(key="period_submit").click()
    return at.run()


class Downloads(dict):  # type: ignore[type-arg]
    """file id -> bytes; a deferred download (data built on click) is built on first lookup, as
    Streamlit's media manager does when the browser asks for it."""

    def __init__(self) -> None:
        super().__init__()
        self.deferred: dict[str, Callable[[], bytes]] = {}

    def __missing__(self, file_id: str) -> bytes:
        data = self.deferred[file_id]()
        self[file_id] = data
        return data


def open_page(monkeypatch, db: Path, page: str, user: dict, today: dt.date):  # noqa: ANN001, ANN201
    """AppTest of `page` on `db` at `today` as `user` (演示模式: the sidebar switch decides the role
    and unit); 区县详情 and 区县自查 open on 新密市 for a bureau user. Fails on any exception."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COMPLIANCE_DB", str(db))
    monkeypatch.setenv("COMPLIANCE_TODAY", today.isoformat())
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state["demo_role"] = user["role"]
    if user.get("district_code"):
        at.session_state["demo_unit"] = user["district_code"]
    at.session_state["unit"] = XINMI  # the detail page's unit (a bureau user's pick)
    at.session_state["self_check_unit"] = XINMI
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at
