"""Beijing time everywhere (issue 11 item 10): stored load times are Beijing wall time whatever the
server's zone (this machine runs on UTC, eight hours behind), the default 评估日期 is today in
Beijing, and the pages show the load times as stored."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from loaders import clock

BEIJING = ZoneInfo("Asia/Shanghai")


def test_load_times_are_beijing_time(sample_db: Path) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    started = con.execute("SELECT max(started_at), max(started_at) FROM load_runs").fetchone()[0]
    loaded = con.execute("SELECT max(loaded_at) FROM district_catalogs").fetchone()[0]
    con.close()
    beijing = dt.datetime.now(BEIJING).replace(tzinfo=None)
    # the sample was built by this test session, minutes ago at most
    assert abs(beijing - started) < dt.timedelta(minutes=30)
    assert abs(beijing - loaded) < dt.timedelta(minutes=30)
    utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs(beijing - utc) == dt.timedelta(hours=8) or abs(beijing - utc) < dt.timedelta(hours=9)
    assert clock.now().tzinfo is None and abs(clock.now() - beijing) < dt.timedelta(seconds=5)


def test_default_as_of_is_today_in_beijing(monkeypatch) -> None:  # noqa: ANN001
    from appkit import widgets
    monkeypatch.delenv("COMPLIANCE_TODAY", raising=False)
    assert widgets.today() == dt.datetime.now(BEIJING).date()
