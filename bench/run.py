"""Benchmark (DESIGN §7): build or reuse a synthetic database, time each step, print JSON last.

    python bench/run.py --scale city|province|national [--rebuild] [--as-of 2026-06-30]

Steps timed in one run: load (synthetic rows written through the schema in bulk, then the
matching pass the loaders run), evaluate (scoring.evaluate for all units), trend (quarterly
series), excel (the circulated workbook), floor (DuckDB's own single grouped pass over the
disclosures: no evaluation can beat it), pandas (a straightforward pandas implementation of the
same timeliness and coverage figures, on frames already in memory).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scoring  # noqa: E402
from loaders import db as loaders_db  # noqa: E402
from reports.excel import build_report_workbook, report_context  # noqa: E402

SCALES = {"city": (16, 3_000), "province": (160, 3_000), "national": (3_000, 3_334)}
OUT = ROOT / "bench" / "out"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(path: Path, units: int, per_unit: int) -> float:
    """Create the synthetic database; returns seconds spent writing rows."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    loaders_db.init_database(con)
    sql = (ROOT / "bench" / "synthetic.sql").read_text(encoding="utf-8")
    params = {"units": units, "per_unit": per_unit}
    start = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    for stmt in (s for s in sql.split(";\n") if s.strip()):
        code = "\n".join(line.split("--", 1)[0] for line in stmt.splitlines())
        con.execute(stmt, {k: v for k, v in params.items() if f"${k}" in code})
    loaders_db.refresh_matches(con)
    con.execute("COMMIT")
    load_s = time.perf_counter() - start
    loaders_db.set_meta(con, "bench_load_s", f"{load_s:.3f}")
    loaders_db.set_meta(con, "bench_shape", f"{units}x{per_unit}")
    con.close()
    return load_s


def floor(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> float:
    start = time.perf_counter()
    con.execute(
        "SELECT district_code, count(*), count(DISTINCT item_id), min(published_on), max(formed_on) "
        "FROM disclosures WHERE published_on <= ? GROUP BY district_code", [as_of]).fetchall()
    return time.perf_counter() - start


def pandas_figures(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date) -> float:
    """Timeliness and disclosure coverage per unit the plain pandas way; returns seconds."""
    disc = con.execute("SELECT district_code, item_id, formed_on, published_on FROM disclosures").df()
    cal = con.execute("SELECT day, is_workday, workday_no FROM calendar").df()
    std = con.execute("SELECT item_id, time_limit_workdays FROM standard_catalog").df()
    start = time.perf_counter()
    n_items = len(std)
    d = disc.merge(std, on="item_id", how="left")
    d = d.merge(cal[["day", "workday_no"]].rename(columns={"day": "formed_on", "workday_no": "wn"}),
                on="formed_on", how="left")
    d["due_no"] = d["wn"] + d["time_limit_workdays"]
    workdays = cal[cal["is_workday"]][["day", "workday_no"]].rename(columns={"day": "deadline", "workday_no": "due_no"})
    d = d.merge(workdays, on="due_no", how="left")
    pub = pd.to_datetime(d["published_on"])
    judged = d[(pub >= pd.Timestamp(since)) & (pub <= pd.Timestamp(as_of)) & d["deadline"].notna()]
    timeliness = (pd.to_datetime(judged["published_on"]) <= pd.to_datetime(judged["deadline"])) \
        .groupby(judged["district_code"]).mean()
    published = d[pub <= pd.Timestamp(as_of)]
    coverage = published.groupby("district_code")["item_id"].nunique() / n_items
    pd.concat([timeliness, coverage], axis=1)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="benchmark")
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--as-of", default="2026-06-30")
    args = parser.parse_args(argv)
    units, per_unit = SCALES[args.scale]
    as_of = dt.date.fromisoformat(args.as_of)
    since = dt.date(as_of.year, 1, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{args.scale}.duckdb"

    reuse = False
    if path.exists() and not args.rebuild:
        con = duckdb.connect(str(path), read_only=True)
        reuse = loaders_db.get_meta(con, "bench_shape") == f"{units}x{per_unit}"
        load_s = float(loaders_db.get_meta(con, "bench_load_s") or "nan")
        con.close()
    if not reuse:
        _progress(f"[1/6] building {args.scale}: {units} units x {per_unit} disclosures")
        load_s = build(path, units, per_unit)
    con = duckdb.connect(str(path), read_only=True)
    disclosures = con.execute("SELECT count(*) FROM disclosures").fetchone()[0]

    _progress("[2/6] evaluate")
    start = time.perf_counter()
    evaluation = scoring.evaluate(con, as_of=as_of, since=since)
    evaluate_s = time.perf_counter() - start
    _progress("[3/6] trend")
    start = time.perf_counter()
    scoring.trend(con, as_of=as_of)
    trend_s = time.perf_counter() - start
    _progress("[4/6] excel")
    start = time.perf_counter()
    build_report_workbook(evaluation.to_json(), report_context(con, rules=scoring.load_rules()))
    excel_s = time.perf_counter() - start
    _progress("[5/6] floor")
    floor_s = min(floor(con, as_of) for _ in range(3))
    _progress("[6/6] pandas")
    pandas_s = pandas_figures(con, as_of, since)
    con.close()

    result = {
        "scale": args.scale, "districts": units, "disclosures": disclosures,
        "load_s": round(load_s, 3), "evaluate_s": round(evaluate_s, 3), "trend_s": round(trend_s, 3),
        "excel_s": round(excel_s, 3), "floor_s": round(floor_s, 4), "pandas_s": round(pandas_s, 3),
        "vs_floor": round(evaluate_s / floor_s, 1), "pandas_over_ours": round(pandas_s / evaluate_s, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
