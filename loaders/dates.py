"""Vectorised parsing of the date styles published files use.

2023-06-01, 2023/6/1, 2023.6.1, 2023年6月1日, 20230601, each optionally followed by a time
of day (the time is dropped). Readers have already turned Excel date cells into ISO text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.vocabulary import vocabulary


def _pattern() -> re.Pattern[str]:
    d = vocabulary()["dates"]
    year, month, day = (re.escape(d[k]) for k in ("year", "month", "day"))
    time = r"(?:\s*[T\s]\s*\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2}(?:\.\d+)?)?)?"
    return re.compile(
        rf"^\s*(?P<y>\d{{4}})\s*(?:[-/.]|{year})\s*(?P<m>\d{{1,2}})\s*(?:[-/.]|{month})\s*(?P<d>\d{{1,2}})\s*{day}?"
        rf"{time}\s*$|^\s*(?P<y2>\d{{4}})(?P<m2>\d{{2}})(?P<d2>\d{{2}}){time}\s*$")


DATE_PATTERN = _pattern()


@dataclass
class ParsedDates:
    dates: pd.Series       # datetime64 (NaT where blank or wrong)
    blank: pd.Series       # bool: empty cell
    bad: pd.Series         # bool: text that is not a date
    impossible: pd.Series  # bool: looks like a date but does not exist (2023-02-30)


def _parse_distinct(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates, shaped) of distinct stripped texts: ISO dates through one `to_datetime` with a
    fixed format, the other styles through the pattern."""
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    shaped = iso.notna()
    rest = text[~shaped & (text != "")]
    dates = iso
    if len(rest):
        parts = rest.str.extract(DATE_PATTERN)
        y = parts["y"].fillna(parts["y2"])
        m = parts["m"].fillna(parts["m2"])
        d = parts["d"].fillna(parts["d2"])
        ok = y.notna()
        frame = pd.DataFrame({"year": pd.to_numeric(y), "month": pd.to_numeric(m), "day": pd.to_numeric(d)})
        filled: pd.DataFrame = frame.where(ok).fillna({"year": 2000, "month": 1, "day": 1})
        parsed = pd.to_datetime(filled, errors="coerce").where(ok)
        dates = dates.copy()
        dates.loc[rest.index] = parsed
        shaped = shaped.copy()
        shaped.loc[rest.index] = ok
    return dates, shaped


# The dates a datetime64[ns] column holds; a year outside (1500-01-01, 0000-01-01: typos) is a
# date-shaped text that names no usable day, refused as 日期不存在 instead of crashing the load.
_FIRST, _LAST = np.datetime64("1678-01-01"), np.datetime64("2261-12-31")


def _in_range(values: np.ndarray) -> np.ndarray:
    """`values` as datetime64[ns], NaT where the date lies outside the range it can hold."""
    out = ~np.isnat(values) & ((values < _FIRST) | (values > _LAST))
    return np.where(out, np.datetime64("NaT"), values).astype("datetime64[ns]")


def parse_dates(cells: pd.Series) -> ParsedDates:
    """Parse a column of date texts at once. A log repeats few distinct dates, so each distinct
    text is parsed once and the results are taken back to the rows by their codes."""
    text = cells.fillna("").astype(str)
    codes, uniques = pd.factorize(text)
    # Stripped once per distinct text, not per cell (two texts may strip to one: parsed alike).
    distinct = pd.Series(uniques, dtype=object).astype(str).str.strip()
    dates_u, shaped_u = _parse_distinct(distinct)
    values = _in_range(dates_u.to_numpy())
    dates = pd.Series(values[codes], index=text.index, dtype="datetime64[ns]") if len(text) else \
        pd.Series([], index=text.index, dtype="datetime64[ns]")
    shaped = pd.Series(shaped_u.to_numpy(dtype=bool)[codes], index=text.index, dtype=bool) if len(text) else \
        pd.Series([], index=text.index, dtype=bool)
    blank = pd.Series((distinct == "").to_numpy(dtype=bool)[codes], index=text.index, dtype=bool) if len(text) else \
        pd.Series([], index=text.index, dtype=bool)
    return ParsedDates(dates, blank, ~blank & ~shaped, shaped & dates.isna())


def parse_one(text: str) -> dt.date | None:
    """One date (CLI options, page metadata); None when it cannot be read or does not exist."""
    parsed = parse_dates(pd.Series([text]))
    value = parsed.dates.iloc[0]
    return None if pd.isna(value) else value.date()
