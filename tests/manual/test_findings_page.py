"""Page 人工核查 (AppTest over dashboard.py, a private copy of the sample; that it is registered for
the bureau only is checked by tests/pages/test_page_shell.py over every registered page): recording a finding stores it, shows it in force and in the history, and moves the
unit's evaluation; a refusal shows the Chinese message and stores nothing."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.db import connect_read_only, writing
from scoring import evaluate
from ui_text import manual as T
from ui_text.pages import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")
BUREAU = {"role": "bureau", "district_code": None}


@pytest.fixture
def app(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "findings_page.duckdb"
    shutil.copy(sample_db, db)
    monkeypatch.setenv("COMPLIANCE_DB", str(db))
    monkeypatch.setenv("COMPLIANCE_TODAY", "2025-06-30")

    def make(user: dict) -> AppTest:
        at = AppTest.from_file(DASHBOARD, default_timeout=120)
        at.session_state["demo_role"] = user["role"]  # 演示模式 (no account file): the sidebar switch
        if user.get("district_code"):
            at.session_state["demo_unit"] = user["district_code"]
        at.run()
        return at
    return make, db


def _count(db: Path) -> int:
    con = connect_read_only(db)  # how the app itself reads the current file (written by copy and rename)
    try:
        return con.execute("SELECT count(*) FROM findings").fetchone()[0]
    finally:
        con.close()


def test_record_and_review_a_finding(app) -> None:
    make, db = app
    at = make(BUREAU)
    at.switch_page("pages/findings.py")
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [T.PAGE_TITLE]
    at.selectbox(key="finding_unit").set_value("410105")
    at.selectbox(key="finding_indicator").set_value("portal_column")
    at.run()
    at.radio(key="finding_yes_no").set_value(T.YES)
    at.text_input(key="finding_note").input("专题已开设并按月更新")
    at.text_input(key="finding_url").input("https://www.zhengzhou.gov.cn/jinshui/jczwgk/")
    at.button(key="finding_submit").click()
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [T.PAGE["saved"].format(id=1)]
    assert _count(db) == 1
    con = connect_read_only(db)
    try:  # the unit's evaluation now holds the indicator (1 = 是), as of the app's today
        assert evaluate(con, dt.date(2025, 6, 30)).district("410105").components["portal_column"] == 1.0
    finally:
        con.close()
    # in force: all 16 units (a wrapping table: the six indicator names do not fit a grid at 1280 px)
    [grid] = [t.value.set_index(COLUMNS["name"]) for t in at.table if COLUMNS["name"] in t.value
              and T.MANUAL_LABELS["portal_column"] in t.value]
    assert len(grid) == 16
    assert grid.loc["金水区", T.MANUAL_LABELS["portal_column"]] == T.YES
    assert grid.loc["二七区", T.MANUAL_LABELS["portal_column"]] == T.UNCHECKED
    [history] = [t.value for t in at.table if T.FINDING_COLUMNS["recorded_at"] in t.value]
    row = history.iloc[0]
    assert (row[T.FINDING_COLUMNS["district"]], row[T.FINDING_COLUMNS["indicator"]],
            row[T.FINDING_COLUMNS["value"]], row[T.FINDING_COLUMNS["evidence"]]) == (
        "金水区", T.MANUAL_LABELS["portal_column"], T.YES, "https://www.zhengzhou.gov.cn/jinshui/jczwgk/")


def test_a_refused_finding_stores_nothing(app) -> None:
    make, db = app
    at = make(BUREAU)
    at.switch_page("pages/findings.py")
    at.run()
    at.selectbox(key="finding_indicator").set_value("staffing")
    at.run()
    at.radio(key="finding_yes_no").set_value(T.YES)  # 是 without evidence
    at.button(key="finding_submit").click()
    at.run()
    assert [e.value for e in at.error] == [T.FINDING_ERRORS["evidence_required"].format(label=T.MANUAL_LABELS["staffing"])]
    assert _count(db) == 0



def test_a_district_sees_its_own_findings_evidence_and_vetoes(app) -> None:
    make, db = app
    with writing(db) as con:  # written before the app opens the file
        from scoring import findings, load_rules

        rules = load_rules()
        findings.record(con, rules, "410105", "service_hall", "是", dt.date(2025, 3, 1), recorded_by="李四",
                        note="专区设在一楼", evidence_url="https://www.zhengzhou.gov.cn/jinshui/hall.jpg")
        findings.record(con, rules, "410103", "training", "否", dt.date(2025, 3, 1), recorded_by="李四")
    at = make({"role": "district", "district_code": "410105"})
    assert not at.exception, at.exception
    frames = [t.value for t in at.table]  # wrapping tables: notes and evidence in full
    own = next(f for f in frames if T.FINDING_COLUMNS["evidence"] in f.columns)
    assert own.to_dict("records") == [{
        T.FINDING_COLUMNS["indicator"]: T.MANUAL_LABELS["service_hall"], T.FINDING_COLUMNS["value"]: T.YES,
        T.FINDING_COLUMNS["applies_from"]: "2025-03-01", T.FINDING_COLUMNS["note"]: "专区设在一楼",
        T.FINDING_COLUMNS["evidence"]: "https://www.zhengzhou.gov.cn/jinshui/hall.jpg",
        T.FINDING_COLUMNS["recorded_by"]: "李四"}]  # 二七区's finding is not shown to 金水区

    # 航空港区 (no catalog in the sample) sees its no_catalog veto and its reason
    at = make({"role": "district", "district_code": "410173"})
    assert not at.exception, at.exception
    adjustments = next(t.value for t in at.table if "原因" in t.value.columns)
    assert list(adjustments["类别"]) == [T.SELF_CHECK["vetoes"]]
    assert "等次最高为不合格" in adjustments["原因"].iloc[0]
