"""Scoring's clock for stored timestamps (rounds, tasks, disputes): Beijing wall time, naive.

The same rule as `loaders.clock` (scoring never imports loaders): a server on UTC must not record
a 09:00 circulation in Zhengzhou as 01:00.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def now(given: dt.datetime | None = None) -> dt.datetime:
    """`given`, else Beijing time now; without tzinfo (DuckDB TIMESTAMP columns are naive), whole seconds."""
    return (given or dt.datetime.now(BEIJING).replace(tzinfo=None)).replace(microsecond=0)
