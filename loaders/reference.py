"""Reference data the product ships: the 16 units, the city standard catalog, the working-day calendar.

Reads files under `data/` and returns plain rows; `loaders.db.init_database` writes them.
The calendar comes from the maintained `chinese_calendar` package for the years it knows, then
`data/calendar_overrides.csv` (project-owned, for years the package does not know yet), and
Monday-Friday marked `estimated` for everything else.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import chinese_calendar

from loaders.names import DATA_DIR, DISTRICTS_CSV, SYNONYMS_CSV, name_key
from ui_text.common import ADJUSTED_WORKDAY, HOLIDAY_NAMES

STANDARD_TSV = DATA_DIR / "standard_catalog.tsv"
CALENDAR_OVERRIDES_CSV = DATA_DIR / "calendar_overrides.csv"
CALENDAR_START = dt.date(2015, 1, 1)
CALENDAR_END = dt.date(2040, 12, 31)


_CN_NUMBERS = {"十": 10, "十五": 15, "二十": 20, "三十": 30, "五": 5, "七": 7, "十个": 10}
_WORKDAYS = re.compile(r"(\d+|[一二三四五六七八九十]+)\s*个?工作日")
# 「每月后10个工作日内」 is a periodic limit: no working-day count from formation.
_PERIODIC = re.compile(r"每(?:月|季|季度|半年|年)")

NINE_ELEMENTS = (
    "level2", "content", "basis", "time_limit", "subject",
    "channels", "audience", "method", "disclosure_level",
)


def parse_time_limit_workdays(text: str | None) -> int | None:
    """20 for 「信息形成或者变更之日起20个工作日内」; None for periodic or non-working-day limits."""
    if not text or _PERIODIC.search(text):
        return None
    m = _WORKDAYS.search(text)
    if not m:
        return None
    raw = m.group(1)
    if raw.isdigit():
        return int(raw) or None
    return _CN_NUMBERS.get(raw)


@dataclass(frozen=True)
class District:
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    code_note: str | None
    sort_order: int


def districts() -> list[District]:
    """The 16 units from `data/districts.csv`, in the bureau's usual order."""
    with DISTRICTS_CSV.open(encoding="utf-8") as f:
        return [
            District(r["code"], r["name"], r["kind"], tuple(a for a in r["aliases"].split(";") if a),
                     r["code_note"] or None, int(r["sort_order"]))
            for r in csv.DictReader(f)
        ]


def synonym_rows() -> list[tuple[str, str]]:
    with SYNONYMS_CSV.open(encoding="utf-8") as f:
        return [(r["short_form"], r["long_form"]) for r in csv.DictReader(f)]


def standard_rows() -> list[dict[str, object]]:
    """The bundled 43-row reconstruction as rows of the `standard_catalog` table."""
    rows: list[dict[str, object]] = []
    with STANDARD_TSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            seq = int(r["seq"])
            rows.append({
                "item_id": f"S{seq:02d}", "seq": seq,
                "level1": r["level1"], "level2": r["level2"],
                "level1_key": name_key(r["level1"]), "level2_key": name_key(r["level2"]),
                "content": r["content_elements"], "basis": r["basis"], "time_limit": r["time_limit"],
                "subject": r["subject"], "channels": r["channels"], "audience": r["audience"],
                "method": r["method"], "disclosure_level": r["level"],
                "time_limit_workdays": parse_time_limit_workdays(r["time_limit"]),
                "notes": r["notes"] or None, "sources": r["sources"] or None,
                "confidence": r["confidence"],
            })
    return rows


def _overrides() -> dict[dt.date, tuple[bool, str | None]]:
    """day -> (is_workday, holiday name) from the project-owned override file."""
    out: dict[dt.date, tuple[bool, str | None]] = {}
    if not CALENDAR_OVERRIDES_CSV.exists():
        return out
    with CALENDAR_OVERRIDES_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            out[dt.date.fromisoformat(r["day"])] = (r["is_workday"].strip() == "1", r["holiday_name"] or None)
    return out


def calendar_rows(start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> list[tuple[Any, ...]]:
    """(day, is_workday, workday_no, holiday_name, source) for every day in [start, end].

    Override years (any year present in the override file) are taken from the file plus
    Monday-Friday for the days it does not list.
    """
    overrides = _overrides()
    override_years = {d.year for d in overrides}
    rows: list[tuple[Any, ...]] = []
    count = 0
    day = start
    while day <= end:
        name: str | None = None
        if day.year in override_years:
            is_work, name = overrides.get(day, (day.weekday() < 5, None))
            source = "override"
        else:
            try:
                is_holiday, english = chinese_calendar.get_holiday_detail(day)
                is_work = not is_holiday
                name = HOLIDAY_NAMES.get(english) if english else None
                if is_work and name:
                    name = ADJUSTED_WORKDAY.format(holiday=name)
                source = "library"
            except NotImplementedError:
                is_work, source = day.weekday() < 5, "estimated"
        count += int(is_work)
        rows.append((day, is_work, count, name, source))
        day += dt.timedelta(days=1)
    return rows
