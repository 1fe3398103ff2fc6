"""Benchmark (DESIGN §7): build or reuse a synthetic database, time each step, print JSON last.

    python bench/run.py --scale city|province|national [--rebuild] [--as-of 2026-06-30] [--runs 3]
                        [--loads] [--load-max-rows N] [--before REV] [--dashboard] [--sessions N]

Every figure is the median of --runs runs. Besides the DESIGN §7 steps below:
--loads      disclosure logs (csv UTF-8/GBK 10k/100k/1M, xlsx and HTML 10k/100k) through the
             real CLI in a new process each, beside DuckDB's read_csv and pandas.read_csv on the
             same files, with each child's peak memory (bench/loads.py);
--before REV the same loads and dashboard timings with the code of an earlier commit (a
             detached worktree), for before/after figures from one run on one machine;
--dashboard  AppTest of 督导总览 on this scale's database: first render in a fresh process, second
             render, a filter change (bench/dashboard.py); with --browser also a real chromium's
             time to the ranking table, cold and warm, and the server's peak memory;
--sessions N N concurrent websocket sessions on a real `streamlit run` over the bundled sample
             (bench/sessions.py): errors, p50/p95 time to the ranking table.

Steps timed in one run: load (synthetic rows written through the schema in bulk, then the
matching pass the loaders run), evaluate (scoring.evaluate for all units: evaluate_first_s is the
first call on the connection, which also builds the per-connection macros, calendar and deadlines;
evaluate_s the median of the calls after it; evaluate_json_s evaluate + to_json(), the full JSON),
trend (quarterly
series), excel (the circulated workbook; bench/excel.py times it against an earlier commit), and the
evaluation peers of bench/peers/ (issue #17),
each verified equal to scoring.evaluate (score, rank, grade and the seven components of every unit)
before it is timed: floor (one hand-written SQL query computing the seven components, score, grade
and rank: bench/peers/one_query.sql) and pandas (a complete pandas implementation of DESIGN §6,
lists of missing items and overdue disclosures included: bench/peers/pandas_eval.py; read and
compute timed apart and together). grouped_pass is DuckDB's single grouped pass over the
disclosures (the old floor, kept for reference).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scoring  # noqa: E402
from bench import peers  # noqa: E402
from bench.peers import pandas_eval  # noqa: E402
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


def grouped_pass(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> float:
    start = time.perf_counter()
    con.execute(
        "SELECT district_code, count(*), count(DISTINCT item_id), min(published_on), max(formed_on) "
        "FROM disclosures WHERE published_on <= ? GROUP BY district_code", [as_of]).fetchall()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="benchmark")
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loads", action="store_true")
    parser.add_argument("--load-max-rows", type=int, default=1_000_000)
    parser.add_argument("--before", default=None, help="commit to compare with (loads, dashboard)")
    parser.add_argument("--before-max-rows", type=int, default=1_000_000)
    parser.add_argument("--dashboard", action="store_true")
    parser.add_argument("--sessions", type=int, default=0)
    parser.add_argument("--browser", action="store_true", help="with --dashboard: real chromium timings too")
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

    runs = max(1, args.runs)

    def median_s(step: Any) -> tuple[float, Any]:
        times, value = [], None
        for _ in range(runs):
            start = time.perf_counter()
            value = step()
            times.append(time.perf_counter() - start)
        return statistics.median(times), value

    _progress("[2/6] evaluate")
    # The first call on a connection also installs the rule macros and builds the extended calendar
    # and the deadlines table (per connection); evaluate_s is the median of the calls after it.
    first_start = time.perf_counter()
    scoring.evaluate(con, as_of=as_of, since=since)
    evaluate_first_s = time.perf_counter() - first_start
    evaluate_s, evaluation = median_s(lambda: scoring.evaluate(con, as_of=as_of, since=since))
    # evaluate + to_json(): the full JSON the CLI writes. Every figure and sentence is computed inside
    # evaluate (no database access afterwards); to_json() only turns the columnar lists into dicts.
    evaluate_json_s, _ = median_s(lambda: scoring.evaluate(con, as_of=as_of, since=since).to_json())
    _progress("[3/6] trend")
    trend_s, _ = median_s(lambda: scoring.trend(con, as_of=as_of))
    _progress("[4/6] excel")
    context = report_context(con, rules=scoring.load_rules())
    excel_s, _ = median_s(lambda: build_report_workbook(evaluation, context))
    report = evaluation.to_json()
    rules = scoring.load_rules()
    _progress("[5/6] floor: one SQL query (verified equal first)")
    peers.verify(report, peers.one_query(con, as_of, since, rules), "one_query")
    floor_s, _ = median_s(lambda: peers.one_query(con, as_of, since, rules))
    grouped_pass_s = statistics.median(grouped_pass(con, as_of) for _ in range(max(3, runs)))
    _progress("[6/6] pandas peer (verified equal first)")
    pandas_read_s, read_tables = median_s(lambda: pandas_eval.read(con))
    peers.verify(report, pandas_eval.compute(read_tables, as_of, since, rules), "pandas", lists=True)
    pandas_compute_s, _ = median_s(lambda: pandas_eval.compute(read_tables, as_of, since, rules))
    pandas_s = pandas_read_s + pandas_compute_s
    con.close()
    evaluate_peak_mb = _evaluate_peak(path, as_of, since)

    result: dict[str, Any] = {
        "scale": args.scale, "districts": units, "disclosures": disclosures,
        "load_s": round(load_s, 3), "evaluate_s": round(evaluate_s, 3),
        "evaluate_first_s": round(evaluate_first_s, 3), "evaluate_json_s": round(evaluate_json_s, 3),
        "trend_s": round(trend_s, 3),
        "excel_s": round(excel_s, 3), "floor_s": round(floor_s, 4), "pandas_s": round(pandas_s, 3),
        "vs_floor": round(evaluate_s / floor_s, 2), "pandas_over_ours": round(pandas_s / evaluate_s, 2),
        "pandas_read_s": round(pandas_read_s, 3), "pandas_compute_s": round(pandas_compute_s, 3),
        "pandas_compute_over_ours": round(pandas_compute_s / evaluate_s, 2),
        "grouped_pass_s": round(grouped_pass_s, 4), "peers_verified": True,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "runs": runs, "evaluate_peak_mb": evaluate_peak_mb,
    }
    print(f"\n{args.scale}: {units:,} units, {disclosures:,} disclosures (medians of {runs} runs)")
    for key in ("evaluate_s", "evaluate_first_s", "evaluate_json_s", "trend_s", "excel_s", "floor_s", "pandas_s", "pandas_read_s", "pandas_compute_s",
                "vs_floor", "pandas_over_ours", "pandas_compute_over_ours", "grouped_pass_s", "evaluate_peak_mb"):
        print(f"  {key:<20} {result[key]}")

    from bench import dashboard, loads, sessions
    if args.loads:
        _progress("[loads] CLI vs DuckDB read_csv vs pandas.read_csv")
        rows = loads.run(OUT, runs, args.load_max_rows, args.before, args.before_max_rows)
        print("\nloads (seconds through `python -m loaders disclosures`, start-up included)")
        print(loads.table(rows))
        result["loads"] = rows
        for r in rows:
            if r["format"] == "csv-utf8" and r["rows"] == 1_000_000:
                result["load_csv_1m_s"] = r["cli_s"]
            if r["format"] == "csv-gbk" and r["rows"] == 1_000_000:
                result["load_csv_gbk_1m_s"] = r["cli_s"]
            if r["format"] == "csv-utf8" and r["rows"] == 100_000:
                result["load_csv_100k_s"] = r["cli_s"]
            if r["format"] == "xlsx" and r["rows"] == 100_000:
                result["xlsx_rows_per_s"] = r["rows_per_s"]
            if r["format"] == "html" and r["rows"] == 100_000:
                result["html_rows_per_s"] = r["rows_per_s"]
    if args.dashboard:
        _progress("[dashboard] AppTest overview")
        result["dashboard"] = dashboard.run(path, runs)
        if args.browser:
            result["dashboard"].update(dashboard.browser_run(path, runs))
        if args.before:
            result["dashboard_before"] = dashboard.run(path, runs, loads.before_tree(args.before, OUT))
            if args.browser:
                result["dashboard_before"].update(dashboard.browser_run(path, runs, loads.before_tree(args.before, OUT)))
        print("\ndashboard (AppTest, 督导总览):", json.dumps({k: result[k] for k in ("dashboard", "dashboard_before")
                                                           if k in result}, ensure_ascii=False))
    if args.sessions:
        _progress(f"[sessions] {args.sessions} concurrent sessions on the sample")
        sample = OUT / "sample.duckdb"
        if not sample.exists():
            subprocess.run([sys.executable, "-m", "loaders", "sample", "--db", str(sample)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result["sessions"] = sessions.run(sample, args.sessions)
        print("\nsessions:", json.dumps(result["sessions"], ensure_ascii=False))
    print(json.dumps(result, ensure_ascii=False))
    return 0


_EVAL_CHILD = ("import sys,datetime as dt;sys.path.insert(0,sys.argv[1]);import duckdb,scoring;"
               "c=duckdb.connect(sys.argv[2],read_only=True);"
               "scoring.evaluate(c,as_of=dt.date.fromisoformat(sys.argv[3]),since=dt.date.fromisoformat(sys.argv[4]))"
               ".to_json()")


def _evaluate_peak(path: Path, as_of: dt.date, since: dt.date) -> float:
    """Peak RSS (MB) of a fresh process that opens the database and evaluates (to_json included)."""
    from bench.loads import _timed
    _, peak, _ = _timed([sys.executable, "-c", _EVAL_CHILD, str(ROOT), str(path), as_of.isoformat(),
                         since.isoformat()], ROOT)
    return round(peak)


if __name__ == "__main__":
    raise SystemExit(main())
