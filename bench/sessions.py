"""Concurrent sessions on the overview (issue #16 item 9): a real `streamlit run dashboard.py`
on 127.0.0.1 and N websocket clients speaking Streamlit's own protocol (protobuf BackMsg /
ForwardMsg, as the browser does), bounded in count and in time.

Each client opens a session, passes the identity gate as 市住房保障局督导人员 (the default
choice, as a user does) and measures, from pressing the button, the time until the ranking
table of 督导总览 (the page's first dataframe element) arrives and until the run finishes. Errors: a session that gets an exception element, a closed socket or no table
within the deadline.

    python bench/sessions.py --db PATH [--sessions 20] [--deadline 60]
"""
from __future__ import annotations

import argparse
import asyncio
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


def start_server(db: Path, port: int, users: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, COMPLIANCE_DB=str(db), COMPLIANCE_USERS=str(users))
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.address", "127.0.0.1",
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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


async def one_session(port: int, deadline: float) -> dict[str, object]:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    out: dict[str, object] = {"table_s": None, "finished_s": None, "error": None}
    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=deadline) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            await ws.send(msg.SerializeToString())
            submit_id, asked = None, None
            while True:
                remaining = deadline - (time.perf_counter() - start)
                if remaining <= 0:
                    out["error"] = "deadline"
                    break
                raw = await asyncio.wait_for(ws.recv(), timeout=remaining)
                fwd = ForwardMsg()
                fwd.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    element = fwd.delta.new_element.WhichOneof("type")
                    if element == "exception":
                        out["error"] = "exception: " + fwd.delta.new_element.exception.message[:200]
                    if element == "button" and fwd.delta.new_element.button.is_form_submitter:
                        submit_id = fwd.delta.new_element.button.id
                    if element in TABLE_TYPES and out["table_s"] is None and asked is not None:
                        out["table_s"] = time.perf_counter() - asked
                elif kind == "script_finished":
                    if asked is None and submit_id is not None:
                        # The identity gate (演示模式): choose 市住房保障局督导人员 (the default
                        # radio option) and press 进入, as a user does; then the overview runs.
                        asked = time.perf_counter()
                        nxt = BackMsg()
                        nxt.rerun_script.query_string = ""
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


def run(db: Path, sessions: int = 20, deadline: float = 60.0) -> dict[str, object]:
    """Start a server on `db`, warm it with one session, then `sessions` at once."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(db, port, Path(tmp) / "no-users.toml")
        try:
            wait_healthy(port)
            warm = asyncio.run(_all(port, 1, deadline))[0]
            results = asyncio.run(_all(port, sessions, deadline))
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    tables = [float(r["table_s"]) for r in results if r["table_s"] is not None]  # type: ignore[arg-type]
    errors = [r["error"] for r in results if r["error"]]
    return {"sessions": sessions, "errors": len(errors), "error_samples": errors[:3],
            "warm_table_s": warm["table_s"], "table_p50_s": _pct(tables, 0.5), "table_p95_s": _pct(tables, 0.95),
            "table_max_s": max(tables) if tables else None,
            "table_mean_s": statistics.fmean(tables) if tables else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="concurrent overview sessions")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=60.0)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.db, args.sessions, args.deadline), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
