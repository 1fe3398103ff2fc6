"""Disputes (申诉, DESIGN §11) on the hand-built world of conftest.py: an accepted dispute adds a
revision of the circulated round with that deduction removed and score, grade and rank recomputed
from the round's stored measurements (hand-computed below), while revision 0 stays byte for byte
what was circulated; a rejected dispute adds nothing; each deduction can be disputed once.

Round as of 2026-09-30 (weights: catalog 20, elements 10, disclosure 20, two milestones 10 each;
timeliness and interpretation not evaluated, so Σw = 70):
  中原区: catalog 42/43, elements 1, disclosure 0, both milestones missed (no 文号, no disclosure)
          → 100 × (20 × 42/43 + 10) / 70 = 100 × 29.53488 / 70 = 42.19, rank 2
  二七区: catalog 43/43, elements 1 → 100 × 30 / 70 = 42.86, rank 1;  the 14 others 0, rank 3.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from scoring import disputes, rounds
from tests.rectification.helpers import ERQI, ZHONGYUAN, circulate, one, run, tasks


def _show(capsys: pytest.CaptureFixture[str], db: Path, round_id: int, *args: str) -> tuple[str, dict]:
    code, out, err = run(capsys, "round", "show", str(round_id), *args, "--json", "-", "--db", str(db))
    assert code == 0, err
    return out, json.loads(out)


def _unit(shown: dict, name: str) -> dict:
    return next(d for d in shown["districts"] if d["district"] == name)


def _applied(con: duckdb.DuckDBPyConnection, round_id: int, revision: int) -> list[int]:
    """The accepted disputes revision `revision` of a round includes (each revision adds one), oldest first."""
    return [d["id"] for d in sorted(disputes.list_disputes(con, round_id=round_id, status="accepted"),
                                    key=lambda d: d["revision"]) if d["revision"] <= revision]


def _file(capsys: pytest.CaptureFixture[str], db: Path, round_id: int, task_id: int, reason: str) -> int:
    code, out, err = run(capsys, "dispute", "file", "--round", str(round_id), "--task", str(task_id),
                         "--reason", reason, "--evidence", "http://zy.example/wenhao.html", "--db", str(db))
    assert code == 0, err
    return int(out.split()[-1])  # DESIGN §11: the id is the last word


def test_accepted_dispute_issues_a_recomputed_revision(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = circulate(capsys, world)
    original_text, original = _show(capsys, world, round_id)
    assert (_unit(original, ZHONGYUAN)["score"], _unit(original, ZHONGYUAN)["rank"]) == (42.19, 2)
    assert (_unit(original, ERQI)["score"], _unit(original, ERQI)["rank"]) == (42.86, 1)
    found = tasks(capsys, world)
    milestone = one(found, ZHONGYUAN, "milestone_2020_09")
    dispute_id = _file(capsys, world, round_id, milestone["id"], "目录已于2020年9月以文件印发，文号见链接")
    code, out, err = run(capsys, "dispute", "decide", str(dispute_id), "--accept", "--reason", "经核实属实",
                         "--db", str(world))
    assert code == 0, err
    assert "修订版 1" in out
    _, latest = _show(capsys, world, round_id)
    assert latest["round"]["revision"] == 1
    zy, eq = _unit(latest, ZHONGYUAN), _unit(latest, ERQI)
    # 中原区 with the 2020 milestone counted on time (1.0):
    # 100 × (20 × 42/43 + 10 + 10 × 1) / 70 = 100 × 39.53488 / 70 = 56.48 (< 60: 不合格), rank 1
    assert (zy["score"], zy["grade"], zy["rank"]) == (56.48, "不合格", 1)
    assert zy["milestone_2020_09"]["status"] == "on_time" and zy["components"]["milestone_2020_09"] == 1.0
    assert not [g for g in zy["gaps"] if g["category"] == "milestone_2020_09"]
    assert (eq["score"], eq["rank"]) == (42.86, 2)  # unchanged score, one place down
    assert [d["district"] for d in latest["districts"][:2]] == [ZHONGYUAN, ERQI]
    assert {d["rank"] for d in latest["districts"][2:]} == {3}
    # revision 0 is still exactly what was circulated
    again_text, _ = _show(capsys, world, round_id, "--revision", "0")
    assert again_text == original_text
    # the revision records the dispute it applied; the task is closed by the dispute
    con = duckdb.connect(str(world), read_only=True)
    try:
        assert _applied(con, round_id, 1) == [dispute_id]
        assert _applied(con, round_id, 0) == []
        assert str(dispute_id) in rounds.stored(con, round_id, 1)["note"]
        decided = disputes.get_dispute(con, dispute_id)
        assert (decided["status"], decided["revision"], decided["decision_reason"]) == ("accepted", 1, "经核实属实")
        assert decided["evidence"]["url"] == "http://zy.example/wenhao.html"
        # both steps are in the audit trail, written in the same transaction as the dispute
        trail = con.execute("SELECT action, target FROM audit_log WHERE action LIKE 'dispute_%' ORDER BY seq").fetchall()
        assert trail == [("dispute_file", str(dispute_id)), ("dispute_decide", str(dispute_id))]
    finally:
        con.close()
    task = one(tasks(capsys, world), ZHONGYUAN, "milestone_2020_09")
    assert task["status"] == "fixed" and task["closed_by"] == "dispute" and task["evidence"]["revision"] == 1


def test_second_accepted_dispute_builds_on_the_first(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = circulate(capsys, world)
    found = tasks(capsys, world)
    first = _file(capsys, world, round_id, one(found, ZHONGYUAN, "milestone_2020_09")["id"], "文号已印发")
    assert run(capsys, "dispute", "decide", str(first), "--accept", "--reason", "属实", "--db", str(world))[0] == 0
    second = _file(capsys, world, round_id, one(found, ZHONGYUAN, "missing_item")["id"], "该事项已并入其他事项")
    assert run(capsys, "dispute", "decide", str(second), "--accept", "--reason", "属实", "--db", str(world))[0] == 0
    _, latest = _show(capsys, world, round_id)
    zy = _unit(latest, ZHONGYUAN)
    # both removed: 100 × (20 × 43/43 + 10 + 10) / 70 = 100 × 40 / 70 = 57.14
    assert latest["round"]["revision"] == 2 and zy["score"] == 57.14 and zy["catalog_coverage"] == 1.0
    assert zy["missing_items"] == []
    _, rev1 = _show(capsys, world, round_id, "--revision", "1")
    assert _unit(rev1, ZHONGYUAN)["score"] == 56.48  # revision 1 untouched by revision 2
    con = duckdb.connect(str(world), read_only=True)
    try:
        assert _applied(con, round_id, 2) == [first, second]
    finally:
        con.close()


def test_rejected_dispute_adds_no_revision_and_a_deduction_is_disputed_once(
        world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = circulate(capsys, world)
    task = one(tasks(capsys, world), ERQI, "milestone_2023_06")
    dispute_id = _file(capsys, world, round_id, task["id"], "已全面完成")
    code, out, err = run(capsys, "dispute", "decide", str(dispute_id), "--reject", "--reason", "未见公开信息",
                         "--db", str(world))
    assert code == 0, err
    assert f"申诉 {dispute_id} 不成立" in out
    assert _show(capsys, world, round_id)[1]["round"]["revision"] == 0
    code, _, err = run(capsys, "dispute", "file", "--round", str(round_id), "--task", str(task["id"]),
                       "--reason", "再次申诉", "--db", str(world))
    assert code == 2 and "只能申诉一次" in err
    code, _, err = run(capsys, "dispute", "decide", str(dispute_id), "--accept", "--reason", "改判", "--db", str(world))
    assert code == 2 and "已裁定" in err
    # a task of another round, a blank reason, an unknown dispute
    code, _, err = run(capsys, "dispute", "file", "--round", "99", "--task", str(task["id"]), "--reason", "x",
                       "--db", str(world))
    assert code == 2 and "99" in err
    code, _, err = run(capsys, "dispute", "decide", "77", "--accept", "--reason", "x", "--db", str(world))
    assert code == 2 and "申诉 77 不存在" in err


def test_stored_measurements_reproduce_the_stored_scores(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The recomputation path, applied to nothing, gives back revision 0's scores, grades and ranks."""
    round_id = circulate(capsys, world)
    con = duckdb.connect(str(world), read_only=True)
    try:
        s = rounds.stored(con, round_id, 0)
        decided = disputes.redecide(s["evaluation"], disputes.stored_measures(con, round_id, 0),
                                    disputes.rules_of(s["rules_text"])).set_index("code")
    finally:
        con.close()
    for d in s["evaluation"]["districts"]:
        r = decided.loc[d["code"]]
        assert (float(r["score"]), r["grade"], int(r["rank"])) == (d["score"], d["grade"], d["rank"]), d["district"]


def test_recomputed_revision_keeps_manual_findings_and_bonus(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Manual findings (DESIGN §12) in force at the round are part of its stored measurements."""
    for indicator, value in (("staffing", "是"), ("demonstration", "2")):
        code, _, err = run(capsys, "finding", "set", "--district", ZHONGYUAN, "--indicator", indicator,
                           "--value", value, "--on", "2026-09-01", "--evidence", "http://zy.example/shuoming",
                           "--db", str(world))
        assert code == 0, err
    round_id = circulate(capsys, world)
    _, original = _show(capsys, world, round_id)
    # staffing 是 (weight 3, value 1) joins the pool: Σw = 70 + 3 = 73;
    # 100 × (20 × 42/43 + 10 + 3) / 73 = 100 × 32.53488 / 73 = 44.57, plus the 2 bonus points → 46.57
    assert _unit(original, ZHONGYUAN)["score"] == 46.57
    task = one(tasks(capsys, world), ZHONGYUAN, "milestone_2020_09")
    dispute_id = _file(capsys, world, round_id, task["id"], "文号已印发")
    assert run(capsys, "dispute", "decide", str(dispute_id), "--accept", "--reason", "属实", "--db", str(world))[0] == 0
    _, latest = _show(capsys, world, round_id)
    zy = _unit(latest, ZHONGYUAN)
    # 100 × (19.53488 + 10 + 10 + 3) / 73 = 100 × 42.53488 / 73 = 58.27, + 2 bonus = 60.27 → 合格
    assert (zy["score"], zy["grade"], zy["rank"]) == (60.27, "合格", 1)
    assert zy["bonus"]["points"] == 2 and zy["components"]["staffing"] == 1.0
