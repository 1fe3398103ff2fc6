"""The 43-item checklist query (queries/sql/checklist_items.sql) and the milestone sentences.

Built on a fresh database with a handful of rows written by SQL, so every expected value can be
read off the fixture. Agreement with the evaluation's gaps on the sample is in test_pages.py.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd

from appkit import self_check_tables as sc_tables
from queries import self_check as sc
from scoring.evaluation import Milestone
from scoring.result_rows import PendingRow
from scoring.vocabulary import MilestoneStatus
from ui_text import self_check as T

JINSHUI = "410105"
AS_OF = dt.date(2023, 6, 30)


def _jinshui(con, add_catalog, add_disclosure) -> None:
    # Effective catalog as of 2023-06-30: v2 (2021-03-01) — v3 is published after as_of and
    # v1 is older. v2 lists S01 complete, S02 without 公开内容/公开依据, S02 again complete
    # (the better row wins) and a local addition.
    add_catalog(con, JINSHUI, "v1", dt.date(2020, 9, 18), [{"item_id": "S03", "level2": "a"}],
                document_no="No.1", load_seq=1)
    add_catalog(con, JINSHUI, "v2", dt.date(2021, 3, 1), [
        {"item_id": "S01", "level2": "b"},
        {"item_id": "S02", "level2": "c", "blank": ["content", "basis"]},
        {"item_id": "S04", "level2": "d", "blank": ["method"]},
        {"item_id": None, "level2": "local"},
    ], load_seq=2)
    add_catalog(con, JINSHUI, "v3", dt.date(2024, 1, 1),
                [{"item_id": "S05", "level2": "e"}], load_seq=3)
    add_disclosure(con, JINSHUI, "d1", "S01", dt.date(2023, 2, 1), dt.date(2023, 3, 1))
    add_disclosure(con, JINSHUI, "d2", "S01", None, dt.date(2023, 5, 10))
    add_disclosure(con, JINSHUI, "d3", "S02", dt.date(2023, 6, 1), dt.date(2023, 7, 3))  # after as_of
    add_disclosure(con, JINSHUI, "d4", "S02", dt.date(2023, 6, 20), None)               # pending
    add_disclosure(con, JINSHUI, "d5", None, None, dt.date(2023, 1, 5))                 # 未归类
    add_disclosure(con, "410102", "d6", "S43", None, dt.date(2023, 1, 5))               # another unit


def test_checklist_rows(fresh_con, add_catalog, add_disclosure) -> None:
    _jinshui(fresh_con, add_catalog, add_disclosure)
    items = sc.checklist(fresh_con, JINSHUI, AS_OF).set_index("item_id")
    assert len(items) == 43
    assert items.loc["S01", "item"] == "法规政策/法律法规"
    # in the effective catalog v2: S01, S02, S04 (S03 only in v1, S05 only in v3)
    assert items.index[items["in_catalog"]].tolist() == ["S01", "S02", "S04"]
    assert bool(items.loc["S01", "elements_complete"]) is True
    assert bool(items.loc["S02", "elements_complete"]) is False
    assert items.loc["S02", "missing_elements"] == ["公开内容", "公开依据"]
    assert items.loc["S04", "missing_elements"] == ["公开方式"]
    assert pd.isna(items.loc["S03", "elements_complete"])
    # S01: d1 and d2, last 2023-05-10; S02: d3 is after as_of and d4 unpublished; S43: other unit
    assert items.loc["S01", "disclosure_count"] == 2
    assert items.loc["S01", "last_published_on"] == dt.date(2023, 5, 10)
    assert items["disclosed"].sum() == 1
    assert pd.isna(items.loc["S02", "last_published_on"])
    assert sc.checklist_summary(items) == {"total": 43, "in_catalog": 3, "complete": 1, "disclosed": 1}
    # only S01 is listed, complete and disclosed: the problem view keeps the other 42
    table = sc_tables.checklist_table(items.reset_index(), only_problems=True)
    assert len(table) == 42 and 1 not in set(table[T.CHECKLIST_COLUMNS["seq"]])
    row = sc_tables.checklist_table(items.reset_index()).iloc[1]  # S02: listed, two elements blank, not disclosed
    assert (row[T.CHECKLIST_COLUMNS["in_catalog"]], row[T.CHECKLIST_COLUMNS["elements_complete"]],
            row[T.CHECKLIST_COLUMNS["missing_elements"]], row[T.CHECKLIST_COLUMNS["disclosed"]]) == (
        T.YES, T.NO, "公开内容、公开依据", T.NO)
    assert sc_tables.checklist_table(items.reset_index()).iloc[2][T.CHECKLIST_COLUMNS["elements_complete"]] == T.NOT_APPLICABLE


def test_duplicate_row_judged_by_its_most_complete_version(fresh_con, add_catalog) -> None:
    add_catalog(fresh_con, JINSHUI, "v1", dt.date(2021, 3, 1), [
        {"item_id": "S07", "level2": "x", "blank": ["basis", "subject"]},
        {"item_id": "S07", "level2": "y", "blank": ["channels"]},
    ])
    items = sc.checklist(fresh_con, JINSHUI, AS_OF).set_index("item_id")
    assert items.loc["S07", "missing_elements"] == ["公开渠道"]


def test_ties_on_published_on_go_to_the_later_load(fresh_con, add_catalog) -> None:
    add_catalog(fresh_con, JINSHUI, "a", dt.date(2021, 3, 1), [{"item_id": "S08", "level2": "x"}], load_seq=5)
    add_catalog(fresh_con, JINSHUI, "b", dt.date(2021, 3, 1), [{"item_id": "S09", "level2": "y"}], load_seq=6)
    items = sc.checklist(fresh_con, JINSHUI, AS_OF)
    assert items.loc[items["in_catalog"], "item_id"].tolist() == ["S09"]


def test_milestone_sentences(fresh_con, add_catalog, add_disclosure) -> None:
    _jinshui(fresh_con, add_catalog, add_disclosure)
    items = sc.checklist(fresh_con, JINSHUI, AS_OF)
    # milestone_notes reads only the unit's typed milestones
    district = SimpleNamespace(milestones={
        "milestone_2020_09": Milestone(MilestoneStatus.ON_TIME, dt.date(2020, 9, 18), 0),
        "milestone_2023_06": Milestone(MilestoneStatus.MISSED, None, None)})
    notes = sc.milestone_notes(district, items, has_catalog=True)  # type: ignore[arg-type]
    assert notes["milestone_2020_09"] == ["按时完成（2020年9月18日）"]  # dated as the page's other sentences
    lines = notes["milestone_2023_06"]
    assert lines[0] == T.MILESTONE_STATUS["missed"]
    # 43 - 3 listed = 40 missing, from S03 (S04 is listed); S02 and S04 incomplete; only 法规政策 has a disclosure,
    # so the other nine first-level items are named.
    assert lines[1].startswith("目录缺少 40 个标准事项：重大决策/决策前预公开、重大决策/决策结果公开、")
    assert lines[2] == "2 个事项要素不全：法规政策/政策文件、重大决策/决策会议公开。"
    assert lines[3] == ("以下一级事项尚无公开信息：重大决策、规划计划、建设管理、配给管理、配后管理、"
                        "办事指南、政策解读、回应关切、评价结果。")


def test_no_catalog_milestones(fresh_con) -> None:
    items = sc.checklist(fresh_con, JINSHUI, AS_OF)
    district = SimpleNamespace(milestones={
        "milestone_2020_09": Milestone(MilestoneStatus.MISSED, None, None),
        "milestone_2023_06": Milestone(MilestoneStatus.PENDING, None, None)})
    notes = sc.milestone_notes(district, items, has_catalog=False)  # type: ignore[arg-type]
    assert notes["milestone_2020_09"] == [T.MILESTONE_STATUS["missed"], T.UNMET_NO_CATALOG]
    assert notes["milestone_2023_06"][1] == T.UNMET_NO_CATALOG


def test_pending_frame_marks_overdue_rows() -> None:
    district = SimpleNamespace(pending=(  # pending_frame reads only the unit's typed pending rows
        PendingRow("a", "x/y", "2023-06-20", "2023-07-18", 12, False),
        PendingRow("b", "x/y", "2023-06-01", "2023-06-29", -1, True),
    ))
    frame = sc.pending_frame(district)  # type: ignore[arg-type]
    assert frame["title"].tolist() == ["b", "a"]
    assert frame["overdue"].tolist() == [True, False]


def test_pending_table_says_overdue_days_positively() -> None:
    """Overdue rows: 状态 '已逾期13个工作日' (13 = −workdays_left) and a blank 剩余工作日;
    rows not yet due keep their days left; a row without a limit shows neither."""
    district = SimpleNamespace(pending=(
        PendingRow("late", "x/y", "2023-05-01", "2023-06-12", -13, True),
        PendingRow("due", "x/y", "2023-06-20", "2023-07-18", 12, False),
        PendingRow("free", "x/y", "2023-06-20", None, None, False),
    ))
    table = sc_tables.pending_table(sc.pending_frame(district)).set_index(  # type: ignore[arg-type]
        T.PENDING_COLUMNS["title"])
    status, left = T.PENDING_COLUMNS["status"], T.PENDING_COLUMNS["workdays_left"]
    assert table.loc["late", status] == "已逾期13个工作日"
    assert pd.isna(table.loc["late", left])
    assert table.loc["due", status] == T.PENDING_DUE and table.loc["due", left] == 12
    assert table.loc["free", status] == T.PENDING_NO_LIMIT and pd.isna(table.loc["free", left])
