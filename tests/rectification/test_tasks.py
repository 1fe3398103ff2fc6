"""Rectification tasks on a real database (DESIGN §11): circulating a round creates one task per
unit and gap, and loads through `python -m loaders` close, reopen and mark overdue exactly the
tasks whose gaps changed. The world is described in conftest.py. Disputes, scope and the
comparison have their own files.
"""
from __future__ import annotations

import collections
from pathlib import Path

import pytest

from tests.rectification.helpers import (
    CIRCULATED,
    DEADLINE,
    ERQI,
    MISSING,
    ZHONGYUAN,
    circulate,
    city_items,
    load,
    one,
    run,
    tasks,
    write_catalog,
    write_log,
)

DESIGN_KEYS = {"id", "round_id", "district", "category", "item", "title", "detail", "gap_key", "deadline",
               "status", "fixed_on", "evidence"}


def test_circulating_creates_one_task_per_gap(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    round_id = circulate(capsys, world)
    found = tasks(capsys, world)
    # 中原区: 1 missing item + 43 items without disclosure + 2 missed milestones = 46;
    # 二七区: 43 + 2 = 45; the 14 units with nothing loaded: 43 + 43 + 2 = 88 each (their 无目录 veto row
    # is no task: it follows from the missing catalog) → 46 + 45 + 14 × 88 = 1323.
    assert len(found) == 1323
    per_unit = collections.Counter(t["district"] for t in found)
    assert per_unit[ZHONGYUAN] == 46 and per_unit[ERQI] == 45 and per_unit["金水区"] == 88
    assert all(set(t) >= DESIGN_KEYS for t in found)
    assert {t["deadline"] for t in found} == {DEADLINE}
    assert {t["status"] for t in found} == {"open"} and {t["round_id"] for t in found} == {round_id}
    gap = one(found, ZHONGYUAN, "missing_item")
    assert gap["item"] == MISSING and gap["gap_key"] == f"missing_item|{MISSING}|"
    assert gap["detail"] == f"现行目录缺少标准事项「{MISSING}」。"
    # one task per gap key: no duplicates within a unit
    assert len({(t["district"], t["gap_key"]) for t in found}) == len(found)
    # the draft stage creates nothing; a second listing filtered by unit and status agrees
    assert len(tasks(capsys, world, "--district", "中原区", "--status", "open")) == 46


def test_catalog_adding_the_missing_item_closes_exactly_that_task(world: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    full = write_catalog(tmp_path / "zy_full.csv", city_items(world))
    code, _, err = load(capsys, "catalog", "--district", ZHONGYUAN, str(full), "--published-on", "2026-10-16",
                        "--db", str(world))
    assert code == 0, err
    assert "新整改 1 项" in err  # the after-load verification ran
    found = tasks(capsys, world)
    statuses = collections.Counter(t["status"] for t in found)
    assert statuses == {"open": 1322, "fixed": 1}
    fixed = one(found, ZHONGYUAN, "missing_item")
    assert fixed["status"] == "fixed"
    assert fixed["fixed_on"] == "2026-10-16"  # the day the closing catalog was published, before the deadline
    ev = fixed["evidence"]
    assert ev["kind"] == "catalog" and ev["source"] == "zy_full.csv" and ev["published_on"] == "2026-10-16"
    assert "zy_full.csv" in ev["text"] and "2026-10-16" in ev["text"]
    # a catalog loaded without --url or 文号: None in the JSON, 无 in the sentence, never "nan"
    assert ev["url"] is None and ev["document_no"] is None and "文号 无" in ev["text"] and "nan" not in ev["text"]


def test_fix_published_after_the_deadline_is_fixed_late(world: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-11-05")
    full = write_catalog(tmp_path / "zy_full.csv", city_items(world))
    code, _, err = load(capsys, "catalog", "--district", ZHONGYUAN, str(full), "--published-on", "2026-11-03",
                        "--db", str(world))
    assert code == 0, err
    found = tasks(capsys, world)
    late = one(found, ZHONGYUAN, "missing_item")
    assert (late["status"], late["fixed_on"]) == ("fixed_late", "2026-11-03")  # 11-03 > deadline 10-29
    # the after-load check covers the loaded unit only: 中原区's 45 other tasks are overdue on 11-05,
    # every other unit's 1277 tasks (45 + 14 × 88) are left open and unchecked
    assert collections.Counter((t["district"] == ZHONGYUAN, t["status"]) for t in found) == {
        (True, "overdue"): 45, (True, "fixed_late"): 1, (False, "open"): 1277}
    assert {t["checked_on"] for t in found if t["district"] != ZHONGYUAN} == {None}
    # the on-demand check covers every unit: everything still open on 11-05 is 逾期未整改
    code, _, err = run(capsys, "tasks", "verify", "--as-of", "2026-11-05", "--db", str(world))
    assert code == 0, err
    assert collections.Counter(t["status"] for t in tasks(capsys, world)) == {"overdue": 1322, "fixed_late": 1}
    assert len(tasks(capsys, world, "--status", "overdue", "--district", "二七区")) == 45


def test_reverted_catalog_reopens_the_task(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    circulate(capsys, world)
    items = city_items(world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    assert load(capsys, "catalog", "--district", ZHONGYUAN, str(write_catalog(tmp_path / "full.csv", items)),
                "--published-on", "2026-10-16", "--db", str(world))[0] == 0
    assert one(tasks(capsys, world), ZHONGYUAN, "missing_item")["status"] == "fixed"
    # a later version drops the item again (other bytes: another 公开主体 wording)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-27")
    reverted = write_catalog(tmp_path / "reverted.csv", [i for i in items if f"{i[0]}/{i[1]}" != MISSING],
                             subject="区住房保障和房地产服务中心")
    code, _, err = load(capsys, "catalog", "--district", ZHONGYUAN, str(reverted), "--published-on", "2026-10-26",
                        "--db", str(world))
    assert code == 0, err
    assert "重新打开 1 项" in err
    task = one(tasks(capsys, world), ZHONGYUAN, "missing_item")
    assert (task["status"], task["fixed_on"], task["evidence"]) == ("open", None, None)  # 10-27 <= deadline
    # on demand after the deadline: the reopened task is overdue like every other open one
    code, out, err = run(capsys, "tasks", "verify", "--as-of", "2026-11-02", "--db", str(world))
    assert code == 0, err
    assert "逾期未整改 1323 项" in out
    assert one(tasks(capsys, world), ZHONGYUAN, "missing_item")["status"] == "overdue"
    import duckdb

    con = duckdb.connect(str(world), read_only=True)
    history = [a for (a,) in con.execute("SELECT action FROM task_events WHERE task_id = ? ORDER BY event_id",
                                         [task["id"]]).fetchall()]
    con.close()
    assert history == ["created", "fixed", "reopened", "overdue"]


def test_disclosure_closes_the_items_no_disclosure_task_with_its_evidence(
        world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    circulate(capsys, world)
    l1, l2 = city_items(world)[20]
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-22")
    log = write_log(tmp_path / "zy_log.csv", [("关于公租房分配结果的公示", l1, l2, "2026-10-19", "2026-10-21")])
    code, _, err = load(capsys, "disclosures", "--district", ZHONGYUAN, str(log), "--db", str(world))
    assert code == 0, err
    found = tasks(capsys, world)
    fixed = [t for t in found if t["status"] != "open"]
    assert [(t["district"], t["category"], t["item"]) for t in fixed] == [(ZHONGYUAN, "no_disclosure", f"{l1}/{l2}")]
    ev = fixed[0]["evidence"]
    assert (ev["kind"], ev["title"], ev["published_on"], ev["url"]) == (
        "disclosure", "关于公租房分配结果的公示", "2026-10-21", "http://zz.example/1")
    assert fixed[0]["fixed_on"] == "2026-10-21"


def test_verification_twice_changes_nothing(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    circulate(capsys, world)
    code, out, _ = run(capsys, "tasks", "verify", "--as-of", "2026-10-20", "--db", str(world))
    assert code == 0 and "新整改 0 项" in out and "逾期未整改 0 项" in out
    before = tasks(capsys, world)
    code, out, _ = run(capsys, "tasks", "verify", "--as-of", "2026-10-20", "--db", str(world))
    assert "核验 1323 项，新整改 0 项（其中逾期整改 0 项），逾期未整改 0 项，重新打开 0 项" in out
    assert tasks(capsys, world) == before


def test_tasks_cli_refuses_bad_input(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    circulate(capsys, world)
    code, _, err = run(capsys, "tasks", "--status", "done", "--db", str(world))
    assert code == 2 and "状态 done 无效" in err
    code, _, err = run(capsys, "tasks", "--district", "不存在区", "--db", str(world))
    assert code == 2 and "不存在区" in err
    code, _, err = run(capsys, "tasks", "verify", "--as-of", "2026-13-01", "--db", str(world))
    assert code == 2 and "2026-13-01" in err
    assert CIRCULATED  # the circulation date the deadline counts from (see conftest)


def test_undoing_the_fixing_load_reopens_the_task(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`loaders undo` changes the data as a load does, so the same system check runs after it: the
    catalog that closed 中原区's missing-item task is undone and the task is open again."""
    import duckdb

    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    full = write_catalog(tmp_path / "zy_full.csv", city_items(world))
    assert load(capsys, "catalog", "--district", ZHONGYUAN, str(full), "--published-on", "2026-10-16",
                "--db", str(world))[0] == 0
    assert one(tasks(capsys, world), ZHONGYUAN, "missing_item")["status"] == "fixed"
    con = duckdb.connect(str(world), read_only=True)
    run_id = con.execute("SELECT max(run_id) FROM load_changes").fetchone()[0]
    con.close()
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-21")
    code, out, err = load(capsys, "undo", str(run_id), "--db", str(world))
    assert code == 0, err
    assert f"已撤销第 {run_id} 批导入" in out
    assert "整改任务系统核验：新整改 0 项，逾期未整改 0 项，重新打开 1 项。" in err  # the after-change check ran
    task = one(tasks(capsys, world), ZHONGYUAN, "missing_item")
    assert (task["status"], task["fixed_on"], task["evidence"]) == ("open", None, None)  # 10-21 <= deadline 10-29
    # an undo refused (already undone) changes nothing and checks nothing
    code, _, err = load(capsys, "undo", str(run_id), "--db", str(world))
    assert code == 2 and "整改任务系统核验" not in err


def test_a_load_checks_only_the_loaded_units_tasks(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Both 中原区 and 二七区 publish a disclosure closing their 配租结果 no-disclosure task; only
    二七区's log is loaded as a file, 中原区's row is written straight into the database (as an
    earlier load would have left it). The load of 二七区 checks 二七区's tasks only: its task is
    fixed with its evidence, 中原区's — whose gap is gone too — is untouched until its own load or
    the on-demand check."""
    import duckdb

    circulate(capsys, world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-10-20")
    con = duckdb.connect(str(world))
    con.execute("INSERT INTO disclosure_sources (source_key, district_code, source, content_hash, load_seq, loaded_at) "
                "VALUES ('410102:old.csv', '410102', 'old.csv', 'x', 0, TIMESTAMP '2026-10-16 09:00:00')")
    con.execute("INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_raw, level1_key, "
                "level2_key, item_id, formed_on, published_on) SELECT '410102:old.csv#2', '410102', '410102:old.csv', 2, "
                "'中原区配租结果公示', level1 || '/' || level2, level1_key, level2_key, item_id, DATE '2026-10-14', "
                "DATE '2026-10-16' FROM standard_catalog WHERE level2 = '配租结果'")
    con.close()
    log = write_log(tmp_path / "erqi.csv", [("二七区配租结果公示", "配给管理", "配租结果", "2026-10-14", "2026-10-16")])
    code, _, err = load(capsys, "disclosures", "--district", ERQI, str(log), "--db", str(world))
    assert code == 0, err
    assert "新整改 1 项" in err
    found = tasks(capsys, world)
    erqi = one(found, ERQI, "no_disclosure", "配给管理/配租结果")
    assert (erqi["status"], erqi["fixed_on"], erqi["checked_on"]) == ("fixed", "2026-10-16", "2026-10-20")
    assert erqi["evidence"]["kind"] == "disclosure" and erqi["evidence"]["title"] == "二七区配租结果公示"
    zhongyuan = one(found, ZHONGYUAN, "no_disclosure", "配给管理/配租结果")
    assert (zhongyuan["status"], zhongyuan["checked_on"]) == ("open", None)
    assert {t["checked_on"] for t in found if t["district"] != ERQI} == {None}
    assert {t["checked_on"] for t in found if t["district"] == ERQI} == {"2026-10-20"}
    # the on-demand check of every unit closes 中原区's task as well
    code, _, err = run(capsys, "tasks", "verify", "--as-of", "2026-10-20", "--db", str(world))
    assert code == 0, err
    assert one(tasks(capsys, world), ZHONGYUAN, "no_disclosure", "配给管理/配租结果")["status"] == "fixed"


def test_changed_units_of_loads() -> None:
    from loaders.model import LoadResult
    from scoring.verification import changed_units

    zy, eq = LoadResult("catalog", "410102", "a.csv", "loaded"), LoadResult("disclosures", "410103", "b.csv", "partial")
    same = LoadResult("disclosures", "410105", "c.csv", "unchanged")
    standard = LoadResult("standard", None, "s.xlsx", "loaded")
    assert changed_units([zy, eq, same]) == frozenset({"410102", "410103"})  # an unchanged load changed nothing
    assert changed_units([zy, standard]) is None  # the standard catalog changes every unit
    assert changed_units([same, LoadResult("standard", None, "s.xlsx", "unchanged")]) == frozenset()

