"""A district acts only on its own unit's tasks (the scope is checked where tasks are read and
written, whatever the caller asks for), self-reports carry evidence (a URL, or a file kept under
the raw folder by its sha256), and only the bureau confirms or rejects them or decides disputes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

from scoring import disputes, rectification, verification
from scoring.rectification import TaskError
from tests.rectification.helpers import ERQI, ZHONGYUAN, circulate, one

ZY_CODE = "410102"


@pytest.fixture
def con(world: Path, capsys: pytest.CaptureFixture[str]):
    circulate(capsys, world)
    c = duckdb.connect(str(world))
    assert c.execute("SELECT code FROM districts WHERE name = ?", [ZHONGYUAN]).fetchone()[0] == ZY_CODE
    yield c
    c.close()


def _snapshot(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT * FROM rectification_tasks ORDER BY task_id").fetchall() + \
        con.execute("SELECT * FROM task_events ORDER BY event_id").fetchall() + \
        con.execute("SELECT * FROM disputes ORDER BY dispute_id").fetchall()


def test_a_district_cannot_act_on_another_units_tasks(con: duckdb.DuckDBPyConnection) -> None:
    other = one(rectification.list_tasks(con), ERQI, "milestone_2020_09")
    before = _snapshot(con)
    # asking for another unit's tasks gives nothing, not that unit's list
    assert rectification.list_tasks(con, unit=ERQI, scope=ZY_CODE) == []
    own = rectification.list_tasks(con, scope=ZY_CODE)
    assert len(own) == 46 and {t["district"] for t in own} == {ZHONGYUAN}
    with pytest.raises(TaskError, match=r"无权操作.*二七区"):
        rectification.get_task(con, other["id"], scope=ZY_CODE)
    with pytest.raises(TaskError, match="无权操作"):
        rectification.report_fix(con, other["id"], actor="zy", scope=ZY_CODE, on=dt.date(2026, 10, 12),
                                 url="http://zy.example/fix")
    with pytest.raises(TaskError, match="无权操作"):
        disputes.file_dispute(con, other["round_id"], other["id"], reason="不服", actor="zy", scope=ZY_CODE)
    with pytest.raises(TaskError, match="无权操作"):
        rectification.events(con, other["id"], scope=ZY_CODE)
    assert _snapshot(con) == before  # nothing written by any refused call
    # a district never decides, not even on its own unit's dispute
    mine = one(own, ZHONGYUAN, "milestone_2023_06")
    dispute_id = disputes.file_dispute(con, mine["round_id"], mine["id"], reason="已完成", actor="zy", scope=ZY_CODE)
    with pytest.raises(TaskError, match="只有督导"):
        disputes.decide_dispute(con, dispute_id, True, reason="自己批准", actor="zy", scope=ZY_CODE)
    assert [d["id"] for d in disputes.list_disputes(con, scope=ZY_CODE)] == [dispute_id]
    assert disputes.list_disputes(con, scope="410103") == []  # 二七区 sees none of 中原区's
    with pytest.raises(TaskError, match="无权操作"):
        disputes.get_dispute(con, dispute_id, scope="410103")


def test_self_report_with_a_file_then_bureau_confirms(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    task = one(rectification.list_tasks(con, scope=ZY_CODE), ZHONGYUAN, "milestone_2023_06")
    proof = b"%PDF-1.4 \xe6\x95\xb4\xe6\x94\xb9\xe6\x8a\xa5\xe5\x91\x8a"
    with pytest.raises(TaskError, match="须附证明材料"):
        rectification.report_fix(con, task["id"], actor="zy", scope=ZY_CODE, on=dt.date(2026, 10, 20))
    rectification.report_fix(con, task["id"], actor="zy", scope=ZY_CODE, on=dt.date(2026, 10, 20), note="已补齐",
                             file=("整改报告.PDF", proof), raw_dir=tmp_path / "raw")
    reported = rectification.get_task(con, task["id"], scope=ZY_CODE)
    digest = hashlib.sha256(proof).hexdigest()
    assert reported["status"] == "reported" and reported["reported_on"] == "2026-10-20"
    kept = tmp_path / "raw" / "evidence" / f"{digest}.pdf"
    assert reported["report"]["evidence"]["sha256"] == digest and kept.read_bytes() == proof
    # the gap is still in the data: verification leaves the report waiting for the bureau
    verification.verify(con, dt.date(2026, 10, 21), actor="system")
    assert rectification.get_task(con, task["id"])["status"] == "reported"
    assert rectification.waiting(con, dt.date(2026, 10, 21))["reported"] == 1
    with pytest.raises(TaskError, match="只有督导"):
        rectification.review_report(con, task["id"], True, actor="zy", scope=ZY_CODE, on=dt.date(2026, 10, 22))
    status = rectification.review_report(con, task["id"], True, actor="bureau", scope=None,
                                         on=dt.date(2026, 11, 3), note="材料属实")
    confirmed = rectification.get_task(con, task["id"])
    # fixed as of the report date (10-20 <= deadline 10-29), even though confirmed after the deadline
    assert (status, confirmed["fixed_on"], confirmed["closed_by"]) == ("fixed", "2026-10-20", "bureau")
    trail = con.execute("SELECT actor, action FROM audit_log WHERE action LIKE 'task_%' ORDER BY seq").fetchall()
    assert trail == [("zy", "task_report"), ("bureau", "task_review")]
    # a confirmed fix is not reopened by the system although the portal data still shows the gap
    verification.verify(con, dt.date(2026, 11, 4), actor="system")
    assert rectification.get_task(con, task["id"])["status"] == "fixed"


def test_rejected_self_report_goes_back_to_open_or_overdue(con: duckdb.DuckDBPyConnection) -> None:
    task = one(rectification.list_tasks(con), ERQI, "milestone_2023_06")
    rectification.report_fix(con, task["id"], actor="eq", scope="410103", on=dt.date(2026, 10, 26),
                             url="http://eq.example/zhuanti")
    assert rectification.get_task(con, task["id"])["report"]["evidence"]["url"] == "http://eq.example/zhuanti"
    status = rectification.review_report(con, task["id"], False, actor="bureau", scope=None,
                                         on=dt.date(2026, 10, 30), note="链接无内容")
    assert status == "overdue"  # rejected on 10-30, after the deadline 10-29
    rejected = rectification.get_task(con, task["id"])
    assert rejected["reported_on"] is None and rejected["report"] is None
    with pytest.raises(TaskError, match="只有「已整改（待核验）」"):
        rectification.review_report(con, task["id"], True, actor="bureau", scope=None, on=dt.date(2026, 10, 30))


def test_waiting_counts_what_each_role_must_handle(con: duckdb.DuckDBPyConnection) -> None:
    # 2026-10-23: deadline 10-29 is the 4th working day after it (10-26, 27, 28, 29): due within 5
    assert rectification.waiting(con, dt.date(2026, 10, 23), scope=ZY_CODE) == {
        "due_soon": 46, "overdue": 0, "reported": 0, "disputes": 0}
    # 2026-10-16: the 5th working day after it is 10-23 < 10-29: nothing due soon yet
    assert rectification.waiting(con, dt.date(2026, 10, 16))["due_soon"] == 0
    # after the deadline every open task of the 16 units is overdue even before a verification ran
    assert rectification.waiting(con, dt.date(2026, 10, 30))["overdue"] == 1323
