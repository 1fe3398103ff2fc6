"""Dashboard timings of 督导总览, honest about what was cached (issue #17 target 3).

With Streamlit's AppTest, each run in a fresh process:
- cold: no stored frame (an empty `COMPLIANCE_VIEW_CACHE` folder): the first render evaluates;
- stored: a fresh process whose folder holds what a cold run kept (`appkit.persist`): what a
  restart, a second replica or the first visitor after a deploy pays when the data is unchanged;
- warmed: a fresh process with an empty folder that first runs what serve.py runs at server start
  (`appkit.warmup.run`, timed as `warm_up_s_warmed`): the first visitor after a restart;
then in the same process the second render (a rerun, as after any click) and a filter change on
the ranking (`first_cpu_s`: the first render's CPU seconds, every thread of the process). Each child also reports how often it evaluated (`scoring.evaluate`, or the ranking's
figures alone, `appkit.cache.scores_only`) and its peak memory.
With `--browser`: a real `streamlit run` on 127.0.0.1 and Debian's /usr/bin/chromium driven by
Playwright, the time from opening the app's address until the ranking table (督导总览's data
grid) is drawn: in a fresh server with an empty folder (cold, opened as soon as it answers), in new
tabs of the same server (warm: the shared in-process cache), in a fresh server with an empty folder
once its start-up warm-up is done (started: serve.py, `appkit.warmup`; a checkout without one is
opened STARTED_AFTER_S after start), and in a fresh server over the folder the first one filled
(stored), plus the first server's peak memory. The server is the checkout's serve.py where it has
one, else its dashboard.py (`bench.sessions.entry_script`). After each timed part it also notes when the
得分分布 chart below the table is drawn (`browser_chart_*`), how long the tab's main thread was busy until the
grid was visible (`browser_busy_*`, CDP TaskDuration), how much JavaScript the cold tab loaded, and
where each first tab's time went: until the app's websocket opened (`browser_connect_*`: the page's
own scripts) and until the table's message arrived (`browser_table_*`: the server's part); the rest
is the browser drawing it.

    python bench/dashboard.py --db PATH [--runs 3] [--code-root DIR] [--browser]

`--code-root` runs another checkout's dashboard (the before/after comparison of bench/run.py;
a checkout without the stored frames simply reports cold figures for both).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, os.getcwd())
import scoring
calls = {"evaluate": 0}
def counting(real):
    def counted(*args, **kwargs):
        calls["evaluate"] += 1
        return real(*args, **kwargs)
    return counted
scoring.evaluate = counting(scoring.evaluate)
try:  # the ranking's figures alone (appkit.cache.scores_only), where the checkout has it
    from appkit import cache as app_cache
    if hasattr(app_cache, "scores_only"):
        app_cache.scores_only = counting(app_cache.scores_only)
except ImportError:
    pass
def peak_mb():
    # VmHWM is this process's own high-water mark; getrusage's ru_maxrss also counts the parent's
    # pages at the fork (subprocess), so a large parent (bench/run.py after the pandas peer) leaked in
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from streamlit.testing.v1 import AppTest
warm_up_s = None
if os.environ.get("BENCH_WARM_UP") == "1":  # what serve.py does at server start, before this first render
    from appkit import warmup
    t = time.perf_counter(); warmup.run(full_evaluation=False); warm_up_s = time.perf_counter() - t
at = AppTest.from_file(os.path.join(os.getcwd(), "dashboard.py"), default_timeout=900)
at.session_state["user"] = {"role": "bureau", "district_code": None}
before_first = calls["evaluate"]  # the warm-up's own are not the render's
t = time.perf_counter(); c = time.process_time(); at.run(); first = time.perf_counter() - t
first_cpu = time.process_time() - c
assert not at.exception, [e.value for e in at.exception]
evaluated_first = calls["evaluate"] - before_first
tables = len(at.dataframe)
t = time.perf_counter(); at.run(); second = time.perf_counter() - t
change = None
if at.multiselect:
    box = at.multiselect[0]
    options = list(box.options)
    if options:
        t = time.perf_counter(); box.set_value(options[:1]).run(); change = time.perf_counter() - t
assert not at.exception, [e.value for e in at.exception]
print(json.dumps({"first_s": first, "first_cpu_s": first_cpu, "warm_up_s": warm_up_s,
                  "second_s": second, "filter_s": change, "tables": tables,
                  "evaluated_first": evaluated_first, "evaluated_after": calls["evaluate"] - evaluated_first,
                  "peak_mb": peak_mb()}))
"""


def _child(code_root: Path, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _CHILD], cwd=code_root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:300]}
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _median(samples: list[dict[str, Any]], key: str) -> float | None:
    values = [s[key] for s in samples if s.get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def run(db: Path, runs: int = 3, code_root: Path = ROOT) -> dict[str, Any]:
    """AppTest medians: `first_s`/`second_s`/`filter_s` cold (no stored frame), the same with
    `_stored` after a cold run kept its frame; `evaluated_*` = evaluations in the stored runs."""
    db = db.resolve()  # the child runs in `code_root`: a relative path would name another file
    cold: list[dict[str, Any]] = []
    stored: list[dict[str, Any]] = []
    warmed: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = dict(os.environ, COMPLIANCE_DB=str(db), COMPLIANCE_USERS=str(Path(tmp) / "no-users.toml"))
        for i in range(runs):  # each cold run gets an empty folder of its own
            cold.append(_child(code_root, dict(base, COMPLIANCE_VIEW_CACHE=str(Path(tmp) / f"cold-{i}"))))
            if "error" in cold[-1]:
                return cold[-1]
        for _ in range(runs):  # fresh processes over the folder the first cold run filled
            stored.append(_child(code_root, dict(base, COMPLIANCE_VIEW_CACHE=str(Path(tmp) / "cold-0"))))
            if "error" in stored[-1]:
                return stored[-1]
        if (code_root / "appkit" / "warmup.py").exists():  # an empty folder, serve.py's start-up warm-up first
            for i in range(runs):
                warmed.append(_child(code_root, dict(base, COMPLIANCE_VIEW_CACHE=str(Path(tmp) / f"warmed-{i}"),
                                                     BENCH_WARM_UP="1")))
                if "error" in warmed[-1]:
                    return warmed[-1]
    out: dict[str, Any] = {k: _median(cold, k) for k in ("first_s", "first_cpu_s", "second_s", "filter_s")}
    out.update({f"{k}_stored": _median(stored, k) for k in ("first_s", "first_cpu_s", "second_s", "filter_s")})
    # the first render after the start-up warm-up (None for a checkout without one), and the warm-up itself
    out.update({f"{k}_warmed": _median(warmed, k) for k in ("first_s", "first_cpu_s", "warm_up_s")})
    out.update({"tables": cold[0]["tables"], "peak_mb": _median(cold, "peak_mb"),
                "evaluated_cold": max(s.get("evaluated_first", 1) for s in cold),
                "evaluated_stored": max(s.get("evaluated_first", 1) for s in stored),
                "evaluated_warmed": max((s.get("evaluated_first", 1) for s in warmed), default=None),
                "evaluated_after": max(s.get("evaluated_after", 0) for s in cold + stored)})
    return out


_BROWSER_CHILD = r"""
import json, sys, time
from playwright.sync_api import sync_playwright
base, runs = sys.argv[1], int(sys.argv[2])
GRID = "[data-testid='stDataFrame'] canvas, [data-testid='stDataFrameResizable']"
# 得分分布 as drawn by this checkout or an older one (Plotly, then Vega-Lite, then an SVG from the server)
CHART = ("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg, "
         "[data-testid='stPlotlyChart'] .main-svg, svg[aria-label^='得分分布']")
JS = "performance.getEntriesByType('resource').filter(e => e.name.endsWith('.js'))"
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
TABLE_TYPES = ("dataframe", "arrow_data_frame", "arrow_table", "data_frame")  # bench.sessions' own
def on_socket(marks, t):
    # where the time goes: the app's websocket opened (the page's own scripts ran), the table's
    # message arrived (the server's part is done); the rest, to the grid drawn, is the browser's
    def socket(ws):
        marks.setdefault("connect", time.perf_counter() - t)
        def frame(payload):
            if "table" in marks or not isinstance(payload, bytes) or len(payload) < 1000:
                return
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") in TABLE_TYPES:
                marks["table"] = time.perf_counter() - t
        ws.on("framereceived", frame)
    return socket
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # one profile: its HTTP cache
    times, busy, charts, scripts, steps = [], [], [], [], []
    for _ in range(runs + 1):  # the first is cold (fresh server, empty browser cache), the others warm
        tab = context.new_page()
        cdp = context.new_cdp_session(tab)
        cdp.send("Performance.enable")  # TaskDuration: the tab's main thread busy, in seconds
        marks = {}
        t = time.perf_counter()
        tab.on("websocket", on_socket(marks, t))
        tab.goto(base)
        tab.wait_for_selector(GRID, state="visible", timeout=900_000)
        times.append(time.perf_counter() - t)
        steps.append(marks)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        busy.append(metrics.get("TaskDuration"))
        # after the timed part: when the chart below the table is drawn too, and what was loaded
        try:
            tab.wait_for_selector(CHART, state="visible", timeout=120_000)
            charts.append(time.perf_counter() - t)
        except Exception:
            charts.append(None)
        scripts.append(tab.evaluate(f"[{JS}.length, {JS}.reduce((n, e) => n + e.decodedBodySize, 0)]"))
        tab.close()
    browser.close()
print(json.dumps({"cold_s": times[0], "warm": times[1:], "busy_cold_s": busy[0], "busy_warm": busy[1:],
                  "chart_cold_s": charts[0], "chart_warm": charts[1:],
                  "connect_cold_s": steps[0].get("connect"), "table_cold_s": steps[0].get("table"),
                  "scripts": scripts[0]}))
"""


def _browser(port: int, runs: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", _BROWSER_CHILD, f"http://127.0.0.1:{port}/", str(runs)],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1][:300]}
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# a checkout without the start-up warm-up (no serve.py): its `started` visitor comes this long after start
STARTED_AFTER_S = 10.0


def browser_run(db: Path, runs: int = 3, code_root: Path = ROOT) -> dict[str, Any]:
    """Real-browser time to the ranking table: a fresh server with an empty folder, the browser
    opened as soon as it answers (cold), new tabs of it (warm); a fresh server with an empty folder
    opened once its start-up warm-up is done (started: a visitor after a restart); a fresh server
    over the folder the first filled (stored)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run as a script: `bench` is a namespace package of the root
    from bench import sessions

    code_root, db = code_root.resolve(), db.resolve()
    warms_at_start = sessions.entry_script(code_root).name == "serve.py"
    with tempfile.TemporaryDirectory() as tmp:
        found: dict[str, Any] = {}
        # stored reads the folder cold filled; started has an empty one of its own
        for phase, views in (("cold", "views"), ("started", "views-started"), ("stored", "views")):
            port = sessions._free_port()
            users = Path(tmp) / "no-users.toml"
            server = sessions.start_server(db, port, users, code_root, {"COMPLIANCE_VIEW_CACHE": str(Path(tmp) / views)})
            try:
                sessions.wait_healthy(port, timeout=120)
                if phase == "started":  # a visitor after a restart: the start-up warm-up is done
                    found["started_wait_s"] = sessions.wait_warmed(users.with_name("server.log")) \
                        if warms_at_start else None
                    if found["started_wait_s"] is None:
                        time.sleep(STARTED_AFTER_S)
                found[phase] = _browser(port, runs if phase == "cold" else 0)
                found[f"{phase}_peak"] = sessions.peak_rss_mb(server.pid)
            finally:
                sessions.stop_server(server)
            if "error" in found[phase]:
                return found[phase]
    warm_charts = [c for c in found["cold"].get("chart_warm", []) if c is not None]
    chart_cold = found["cold"].get("chart_cold_s")
    scripts = found["cold"].get("scripts") or [None, None]
    return {"browser_cold_s": round(found["cold"]["cold_s"], 3),
            "browser_warm_s": round(statistics.median(found["cold"]["warm"]), 3),
            "browser_stored_s": round(found["stored"]["cold_s"], 3),
            # a fresh server whose start-up warm-up had finished (serve.py), or STARTED_AFTER_S after start
            "browser_started_s": round(found["started"]["cold_s"], 3),
            "browser_busy_started_s": _rounded(found["started"].get("busy_cold_s")),
            "started_wait_s": _rounded(found["started_wait_s"]),
            # the tab's renderer main thread busy until the grid was visible (CDP TaskDuration, seconds): the
            # browser's own CPU time, which contention from other processes stretches far less than the wall time
            "browser_busy_cold_s": _rounded(found["cold"].get("busy_cold_s")),
            "browser_busy_warm_s": _rounded(statistics.median(found["cold"]["busy_warm"]))
            if found["cold"].get("busy_warm") else None,
            "browser_busy_stored_s": _rounded(found["stored"].get("busy_cold_s")),
            # where a first tab's time went: its websocket opened (the page's own scripts loaded and ran),
            # the table's message arrived (the server's part done); the rest to the grid is drawing it
            **{f"browser_{step}_{phase}_s": _rounded(found[phase].get(f"{step}_cold_s"))
               for phase in ("cold", "started", "stored") for step in ("connect", "table")},
            # the 得分分布 chart below the table, drawn (not part of the figures above: they stop at the grid)
            "browser_chart_cold_s": None if chart_cold is None else round(chart_cold, 3),
            "browser_chart_warm_s": round(statistics.median(warm_charts), 3) if warm_charts else None,
            # the JavaScript the cold tab loaded: files and decoded megabytes
            "browser_js_files": scripts[0],
            "browser_js_mb": None if scripts[1] is None else round(scripts[1] / 1e6, 2),
            "server_peak_mb": found["cold_peak"], "server_stored_peak_mb": found["stored_peak"]}


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
