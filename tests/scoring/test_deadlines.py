"""Timeliness against the real working-day calendar: deadline(x, 20) = the 20th working day strictly
after the formation date, across the 2023 holidays and their 调休 working weekends; published on the
deadline is on time, one working day later is 1 day late; dates in estimated calendar years (or
outside the table, counted Monday–Friday) flag the unit. Every item used here has the city limit of 20 working days.
Scores and ranks are left to test_evaluation.py.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from scoring import evaluate
from tests.scoring.helpers import ERQI, JINSHUI, ZHONGYUAN, add_disclosure

D = dt.date
ITEM = ("配给管理", "配租结果")  # S17, 20 working days

# (formed_on, deadline) with the working days counted by hand from the 2023 State Council notice.
HOLIDAY_DEADLINES = [
    # 春节: formed Fri 01-20; holiday 01-21..27; 调休 Sat 01-28 (#1), Sun 01-29 (#2); 01-30..02-03 #3-7;
    # 02-06..10 #8-12; 02-13..17 #13-17; 02-20 #18, 02-21 #19, 02-22 #20.
    pytest.param(D(2023, 1, 20), D(2023, 2, 22), id="spring_festival"),
    # 清明: formed Fri 03-31; 04-03 #1, 04-04 #2, 04-05 holiday, 04-06 #3, 04-07 #4, 04-10..14 #5-9,
    # 04-17..21 #10-14, 调休 Sun 04-23 #15 (劳动节调休), 04-24..28 #16-20.
    pytest.param(D(2023, 3, 31), D(2023, 4, 28), id="qingming"),
    # 劳动节: formed Fri 04-28; holiday 04-29..05-03; 05-04 #1, 05-05 #2, 调休 Sat 05-06 #3,
    # 05-08..12 #4-8, 05-15..19 #9-13, 05-22..26 #14-18, 05-29 #19, 05-30 #20.
    pytest.param(D(2023, 4, 28), D(2023, 5, 30), id="may_day"),
    # 端午: formed Wed 06-21; holiday 06-22..24; 调休 Sun 06-25 #1, 06-26..30 #2-6, 07-03..07 #7-11,
    # 07-10..14 #12-16, 07-17..20 #17-20.
    pytest.param(D(2023, 6, 21), D(2023, 7, 20), id="dragon_boat"),
    # 中秋/国庆: formed Thu 09-28; holiday 09-29..10-06; 调休 Sat 10-07 #1, Sun 10-08 #2,
    # 10-09..13 #3-7, 10-16..20 #8-12, 10-23..27 #13-17, 10-30 #18, 10-31 #19, 11-01 #20.
    pytest.param(D(2023, 9, 28), D(2023, 11, 1), id="mid_autumn_national_day"),
    # Formed on a holiday (10-03): the count starts after it, so the deadline is the same 11-01.
    pytest.param(D(2023, 10, 3), D(2023, 11, 1), id="formed_on_holiday"),
]


def _one(con: duckdb.DuckDBPyConnection, formed: dt.date, published: dt.date, code: str = ZHONGYUAN) -> None:
    add_disclosure(con, code, "配租结果公示", *ITEM, formed, published)


def test_published_on_deadline_is_on_time_and_next_working_day_is_one_late(
        con: duckdb.DuckDBPyConnection) -> None:
    # One database, two units per case (on the deadline / the next working day), one evaluation.
    codes = [c for c, in con.execute("SELECT code FROM districts ORDER BY sort_order").fetchall()]
    cases = []
    for i, case in enumerate(HOLIDAY_DEADLINES):
        formed, deadline = case.values
        next_workday = con.execute("SELECT min(day) FROM calendar WHERE is_workday AND day > ?",
                                   [deadline]).fetchone()[0]
        _one(con, formed, deadline, codes[2 * i])
        _one(con, formed, next_workday, codes[2 * i + 1])
        cases.append((case.id, codes[2 * i], codes[2 * i + 1], formed, deadline, next_workday))
    result = evaluate(con, D(2023, 12, 31))
    for case_id, on_time_code, late_code, formed, deadline, next_workday in cases:
        on_time, late = result.district(on_time_code), result.district(late_code)
        assert on_time.timeliness == 1.0 and on_time.overdue == (), case_id
        assert late.timeliness == 0.0, case_id
        assert [o.to_json() for o in late.overdue] == [{"title": "配租结果公示", "item": "配给管理/配租结果",
                                 "formed_on": formed.isoformat(), "published_on": next_workday.isoformat(),
                                 "deadline": deadline.isoformat(), "workdays_late": 1}], case_id
        gap = [g for g in late.gaps if g.category == "overdue"]
        assert gap[0].deadline == deadline.isoformat() and gap[0].workdays_late == 1, case_id


def test_workdays_late_skip_holidays(con: duckdb.DuckDBPyConnection) -> None:
    # Deadline Thu 2023-09-28 (formed 08-31: 09-01 #1 … 09-28 #20 — 09-01, 09-04..08, 09-11..15,
    # 09-18..22, 09-25..28 = 1+5+5+5+4). Published Mon 10-09: late days in (09-28, 10-09] are the
    # working days 10-07, 10-08 (调休) and 10-09 = 3, though 11 calendar days passed.
    _one(con, D(2023, 8, 31), D(2023, 10, 9))
    late = evaluate(con, D(2023, 12, 31)).district(ZHONGYUAN).overdue[0]
    assert (late.deadline, late.workdays_late) == ("2023-09-28", 3)


def test_timeliness_ratio_and_window(con: duckdb.DuckDBPyConnection) -> None:
    # In the 2023 window: 3 judged (2 on time, 1 late) → 2/3. A 2022 one (late) is outside the
    # window; one without a formation date and one of an item without a working-day limit
    # (建设管理/年度建设计划完成进度, 每月后10个工作日) are not judged.
    _one(con, D(2023, 1, 20), D(2023, 2, 22))
    _one(con, D(2023, 3, 31), D(2023, 4, 3))
    _one(con, D(2023, 3, 31), D(2023, 5, 4))
    _one(con, D(2022, 1, 4), D(2022, 6, 1))
    add_disclosure(con, ZHONGYUAN, "无成文日期", *ITEM, None, D(2023, 6, 1))
    add_disclosure(con, ZHONGYUAN, "进度", "建设管理", "年度建设计划完成进度", D(2023, 1, 1), D(2023, 9, 1))
    r = evaluate(con, D(2023, 12, 31)).district(ZHONGYUAN)
    assert r.timeliness == pytest.approx(2 / 3)
    assert evaluate(con, D(2023, 12, 31), since=D(2022, 1, 1)).district(ZHONGYUAN).timeliness == pytest.approx(2 / 4)
    # as of 2023-04-30 the 05-04 publication does not exist yet: 2 judged, both on time.
    assert evaluate(con, D(2023, 4, 30)).district(ZHONGYUAN).timeliness == 1.0


def test_estimated_calendar_year_flags_the_unit(con: duckdb.DuckDBPyConnection) -> None:
    # 2027 is not in the holiday library: Mon-Fri, source 'estimated'. Formed Thu 2026-12-31;
    # 2027-01-01 (Fri) #1, 01-04..08 #2-6, 01-11..15 #7-11, 01-18..22 #12-16, 01-25..28 #17-20.
    _one(con, D(2026, 12, 31), D(2027, 1, 28), JINSHUI)
    _one(con, D(2026, 3, 2), D(2026, 3, 3), ZHONGYUAN)
    result = evaluate(con, D(2027, 2, 1), since=D(2026, 1, 1))
    jinshui = result.district(JINSHUI)
    assert jinshui.timeliness == 1.0 and jinshui.calendar_estimated is True
    assert result.district(ZHONGYUAN).calendar_estimated is False


def test_date_outside_the_calendar_falls_back_to_monday_friday_and_is_flagged(
        con: duckdb.DuckDBPyConnection) -> None:
    # The table starts 2015-01-01: 2014 counts Monday–Friday (estimated). Formed Mon 2014-12-01:
    # 12-02..05 #1-4, 12-08..12 #5-9, 12-15..19 #10-14, 12-22..26 #15-19, 12-29 #20 → deadline 12-29.
    # Published Sat 2015-01-10: late working days in (12-29, 01-10] = 12-30, 12-31, then 2015's
    # 01-04 (元旦调休 Sunday) and 01-05..09 = 2 + 1 + 5 = 8.
    _one(con, D(2014, 12, 1), D(2015, 1, 10))
    r = evaluate(con, D(2015, 12, 31), since=D(2015, 1, 1))
    zy = r.district(ZHONGYUAN)
    assert zy.timeliness == 0.0 and zy.calendar_estimated is True
    assert (zy.overdue[0].deadline, zy.overdue[0].workdays_late) == ("2014-12-29", 8)


def test_pending_has_deadline_and_working_days_left(con: duckdb.DuckDBPyConnection) -> None:
    # Formed 2023-09-28 → deadline 2023-11-01 (see above). As of Fri 10-27 (#17 after formation)
    # 3 working days are left (10-30, 10-31, 11-01); as of Thu 11-02, −1; one published later than
    # as_of is still pending as of as_of (point-in-time).
    _one(con, D(2023, 9, 28), None)
    _one(con, D(2023, 9, 28), D(2023, 11, 20), ERQI)
    early = evaluate(con, D(2023, 10, 27))
    assert [p.to_json() for p in early.district(ZHONGYUAN).pending] == [{"title": "配租结果公示", "item": "配给管理/配租结果",
                                                  "formed_on": "2023-09-28", "deadline": "2023-11-01",
                                                  "workdays_left": 3, "overdue": False}]
    assert early.district(ERQI).pending[0].workdays_left == 3
    late = evaluate(con, D(2023, 11, 2)).district(ZHONGYUAN)
    assert late.pending[0].workdays_left == -1 and late.pending[0].overdue is True
    assert [g.workdays_late for g in late.gaps if g.category == "pending_overdue"] == [1]
    assert late.timeliness is None  # pending rows stay out of timeliness
