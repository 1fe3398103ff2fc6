"""Shared pieces of the sample generator: constants, the working-day calendar, the unit and
row records, 索引号 numbering and reproducible xlsx saving. Used by `tools/make_sample.py`."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from loaders import reference
from loaders.names import SYNONYMS_CSV
from ui_text.common import HOLIDAY_NAMES

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
SEED = 20200624  # date of the city guide
START = dt.date(2020, 6, 1)
LAST_PUBLISHED = dt.date(2026, 11, 24)
PENDING_FROM = dt.date(2026, 10, 1)
FIXED_TIME = dt.datetime(2026, 11, 20, 9, 0, 0)
ZIP_TIME = (2026, 11, 20, 9, 0, 0)
# Events per year for each standard item (seq); 6, 7, 11, 33-40, 43 are placed by rule.
RATES = {1: 1.0, 2: 4.0, 3: 1.2, 4: 1.0, 5: 1.5, 8: 1.2, 9: 1.0, 10: 1.0, 12: 3.0, 13: 1.5,
         14: 2.0, 15: 2.0, 16: 2.0, 17: 2.5, 18: 3.0, 19: 4.0, 20: 0.5, 21: 0.4, 22: 1.0, 23: 1.0,
         24: 0.3, 25: 1.0, 26: 1.0, 27: 1.0, 28: 0.5, 29: 1.0, 30: 0.6, 31: 1.0, 32: 0.5,
         41: 2.0, 42: 1.0}
GUIDES = range(33, 39)
LAW, POLICY, PROGRESS, UPPER_INTERP, LOCAL_INTERP, EVALUATION = 1, 2, 11, 39, 40, 43


class WorkCalendar:
    """Working days from the product's own calendar rows (chinese_calendar + overrides)."""

    def __init__(self) -> None:
        rows = reference.calendar_rows(dt.date(2019, 1, 1), dt.date(2027, 12, 31))
        self.no = {r[0]: r[2] for r in rows}
        self.is_work = {r[0]: r[1] for r in rows}
        self.by_no = {r[2]: r[0] for r in rows if r[1]}
        wanted = {HOLIDAY_NAMES["Spring Festival"], HOLIDAY_NAMES["National Day"]}
        firsts: dict[tuple[int, str], dt.date] = {}
        for day, work, _, name, _ in rows:
            if not work and name in wanted:
                firsts.setdefault((day.year, name), day)
        self.holiday_starts = sorted(firsts.values())

    def add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day strictly after `day` (n >= 1)."""
        return self.by_no[self.no[day] + n]

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_work[day]:
            day -= dt.timedelta(days=1)
        return day


@dataclass
class Disclosure:
    seq: int | None  # standard item, None = unmappable
    title: str
    item: str
    formed: dt.date | None
    published: dt.date | None
    minute: int = 0


@dataclass
class Unit:
    cfg: dict
    rng: random.Random
    label: str
    code: str
    rows: list[Disclosure] = field(default_factory=list)
    used_docs: set[str] = field(default_factory=set)


@dataclass
class CatalogRow:
    level1: str
    level2: str
    values: dict[str, str]  # content, basis, time_limit, subject, channels
    ticks: dict[str, list[bool]]  # audience, method, disclosure_level -> sub-column ticks


def synonyms() -> list[tuple[str, str]]:
    """(short, long) item-name forms, e.g. 公租房 -> 公共租赁住房."""
    with SYNONYMS_CSV.open(encoding="utf-8") as f:
        return [(r["short_form"], r["long_form"]) for r in csv.DictReader(f)]


def index_no(unit: Unit, day: dt.date, n: int) -> str:
    """索引号 as portals print it: a (synthetic) unified credit code, the year and a serial."""
    digits = re.sub(r"\D", "", unit.code).ljust(6, "0")
    serial = int.from_bytes(unit.cfg["slug"].encode("utf-8")[:8].ljust(8, b"0"), "big") % 10_000_000
    return f"11{digits}MB{serial:07d}/{day.year}-{n:05d}"


def save_workbook(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed document properties and zip entry times, so the bytes are reproducible."""
    wb.properties.created = FIXED_TIME
    wb.properties.creator = "make_sample"
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())
