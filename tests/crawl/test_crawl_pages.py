"""网站抓取 and the crawl part of 数据管理 under Streamlit's AppTest, on a database the mini portal
was really crawled into: the supervisor sees the back-dated article, the off-site / off-field /
blocked entries and the unclassified one; after a site change the drift events; the data steward
pulls (one progress bar per source, one summary row per source) and confirms the pending item."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import api
from loaders.db import init_database
from tests.crawl.portal import JS_RECORDS, Portal, _jinshui, serve, sources_toml
from ui_text.crawl import COLUMNS, PAGE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def crawled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Portal, Path, Path]]:
    with serve() as portal:
        db = tmp_path / "crawl.duckdb"
        con = duckdb.connect(str(db))
        init_database(con)
        sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
        api.pull(con, sources, raw_dir=tmp_path / "raw", delay=0)
        portal.pages.update(_jinshui(JS_RECORDS[:4]))  # 使用情况检查结果 taken down
        api.pull(con, sources, raw_dir=tmp_path / "raw", delay=0)
        con.close()
        monkeypatch.setenv("COMPLIANCE_DB", str(db))
        monkeypatch.setenv("COMPLIANCE_SOURCES", str(sources))
        monkeypatch.setenv("COMPLIANCE_TODAY", "2025-06-30")
        yield portal, db, sources


def app(page: str, role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["demo_role"] = role  # 演示模式 (no account file): the sidebar switch decides the role
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_supervisor_sees_flags_drift_skipped_and_pending(crawled: tuple[Portal, Path, Path]) -> None:
    portal, _, _ = crawled
    at = app("pages/crawl.py", "bureau")
    # short lists: wrapping tables (titles and addresses in full), Chinese headers, text cells
    flags, events, skipped, pending = (t.value for t in at.table)
    c = COLUMNS
    assert list(flags[c["title"]]) == ["2023年第一批公租房配租对象名单公示"] and list(flags[c["backdated_days"]]) == ["48"]
    assert list(events[c["kind"]]) == ["文章被撤下"]
    assert list(events[c["url"]]) == [f"{portal.base}{JS_RECORDS[4][0]}"]
    assert sorted(skipped[c["status"]]) == sorted(["站外链接（不计分）", "非本领域（不计分）", "robots.txt 禁止抓取（未抓取）"])
    assert list(pending[c["title"]]) == ["中牟县住房保障工作简报（第5期）"]
    at.selectbox(key="crawl_unit").set_value("410105").run()  # 金水区 only: its drift event, nothing else
    assert not at.exception
    assert [list(t.value[c["name"]]) for t in at.table] == [["金水区"]]
    assert {PAGE["flags_none"], PAGE["skipped_none"], PAGE["pending_none"]} <= {i.value for i in at.info}


def test_steward_pulls_with_a_bar_per_source_and_confirms(crawled: tuple[Portal, Path, Path]) -> None:
    _, db, _ = crawled
    at = app("pages/data_admin.py", "admin")
    at.button(key="pull").click().run()
    assert not at.exception
    lines = next(d.value for d in at.dataframe if "页面" in list(d.value.columns) or "pages" in d.value.columns)
    assert len(lines) == 5 and set(lines["result"]) == {"内容未变化，未重复导入"}
    assert any(c.value.startswith("合计：数据源 5 个，失败 0 个") for c in at.caption)
    at.selectbox(key="confirm_item").set_value("回应关切/主动回应")
    at.button(key="confirm").click().run()
    assert not at.exception
    con = duckdb.connect(str(db), read_only=True)  # the app has the file attached read-only in this process
    assert con.execute("SELECT a.item_id FROM crawl_articles a JOIN crawl_confirmations c USING (url)").fetchall() == [
        ("S42",)]
    con.close()
