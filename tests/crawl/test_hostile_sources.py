"""Issue #16 item 6: a pull that never aborts. A raw TCP server on 127.0.0.1 answers each path
in a hostile way (bad status line, huge header, non-HTTP reply, body shorter than its
Content-Length, a slow drip past the deadline, redirects to ftp:// and to another host); a
malformed URL is in the registry too. Every one becomes that source's Chinese refusal, the
good source after them still loads, the CLI exits 2 — and the redirect that is allowed
records its final URL in the evidence."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders import api
from loaders.cli import main
from loaders.db import init_database
from loaders.errors import LoadError, ProblemKind
from loaders.http_pull import request

CSV = "标题,所属事项,成文日期,发布日期\n2023年第三批公租房配租结果公示,配租结果,2023-06-01,2023-06-05\n".encode()


def _reply(path: str, port: int) -> list[tuple[float, bytes]]:
    """(pause before, bytes) chunks the server sends for `path`."""
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(CSV) + CSV
    if path == "/bad_status":
        return [(0, b"HTTP/1.1 OOPS\r\n\r\n")]
    if path == "/huge_header":
        return [(0, b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n")]
    if path == "/not_http":
        return [(0, b"SSH-2.0-OpenSSH_9.2\r\n")]
    if path == "/truncated.csv":
        return [(0, b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + CSV)]
    if path == "/drip.csv":
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
        return [(0, head)] + [(0.05, b"a")] * 200
    if path == "/to_ftp":
        return [(0, b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x.csv\r\nContent-Length: 0\r\n\r\n")]
    if path == "/to_other_host":
        return [(0, b"HTTP/1.1 302 Found\r\nLocation: http://example.invalid/x.csv\r\nContent-Length: 0\r\n\r\n")]
    if path == "/moved.csv":
        return [(0, b"HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:%d/log.csv\r\nContent-Length: 0\r\n\r\n"
                 % port)]
    if path == "/log.csv":
        return [(0, ok)]
    return [(0, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]


@pytest.fixture
def hostile() -> Iterator[str]:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    stop = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn:
            try:
                data = conn.recv(65536).decode("latin-1")
                path = data.split(" ")[1] if " " in data else "/"
                for pause, chunk in _reply(path, port):
                    if stop.is_set():
                        return
                    time.sleep(pause)
                    conn.sendall(chunk)
            except OSError:
                pass  # the client gave up: expected for the drip

    def loop() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize(("path", "kind"), [
    ("/bad_status", ProblemKind.FETCH_BAD_REPLY),
    ("/huge_header", ProblemKind.FETCH_BAD_REPLY),
    ("/not_http", ProblemKind.FETCH_BAD_REPLY),
    ("/truncated.csv", ProblemKind.FETCH_TRUNCATED),
    ("/to_ftp", ProblemKind.REDIRECT_REFUSED),
    ("/to_other_host", ProblemKind.REDIRECT_REFUSED),
])
def test_each_hostile_reply_is_a_refusal(hostile: str, path: str, kind: ProblemKind) -> None:
    with pytest.raises(LoadError) as info:
        request(hostile + path, timeout=2, retries=0)
    assert [p.kind for p in info.value.problems] == [kind]
    assert "。" in info.value.problems[0].message  # a Chinese sentence, not a traceback


def test_a_slow_drip_stops_at_the_deadline(hostile: str) -> None:
    started = time.monotonic()
    with pytest.raises(LoadError) as info:
        request(hostile + "/drip.csv", timeout=5, retries=0, deadline=time.monotonic() + 1.0)
    assert [p.kind for p in info.value.problems] == [ProblemKind.FETCH_DEADLINE]
    assert time.monotonic() - started < 3  # a per-read timeout alone would have waited 10 s


def test_malformed_urls_are_refused() -> None:
    for url in ("http://exa mple.com/x", "http://[::1/x", "ftp://127.0.0.1/x"):
        with pytest.raises(LoadError) as info:
            request(url, timeout=1, retries=0)
        assert info.value.problems[0].kind is ProblemKind.BAD_URL, url


def test_the_pull_goes_on_and_exits_2(hostile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = ["/bad_status", "/huge_header", "/not_http", "/truncated.csv", "/drip.csv", "/to_ftp", "/to_other_host"]
    entries = "".join(f'[[disclosures]]\ndistrict = "金水区"\nsource = "{hostile}{p}"\n\n' for p in paths)
    entries += '[[disclosures]]\ndistrict = "金水区"\nsource = "http://exa mple.com/x.csv"\n\n'
    entries += f'[[disclosures]]\ndistrict = "惠济区"\nsource = "{hostile}/moved.csv"\n'
    sources = tmp_path / "s.toml"
    sources.write_text(entries, encoding="utf-8")
    db = tmp_path / "d.duckdb"
    con = duckdb.connect(str(db))
    init_database(con)
    results = api.pull(con, sources, raw_dir=tmp_path / "raw", delay=0, timeout=2, retries=0, deadline_s=1.0)
    assert [r.result for r in results] == ["refused"] * 8 + ["loaded"]
    assert con.execute("SELECT count(*) FROM disclosures").fetchone() == (1,)
    # the followed redirect (same host) is recorded: the evidence names the final URL
    [sha] = list((tmp_path / "raw" / "410108").rglob("*.sha256"))
    assert sha.read_text(encoding="utf-8").splitlines()[1:] == [f"{hostile}/moved.csv", f"{hostile}/log.csv"]
    con.close()
    code = main(["pull", "--sources", str(sources), "--db", str(db), "--raw-dir", str(tmp_path / "raw2"),
                 "--delay", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert "网站的应答不是有效的 HTTP 应答" in err and "下载不完整" in err and "已拒绝跟随" in err
