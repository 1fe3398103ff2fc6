"""The crawl end to end against the generated mini portal (tests/crawl/portal.py) on 127.0.0.1:
first crawl (every article once, right item, dates, metadata; off-site, off-field and robots-
blocked entries recorded, not scored; catalogs from an xlsx and a text-PDF attachment), a second
crawl (no new rows, only conditional requests), site changes (exactly three drift events), the
rate limit and robots.txt in the server log, and a crawl killed mid-way that resumes to the
same database as an uninterrupted one. Parsing units are in test_parsing.py."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from loaders import api
from loaders.crawl.run import CrawlReport
from loaders.db import init_database
from tests.crawl.portal import JS_RECORDS, Portal, _jinshui, serve, sources_toml

ROOT = Path(__file__).resolve().parents[2]
CRAWL_TABLES = {
    "crawl_articles": "source_key, url, row_no, title, status, list_date, published_on, formed_on, formed_basis, "
                      "url_date, first_seen, seen_late, backdated_days, index_no, publisher, document_no, "
                      "source_link, attachments, item_id, item_basis, suggested_item, confidence",
    "crawl_pages": "url, final_url, etag, sha256, fetched_on",
    "crawl_columns": "source_key, district_code, url, breadcrumb, first_crawled, pages",
    "disclosures": "*",
    "disclosure_sources": "source_key, district_code, source, content_hash",
    "district_catalogs": "catalog_id, district_code, published_on, document_no, url, source, content_hash",
    "district_catalog_rows": "*",
    "crawl_events": "kind, url, old_value, new_value",
}


@pytest.fixture
def portal() -> Iterator[Portal]:
    with serve() as p:
        yield p


def fresh_db(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    init_database(con)
    return con


def state(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in CRAWL_TABLES.items()}


def articles(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[object, ...]]:
    rows = con.execute("SELECT title, status, item_id, item_basis, published_on, formed_on, formed_basis, url_date, "
                       "backdated_days, index_no, publisher, document_no, suggested_item FROM crawl_articles").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_first_crawl_reads_every_article_once_with_item_dates_and_metadata(portal: Portal, tmp_path: Path) -> None:
    con = fresh_db(tmp_path / "a.duckdb")
    results = api.pull(con, sources_toml(portal, tmp_path / "s.toml", delay=0.0), raw_dir=tmp_path / "raw")
    assert [(r.kind, r.result) for r in results] == [("column", "loaded")] * 3 + [("catalog", "loaded")] * 2
    pzjg, zhxx, js = (r for r in results if isinstance(r, CrawlReport) and r.kind == "column")
    # 配租结果: 4 own articles (one listed twice), one off-site, one under robots' Disallow
    assert (pzjg.pages, pzjg.new, pzjg.off_site, pzjg.blocked, pzjg.errors) == (2, 4, 1, 1, 0)
    # 综合信息: 共2页/下一页; 3 articles + one 商品房预售资金 entry off-field
    assert (zhxx.pages, zhxx.new, zhxx.off_field) == (2, 3, 1)
    # CDATA datastore + data-proxy: 6 records, one a second URL of the same title + date
    assert (js.pages, js.new) == (2, 5)
    got = articles(con)
    assert len(got) == 4 + 1 + 1 + 4 + 5
    # item from the breadcrumb (配给管理 > 配租结果 = S17), bracketed metadata, 文号 spacing normalised
    assert got["2023年第三批公租房配租结果公示"] == (
        "active", "S17", "column", dt.date(2024, 3, 5), dt.date(2024, 3, 1), "field", dt.date(2024, 3, 5), None,
        "11410122005252XXXX/2024-00017", "中牟县住房保障中心", "牟房保〔2024〕3号", None)
    # no 成文日期 field: the signature date at the end of the body
    assert got["2023年第二批公租房配租结果公告"][4:6] == (dt.date(2023, 11, 29), "signature")
    # back-dated: URL t20240320 vs displayed 2024-02-01 → 48 days (29 in Feb 2024 + 19)
    assert got["2023年第一批公租房配租对象名单公示"][3] == dt.date(2024, 2, 1)
    assert got["2023年第一批公租房配租对象名单公示"][6:8] == (dt.date(2024, 3, 20), 48)
    assert got["河南省公租房配租工作有关情况"][0] == "off_site"
    assert got["内部工作记录"][0] == "blocked"
    # classifier: 一图读懂《…县…》 → 本级政策解读 (S40), 摇号公告 → S16; inline metadata
    assert got["一图读懂《中牟县公共租赁住房管理办法》"][:3] == ("active", "S40", "classifier")
    assert got["中牟县2024年第一批公租房摇号公告"][1:4] == ("S16", "classifier", dt.date(2024, 5, 6))
    assert got["中牟县2024年第一批公租房摇号公告"][9] == "中牟县住房保障中心"
    assert got["关于做好商品房预售资金监管工作的通知"][0] == "off_field"
    unclassified = got["中牟县住房保障工作简报（第5期）"]
    assert unclassified[:3] == ("active", None, None)
    # 配后管理 breadcrumb names only the first level: the classifier chooses among its children
    assert [got[t][1] for _, t, _ in JS_RECORDS] == ["S24", "S26", "S27", "S29", "S31"]
    assert got["金水区公共租赁住房租金标准"][3:6] == (dt.date(2024, 6, 3), dt.date(2024, 6, 3), "field")
    # scored rows: active articles only (4 + 3 + 5), 未归类 kept with item_id NULL
    assert con.execute("SELECT count(*), count(item_id) FROM disclosures").fetchone() == (12, 11)
    # catalogs: xlsx attachment with the article's 发布日期/文号; text PDF attachment (43 rows)
    cats = con.execute("SELECT district_code, published_on, document_no, (SELECT count(*) FROM district_catalog_rows r "
                       "WHERE r.catalog_id = c.catalog_id) FROM district_catalogs c ORDER BY district_code").fetchall()
    assert cats[0] == ("410105", dt.date(2020, 9, 25), "金房保〔2020〕15号", 43)
    assert cats[1][:3] == ("410122", dt.date(2020, 9, 20), "牟建〔2020〕18号") and cats[1][3] > 0
    # every fetched page kept with its sha256
    kept = list((tmp_path / "raw").rglob("*.sha256"))
    assert len(kept) == con.execute("SELECT count(DISTINCT sha256) FROM crawl_pages").fetchone()[0]


def test_second_crawl_changes_nothing_and_asks_only_conditionally(portal: Portal, tmp_path: Path) -> None:
    con = fresh_db(tmp_path / "a.duckdb")
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    before = state(con)
    first_requests = len(portal.log)
    second = api.pull(con, sources, raw_dir=tmp_path / "raw")
    assert state(con) == before
    assert all(r.result == "unchanged" for r in second)
    assert sum(r.new for r in second if isinstance(r, CrawlReport)) == 0
    hits = portal.log[first_requests:]
    assert hits and all(h.conditional and h.status == 304 for h in hits)
    # list pages, robots.txt and catalog pages/attachments only: no article is asked for again
    assert not any("/art/2024/" in h.path or "/t2024" in h.path for h in hits)


def test_site_changes_give_exactly_three_events(portal: Portal, tmp_path: Path) -> None:
    con = fresh_db(tmp_path / "a.duckdb")
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    # one article added (金水区), one title changed (金水区), one removed (金水区 腾退名单)
    changed = [JS_RECORDS[0], (JS_RECORDS[1][0], "金水区2024年公租房保障家庭资格复核结果公示（更正）", JS_RECORDS[1][2]),
               JS_RECORDS[2], JS_RECORDS[4], ("/art/2024/6/10/art_123_906.html", "金水区2024年公租房退出情况", "2024-06-10")]
    portal.pages.update(_jinshui(changed))
    results = api.pull(con, sources, raw_dir=tmp_path / "raw")
    events = con.execute("SELECT kind, url, old_value, new_value, old_evidence IS NOT NULL, new_evidence IS NOT NULL "
                         "FROM crawl_events ORDER BY kind").fetchall()
    b = portal.base
    assert events == [
        ("added", f"{b}/art/2024/6/10/art_123_906.html", None, "金水区2024年公租房退出情况", False, True),
        ("removed", f"{b}/art/2024/5/10/art_123_904.html", "金水区公租房腾退名单", None, True, True),
        ("title_changed", f"{b}/art/2024/5/28/art_123_902.html", "金水区2024年公租房保障家庭资格复核结果公示",
         "金水区2024年公租房保障家庭资格复核结果公示（更正）", True, True)]
    js = results[2]
    assert isinstance(js, CrawlReport) and (js.new, js.changed, js.removed) == (1, 1, 1)
    # the removed article no longer counts; the added one does (a credible first-seen date)
    assert con.execute("SELECT count(*) FROM disclosures WHERE district_code = '410105'").fetchone() == (5,)
    assert con.execute("SELECT seen_late FROM crawl_articles WHERE url LIKE '%art_123_906%'").fetchone() == (True,)


def test_rate_limit_and_robots_in_the_server_log(portal: Portal, tmp_path: Path) -> None:
    con = fresh_db(tmp_path / "a.duckdb")
    delay = 0.15
    api.pull(con, sources_toml(portal, tmp_path / "s.toml", delay=delay), raw_dir=tmp_path / "raw")
    times = [h.at for h in portal.log]  # one host: 127.0.0.1:port
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) > 20 and min(gaps) >= delay - 0.01
    assert not any(h.path.startswith("/zmx/private/") for h in portal.log)
    assert [h.path for h in portal.log].count("/robots.txt") == 1


def _pull_cli(db: Path, sources: Path, raw: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "loaders", "pull", "--sources", str(sources), "--db", str(db),
                             "--raw-dir", str(raw), "--delay", "0.1"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_killed_crawl_resumes_to_the_same_database(portal: Portal, tmp_path: Path) -> None:
    sources = sources_toml(portal, tmp_path / "s.toml")
    for name in ("killed.duckdb", "whole.duckdb"):
        fresh_db(tmp_path / name).close()
    proc = _pull_cli(tmp_path / "killed.duckdb", sources, tmp_path / "raw")
    deadline = time.monotonic() + 60
    while len(portal.log) < 12 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before_kill = list(portal.log)
    assert 12 <= len(before_kill) < 30  # killed mid-way (the whole crawl takes 35 requests)
    done = _pull_cli(tmp_path / "killed.duckdb", sources, tmp_path / "raw")
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert "合计：数据源 5 个，失败 0 个" in out
    # nothing fetched before the kill is fetched again in full: the resumed crawl asks conditionally.
    # The crawl is sequential, so only the last request the server logged can have been in flight
    # (served, but the client killed before it read the reply and wrote its journal line).
    fetched = {h.path for h in before_kill[:-1] if h.status == 200}
    resumed = portal.log[len(before_kill):]
    assert fetched and not [h.path for h in resumed if h.path in fetched and not h.conditional]
    whole = _pull_cli(tmp_path / "whole.duckdb", sources, tmp_path / "raw_whole")
    whole.communicate(timeout=120)
    assert whole.returncode == 0
    killed_con = duckdb.connect(str(tmp_path / "killed.duckdb"))
    whole_con = duckdb.connect(str(tmp_path / "whole.duckdb"))
    assert state(killed_con) == state(whole_con)
    assert killed_con.execute("SELECT count(*) FROM crawl_articles").fetchone() == (15,)
    # every page of the resumed database points at kept evidence with the recorded sha256
    for evidence, sha in killed_con.execute("SELECT evidence, sha256 FROM crawl_pages").fetchall():
        assert hashlib.sha256(Path(evidence).read_bytes()).hexdigest() == sha


def test_a_confirmed_item_is_scored_and_reused_by_the_next_crawl(portal: Portal, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from loaders.cli import main
    from queries.views import crawl_pending

    db = tmp_path / "a.duckdb"
    con = fresh_db(db)
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    waiting = crawl_pending(con, None)
    assert list(waiting["title"]) == ["中牟县住房保障工作简报（第5期）"]
    url = waiting["url"][0]
    con.close()
    assert main(["confirm", url, "回应关切/主动回应", "--db", str(db)]) == 0
    assert main(["confirm", url, "不存在的事项", "--db", str(db)]) == 2
    assert "不在标准目录中" in capsys.readouterr().err
    con = duckdb.connect(str(db))
    assert con.execute("SELECT item_id FROM disclosures WHERE url = ?", [url]).fetchone() == ("S42",)
    # its list title changes, so the article is read and resolved again: the confirmation holds
    page2 = "/zmx/bzxzf/zhxx/list.html?page=2"
    portal.pages[page2] = portal.pages[page2].replace("（第5期）".encode(), "（第5期，更正）".encode())
    [_, zhxx, *_] = api.pull(con, sources, raw_dir=tmp_path / "raw")
    assert isinstance(zhxx, CrawlReport) and zhxx.changed == 1
    assert con.execute("SELECT item_id, item_basis FROM crawl_articles WHERE url = ?", [url]).fetchone() == (
        "S42", "confirmed")
    assert crawl_pending(con, None).empty


def test_latest_credible_date_switch_moves_the_back_dated_article(portal: Portal, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    title = "2023年第一批公租房配租对象名单公示"
    shown = []
    for switch in ("false", "true"):
        rules = tmp_path / f"rules_{switch}.toml"
        rules.write_text((ROOT / "scoring/rules.toml").read_text(encoding="utf-8").replace(
            "timeliness_uses_latest_credible_date = false", f"timeliness_uses_latest_credible_date = {switch}"),
            encoding="utf-8")
        monkeypatch.setenv("COMPLIANCE_RULES", str(rules))
        con = fresh_db(tmp_path / f"{switch}.duckdb")
        api.pull(con, sources, raw_dir=tmp_path / f"raw_{switch}")
        shown.append(con.execute("SELECT published_on FROM disclosures WHERE title = ?", [title]).fetchall())
        con.close()
    # displayed 2024-02-01; the URL (t20240320_) is the latest credible date
    assert shown == [[(dt.date(2024, 2, 1),)], [(dt.date(2024, 3, 20),)]]


def test_a_changed_catalog_attachment_is_an_event_and_a_new_version(portal: Portal, tmp_path: Path) -> None:
    import openpyxl

    con = fresh_db(tmp_path / "a.duckdb")
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    path = "/zmx/bzxzf/ml/P020200920_catalog.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(portal.pages[path]))
    sheet = book.worksheets[0]
    sheet.cell(sheet.max_row, 3).value = f"{sheet.cell(sheet.max_row, 3).value}（修订）"
    out = io.BytesIO()
    book.save(out)
    portal.pages[path] = out.getvalue()
    results = api.pull(con, sources, raw_dir=tmp_path / "raw")
    events = con.execute("SELECT kind, url, old_evidence <> new_evidence FROM crawl_events").fetchall()
    assert events == [("catalog_changed", f"{portal.base}{path}", True)]
    assert [e[0] for e in results[3].events] == ["catalog_changed"]
    assert con.execute("SELECT count(*) FROM district_catalogs WHERE district_code = '410122'").fetchone() == (2,)


def test_catalog_attachments_by_content_and_a_scanned_pdf(portal: Portal, tmp_path: Path) -> None:
    from tests.crawl.pdf_fixture import scanned_pdf

    # an .xls a portal exports that is really an HTML table, and a scanned PDF
    portal.pages["/zmx/bzxzf/ml/t20200920_123.html"] = portal.pages["/zmx/bzxzf/ml/t20200920_123.html"].replace(
        b"P020200920_catalog.xlsx", b"P020200920_catalog.xls")
    portal.pages["/zmx/bzxzf/ml/P020200920_catalog.xls"] = (ROOT / "tests/data/html/catalog_portal.html").read_bytes()
    portal.pages["/module/download/downfile.jsp?classid=0&filename=catalog.pdf"] = scanned_pdf()
    con = fresh_db(tmp_path / "a.duckdb")
    results = api.pull(con, sources_toml(portal, tmp_path / "s.toml", delay=0.0), raw_dir=tmp_path / "raw")
    zm, js = results[3], results[4]
    assert zm.result == "loaded" and zm.rows_loaded > 0
    assert js.result == "refused"
    assert [p.kind.value for p in js.problems] == ["scanned_pdf"]
    assert "是扫描图片" in js.problems[0].message and "手工录入" in js.problems[0].message


def test_a_displayed_date_changed_after_publication_is_an_event(portal: Portal, tmp_path: Path) -> None:
    con = fresh_db(tmp_path / "a.duckdb")
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    path, title = "/zmx/bzxzf/pzjg/202403/t20240305_12992379.html", "2023年第三批公租房配租结果公示"
    portal.pages[path] = portal.pages[path].replace(b"[ \xe5\x8f\x91\xe5\xb8\x83\xe6\x97\xa5\xe6\x9c\x9f ] 2024-03-05",
                                                    "[ 发布日期 ] 2024-02-20".encode())
    for page in ("/zmx/bzxzf/pzjg/index.html", "/zmx/bzxzf/pzjg/index_1.html"):
        portal.pages[page] = portal.pages[page].replace(title.encode(), f"{title}（更新）".encode())
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    events = con.execute("SELECT kind, old_value, new_value FROM crawl_events ORDER BY kind").fetchall()
    assert events == [("date_changed", "2024-03-05", "2024-02-20"), ("title_changed", title, f"{title}（更新）")]
    # the back-dating is now visible in the stored dates: URL 2024-03-05 vs displayed 2024-02-20 → 14 days
    assert con.execute("SELECT published_on, backdated_days FROM crawl_articles WHERE url LIKE ?",
                       [f"%{path}"]).fetchall() == [(dt.date(2024, 2, 20), 14)]


def test_an_article_listed_again_after_removal_is_added_back(portal: Portal, tmp_path: Path) -> None:
    con = fresh_db(tmp_path / "a.duckdb")
    sources = sources_toml(portal, tmp_path / "s.toml", delay=0.0)
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    full = dict(portal.pages)
    portal.pages.update(_jinshui(JS_RECORDS[:4]))
    api.pull(con, sources, raw_dir=tmp_path / "raw")
    portal.pages.update(full)
    [*_, js, _, _] = api.pull(con, sources, raw_dir=tmp_path / "raw")
    assert con.execute("SELECT kind FROM crawl_events ORDER BY event_id").fetchall() == [("removed",), ("added",)]
    assert isinstance(js, CrawlReport) and (js.new, js.removed) == (1, 0)
    assert con.execute("SELECT count(*) FROM disclosures WHERE district_code = '410105'").fetchone() == (5,)
