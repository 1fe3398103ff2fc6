"""Dashboard timings. With Streamlit's AppTest: the overview's first render in a new process
(cold caches: the evaluation is computed), the second render (a rerun, as after any click)
and a filter change on the ranking; each in a fresh process per run, medians over runs.
With `--browser`: a real `streamlit run` on 127.0.0.1 and Debian's /usr/bin/chromium driven by
Playwright, the time from opening the app's address until the ranking table (督导总览's data
grid) is drawn: in a fresh server (cold: the evaluation is computed) and in a new tab of the
same server (warm: the same browser opening the app again, its cache holding Streamlit's
scripts), plus the server's peak memory.

    python bench/dashboard.py --db PATH [--runs 3] [--code-root DIR] [--browser]

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
    db = db.resolve()  # the child runs in `code_root`: a relative path would name another file
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


_BROWSER_CHILD = r"""
import json, sys, time
from playwright.sync_api import sync_playwright
base, runs = sys.argv[1], int(sys.argv[2])
GRID = "[data-testid='stDataFrame'] canvas, [data-testid='stDataFrameResizable']"
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # one profile: its HTTP cache
    times = []
    for _ in range(runs + 1):  # the first is cold (fresh server, empty browser cache), the others warm
        tab = context.new_page()
        t = time.perf_counter()
        tab.goto(base)
        tab.wait_for_selector(GRID, state="visible", timeout=900_000)
        times.append(time.perf_counter() - t)
        tab.close()
    browser.close()
print(json.dumps({"cold_s": times[0], "warm": times[1:]}))
"""


def browser_run(db: Path, runs: int = 3, code_root: Path = ROOT) -> dict[str, Any]:
    """Real-browser time to the ranking table: cold (a fresh server) and warm (new tabs)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run as a script: `bench` is a namespace package of the root
    from bench import sessions

    port, code_root, db = sessions._free_port(), code_root.resolve(), db.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        server = sessions.start_server(db, port, Path(tmp) / "no-users.toml", code_root)
        try:
            sessions.wait_healthy(port, timeout=120)
            done = subprocess.run([sys.executable, "-c", _BROWSER_CHILD, f"http://127.0.0.1:{port}/", str(runs)],
                                  capture_output=True, text=True, timeout=1800)
            peak = sessions.peak_rss_mb(server.pid)
        finally:
            sessions.stop_server(server)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:300]}
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {"browser_cold_s": round(found["cold_s"], 3), "browser_warm_s": round(statistics.median(found["warm"]), 3),
            "server_peak_mb": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="overview render timings (AppTest)")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code-root", type=Path, default=ROOT)
    parser.add_argument("--browser", action="store_true", help="also time a real chromium (Playwright)")
    parser.add_argument("--no-apptest", action="store_true", help="only the browser timings")
    args = parser.parse_args(argv)
    result = {} if args.no_apptest else run(args.db, args.runs, args.code_root)
    if args.browser:
        result.update(browser_run(args.db, args.runs, args.code_root))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
