"""The working-day calendar: agrees with chinese_calendar for 2019-2026, pins known days,
falls back to Monday-Friday flagged 'estimated', honours the project override file, and
numbers working days with a running count so deadline(x, N) is one lookup.

Deadline arithmetic on disclosures is left to the scoring tests.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import duckdb
import pytest

from loaders import reference
from ui_text.common import HOLIDAY_NAMES


@pytest.fixture(scope="module")
def calendar_con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    from loaders import db as loaders_db

    path = tmp_path_factory.mktemp("calendar") / "cal.duckdb"
    con = duckdb.connect(str(path))
    loaders_db.init_database(con)
    yield con
    con.close()


def _day(con: duckdb.DuckDBPyConnection, day: str) -> tuple:
    return con.execute("SELECT is_workday, workday_no, holiday_name, source FROM calendar WHERE day = ?",
                       [dt.date.fromisoformat(day)]).fetchone()


def test_agrees_with_chinese_calendar_for_every_day_2019_to_2026(calendar_con: duckdb.DuckDBPyConnection) -> None:
    rows = calendar_con.execute("SELECT day, is_workday, source FROM calendar "
                                "WHERE day BETWEEN DATE '2019-01-01' AND DATE '2026-12-31' ORDER BY day").fetchall()
    assert len(rows) == 2922  # 8 years, two of them leap years: 8 * 365 + 2
    disagreements = [d for d, work, _ in rows if work != chinese_calendar.is_workday(d)]
    assert disagreements == []
    assert {s for _, _, s in rows} == {"library"}


@pytest.mark.parametrize(("day", "is_workday", "weekday"), [
    ("2020-09-27", True, 6),   # 国庆/中秋调休: a working Sunday
    ("2023-10-07", True, 5),   # a working Saturday after National Day 2023
    ("2023-10-08", True, 6),   # and the working Sunday
    ("2024-02-10", False, 5),  # 春节 2024: 02-10 … 02-17 off
    ("2024-02-12", False, 0),  # a Monday inside the Spring Festival break
    ("2024-02-16", False, 4),
    ("2024-02-17", False, 5),
    ("2024-02-18", True, 6),   # 春节调休: working Sunday
    ("2026-10-01", False, 3),  # 国庆 2026
    ("2026-10-07", False, 2),
    ("2026-10-08", True, 3),
])
def test_known_days(calendar_con: duckdb.DuckDBPyConnection, day: str, is_workday: bool, weekday: int) -> None:
    assert dt.date.fromisoformat(day).weekday() == weekday
    assert _day(calendar_con, day)[0] is is_workday


def test_spring_festival_2024_and_national_day_2026_are_whole_breaks(calendar_con: duckdb.DuckDBPyConnection) -> None:
    spring = calendar_con.execute("SELECT bool_or(is_workday), count(*), min(holiday_name), max(holiday_name) "
                                  "FROM calendar WHERE day BETWEEN DATE '2024-02-10' AND DATE '2024-02-17'").fetchone()
    assert spring == (False, 8, HOLIDAY_NAMES["Spring Festival"], HOLIDAY_NAMES["Spring Festival"])
    national = calendar_con.execute("SELECT bool_or(is_workday), count(*) FROM calendar "
                                    "WHERE day BETWEEN DATE '2026-10-01' AND DATE '2026-10-07'").fetchone()
    assert national == (False, 7)


def test_adjusted_working_weekend_is_named(calendar_con: duckdb.DuckDBPyConnection) -> None:
    work, _, name, _ = _day(calendar_con, "2020-09-27")
    assert work is True and name is not None and HOLIDAY_NAMES["National Day"] in name


def test_outside_the_known_years_is_monday_to_friday_and_estimated(calendar_con: duckdb.DuckDBPyConnection) -> None:
    # 2027-03-01 is a Monday, 2027-03-06 a Saturday; 2027-10-01 would be a holiday once published.
    assert _day(calendar_con, "2027-03-01")[0] is True
    assert _day(calendar_con, "2027-03-06")[0] is False
    assert _day(calendar_con, "2027-10-01")[0] is True
    assert {_day(calendar_con, d)[3] for d in ("2027-03-01", "2027-03-06", "2027-10-01")} == {"estimated"}
    wrong = calendar_con.execute("SELECT count(*) FROM calendar WHERE year(day) = 2027 "
                                 "AND (is_workday <> (isodow(day) <= 5) OR source <> 'estimated')").fetchone()[0]
    assert wrong == 0


def test_workday_no_is_a_running_count(calendar_con: duckdb.DuckDBPyConnection) -> None:
    bad = calendar_con.execute("""
        SELECT count(*) FROM (
            SELECT workday_no, sum(is_workday::INTEGER) OVER (ORDER BY day) AS running FROM calendar
        ) WHERE workday_no <> running""").fetchone()[0]
    assert bad == 0
    # Over National Day 2023: Fri 09-28 is a working day, 09-29 … 10-06 are off, Sat 10-07 works.
    no = {d: _day(calendar_con, d)[1] for d in ("2023-09-28", "2023-09-29", "2023-10-06", "2023-10-07")}
    assert no["2023-09-29"] == no["2023-09-28"] == no["2023-10-06"]
    assert no["2023-10-07"] == no["2023-09-28"] + 1


def test_deadline_is_the_nth_working_day_strictly_after(calendar_con: duckdb.DuckDBPyConnection) -> None:
    # Formed Fri 2024-02-09, the last working day before the Spring Festival break 02-10…02-17.
    # Working days after it (Sun 02-18 is 调休; ordinary weekends skipped):
    # 02-18(1) 19(2) 20(3) 21(4) 22(5) 23(6) 26(7) 27(8) 28(9) 29(10) 03-01(11) 04(12) 05(13)
    # 06(14) 07(15) 08(16) 11(17) 12(18) 13(19) 14(20)  -> deadline 2024-03-14.
    deadline = calendar_con.execute("""
        SELECT c2.day FROM calendar c1 JOIN calendar c2 ON c2.workday_no = c1.workday_no + 20 AND c2.is_workday
        WHERE c1.day = DATE '2024-02-09'""").fetchone()[0]
    assert deadline == dt.date(2024, 3, 14)


def test_override_file_sets_a_year_the_library_does_not_know(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overrides = tmp_path / "calendar_overrides.csv"
    overrides.write_text(
        "# test overrides\n"
        "day,is_workday,holiday_name\n"
        "2027-02-05,0,春节\n"      # a Friday made a holiday
        "2027-02-06,1,春节调休上班\n",  # a Saturday made a working day
        encoding="utf-8")
    monkeypatch.setattr(reference, "CALENDAR_OVERRIDES_CSV", overrides)
    rows = {r[0]: r for r in reference.calendar_rows(dt.date(2026, 12, 30), dt.date(2027, 2, 10))}
    assert rows[dt.date(2027, 2, 5)][1] is False and rows[dt.date(2027, 2, 5)][3] == "春节"
    assert rows[dt.date(2027, 2, 6)][1] is True
    assert rows[dt.date(2027, 2, 7)][1] is False           # an unlisted Sunday: Monday-Friday rule
    assert rows[dt.date(2027, 2, 8)][1] is True            # an unlisted Monday
    assert {r[4] for d, r in rows.items() if d.year == 2027} == {"override"}
    assert {r[4] for d, r in rows.items() if d.year == 2026} == {"library"}
    # The running count carries across the override: Thu 02-04 (n), Fri 02-05 off, Sat 02-06 (n+1).
    assert rows[dt.date(2027, 2, 6)][2] == rows[dt.date(2027, 2, 4)][2] + 1


def test_without_an_override_file_2027_stays_estimated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "CALENDAR_OVERRIDES_CSV", tmp_path / "missing.csv")
    rows = reference.calendar_rows(dt.date(2027, 2, 5), dt.date(2027, 2, 6))
    assert [(r[1], r[4]) for r in rows] == [(True, "estimated"), (False, "estimated")]


def test_bundled_override_file_lists_no_known_year() -> None:
    """Overriding a year the library knows would silently replace its data; the shipped file must not."""
    text = reference.CALENDAR_OVERRIDES_CSV.read_text(encoding="utf-8")
    years = {line[:4] for line in text.splitlines() if line[:1].isdigit()}
    assert all(int(y) > 2026 for y in years)


def test_init_database_writes_override_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from loaders import db as loaders_db

    overrides = tmp_path / "calendar_overrides.csv"
    overrides.write_text("day,is_workday,holiday_name\n2027-10-01,0,国庆节\n", encoding="utf-8")
    monkeypatch.setattr(reference, "CALENDAR_OVERRIDES_CSV", overrides)
    con = duckdb.connect(str(tmp_path / "override.duckdb"))
    try:
        loaders_db.init_database(con)
        assert _day(con, "2027-10-01")[0] is False and _day(con, "2027-10-01")[2:] == ("国庆节", "override")
        assert _day(con, "2027-10-04")[::3] == (True, "override")      # an unlisted Monday
        assert _day(con, "2028-03-01")[3] == "estimated"                # the next year is still unknown
    finally:
        con.close()
