"""数据管理 with the guards: a header-only re-export is refused with the confirmation hint, loads
once 确认替换 is ticked, and 撤销导入 puts the 306 rows back; an upload that would blow up is
refused from the capped child process (issue #16 items 1, 2, 4)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import api
from loaders.errors import LoadError, ProblemKind
from loaders.probe import probe
from tests.reliability.helpers import BAD, ROOT
from ui_text.reliability import PAGE

JINSHUI = "410105"


@pytest.fixture
def admin_page(tmp_path: Path, initialised_db: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "db" / "page.duckdb"
    db.parent.mkdir()
    shutil.copy(initialised_db, db)
    con = duckdb.connect(str(db))
    api.load_disclosures(con, "金水区", (BAD / "setup" / "log_306.csv").read_bytes(), filename="log.csv")
    con.close()
    monkeypatch.setenv("COMPLIANCE_DB", str(db))
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-06-30")

    def open_page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.session_state["demo_role"] = "admin"  # 演示模式 (no account file) viewing as 数据管理员
        at.run()
        at.switch_page("pages/data_admin.py")
        at.run()
        assert not at.exception, at.exception
        return at
    return open_page, db


def count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM disclosures").fetchone()[0])
    finally:
        con.close()


def test_refused_then_confirmed_then_undone_on_the_page(admin_page) -> None:
    open_page, db = admin_page
    at = open_page()
    header_only = (BAD / "log.csv").read_bytes()
    at.selectbox(key="log_unit").set_value(JINSHUI)
    at.file_uploader(key="log_file").set_value(("log.csv", header_only, "text/csv"))
    at.button(key="submit_disclosures").click().run()
    assert not at.exception
    assert at.error and PAGE["confirm_hint"] in [w.value for w in at.warning]
    assert count(db) == 306
    at.checkbox(key="log_confirm").check()
    at.button(key="submit_disclosures").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    assert count(db) == 0
    # 撤销导入 on the 导入记录 tab: the replaced 306 rows come back.
    con = duckdb.connect(str(db), read_only=True)
    last = con.execute("SELECT max(run_id) FROM load_changes").fetchone()[0]
    con.close()
    at = open_page()
    at.selectbox(key="undo_run").set_value(last)
    at.button(key="undo_submit").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    assert any(f"已撤销第 {last} 批导入" in s.value for s in at.success)
    assert count(db) == 306


def test_an_upload_that_would_blow_up_is_refused_before_the_server_parses_it(admin_page) -> None:
    open_page, db = admin_page
    at = open_page()
    at.selectbox(key="log_unit").set_value(JINSHUI)
    at.file_uploader(key="log_file").set_value(("台账.xlsx", (BAD / "stray_cell_xfd1048576.xlsx").read_bytes(),
                                                "application/octet-stream"))
    at.button(key="submit_disclosures").click().run()
    assert not at.exception
    assert at.error and count(db) == 306
    texts = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert "A1:XFD1048576" in texts


def test_the_probe_stops_a_parse_that_needs_more_than_its_memory() -> None:
    # 100,000 expanded HTML cells is within the limits; with a 40 MB allowance above the
    # interpreter the child runs out of memory and the caller gets too_costly, not a crash.
    rows = "".join("<tr>" + ('<td rowspan="300" colspan="60">x</td>' * 5 if i == 0 else "<td>y</td>") + "</tr>"
                   for i in range(300))
    page = f"<html><body><table><tr><th>标题</th><th>成文日期</th></tr>{rows}</table></body></html>".encode()
    probe(page, "ok.html")  # within 1 GiB: parses
    # The cap is on address space (RLIMIT_AS), set after the child's imports: its baseline is the
    # address space of a child that made the same imports (not this test process's peak, which
    # depends on what ran before it), and 40 MB above it the expanded grid does not fit.
    child = "from loaders import readers; print(open('/proc/self/status').read().split('VmSize:')[1].split()[0])"
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True, cwd=ROOT)
    baseline = int(done.stdout.strip()) << 10
    with pytest.raises(LoadError) as info:
        probe(page, "big.html", memory=baseline + (40 << 20))
    assert info.value.problems[0].kind is ProblemKind.TOO_COSTLY
    assert "解析该文件所需的内存或时间超过上限" in info.value.problems[0].message
