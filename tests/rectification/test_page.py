"""整改跟踪 (pages/rectification.py) under AppTest on the hand-built world of conftest.py: the
bureau sees every unit's tasks overdue first with filters and what waits for it; a district sees
only its own unit's tasks (whatever the session's unit or the URL say) and reports a fix or files
a dispute through the page; the bureau accepts the dispute there and revision 1 appears.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.db import connect_read_only
from scoring import disputes, rectification, rounds
from tests.rectification.helpers import ROOT_DIR, ZHONGYUAN, circulate, city_items, load, run, write_catalog

BUREAU = {"role": "bureau", "district_code": None}
ZY = {"role": "district", "district_code": "410102"}


@pytest.fixture
def app_db(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
           monkeypatch: pytest.MonkeyPatch) -> Path:
    """The first round circulated, the missing item fixed (10-16), then checked on 10-30 (after
    the deadline 10-29: every other task overdue)."""
    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    assert load(capsys, "catalog", "--district", ZHONGYUAN, str(write_catalog(tmp_path / "full.csv", city_items(world))),
                "--published-on", "2026-10-16", "--db", str(world))[0] == 0
    assert run(capsys, "tasks", "verify", "--as-of", "2026-10-30", "--db", str(world))[0] == 0
    monkeypatch.setenv("COMPLIANCE_DB", str(world))
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-30")
    return world


def _open(user: dict, page: str = "pages/rectification.py", **state: object) -> AppTest:
    """The app in 演示模式 (no account file, tests/conftest.py) viewed as `user` via the demo switch."""
    at = AppTest.from_file(str(ROOT_DIR / "dashboard.py"), default_timeout=120)
    at.session_state["demo_role"] = user["role"]
    if user.get("district_code"):
        at.session_state["demo_unit"] = user["district_code"]
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_bureau_sees_every_task_overdue_first_and_what_waits(app_db: Path) -> None:
    at = _open(BUREAU)
    assert "整改跟踪" in [t.value for t in at.title]
    table = at.dataframe[0].value
    assert len(table) == 1323
    assert list(table["status"][:1322]) == ["逾期未整改"] * 1322 and table["status"].iloc[-1] == "已整改"
    assert "逾期未整改的任务：1322 项" in [m.value for m in at.markdown]  # the page's waiting box
    assert "逾期未整改的任务：1322 项" in at.sidebar.warning[0].value  # and the sidebar, on every page
    # filters: one unit, one status
    at.multiselect(key="rect_units").set_value([ZHONGYUAN])
    at.multiselect(key="rect_status").set_value(["已整改"]).run()
    table = at.dataframe[0].value
    assert list(table["detail"]) == ["现行目录缺少标准事项「重大决策/决策前预公开」。"]
    assert "zy_full.csv" not in "".join(table["evidence"]) and "full.csv" in table["evidence"].iloc[0]


def test_district_sees_only_its_own_unit_and_reports_a_fix(app_db: Path) -> None:
    at = _open(ZY, unit="410103")  # the session's last-opened unit is 二七区: ignored here
    table = at.dataframe[0].value
    assert len(table) == 46 and set(table["name"]) == {ZHONGYUAN}
    con = connect_read_only(app_db)  # the app holds the file attached
    task = next(t for t in rectification.list_tasks(con, unit=ZHONGYUAN) if t["category"] == "milestone_2023_06")
    con.close()
    at.selectbox(key="rect_task").set_value(task["id"]).run()
    at.text_input(key="rect_report_url").set_value("http://zy.example/zhuanti")
    at.text_area(key="rect_report_note").set_value("十个一级事项均已有公开信息")
    at.button(key="rect_report_submit").click().run()
    assert not at.exception
    assert "已提交整改报告，等待督导核验。" in [s.value for s in at.success]
    con = connect_read_only(app_db)  # the app holds the file attached
    reported = rectification.get_task(con, task["id"])
    con.close()
    assert reported["status"] == "reported" and reported["report"]["evidence"]["url"] == "http://zy.example/zhuanti"


def test_dispute_filed_by_district_and_accepted_by_bureau_on_the_page(app_db: Path) -> None:
    con = connect_read_only(app_db)  # the app holds the file attached
    task = next(t for t in rectification.list_tasks(con, unit=ZHONGYUAN) if t["category"] == "milestone_2020_09")
    round_id = task["round_id"]
    con.close()
    at = _open(ZY)
    at.selectbox(key="rect_task").set_value(task["id"]).run()
    at.text_area(key="rect_dispute_reason").set_value("2020年目录已印发")
    at.button(key="rect_dispute_submit").click().run()
    assert not at.exception
    assert any("已提交申诉" in s.value for s in at.success)
    bureau = _open(BUREAU)
    assert "待裁定的申诉：1 项" in bureau.sidebar.warning[0].value
    bureau.text_input(key="rect_decision_reason").set_value("属实")
    bureau.button(key="rect_accept").click().run()
    assert not bureau.exception
    assert any("修订版 1" in s.value for s in bureau.success)
    con = connect_read_only(app_db)  # the app holds the file attached
    try:
        assert rounds.get(con, round_id).revision == 1
        assert [p["status"] for p in disputes.list_disputes(con)] == ["accepted"]
        # 中原区 with the 2020 milestone on time: 100 × (20 × 42/43 + 10 + 10) / 70 = 56.48 (see test_disputes.py)
        assert next(d for d in rounds.show(con, round_id)["districts"] if d["district"] == ZHONGYUAN)["score"] == 56.48
    finally:
        con.close()


def test_upload_on_data_admin_runs_the_verification(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_DB", str(world))
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    full = write_catalog(tmp_path / "zy_full.csv", city_items(world))
    at = _open({"role": "admin"}, "pages/data_admin.py")  # 数据管理 is the data steward's page
    at.selectbox(key="catalog_unit").set_value("410102")
    at.file_uploader(key="catalog_file").set_value((full.name, full.read_bytes(), "text/csv"))
    at.date_input(key="catalog_published_on").set_value(dt.date(2026, 10, 16))
    at.button(key="submit_catalog").click().run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    assert "系统核验完成：新整改 1 项，逾期未整改 0 项，重新打开 0 项。" in [i.value for i in at.info]
    con = connect_read_only(world)  # the app holds the file attached
    try:
        task = next(t for t in rectification.list_tasks(con, unit=ZHONGYUAN) if t["category"] == "missing_item")
    finally:
        con.close()
    assert (task["status"], task["fixed_on"], task["evidence"]["source"]) == ("fixed", "2026-10-16", "zy_full.csv")


def test_undo_on_data_admin_runs_the_verification(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """撤销导入 on the 数据管理 page changes the data as a load does: the same system check runs in
    the same write, and the task the undone catalog had closed is open again."""
    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    assert load(capsys, "catalog", "--district", ZHONGYUAN, str(write_catalog(tmp_path / "full.csv", city_items(world))),
                "--published-on", "2026-10-16", "--db", str(world))[0] == 0
    con = connect_read_only(world)
    try:
        run_id = con.execute("SELECT max(run_id) FROM load_changes").fetchone()[0]
    finally:
        con.close()
    monkeypatch.setenv("COMPLIANCE_DB", str(world))
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-21")
    at = _open({"role": "admin"}, "pages/data_admin.py")
    at.selectbox(key="undo_run").set_value(run_id)
    at.button(key="undo_submit").click().run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    assert any(f"已撤销第 {run_id} 批导入" in s.value for s in at.success)
    assert "系统核验完成：新整改 0 项，逾期未整改 0 项，重新打开 1 项。" in [i.value for i in at.info]
    con = connect_read_only(world)
    try:
        task = next(t for t in rectification.list_tasks(con, unit=ZHONGYUAN) if t["category"] == "missing_item")
    finally:
        con.close()
    assert (task["status"], task["fixed_on"], task["evidence"]) == ("open", None, None)
