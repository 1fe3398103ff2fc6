"""The typed result model (#10 item 3): a stored evaluation JSON reads back into the same typed
objects (`Evaluation.from_json`), every finding is held once, collections are immutable.

Real DuckDB files: the bundled sample at the three dates the JSON is pinned at, and a fresh
database where 金水区 has findings, a veto and a capped bonus recorded through the CLI.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import duckdb
import pytest

from scoring import evaluate, load_rules
from scoring.evaluation import DistrictResult, Evaluation, Milestone
from scoring.result_rows import Bonus, BonusItem, Finding, Gap, OverdueRow, PendingRow, Veto
from scoring.vocabulary import GapCategory, MilestoneStatus
from tests.manual.helpers import TWO_BONUSES, record
from tests.scoring.helpers import JINSHUI, add_full_catalog, cover_every_item

DATES = (dt.date(2020, 12, 31), dt.date(2023, 6, 30), dt.date(2025, 12, 31))


def _dumped(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)  # as `python -m scoring evaluate` prints it


@pytest.fixture(scope="module")
def sample_evaluations(sample_db) -> dict[dt.date, Evaluation]:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        return {d: evaluate(con, d) for d in DATES}
    finally:
        con.close()


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_stored_json_reads_back_into_the_same_result(sample_evaluations, as_of) -> None:
    e = sample_evaluations[as_of]
    stored = json.loads(_dumped(e.to_json()))  # what a round stores and reads back
    back = Evaluation.from_json(stored)
    assert _dumped(back.to_json()) == _dumped(e.to_json())
    assert (back.as_of, back.since, back.rules_version) == (e.as_of, e.since, e.rules_version)
    for live, read in zip(e.districts, back.districts, strict=True):
        assert (read.code, read.name, read.rank, read.score, read.grade) == (live.code, live.name, live.rank,
                                                                            live.score, live.grade)
        assert read.gaps == live.gaps and read.pending == live.pending and read.overdue == live.overdue
        assert read.missing_items == live.missing_items
        assert {k: (m.status, m.date, m.days_late) for k, m in read.milestones.items()} == \
            {k: (m.status, m.date, m.days_late) for k, m in live.milestones.items()}
        assert all(type(m.status) is MilestoneStatus and m.condition is None for m in read.milestones.values())


def test_the_sample_exercises_every_kind_of_held_row(sample_evaluations) -> None:
    # the round trip above is only meaningful if the sample has overdue, overdue-pending and missing rows
    units = [d for e in sample_evaluations.values() for d in e.districts]
    assert any(d.overdue for d in units)
    assert any(p.overdue for d in units for p in d.pending)
    assert any(not p.overdue for d in units for p in d.pending)
    assert any(d.missing_items for d in units)


def test_each_finding_is_one_object(sample_evaluations) -> None:
    for e in sample_evaluations.values():
        for d in e.districts:
            overdue_gaps = [g for g in d.gaps if g.category is GapCategory.OVERDUE]
            assert [id(g.source) for g in overdue_gaps] == [id(o) for o in d.overdue]
            assert all(isinstance(o, OverdueRow) for o in d.overdue)
            late = [p for p in d.pending if p.overdue]
            pending_gaps = [g for g in d.gaps if g.category is GapCategory.PENDING_OVERDUE]
            assert [id(g.source) for g in pending_gaps] == [id(p) for p in late]  # the same rows, not copies
            assert all(g.workdays_late == g.source.workdays_late for g in pending_gaps)
            assert d.missing_items == tuple(g.item for g in d.gaps if g.category is GapCategory.MISSING_ITEM)
            assert {"overdue", "missing_items"}.isdisjoint(f.name for f in dataclasses.fields(DistrictResult))


def test_results_are_frozen_with_tuples(sample_evaluations) -> None:
    e = sample_evaluations[dt.date(2023, 6, 30)]
    d = e.districts[0]
    assert isinstance(e.districts, tuple) and isinstance(d.gaps, tuple) and isinstance(d.pending, tuple)
    assert all(isinstance(g, Gap) and isinstance(g.missing_elements, tuple) for g in d.gaps)
    assert all(isinstance(p, PendingRow) for p in d.pending)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.score = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.gaps[0].detail = ""  # type: ignore[misc]


def test_json_whose_lists_disagree_with_its_gaps_is_refused(sample_evaluations) -> None:
    e = sample_evaluations[dt.date(2020, 12, 31)]
    unit = next(d for d in e.districts if d.overdue).to_json()
    unit["overdue"] = unit["overdue"][1:]
    with pytest.raises(ValueError):
        DistrictResult.from_json(unit)
    missing = next(d for d in e.districts if d.missing_items).to_json()
    missing["missing_items"] = missing["missing_items"][1:]
    with pytest.raises(ValueError):
        DistrictResult.from_json(missing)


def test_milestone_reads_its_json() -> None:
    m = Milestone.from_json({"status": "late", "date": "2023-08-02", "days_late": 33})
    assert m == Milestone(MilestoneStatus.LATE, dt.date(2023, 8, 2), 33, None)
    assert Milestone.from_json({"status": "pending", "date": None, "days_late": None}).status is MilestoneStatus.PENDING


def test_findings_vetoes_and_bonus_are_typed_and_read_back(fresh_db) -> None:
    con = duckdb.connect(str(fresh_db))
    add_full_catalog(con, JINSHUI, dt.date(2020, 9, 20), document_no="金房保〔2020〕15号")
    cover_every_item(con, JINSHUI, dt.date(2020, 10, 1))
    con.close()
    assert record(fresh_db, "金水区", "staffing", "否", "2025-01-01", "--note", "未明确专人") == 0
    for indicator, value in (("demonstration", "3"), ("innovation", "3")):
        assert record(fresh_db, "金水区", indicator, value, "2025-06-01", "--evidence", "https://a.gov.cn/2",
                      rules=TWO_BONUSES) == 0
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        e = evaluate(con, dt.date(2025, 12, 31), rules=load_rules(TWO_BONUSES))
    finally:
        con.close()
    d = e.district(JINSHUI)
    assert d.vetoes == (Veto("staffing_failed", d.vetoes[0].reason),) and "未明确专人" in d.vetoes[0].reason
    # items 3 + 3 over the cap of 5: the bonus is 5 and the last item's reason says so
    assert isinstance(d.bonus, Bonus) and d.bonus.points == 5.0
    assert [(i.id, i.points) for i in d.bonus.items] == [("demonstration", 3.0), ("innovation", 3.0)]
    assert all(isinstance(i, BonusItem) for i in d.bonus.items) and "按5分计" in d.bonus.items[-1].reason
    assert [(f.indicator, f.kind, f.value_text) for f in d.findings] == [
        ("demonstration", "bonus", "3"), ("innovation", "bonus", "3"), ("staffing", "manual", "否")]
    assert all(isinstance(f, Finding) for f in d.findings) and d.findings[2].note == "未明确专人"
    stored = json.loads(_dumped(e.to_json()))
    back = Evaluation.from_json(stored).district(JINSHUI)
    assert (back.vetoes, back.bonus, back.findings) == (d.vetoes, d.bonus, d.findings)
    assert _dumped(Evaluation.from_json(stored).to_json()) == _dumped(e.to_json())


def test_select_keeps_ranks_among_all_units(sample_evaluations) -> None:
    e = sample_evaluations[dt.date(2025, 12, 31)]
    last, first = e.districts[-1], e.districts[0]
    cut = e.select([last.code, first.code])
    assert [(d.code, d.rank) for d in cut.districts] == [(first.code, first.rank), (last.code, last.rank)]
    assert last.rank > 2 and (cut.as_of, cut.since, cut.rules_version) == (e.as_of, e.since, e.rules_version)
    assert e.select(None) is e and e.select([]).districts == ()
