"""Concurrent sessions on the overview (issue #16 item 9): a real `streamlit run dashboard.py`
on 127.0.0.1 and N websocket clients speaking Streamlit's own protocol (protobuf BackMsg /
ForwardMsg, as the browser does), bounded in count and in time.

Each client opens the app (演示模式, no account file: the root opens 督导总览 as the bureau's
supervisor) and measures the time from connecting until the ranking table (the page's first
dataframe element) arrives (`open_*`); then it presses the period form's 确定 on the page it is
shown, as a browser does (its page hash), and measures from the click until the table arrives
again (`table_*`, a rerun as after any click). Errors: a session that gets an exception
element, a closed socket or no table within the deadline.

    python bench/sessions.py --db PATH [--sessions 20] [--deadline 60] [--bursts 1] [--code-root DIR]

`--bursts N` repeats the N concurrent sessions (one after another, same server) and pools their
times; `--code-root` serves another checkout's dashboard (before/after in one run). The server's
peak resident memory (VmHWM) is reported too.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE_TYPES = ("dataframe", "arrow_data_frame", "arrow_table", "data_frame")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def entry_script(code_root: Path) -> Path:
    """What `streamlit run` starts in a checkout: serve.py (the server-start warm-up, appkit.warmup)
    where it has one, else dashboard.py (older checkouts)."""
    serve = code_root / "serve.py"
    return serve if serve.exists() else code_root / "dashboard.py"


WARMED_LINE = "start-up warm-up:"  # appkit.warmup logs it when the first screen is warmed


def start_server(db: Path, port: int, users: Path, code_root: Path = ROOT,
                 extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`streamlit run` of the checkout's entry script on 127.0.0.1:`port`; its output goes to
    `server.log` beside `users`."""
    env = dict(os.environ, COMPLIANCE_DB=str(db), COMPLIANCE_USERS=str(users), **(extra_env or {}))
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry_script(code_root)), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    log = open(users.with_name("server.log"), "wb")  # noqa: SIM115 - closed with the temporary directory
    return subprocess.Popen(cmd, cwd=code_root, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Terminate a server started by `start_server`, killing it if it has not exited within 20 s."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_healthy(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy")


def wait_warmed(log: Path, timeout: float = 120.0) -> float | None:
    """Seconds until the server's log (`start_server`'s server.log) says the start-up warm-up is
    done; None for a server without one (an older checkout) or after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(OSError):
            if WARMED_LINE in log.read_text(errors="replace"):
                return time.monotonic() - start
        time.sleep(0.1)
    return None


async def one_session(port: int, deadline: float) -> dict[str, object]:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    out: dict[str, object] = {"open_s": None, "table_s": None, "finished_s": None, "error": None}
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=deadline) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            await ws.send(msg.SerializeToString())
            submit_id, asked, page_hash = None, None, ""
            while True:
                remaining = deadline - (time.perf_counter() - start)
                if remaining <= 0:
                    out["error"] = "deadline"
                    break
                raw = await asyncio.wait_for(ws.recv(), timeout=remaining)
                fwd = ForwardMsg()
                fwd.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                kind = fwd.WhichOneof("type")
                if kind == "navigation" and fwd.navigation.page_script_hash:
                    page_hash = fwd.navigation.page_script_hash  # the page now shown (after 开始's switch)
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    element = fwd.delta.new_element.WhichOneof("type")
                    if element == "exception":
                        out["error"] = "exception: " + fwd.delta.new_element.exception.message[:200]
                    if element == "button" and fwd.delta.new_element.button.is_form_submitter:
                        submit_id = fwd.delta.new_element.button.id
                    if element in TABLE_TYPES and out["open_s"] is None:
                        out["open_s"] = time.perf_counter() - start
                    if element in TABLE_TYPES and out["table_s"] is None and asked is not None:
                        out["table_s"] = time.perf_counter() - asked
                elif kind == "script_finished":
                    if asked is None and submit_id is not None:
                        # the overview is shown: press 确定 of its period form (a rerun)
                        asked = time.perf_counter()
                        nxt = BackMsg()
                        nxt.rerun_script.query_string = ""
                        nxt.rerun_script.page_script_hash = page_hash  # a browser reruns the page it shows
                        state = nxt.rerun_script.widget_states.widgets.add()
                        state.id = submit_id
                        state.trigger_value = True
                        await ws.send(nxt.SerializeToString())
                        continue
                    if out["table_s"] is not None:
                        out["finished_s"] = time.perf_counter() - (asked or start)
                        break
    except Exception as exc:  # a refused or dropped connection is a session error, reported
        out["error"] = f"{type(exc).__name__}: {exc}"[:200]
    if out["error"] is None and out["table_s"] is None:
        out["error"] = "no table"
    return out


async def _all(port: int, sessions: int, deadline: float) -> list[dict[str, object]]:
    return list(await asyncio.gather(*(one_session(port, deadline) for _ in range(sessions))))


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM) in MB, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def run(db: Path, sessions: int = 20, deadline: float = 60.0, bursts: int = 1,
        code_root: Path = ROOT) -> dict[str, object]:
    """Start a server on `db`, warm it with one session, then `bursts` times `sessions` at once."""
    port, code_root, db = _free_port(), code_root.resolve(), db.resolve()  # the server runs in code_root
    with tempfile.TemporaryDirectory() as tmp:
        # the ranking the server stores goes to a folder of this run, never beside a shared bench database
        views = {} if os.environ.get("COMPLIANCE_VIEW_CACHE") else {"COMPLIANCE_VIEW_CACHE": str(Path(tmp) / "views")}
        server = start_server(db, port, Path(tmp) / "no-users.toml", code_root, views)
        try:
            try:
                wait_healthy(port)
            except RuntimeError:
                log = (Path(tmp) / "server.log").read_text(errors="replace").strip().splitlines()
                raise RuntimeError(f"streamlit did not become healthy: {log[-3:]}") from None
            warm = asyncio.run(_all(port, 1, deadline))[0]
            results = [r for _ in range(max(1, bursts)) for r in asyncio.run(_all(port, sessions, deadline))]
            peak = peak_rss_mb(server.pid)
        finally:
            stop_server(server)
    tables = [float(r["table_s"]) for r in results if r["table_s"] is not None]  # type: ignore[arg-type]
    opens = [float(r["open_s"]) for r in results if r["open_s"] is not None]  # type: ignore[arg-type]
    errors = [r["error"] for r in results if r["error"]]
    return {"sessions": sessions, "bursts": max(1, bursts), "errors": len(errors), "error_samples": errors[:3],
            "warm_open_s": warm["open_s"], "open_p50_s": _pct(opens, 0.5), "open_p95_s": _pct(opens, 0.95),
            "warm_table_s": warm["table_s"], "table_p50_s": _pct(tables, 0.5), "table_p95_s": _pct(tables, 0.95),
            "table_max_s": max(tables) if tables else None,
            "table_mean_s": statistics.fmean(tables) if tables else None, "server_peak_mb": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="concurrent overview sessions")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=60.0)
    parser.add_argument("--bursts", type=int, default=1)
    parser.add_argument("--code-root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.db, args.sessions, args.deadline, args.bursts, args.code_root), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
