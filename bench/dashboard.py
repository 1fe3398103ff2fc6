"""Dashboard timings with Streamlit's AppTest: the overview's first render in a new process
(cold caches: the evaluation is computed), the second render (a rerun, as after any click)
and a filter change on the ranking; each in a fresh process per run, medians over runs.

    python bench/dashboard.py --db PATH [--runs 3] [--code-root DIR]

`--code-root` runs another checkout's dashboard (the before/after comparison of bench/run.py).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, os.getcwd())
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("dashboard.py", default_timeout=900)
at.session_state["user"] = {"role": "bureau", "district_code": None}
t = time.perf_counter(); at.run(); first = time.perf_counter() - t
assert not at.exception, [e.value for e in at.exception]
tables = len(at.dataframe)
t = time.perf_counter(); at.run(); second = time.perf_counter() - t
change = None
if at.multiselect:
    box = at.multiselect[0]
    options = list(box.options)
    if options:
        t = time.perf_counter(); box.set_value(options[:1]).run(); change = time.perf_counter() - t
assert not at.exception, [e.value for e in at.exception]
print(json.dumps({"first_s": first, "second_s": second, "filter_s": change, "tables": tables}))
"""


def run(db: Path, runs: int = 3, code_root: Path = ROOT) -> dict[str, Any]:
    samples: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, COMPLIANCE_DB=str(db), COMPLIANCE_USERS=str(Path(tmp) / "no-users.toml"))
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", _CHILD], cwd=code_root, env=env, capture_output=True,
                                  text=True)
            if done.returncode != 0:
                return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:300]}
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def med(key: str) -> float | None:
        values = [s[key] for s in samples if s[key] is not None]
        return round(statistics.median(values), 3) if values else None

    return {"first_s": med("first_s"), "second_s": med("second_s"), "filter_s": med("filter_s"),
            "tables": samples[0]["tables"] if samples else 0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="overview render timings (AppTest)")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code-root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.db, args.runs, args.code_root), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
