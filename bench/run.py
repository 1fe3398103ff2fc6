"""Benchmark (DESIGN §7): build or reuse a synthetic database, time each step, print JSON last.

    python bench/run.py --scale city|province|national [--rebuild] [--as-of 2026-06-30] [--runs 3]
                        [--loads] [--load-max-rows N] [--before REV] [--dashboard] [--sessions N]

Every figure is the median of --runs runs. Besides the DESIGN §7 steps below:
--loads      disclosure logs (csv UTF-8/GBK 10k/100k/1M, xlsx and HTML 10k/100k, xlsx-inline 100k) through the
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
import os
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
from bench import peers, steps  # noqa: E402
from bench.peers import pandas_eval  # noqa: E402
from loaders import db as loaders_db  # noqa: E402
from reports.excel import build_report_workbook, report_context  # noqa: E402

SCALES = {"city": (16, 3_000), "province": (160, 3_000), "national": (3_000, 3_334),
          # scaling runs (README 规模与扩展): 2x and 4x national in units and disclosures alike, and
          # national's units with twice the disclosures each (separates growth with units from rows)
          "national2x": (6_000, 3_334), "national4x": (12_000, 3_334), "national-2xrows": (3_000, 6_668)}
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


DESIGN_KEYS = ("scale", "districts", "disclosures", "load_s", "evaluate_s", "trend_s", "excel_s", "floor_s",
               "pandas_s", "vs_floor", "pandas_over_ours", "peak_rss_mb")
PARTS = ("evaluate", "loads", "dashboard", "browser")
# Without a part flag: the "Done when" figures at province and national, the evaluation elsewhere.
DEFAULT_PARTS = {"province": PARTS, "national": PARTS}


def evaluation_steps(path: Path, as_of: dt.date, since: dt.date, runs: int) -> dict[str, Any]:
    """The DESIGN §7 steps and the evaluation peers on `path`, each the median of `runs` runs."""
    con = duckdb.connect(str(path), read_only=True)

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
    _progress("[peaks] trend, floor, excel, pandas: each in a fresh process")
    step_peaks = {f"{step}_peak_mb": steps.measure(path, step, 1, as_of).get("peak_mb")
                  for step in ("trend", "floor", "excel", "pandas")}

    return {
        "evaluate_s": round(evaluate_s, 3), "evaluate_first_s": round(evaluate_first_s, 3),
        "evaluate_json_s": round(evaluate_json_s, 3), "trend_s": round(trend_s, 3),
        "excel_s": round(excel_s, 3), "floor_s": round(floor_s, 4), "pandas_s": round(pandas_s, 3),
        "vs_floor": round(evaluate_s / floor_s, 2), "pandas_over_ours": round(pandas_s / evaluate_s, 2),
        "pandas_read_s": round(pandas_read_s, 3), "pandas_compute_s": round(pandas_compute_s, 3),
        "pandas_compute_over_ours": round(pandas_compute_s / evaluate_s, 2),
        "grouped_pass_s": round(grouped_pass_s, 4), "peers_verified": True,
        "evaluate_peak_mb": evaluate_peak_mb, **step_peaks,
    }


def _database(path: Path, scale: str, rebuild: bool) -> tuple[float, int]:
    """Build `scale`'s database at `path` unless it is there with the right shape: (load_s, disclosures)."""
    units, per_unit = SCALES[scale]
    reuse, load_s = False, float("nan")
    if path.exists() and not rebuild:
        con = duckdb.connect(str(path), read_only=True)
        reuse = loaders_db.get_meta(con, "bench_shape") == f"{units}x{per_unit}"
        load_s = float(loaders_db.get_meta(con, "bench_load_s") or "nan")
        con.close()
    if not reuse:
        _progress(f"[1/6] building {scale}: {units} units x {per_unit} disclosures")
        load_s = build(path, units, per_unit)
    con = duckdb.connect(str(path), read_only=True)
    disclosures = con.execute("SELECT count(*) FROM disclosures").fetchone()[0]
    con.close()
    return load_s, disclosures


def _load_keys(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The loads' headline keys of the JSON summary."""
    keys = {("csv-utf8", 1_000_000, "cli_s"): "load_csv_1m_s", ("csv-gbk", 1_000_000, "cli_s"): "load_csv_gbk_1m_s",
            ("csv-utf8", 100_000, "cli_s"): "load_csv_100k_s", ("csv-gbk", 100_000, "cli_s"): "load_csv_gbk_100k_s",
            ("xlsx", 100_000, "rows_per_s"): "xlsx_rows_per_s", ("html", 100_000, "rows_per_s"): "html_rows_per_s"}
    found: dict[str, Any] = {}
    for r in rows:
        for (kind, n, field), key in keys.items():
            if r["format"] == kind and r["rows"] == n:
                found[key] = r[field]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="benchmark: every #17 target beside its measured figure")
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT, help="where the databases and load files go")
    parser.add_argument("--evaluate", action="store_true", help="part: evaluate, trend, Excel, peers, memory")
    parser.add_argument("--loads", action="store_true", help="part: disclosure logs through the CLI vs peers")
    parser.add_argument("--load-max-rows", type=int, default=1_000_000)
    parser.add_argument("--before", default=None, help="commit to compare with (loads, dashboard)")
    parser.add_argument("--before-max-rows", type=int, default=1_000_000)
    parser.add_argument("--dashboard", action="store_true", help="part: AppTest overview renders")
    parser.add_argument("--browser", action="store_true", help="part: real chromium time to the ranking table")
    parser.add_argument("--sessions", type=int, default=0)
    args = parser.parse_args(argv)
    chosen = {p for p in PARTS if getattr(args, p)}
    parts = chosen or set(DEFAULT_PARTS.get(args.scale, ("evaluate",)))
    units, _ = SCALES[args.scale]
    as_of = dt.date.fromisoformat(args.as_of)
    since = dt.date(as_of.year, 1, 1)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.scale}.duckdb"
    runs = max(1, args.runs)

    result: dict[str, Any] = dict.fromkeys(DESIGN_KEYS)
    result.update(scale=args.scale, districts=units, runs=runs, parts=sorted(parts),
                  load_avg_start=round(os.getloadavg()[0], 1))
    if parts & {"evaluate", "dashboard", "browser"}:
        load_s, result["disclosures"] = _database(path, args.scale, args.rebuild)
        result["load_s"] = round(load_s, 3)
    if "evaluate" in parts:
        result.update(evaluation_steps(path, as_of, since, runs))

    from bench import dashboard, loads, sessions
    if "loads" in parts:
        _progress("[loads] CLI vs DuckDB read_csv vs pandas.read_csv")
        result["loads"] = loads.run(out, runs, args.load_max_rows, args.before, args.before_max_rows)
        result["interpreter_mb"] = interpreter_mb()
        result["empty_load_mb"] = loads.empty_load_mb(out, runs)
        result.update(_load_keys(result["loads"]))
    if parts & {"dashboard", "browser"}:
        result["dashboard"] = {}
        if "dashboard" in parts:
            _progress("[dashboard] AppTest overview")
            result["dashboard"].update(dashboard.run(path, runs))
        if "browser" in parts:
            _progress("[browser] chromium: time to the ranking table")
            result["dashboard"].update(dashboard.browser_run(path, runs))
        if args.before:
            old = loads.before_tree(args.before, out)
            result["dashboard_before"] = dashboard.run(path, runs, old) if "dashboard" in parts else {}
            if "browser" in parts:
                result["dashboard_before"].update(dashboard.browser_run(path, runs, old))
    if args.sessions:
        _progress(f"[sessions] {args.sessions} concurrent sessions on the sample")
        sample = out / "sample.duckdb"
        if not sample.exists():
            subprocess.run([sys.executable, "-m", "loaders", "sample", "--db", str(sample)], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result["sessions"] = sessions.run(sample, args.sessions)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["load_avg_end"] = round(os.getloadavg()[0], 1)
    result["targets"] = targets(result)
    result["targets_met"] = sum(1 for t in result["targets"] if t["met"] is True)
    result["targets_judged"] = sum(1 for t in result["targets"] if t["met"] is not None)
    print(report(result))
    print(json.dumps(result, ensure_ascii=False))
    return 0


INTERPRETER = "import loaders.api"  # the loader's code and the libraries it reads with, nothing read yet


def interpreter_mb() -> float:
    """Peak MB of the interpreter with the load path imported (`python -c "import loaders.api"`:
    DuckDB, pyarrow, pandas, numpy and the loaders): the load target's 'plus the interpreter'. Not
    `python -m loaders --help`, which since the CLI imports lazily loads none of those libraries."""
    from bench.loads import _timed
    _, peak, _ = _timed([sys.executable, "-c", INTERPRETER], ROOT)
    return round(peak)


# ── targets: every #17 figure beside its target ────────────────────────────────────────────────
# (part, figure, result key or (load format, rows, field), "<=" / ">=", limit, unit, scales it applies to;
#  None = every scale). At a scale the issue does not set the target for, the figure is printed
#  with the target in brackets and no verdict.
ALL = None
TARGETS: tuple[tuple[str, str, Any, str, float, str, tuple[str, ...] | None], ...] = (
    ("load", "csv UTF-8 1M rows, CLI end to end", ("csv-utf8", 1_000_000, "cli_s"), "<=", 2.0, "s", ALL),
    ("load", "csv GBK 1M rows, CLI end to end", ("csv-gbk", 1_000_000, "cli_s"), "<=", 2.0, "s", ALL),
    ("load", "csv UTF-8 1M rows, rows/s", ("csv-utf8", 1_000_000, "rows_per_s"), ">=", 500_000, "rows/s", ALL),
    ("load", "csv GBK 1M rows, rows/s", ("csv-gbk", 1_000_000, "rows_per_s"), ">=", 500_000, "rows/s", ALL),
    ("load", "csv UTF-8 100k rows incl. start-up", ("csv-utf8", 100_000, "cli_s"), "<=", 0.8, "s", ALL),
    ("load", "csv GBK 100k rows incl. start-up", ("csv-gbk", 100_000, "cli_s"), "<=", 0.8, "s", ALL),
    ("load", "xlsx 100k-row ledger, rows/s", ("xlsx", 100_000, "rows_per_s"), ">=", 100_000, "rows/s", ALL),
    ("load", "HTML table 100k rows, rows/s", ("html", 100_000, "rows_per_s"), ">=", 50_000, "rows/s", ALL),
    ("evaluate", "city evaluation in-process", "evaluate_s", "<=", 0.05, "s", ("city",)),
    ("evaluate", "province evaluation", "evaluate_s", "<=", 0.15, "s", ("province",)),
    ("evaluate", "evaluation / one-query floor", "vs_floor", "<=", 2.0, "x", ("national",)),
    ("evaluate", "complete pandas / ours (read+compute)", "pandas_over_ours", ">=", 5.0, "x", ("national",)),
    ("dashboard", "overview first render, AppTest", ("dashboard", "first_s"), "<=", 2.0, "s", ("national",)),
    ("dashboard", "overview first render, AppTest, from stored frames", ("dashboard", "first_s_stored"), "<=",
     2.0, "s", ("national",)),
    ("dashboard", "overview first render, browser (cold)", ("dashboard", "browser_cold_s"), "<=", 2.0, "s",
     ("national",)),
    ("dashboard", "overview first render, browser (stored frames)", ("dashboard", "browser_stored_s"), "<=", 2.0,
     "s", ("national",)),
    ("dashboard", "overview first render, browser (warm)", ("dashboard", "browser_warm_s"), "<=", 2.0, "s",
     ("national",)),
    ("dashboard", "second render (any click), AppTest", ("dashboard", "second_s"), "<=", 0.2, "s", ("national",)),
    ("dashboard", "filter change, AppTest", ("dashboard", "filter_s"), "<=", 0.2, "s", ("national",)),
    ("dashboard", "evaluations after the first render (clicks, filter)", ("dashboard", "evaluated_after"), "<=", 0,
     "", ALL),
    ("excel", "通报 workbook", "excel_s", "<=", 8.0, "s", ("national",)),
    ("memory", "evaluation process peak", "evaluate_peak_mb", "<=", 1536, "MB", ("national",)),
    ("memory", "dashboard server peak (browser run)", ("dashboard", "server_peak_mb"), "<=", 2048, "MB",
     ("national",)),
)


def _lookup(result: dict[str, Any], key: Any) -> Any:
    if isinstance(key, str):
        return result.get(key)
    if len(key) == 2:
        value = (result.get(key[0]) or {}).get(key[1])
        return value if isinstance(value, (int, float)) else None
    kind, n, field = key
    return next((r.get(field) for r in result.get("loads") or () if r["format"] == kind and r["rows"] == n), None)


def _num(value: float, unit: str) -> str:
    if not unit:
        return f"{value:g}"
    if unit in ("rows/s", "MB") or abs(value) >= 1000:
        return f"{value:,.0f} {unit}"
    text = f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return f"{text}x" if unit == "x" else f"{text} {unit}"


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every #17 target with its measured value and verdict: met True/False where the target applies
    to this run's scale and was measured, None otherwise (not measured, or the national target
    printed beside a smaller scale's figure). City's and province's own evaluation targets appear
    only in their runs."""
    rows = []
    for part, figure, key, op, limit, unit, scales in TARGETS:
        value = _lookup(result, key)
        applies = scales is None or result.get("scale") in scales
        if not applies and "national" not in (scales or ()):
            continue  # another small scale's own figure (city's, province's): its run shows it
        met = None
        if applies and value is not None:
            met = bool(value <= limit) if op == "<=" else bool(value >= limit)
        target = f"{op} {_num(limit, unit)}" + ("" if applies else f" ({'/'.join(scales or ())})")
        rows.append({"part": part, "figure": figure, "value": value, "unit": unit, "target": target, "met": met})
    rows.extend(_load_memory_targets(result))
    return rows


def _load_memory_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The load memory target, per csv log (the issue sets it in its sentence on csv logs): peak ≤ 3×
    the file's size plus the interpreter's (`interpreter_mb`). xlsx and HTML peaks are printed beside the same formula
    with no verdict (3× a compressed xlsx says nothing of the rows in it)."""
    base = result.get("interpreter_mb")
    rows = []
    for r in result.get("loads") or ():
        limit = 3 * r["mb"] + base if base is not None else None
        judged = str(r["format"]).startswith("csv")
        target = f"<= {limit:,.0f} MB (3x file + {base:,.0f} MB interpreter)" if limit else "3x file + interpreter"
        rows.append({"part": "memory", "figure": f"load peak, {r['format']} {r['rows']:,} rows ({r['mb']} MB file)",
                     "value": r.get("peak_mb"), "unit": "MB",
                     "target": target if judged else f"({target}; csv only)",
                     "met": None if not judged or limit is None or r.get("peak_mb") is None
                     else bool(r["peak_mb"] <= limit)})
    return rows


def _table(head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    cells = [tuple("" if c is None else str(c) for c in row) for row in [head, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(head))]
    return "\n".join("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def report(result: dict[str, Any]) -> str:
    """The readable tables: the run's figures, the loads beside their peers, and every target."""
    out = [f"\n{result['scale']}: {result['districts']:,} units, "
           + (f"{result['disclosures']:,} disclosures" if result.get("disclosures") else "no database")
           + f"; medians of {result['runs']} runs; parts {', '.join(result['parts'])}; "
           f"load average {result['load_avg_start']} at start, {result['load_avg_end']} at end (2 cores: "
           "compare ratios from the same run)"]
    if result.get("evaluate_s") is not None:
        keys = ("evaluate_s", "evaluate_first_s", "evaluate_json_s", "trend_s", "excel_s", "floor_s", "vs_floor", "pandas_s", "pandas_read_s",
                "pandas_compute_s", "pandas_over_ours", "pandas_compute_over_ours", "grouped_pass_s",
                "evaluate_peak_mb", "trend_peak_mb", "floor_peak_mb", "excel_peak_mb", "pandas_peak_mb")
        out += ["", "evaluation (in-process seconds; peaks: MB of a fresh process running the step)",
                _table(("figure", "value"), [(k, result.get(k)) for k in keys if k in result])]
    if result.get("loads"):
        out += ["", "loads (seconds through `python -m loaders disclosures`, a new process each, start-up included)",
                _table(("format", "rows", "file MB", "CLI s", "rows/s", "CPU s", "peak MB", "DuckDB read_csv s",
                        "pandas.read_csv s", "CLI / DuckDB", "before s"),
                       [(r["format"], f"{r['rows']:,}", r["mb"], r["cli_s"], f"{r['rows_per_s']:,}", r["cpu_s"],
                         r["peak_mb"], r.get("duckdb_read_csv_s"), r.get("pandas_read_csv_s"),
                         f"{r['cli_s'] / r['duckdb_read_csv_s']:.1f}x" if r.get("duckdb_read_csv_s") else None,
                         r.get("before_cli_s")) for r in result["loads"]])]
        if result.get("interpreter_mb") is not None:
            out.append(f"fixed memory: the interpreter with the load path imported (`python -c \"{INTERPRETER}\"`) "
                       f"{result['interpreter_mb']:,} MB; "
                       f"the same load of a header-only log {result.get('empty_load_mb')} MB")
    for key in ("dashboard", "dashboard_before", "sessions"):
        if result.get(key):
            out += ["", f"{key}: " + json.dumps(result[key], ensure_ascii=False)]
    verdict = {True: "met", False: "NOT met", None: "-"}
    rows = [(t["part"], t["figure"], "not measured" if t["value"] is None else _num(t["value"], t["unit"]), t["target"],
             verdict[t["met"]]) for t in result["targets"]]
    out += ["", f"#17 targets: {result['targets_met']} of {result['targets_judged']} judged met "
            "('-': not measured in this run, or another scale's target)",
            _table(("part", "figure", "measured", "target", "verdict"), rows)]
    return "\n".join(out)


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
