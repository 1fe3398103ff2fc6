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
