"""Evaluation on one read-only connection at four kinds of date (issue #17, evaluation targets):
the first call (connecting included), the same date again, earlier dates of the same year (inside
the window the connection keeps) and later dates (the first outside the window kept before it: it
makes the window to the end of the year, scoring.measure._window_table, which the next ones are
cut from). `later_first` is that first later date alone, beside the median of all five.

    python bench/dates.py --db bench/out/city.duckdb [--as-of 2026-06-30]
    PYTHONPATH=<old checkout> python bench/dates.py --db ...     # the same with an earlier commit

Prints one JSON line of medians (wall and CPU seconds of this process). `bench/run.py`'s
`evaluate_s` is the same-date figure; run old and new alternately to compare them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH: an old checkout wins
import scoring  # noqa: E402


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def run(db: str, as_of: dt.date) -> dict[str, float]:
    def at(day: dt.date) -> Callable[[], object]:
        return lambda: scoring.evaluate(con, as_of=day)

    wall, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect(db, read_only=True)
    scoring.evaluate(con, as_of=as_of)
    out = {"first_wall": time.perf_counter() - wall, "first_cpu": time.process_time() - cpu}
    days = {"same": [as_of] * 5,
            "earlier": [as_of - dt.timedelta(days=d) for d in (1, 4, 5, 6, 7)],
            "later": [as_of + dt.timedelta(days=d) for d in (1, 2, 3, 6, 7)]}
    samples = {}
    for kind, dates in days.items():
        samples[kind] = [_timed(at(day)) for day in dates]
        out[f"{kind}_wall"] = statistics.median(s[0] for s in samples[kind])
        out[f"{kind}_cpu"] = statistics.median(s[1] for s in samples[kind])
    # the first later date alone: the one that makes the window to the end of the year
    out["later_first_wall"], out["later_first_cpu"] = samples["later"][0]
    return {k: round(v, 4) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="evaluation: first, same, earlier and later dates")
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 6, 30))
    args = parser.parse_args()
    print(json.dumps(run(args.db, args.as_of)))


if __name__ == "__main__":
    main()
