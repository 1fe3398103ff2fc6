"""What a user sees in every table of every page: Chinese headers, no 'None'/'NaN'/'True' or
English status ids in cells, dates without a midnight time, scores with two decimals.

Every page is opened as the bureau (the detail and self-check on 新密市, a unit with gaps) and the
self-check as 新密市's own district user, on the sample at two dates: the page tests' TODAY and
2026-11-25 (when 新密市 has pending disclosures past their deadline).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from page_helpers import ADMIN, BUREAU, DASHBOARD, TODAY, XINMI, open_page
from streamlit.testing.v1 import AppTest

LATE_TODAY = dt.date(2026, 11, 25)
BUREAU_PAGES = ["overview", "trend", "milestones", "district_detail", "self_check", "report", "catalog",
                "data_admin"]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Cell texts that are English leaking through (pandas/NumPy reprs and the scoring's status ids)
LEAKS = {"None", "nan", "NaN", "NaT", "True", "False", "<NA>", "on_time", "late", "missed", "pending",
         "present", "missing", "local_addition", "loaded", "partial", "unchanged", "refused",
         "high", "medium", "low", "official", "catalog", "disclosures", "standard"}


def visible_columns(element) -> list[tuple[str, str, dict]]:
    """(column, header shown, its column config) for each column the table shows."""
    frame: pd.DataFrame = element.value
    config = json.loads(element.proto.columns or "{}")
    order = list(element.proto.column_order) or [str(c) for c in frame.columns]
    shown = []
    for column in order:
        conf = config.get(column, {})
        if conf.get("hidden") or column not in frame.columns:
            continue
        shown.append((column, conf.get("label") or column, conf))
    return shown


def problems_of(element) -> list[str]:
    """Everything in one displayed table that a Chinese reader should not see."""
    frame: pd.DataFrame = element.value
    found = []
    for column, header, conf in visible_columns(element):
        values = frame[column]
        if not CJK.search(header):
            found.append(f"English header {header!r}")
        if values.isna().any() and not CJK.search(element.proto.placeholder or "") \
                and element.proto.placeholder not in ("—", "-", " "):
            found.append(f"{header}: blank cells render as 'None' (no placeholder)")
        if pd.api.types.is_bool_dtype(values):
            found.append(f"{header}: True/False column")
        kind = conf.get("type_config", {}).get("type")
        if (pd.api.types.is_datetime64_any_dtype(values) and kind not in ("date", "datetime")
                and (values.dropna().dt.normalize() == values.dropna()).all() and len(values.dropna())):
            found.append(f"{header}: dates shown with 00:00:00")
        if (pd.api.types.is_float_dtype(values) and not conf.get("type_config", {}).get("format")
                and not (values.dropna() == values.dropna().round(0)).all()):
            found.append(f"{header}: unformatted decimals")
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            leaked = sorted({str(v) for v in values.dropna() if str(v).strip() in LEAKS})
            if leaked:
                found.append(f"{header}: English cells {leaked}")
    return found


def picker_problems(at: AppTest) -> list[str]:
    """A picker that can be empty must say so in Chinese (Streamlit's default is 'Choose an option')."""
    found = []
    for widget in [*at.multiselect, *[s for s in at.selectbox if s.value is None]]:
        if not CJK.search(widget.proto.placeholder or ""):
            found.append(f"picker {widget.label!r}: no Chinese placeholder")
    return found


def page_problems(at: AppTest) -> list[str]:
    tables = [f"table {i}: {p}" for i, element in enumerate(at.dataframe) for p in problems_of(element)]
    return tables + picker_problems(at)


@pytest.mark.parametrize("today", [TODAY, LATE_TODAY], ids=["today", "late_today"])
@pytest.mark.parametrize("page", BUREAU_PAGES)
def test_bureau_tables_read_as_chinese(monkeypatch: pytest.MonkeyPatch, pages_db: Path, page: str,
                                       today: dt.date) -> None:
    at = open_page(monkeypatch, pages_db, page, ADMIN if page == "data_admin" else BUREAU, today)
    assert at.dataframe or page in ("data_admin",), "every page but the upload forms shows a table"
    assert page_problems(at) == []


@pytest.mark.parametrize("today", [TODAY, LATE_TODAY], ids=["today", "late_today"])
@pytest.mark.parametrize("page", ["self_check", "district_detail", "catalog"])
def test_district_tables_read_as_chinese(monkeypatch: pytest.MonkeyPatch, pages_db: Path, page: str,
                                         today: dt.date) -> None:
    at = open_page(monkeypatch, pages_db, page, {"role": "district", "district_code": XINMI}, today)
    assert at.dataframe
    assert page_problems(at) == []


def test_the_sign_in_gate_reads_as_chinese(monkeypatch: pytest.MonkeyPatch, pages_db: Path, tmp_path: Path) -> None:
    from accounts import store

    users = tmp_path / "users.toml"
    store.add("duban", "bureau", "Duban-Pass-2026", path=users)
    monkeypatch.setenv("COMPLIANCE_USERS", str(users))
    monkeypatch.setenv("COMPLIANCE_DB", str(pages_db))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert [b.label for b in at.button] == ["登录"]
    assert picker_problems(at) == []


def test_the_checks_catch_a_leak() -> None:
    """The checker itself: a raw header, a None cell without placeholder and an English status."""
    import streamlit as st  # noqa: F401  (AppTest below renders a throwaway script)

    script = ("import pandas as pd, streamlit as st\n"
              "st.dataframe(pd.DataFrame({'status': ['on_time', None], '单位': ['甲', '乙']}))\n")
    at = AppTest.from_string(script).run()
    found = problems_of(at.dataframe[0])
    assert "English header 'status'" in found
    assert any("placeholder" in p for p in found)
    assert any("English cells ['on_time']" in p for p in found)
    picker = AppTest.from_string("import streamlit as st\nst.multiselect('单位', ['甲'])\n").run()
    assert picker_problems(picker) == ["picker '单位': no Chinese placeholder"]
