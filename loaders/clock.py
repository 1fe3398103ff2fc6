"""The one clock for stored timestamps: Beijing wall time (Asia/Shanghai), naive, whole seconds.

Servers often run on UTC; a load at 09:00 in Zhengzhou must not be recorded (and shown on every
page and in the 通报) as 01:00. Every load time, audit time and round time goes through `now()`.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """Beijing time now, without tzinfo (DuckDB TIMESTAMP columns are naive)."""
    return dt.datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)
