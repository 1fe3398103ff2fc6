"""The 通报 workbook's build time at each scale, this code against an earlier commit, in one run.

    python bench/excel.py [--scales city,province,national] [--runs 3] [--before REV] [--as-of 2026-06-30]

Each (scale, code) pair runs in a fresh process on the benchmark database bench/out/<scale>.duckdb
(built by bench/run.py, or copied from a prebuilt one): it evaluates once, reads the report
context, then times `build_report_workbook` --runs times and prints the median and the file size.
The earlier commit's tree is a detached worktree (bench/loads.before_tree); a commit whose exporter
still took the evaluation JSON is given `to_json()`, outside the timing. The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

CHILD = r"""
import datetime as dt, inspect, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import duckdb, scoring
from reports.excel import build_report_workbook, report_context
con = duckdb.connect(sys.argv[2], read_only=True)
as_of = dt.date.fromisoformat(sys.argv[3])
ev = scoring.evaluate(con, as_of=as_of, since=dt.date(as_of.year, 1, 1))
context = report_context(con, rules=scoring.load_rules())
first = next(iter(inspect.signature(build_report_workbook).parameters))
arg = ev.to_json() if first == "evaluation_json" else ev
times, size = [], 0
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    size = len(build_report_workbook(arg, context))
    times.append(time.perf_counter() - start)
print(json.dumps({"s": statistics.median(times), "mb": size / 2**20, "units": len(ev.districts),
                  "gaps": sum(len(d.gaps) for d in ev.districts)}))
"""


def measure(code_root: Path, db: Path, as_of: str, runs: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(code_root), str(db), as_of, str(runs)],
                          cwd=code_root, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="city,province,national")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="an earlier commit to time beside this code")
    parser.add_argument("--as-of", default="2026-06-30")
    args = parser.parse_args(argv)
    old = None
    if args.before:
        from bench.loads import before_tree

        old = before_tree(args.before, OUT)
    rows = []
    for scale in args.scales.split(","):
        db = OUT / f"{scale}.duckdb"
        print(f"  excel {scale}", file=sys.stderr, flush=True)
        row: dict[str, Any] = {"scale": scale}
        ours = measure(ROOT, db, args.as_of, args.runs)
        row.update(units=ours["units"], gaps=ours["gaps"], excel_s=round(ours["s"], 3), mb=round(ours["mb"], 1))
        if old is not None:
            theirs = measure(old, db, args.as_of, args.runs)
            row.update(before_s=round(theirs["s"], 3), before_mb=round(theirs["mb"], 1),
                       speedup=round(theirs["s"] / ours["s"], 1))
        rows.append(row)
        print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    print(json.dumps({"excel": rows, "runs": args.runs, "before": args.before}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
