"""`pull` against a real http.server on 127.0.0.1 (ephemeral port, in a thread) serving the
fixture pages: 200, 404, a response slower than the timeout, a page that changes between
pulls. Fetched files are kept under raw/<district_code>/<date>/ with their sha256."""
from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from loaders import pull
from loaders.errors import ProblemKind
from tests.loaders.helpers import DATA, snapshot

PAGES: dict[str, bytes] = {}
FLAKY: dict[str, int] = {}  # path -> how many more requests answer 503 before it works


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow.html":
            time.sleep(1.0)
        if FLAKY.get(self.path, 0) > 0:
            FLAKY[self.path] -= 1
            self.send_error(503)
            return
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up (the slow page): expected
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    PAGES.clear()
    FLAKY.clear()
    PAGES["/jczwgk/catalog.html"] = (DATA / "html/catalog_portal.html").read_bytes()
    PAGES["/xxgk/log.csv"] = (DATA / "csv/log_gb18030.csv").read_bytes()
    PAGES["/slow.html"] = b"<table></table>"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def write_sources(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[[catalog]]
district = "惠济区"
source = "{base}/jczwgk/catalog.html"
filed_on = 2020-09-25

[[disclosures]]
district = "惠济区"
source = "{base}/xxgk/log.csv"

[[catalog]]
district = "金水区"
source = "{base}/jczwgk/gone.html"

[[disclosures]]
district = "金水区"
source = "{base}/slow.html"
""", encoding="utf-8")
    return path


def test_pull_fetches_keeps_evidence_and_reports_failures(con: duckdb.DuckDBPyConnection, server: str,
                                                          tmp_path: Path) -> None:
    sources = write_sources(tmp_path, server)
    raw = tmp_path / "raw"
    seen: list[tuple[float, str]] = []
    results = pull(con, sources, progress=lambda f, m: seen.append((f, m)), raw_dir=raw, timeout=0.3, retries=1, delay=0)
    assert [(r.kind, r.district_code, r.result) for r in results] == [
        ("catalog", "410108", "loaded"), ("disclosures", "410108", "loaded"),
        ("catalog", "410105", "refused"), ("disclosures", "410105", "refused")]
    assert [(p.kind, p.detail) for p in results[2].problems] == [(ProblemKind.FETCH_FAILED, "HTTP 404")]
    assert [p.kind for p in results[3].problems] == [ProblemKind.FETCH_TIMEOUT]
    # Catalog metadata: the page's 发布日期/文号, the registry's filed_on, the URL as the portal page.
    meta = con.execute("SELECT published_on::VARCHAR, document_no, filed_on::VARCHAR, url FROM district_catalogs"
                       ).fetchone()
    assert meta == ("2020-09-18", "惠房保〔2020〕12号", "2020-09-25", f"{server}/jczwgk/catalog.html")
    assert con.execute("SELECT source_key FROM disclosure_sources").fetchall() == [(f"410108:{server}/xxgk/log.csv",)]
    # Every attempt is audited, fetch failures included.
    assert con.execute("SELECT result FROM load_runs ORDER BY run_id").fetchall() == [
        ("loaded",), ("loaded",), ("refused",), ("refused",)]
    # Evidence: the bytes and their sha256 under raw/410108/<today>/.
    kept = sorted(p for p in (raw / "410108").rglob("*") if p.is_file())
    page = PAGES["/jczwgk/catalog.html"]
    digest = hashlib.sha256(page).hexdigest()
    names = [p.name for p in kept]
    assert f"{digest[:12]}_catalog.html" in names and f"{digest[:12]}_catalog.html.sha256" in names
    evidence = next(p for p in kept if p.name == f"{digest[:12]}_catalog.html")
    assert evidence.read_bytes() == page
    assert (evidence.parent / (evidence.name + ".sha256")).read_text(encoding="utf-8").split()[0] == digest
    assert len(kept) == 4  # catalog + log, each with its .sha256
    assert not (raw / "410105").exists()
    assert seen[0] == (0.0, f"{server}/jczwgk/catalog.html") and seen[-1][0] == 1.0


def test_unchanged_content_is_a_no_op_and_a_changed_page_a_new_version(con: duckdb.DuckDBPyConnection, server: str,
                                                                       tmp_path: Path) -> None:
    sources = write_sources(tmp_path, server)
    raw = tmp_path / "raw"
    pull(con, sources, raw_dir=raw, timeout=0.3, retries=0, delay=0)
    before = snapshot(con)
    files = sorted(raw.rglob("*"))
    second = pull(con, sources, raw_dir=raw, timeout=0.3, retries=0, delay=0)
    assert [r.result for r in second[:2]] == ["unchanged", "unchanged"]
    assert snapshot(con) == before
    assert sorted(raw.rglob("*")) == files
    # The portal publishes a new version of its catalog page.
    PAGES["/jczwgk/catalog.html"] = (DATA / "html/catalog_portal_v2.html").read_bytes()
    third = pull(con, sources, raw_dir=raw, timeout=0.3, retries=0, delay=0)
    assert [r.result for r in third[:2]] == ["loaded", "unchanged"]
    versions = con.execute("SELECT published_on::VARCHAR, document_no, "
                           "(SELECT count(*) FROM district_catalog_rows r WHERE r.catalog_id = c.catalog_id) "
                           "FROM district_catalogs c ORDER BY load_seq").fetchall()
    assert versions == [("2020-09-18", "惠房保〔2020〕12号", 16), ("2021-03-02", "惠房保〔2021〕3号", 18)]
    assert len(list((raw / "410108").rglob("*_catalog.html"))) == 2


def test_server_errors_are_retried_and_the_size_is_capped(con: duckdb.DuckDBPyConnection, server: str,
                                                           tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[catalog]]\ndistrict = "惠济区"\nsource = "{server}/jczwgk/catalog.html"\n',
                       encoding="utf-8")
    FLAKY["/jczwgk/catalog.html"] = 1
    [ok] = pull(con, sources, raw_dir=tmp_path / "raw", timeout=2, retries=1, delay=0)
    assert ok.result == "loaded"  # the 503 was retried once
    FLAKY["/jczwgk/catalog.html"] = 2
    [failed] = pull(con, sources, raw_dir=tmp_path / "raw", timeout=2, retries=1, delay=0)
    assert [(p.kind, p.detail) for p in failed.problems] == [(ProblemKind.FETCH_FAILED, "HTTP 503")]
    [big] = pull(con, sources, raw_dir=tmp_path / "raw", timeout=2, retries=0, delay=0, max_bytes=1024 * 1024 // 100)
    assert [(p.kind, p.detail) for p in big.problems] == [(ProblemKind.TOO_LARGE, "10 KB")]
    assert "文件超过大小上限 10 KB" in big.problems[0].message
