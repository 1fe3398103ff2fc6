"""Crawl benchmark (issue #15): parsing throughput and the cost of crawling a 2,000-article portal.

    python bench/crawl.py [--articles 2000] [--per-page 20] [--parse-pages 2000]

1. Parsing: list pages (20 entries each) and article pages (bracketed metadata, a signature
   date) parsed in memory — pages per second, no network.
2. Crawl: a generated TRS-style portal (index.html + index_N.html via createPageHTML) with
   `--articles` articles is served on 127.0.0.1 and crawled into a fresh database with no delay;
   the run reports the requests it needed and its own processing time. At the default rate
   limit (1 request per second per host) a crawl takes about requests × 1 s plus that
   processing time; running it at 1 req/s would take over half an hour, so the figure is
   estimated from the measured request count (`at_default_rate_s_estimated`). A second crawl
   of the unchanged portal is timed the same way (only conditional list-page requests).
Prints a JSON object as its last line.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import api  # noqa: E402
from loaders.crawl.article import parse_article  # noqa: E402
from loaders.crawl.listing import parse_list_page  # noqa: E402
from loaders.db import init_database  # noqa: E402

TITLES = ["{y}年第{n}批公租房配租结果公示", "关于{y}年第{n}批公共租赁住房资格审核结果的公示", "一图读懂《公共租赁住房管理办法》（第{n}期）",
          "{y}年第{n}批住房租赁补贴发放情况", "{y}年第{n}批公租房摇号公告"]


def _day(i: int) -> dt.date:
    return dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000)


def _article_path(i: int) -> str:
    d = _day(i)
    return f"{d:%Y%m}/t{d:%Y%m%d}_{100000 + i}.html"


def _title(i: int) -> str:
    return TITLES[i % len(TITLES)].format(y=_day(i).year, n=i)


def list_page(n: int, pages: int, per_page: int, total: int) -> bytes:
    items = "".join(f"<li><a href=\"./{_article_path(i)}\" title=\"{_title(i)}\">{_title(i)[:12]}…</a>"
                    f"<span>[{_day(i).isoformat()}]</span></li>"
                    for i in range(n * per_page, min(total, (n + 1) * per_page)))
    return (f"<html><head><title>配租结果</title></head><body><div>当前位置：首页 &gt; 基层政务公开专题 &gt; 保障性住房 &gt; "
            f"配给管理 &gt; 配租结果</div><ul>{items}</ul><script>createPageHTML({pages}, {n}, \"index\", \"html\");"
            "</script></body></html>").encode()


def article_page(i: int) -> bytes:
    d = _day(i)
    return (f"<html><head><title>{_title(i)}</title></head><body><p>[ 索引号 ] 11410122/{d.year}-{i:05d}</p>"
            f"<p>[ 发布机构 ] 中牟县住房保障中心</p><p>[ 发布日期 ] {d.isoformat()}</p><h1>{_title(i)}</h1>"
            + "<p>根据有关规定，现将结果予以公示。公示期内如有异议，请向住房保障中心反映。</p>" * 12
            + f"<p>中牟县住房保障中心</p><p>{d.year}年{d.month}月{d.day}日</p></body></html>").encode("utf-8")


def portal(total: int, per_page: int) -> dict[str, bytes]:
    pages = (total + per_page - 1) // per_page
    site = {"/robots.txt": b"User-agent: *\nDisallow:\n"}
    for n in range(pages):
        name = "index.html" if n == 0 else f"index_{n}.html"
        site[f"/zt/pzjg/{name}"] = list_page(n, pages, per_page, total)
    for i in range(total):
        site[f"/zt/pzjg/{_article_path(i)}"] = article_page(i)
    return site


def serve(site: dict[str, bytes], log: list[bool]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.get(self.path)
            log.append("If-None-Match" in self.headers)
            if body is None:
                self.send_error(404)
                return
            etag = f"\"{hashlib.sha256(body).hexdigest()[:16]}\""
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--per-page", type=int, default=20)
    ap.add_argument("--parse-pages", type=int, default=2000)
    args = ap.parse_args()

    pages = (args.parse_pages + args.per_page - 1) // args.per_page
    lists = [list_page(n % pages, pages, args.per_page, args.parse_pages).decode() for n in range(args.parse_pages)]
    started = time.perf_counter()
    entries = sum(len(parse_list_page(html, "http://x.gov.cn/zt/pzjg/index.html").entries) for html in lists)
    list_s = time.perf_counter() - started
    arts = [article_page(i).decode() for i in range(args.parse_pages)]
    started = time.perf_counter()
    for i, html in enumerate(arts):
        parse_article(html, f"http://x.gov.cn/zt/pzjg/{_article_path(i)}", _title(i))
    article_s = time.perf_counter() - started

    log: list[bool] = []
    httpd = serve(portal(args.articles, args.per_page), log)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        sources.write_text(f"[[column]]\ndistrict = \"中牟县\"\nurl = \"{base}/zt/pzjg/index.html\"\nmax_pages = 1000\n",
                           encoding="utf-8")
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        init_database(con)
        started = time.perf_counter()
        [first] = api.pull(con, sources, raw_dir=Path(tmp) / "raw", delay=0)
        first_s = time.perf_counter() - started
        first_requests = len(log)
        started = time.perf_counter()
        api.pull(con, sources, raw_dir=Path(tmp) / "raw", delay=0)
        second_s = time.perf_counter() - started
        second_requests = len(log) - first_requests
        conditional = sum(log[first_requests:])
        disclosures = con.execute("SELECT count(*) FROM disclosures").fetchone()[0]
        con.close()
    httpd.shutdown()
    result = {
        "list_pages_per_s": round(args.parse_pages / list_s, 1), "list_entries_parsed": entries,
        "article_pages_per_s": round(args.parse_pages / article_s, 1),
        "articles": args.articles, "disclosures_loaded": disclosures, "crawl_result": first.result,
        "first_crawl_requests": first_requests, "first_crawl_no_delay_s": round(first_s, 2),
        "first_crawl_at_default_rate_s_estimated": round(first_requests * 1.0 + first_s, 1),
        "second_crawl_requests": second_requests, "second_crawl_conditional": conditional,
        "second_crawl_no_delay_s": round(second_s, 2),
        "second_crawl_at_default_rate_s_estimated": round(second_requests * 1.0 + second_s, 1),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
