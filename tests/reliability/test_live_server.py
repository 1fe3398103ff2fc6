"""A real `streamlit run` keeps serving through a concurrent CLI load and shows the new data on
the next request without a restart (issue #16 item 5). The client speaks Streamlit's own
websocket protocol (protobuf BackMsg/ForwardMsg, `websockets` ships with Streamlit) on 127.0.0.1."""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.sync.client import connect

from tests.reliability.helpers import ROOT

FINISHED_EARLY_FOR_RERUN = 2  # ForwardMsg.ScriptFinishedStatus: the sign-in reruns the script
HANGKONGGANG = "410173"  # has no catalog in the sample
CATALOG = ROOT / "tests" / "data" / "xlsx" / "catalog_two_header_rows.xlsx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(sample_db: Path, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    db = tmp_path / "live.duckdb"
    shutil.copy(sample_db, db)
    port = free_port()
    env = {**os.environ, "COMPLIANCE_DB": str(db), "COMPLIANCE_TODAY": "2026-06-30",
           "COMPLIANCE_USERS": str(tmp_path / "no-users.toml")}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                             "--server.port", str(port), "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("streamlit did not start")
        yield port, db
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _run(ws: object, states: WidgetStates | None = None) -> list[object]:
    """Send one rerun; the elements of the run that finishes (a rerun it triggers included)."""
    ws.send(BackMsg(rerun_script=ClientState(query_string="", page_script_hash="",  # type: ignore[attr-defined]
                                             widget_states=states or WidgetStates())).SerializeToString())
    elements: list[object] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=120))  # type: ignore[attr-defined]
        if msg.HasField("delta") and msg.delta.HasField("new_element"):
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception":
                raise AssertionError(element.exception.message)
            elements.append(element)
        if msg.HasField("script_finished") and msg.script_finished != FINISHED_EARLY_FOR_RERUN:
            return elements
    raise AssertionError("the page did not finish")


def frames(elements: list[object]) -> list[pd.DataFrame]:
    return [pa.ipc.open_stream(io.BytesIO(e.dataframe.arrow_data.data)).read_all().to_pandas()  # type: ignore[attr-defined]
            for e in elements if e.WhichOneof("type") == "dataframe" and e.dataframe.arrow_data.data]  # type: ignore[attr-defined]


def sign_in(ws: object) -> list[pd.DataFrame]:
    """Open 督导总览 as a browser would (演示模式 without an account file opens it directly; an
    identity picker, where shown, is submitted with its default, the bureau); its dataframes."""
    first = _run(ws)
    radios = [e.radio for e in first if e.WhichOneof("type") == "radio"]  # type: ignore[attr-defined]
    buttons = [e.button for e in first if e.WhichOneof("type") == "button"  # type: ignore[attr-defined]
               and "FormSubmitter:sign_in" in e.button.id]  # type: ignore[attr-defined]
    if not (radios and buttons):
        return frames(first)
    return frames(_run(ws, WidgetStates(widgets=[WidgetState(id=radios[0].id, int_value=radios[0].default),
                                                 WidgetState(id=buttons[0].id, trigger_value=True)])))


def ranking_score(frames: list[pd.DataFrame], code: str) -> float:
    for frame in frames:
        if "code" in frame.columns and "score" in frame.columns:
            return float(frame.set_index("code").loc[code, "score"])
    raise AssertionError(f"no ranking table among {[list(f.columns) for f in frames]}")


def test_a_cli_load_while_the_dashboard_serves(server: tuple[int, Path]) -> None:
    port, db = server
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None) as ws, \
            connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None) as other:
        before = ranking_score(sign_in(ws), HANGKONGGANG)
        sign_in(other)  # a second user with the page open
        done = subprocess.run([sys.executable, "-m", "loaders", "catalog", "--district", "航空港区", str(CATALOG),
                               "--published-on", "2025-03-01", "--db", str(db)], cwd=ROOT, capture_output=True,
                              text=True, timeout=180)
        assert done.returncode == 0, done.stderr  # no lock error although the dashboard has the file open
        assert "已导入" in done.stdout
        # The same open session's next run (any click) shows the new data: no reload, no restart.
        after = ranking_score(frames(_run(ws)), HANGKONGGANG)
        assert after > before
        assert ranking_score(frames(_run(other)), HANGKONGGANG) == after
