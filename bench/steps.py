"""One evaluation-side step of the benchmark in a fresh process, for its own peak memory and CPU.

`measure(db, step, runs)` starts `python -c CHILD` under GNU time (bench/loads._timed_cpu): the
child opens the database read-only, prepares what the step needs outside the timing (the
evaluation for `excel`, the tables for `pandas`), runs the step `runs` times and prints each run's
wall and process-CPU seconds (every DuckDB thread included). The child's peak RSS is the step's
peak memory (for `excel` it includes the evaluation it needs; for `pandas` the frames it reads).

Steps: evaluate (scoring.evaluate), trend (scoring.trend), floor (bench/peers/one_query.sql),
excel (reports.excel.build_report_workbook), pandas (bench/peers/pandas_eval read + compute),
write (the smallest write through loaders.db.writing, one meta row: what every load, undo or
round pays for copying the whole file and renaming the copy over it; it rewrites `db`),
overview (督导总览's first render in Streamlit's AppTest, evaluation included: the dashboard
process's memory; later runs in the same process hit its cache, so time it with runs=1).
Used by bench/run.py (peak memory per step) and bench/scaling.py (1x/2x/4x national).
"""
from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("evaluate", "trend", "floor", "excel", "pandas", "write", "overview")

CHILD = r"""
import datetime as dt, json, sys, time
sys.path.insert(0, sys.argv[1])
import duckdb, scoring
step, runs = sys.argv[3], int(sys.argv[5])
as_of = dt.date.fromisoformat(sys.argv[4]); since = dt.date(as_of.year, 1, 1)
con = duckdb.connect(sys.argv[2], read_only=True)
rules = scoring.load_rules()
if step == "evaluate":
    run = lambda: scoring.evaluate(con, as_of=as_of, since=since, rules=rules)
elif step == "trend":
    run = lambda: scoring.trend(con, as_of=as_of)
elif step == "floor":
    from bench import peers
    run = lambda: peers.one_query(con, as_of, since, rules)
elif step == "excel":
    from reports.excel import build_report_workbook, report_context
    ev = scoring.evaluate(con, as_of=as_of, since=since, rules=rules)
    context = report_context(con, rules=rules)
    run = lambda: build_report_workbook(ev, context)
elif step == "write":
    from loaders import db as loaders_db
    con.close()
    def run():
        with loaders_db.writing(sys.argv[2]) as w:
            loaders_db.set_meta(w, "bench_write_probe", str(time.time()))
elif step == "overview":
    import os
    os.environ["COMPLIANCE_DB"] = sys.argv[2]
    os.environ["COMPLIANCE_USERS"] = sys.argv[6] + ".no-users.toml"
    from streamlit.testing.v1 import AppTest
    def run():
        at = AppTest.from_file("dashboard.py", default_timeout=1800)
        at.session_state["user"] = {"role": "bureau", "district_code": None}
        at.run()
        assert not at.exception, [e.value for e in at.exception]
elif step == "pandas":
    from bench.peers import pandas_eval
    run = lambda: pandas_eval.compute(pandas_eval.read(con), as_of, since, rules)
else:
    raise SystemExit(f"unknown step {step}")
wall, cpu, size, extra = [], [], None, {}
if step == "excel":
    extra["gaps"] = sum(len(d.gaps) for d in ev.districts)
for _ in range(runs):
    c, t = time.process_time(), time.perf_counter()
    value = run()
    wall.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
    if isinstance(value, bytes):
        size = len(value)
    del value
open(sys.argv[6], "w").write(json.dumps({"wall": wall, "cpu": cpu, "bytes": size, **extra}))
"""


def measure(db: Path, step: str, runs: int = 3, as_of: dt.date = dt.date(2026, 6, 30),
            code_root: Path = ROOT, nice: int = 0) -> dict[str, Any]:
    """Median wall and CPU seconds of `step` over `runs` runs in one fresh process, and its peak MB."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.loads import _timed_cpu

    with_nice = ["nice", "-n", str(nice)] if nice else []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "step.json"
        cmd = [*with_nice, sys.executable, "-c", CHILD, str(code_root), str(Path(db).resolve()), step,
               as_of.isoformat(), str(max(1, runs)), str(out)]
        _, peak, code, _ = _timed_cpu(cmd, code_root)
        if code != 0 or not out.exists():
            return {"error": f"{step} exited {code}"}
        found = json.loads(out.read_text())
    row: dict[str, Any] = {"s": round(statistics.median(found["wall"]), 3),
                           "cpu_s": round(statistics.median(found["cpu"]), 3), "peak_mb": round(peak)}
    if found["bytes"] is not None:
        row["mb"] = round(found["bytes"] / 2**20, 3)
    if "gaps" in found:
        row["gaps"] = found["gaps"]
    return row
