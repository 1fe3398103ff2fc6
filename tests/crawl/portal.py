"""A generated mini portal for the crawl tests, served by a real http.server on 127.0.0.1.

Two districts in two CMS styles, as real county portals publish them (issue #15):
- 中牟县, TRS-style static pages: column 配租结果 (`index.html` + `index_1.html` announced by
  `createPageHTML(2, 0, "index", "html")`, breadcrumb naming the item, bracketed metadata, one
  back-dated article, one entry listed twice, one off-site link, one article under the path
  robots.txt disallows) and column 综合信息 (a 共2页/下一页 pager, inline metadata, titles only
  the classifier can place, one off-field 商品房预售资金 entry); a catalog article with an xlsx
  attachment.
- 金水区, jpage-style: column 配后管理 whose records are CDATA in a `<script type="text/xml">
  <datastore>` with a data-proxy URL for the second group, table metadata, one duplicate by
  title + date under a second URL; a catalog article with a text PDF attachment.

`Portal` holds path -> bytes, answers with an ETag and honours If-None-Match (304), and logs
every request (time, path, whether it was conditional) so tests can check the rate and robots.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.crawl.pdf_fixture import catalog_pdf

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Hit:
    at: float
    path: str
    conditional: bool
    status: int


@dataclass
class Portal:
    pages: dict[str, bytes] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""


def _page(title: str, body: str, crumb: str = "", script: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{script}</head><body>"
            f"<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/xxgk/'>政务公开</a></li></ul></div>"
            f"{crumb}{body}<div class='footer'>主办：人民政府办公室 网站标识码 4101220001</div></body></html>"
            ).encode()


def _li(href: str, title: str, date: str) -> str:
    return f"<li><a href=\"{href}\" title=\"{title}\" target=\"_blank\">{title[:12]}…</a><span>[{date}]</span></li>"


# 中牟县 配租结果: (path under /zmx/bzxzf/pzjg/, title, list date, displayed 发布日期, 成文日期 field)
ZM_PZJG = [
    ("202403/t20240305_12992379.html", "2023年第三批公租房配租结果公示", "2024-03-05", "2024-03-05", "2024-03-01"),
    ("202402/t20240226_12990001.html", "2023年第二批公租房配租结果公告", "2024-02-26", "2024-02-26", None),
    # back-dated: the URL says 2024-03-20, the page shows 2024-02-01 (48 days)
    ("202403/t20240320_12993000.html", "2023年第一批公租房配租对象名单公示", "2024-02-01", "2024-02-01", None),
    ("202312/t20231215_12980000.html", "锦荣家园公租房配租结果公示", "2023-12-15", "2023-12-15", "2023-12-10"),
]
# 中牟县 综合信息: (path under /zmx/bzxzf/zhxx/, title, date)
ZM_ZHXX = [
    ("202405/t20240510_13000001.html", "一图读懂《中牟县公共租赁住房管理办法》", "2024-05-10"),
    ("202405/t20240506_13000002.html", "中牟县2024年第一批公租房摇号公告", "2024-05-06"),
    ("202404/t20240420_13000003.html", "关于做好商品房预售资金监管工作的通知", "2024-04-20"),
    ("202404/t20240415_13000004.html", "中牟县住房保障工作简报（第5期）", "2024-04-15"),
]
# 金水区 配后管理 records: (path, title, date)
JS_RECORDS = [
    ("/art/2024/6/3/art_123_901.html", "金水区公共租赁住房租金标准", "2024-06-03"),
    ("/art/2024/5/28/art_123_902.html", "金水区2024年公租房保障家庭资格复核结果公示", "2024-05-28"),
    ("/art/2024/5/20/art_123_903.html", "金水区2024年公租房续租结果公示", "2024-05-20"),
    ("/art/2024/5/10/art_123_904.html", "金水区公租房腾退名单", "2024-05-10"),
    ("/art/2024/4/30/art_123_905.html", "金水区2024年公租房使用情况检查结果", "2024-04-30"),
]


def _zm_article(title: str, shown: str, formed: str | None, signature: str | None = None) -> bytes:
    meta = (f"<div class='xxgk'><p>[ 索引号 ] 11410122005252XXXX/2024-000{len(title) % 90:02d}</p>"
            f"<p>[ 发布机构 ] 中牟县住房保障中心</p><p>[ 发布日期 ] {shown}</p>"
            + (f"<p>[ 成文日期 ] {formed}</p>" if formed else "")
            + "<p>[ 文 号 ] 牟房保 〔2024〕3号</p></div>")
    sig = f"<p>中牟县住房保障中心</p><p>{signature}</p>" if signature else ""
    return _page(title, f"{meta}<h1>{title}</h1><div class='TRS_Editor'><p>根据有关规定，现将结果予以公示。</p>{sig}</div>")


def build(base: str) -> dict[str, bytes]:
    """Every page of the portal at `base` (http://127.0.0.1:port)."""
    p: dict[str, bytes] = {"/robots.txt": b"User-agent: *\nDisallow: /zmx/private/\n"}
    crumb = ("<div class='position'>当前位置：<a href='/'>首页</a> &gt; <a>基层政务公开专题</a> &gt; <a>保障性住房</a>"
             " &gt; <a>配给管理</a> &gt; <a>配租结果</a></div>")
    first = [_li(f"./{path}", t, d) for path, t, d, *_ in ZM_PZJG[:3]]
    first.append(_li("http://www.henan.gov.cn/2024/03-01/2930000.html", "河南省公租房配租工作有关情况", "2024-03-01"))
    first.append(_li("/zmx/private/t20240301_1.html", "内部工作记录", "2024-03-01"))
    second = [_li(f"./{path}", t, d) for path, t, d, *_ in ZM_PZJG[3:]]
    second.append(_li(f"./{ZM_PZJG[0][0]}", ZM_PZJG[0][1], ZM_PZJG[0][2]))  # listed twice
    script = "<script>createPageHTML(2, 0, \"index\", \"html\");</script>"
    p["/zmx/bzxzf/pzjg/index.html"] = _page("配租结果", f"<ul class='list'>{''.join(first)}</ul>", crumb, script)
    p["/zmx/bzxzf/pzjg/index_1.html"] = _page(
        "配租结果", f"<ul class='list'>{''.join(second)}</ul>", crumb,
        "<script>createPageHTML(2, 1, \"index\", \"html\");</script>")
    for i, (path, title, _, shown, formed) in enumerate(ZM_PZJG):
        p[f"/zmx/bzxzf/pzjg/{path}"] = _zm_article(title, shown, formed, "2023年11月29日" if i == 1 else None)
    p["/zmx/private/t20240301_1.html"] = _page("内部", "<p>不应被抓取</p>")

    crumb2 = "<div class='position'>您的位置：首页 &gt; 基层政务公开专题 &gt; 保障性住房 &gt; 综合信息</div>"
    items = [_li(f"/zmx/bzxzf/zhxx/{path}", t, d) for path, t, d in ZM_ZHXX]
    pager1 = "<div class='page'>共2页 <a href='list.html?page=2'>下一页</a></div>"
    pager2 = "<div class='page'>共2页 <a href='list.html?page=1'>上一页</a></div>"
    p["/zmx/bzxzf/zhxx/list.html"] = _page("综合信息", f"<ul>{''.join(items[:2])}</ul>{pager1}", crumb2)
    p["/zmx/bzxzf/zhxx/list.html?page=2"] = _page("综合信息", f"<ul>{''.join(items[2:])}</ul>{pager2}", crumb2)
    for path, title, date in ZM_ZHXX:
        body = (f"<h1>{title}</h1><div class='info'>发布日期:{date} 信息来源:中牟县住房保障中心 文号:</div>"
                "<div class='content'><p>正文。</p></div>")
        p[f"/zmx/bzxzf/zhxx/{path}"] = _page(title, body)

    # 中牟县 catalog article with an xlsx attachment
    p["/zmx/bzxzf/ml/t20200920_123.html"] = _page("中牟县保障性住房领域基层政务公开标准目录", (
        "<h1>中牟县保障性住房领域基层政务公开标准目录</h1><p>发布日期：2020-09-20 文号：牟建 〔2020〕18号</p>"
        "<p>现将目录予以公开。</p><p>附件：<a href='./P020200920_catalog.xlsx'>中牟县保障性住房目录.xlsx</a></p>"))
    p["/zmx/bzxzf/ml/P020200920_catalog.xlsx"] = (DATA / "xlsx/catalog_two_header_rows.xlsx").read_bytes()

    # 金水区 jpage-style column with CDATA records and a data-proxy pager
    p.update(_jinshui(JS_RECORDS))
    p["/art/2020/9/25/art_77_1.html"] = _page("金水区保障性住房领域基层政务公开目录", (
        "<table class='xxgk'><tr><td>索引号</td><td>0041/2020-00077</td><td>发布机构</td><td>金水区住房保障中心</td></tr>"
        "<tr><td>发布日期</td><td>2020-09-25</td><td>文号</td><td>金房保〔2020〕15号</td></tr></table>"
        "<p>附件：<a href='/module/download/downfile.jsp?classid=0&filename=catalog.pdf'>目录.pdf</a></p>"))
    p["/module/download/downfile.jsp?classid=0&filename=catalog.pdf"] = catalog_pdf()
    return p


def _jinshui(records: list[tuple[str, str, str]]) -> dict[str, bytes]:
    def record(path: str, title: str, date: str) -> str:
        return f"<record><![CDATA[<li><a href=\"{path}\" title=\"{title}\">{title}</a><span>{date}</span></li>]]></record>"

    rows = [record(*r) for r in records]
    rows.insert(2, record("/art/2024/5/28/art_123_902.html?from=home", records[1][1], records[1][2]))  # same title+date
    proxy = "/module/web/jpage/dataproxy.jsp?page=1&webid=7&path=http://127.0.0.1/&columnid=123&unitid=456"
    first = "".join(rows[:3])
    xml = (f"<script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"{proxy}\"></a>]]></nextgroup>"
           f"<recordset>{first}</recordset><totalrecord>{len(rows)}</totalrecord></datastore></script>"
           "<script>var perpage = 15;</script>")
    crumb = "<div class='bt-position'>位置：首页 &gt; 政务公开 &gt; 住房保障 &gt; 配后管理</div>"
    out = {"/col/col123/index.html": _page("配后管理", f"<div id='456'>{xml}</div>", crumb)}
    out[f"{proxy}&startrecord=4&endrecord=6&perpage=15"] = (
        f"<?xml version='1.0' encoding='utf-8'?><datastore><recordset>{''.join(rows[3:])}</recordset></datastore>"
    ).encode()
    for path, title, date in records:
        table = (f"<table class='xxgk'><tr><td>索引号</td><td>004107/{date[:4]}-0{path[-8:-5]}</td><td>发布机构</td>"
                 f"<td>金水区住房保障中心</td></tr><tr><td>成文日期</td><td>{date}</td><td>发布日期</td><td>{date}</td>"
                 "</tr><tr><td>文号</td><td></td><td>主题分类</td><td>住房保障</td></tr></table>")
        out[path] = _page(title, f"{table}<h1>{title}</h1><p>正文。</p>")
    return out


class _Handler(BaseHTTPRequestHandler):
    portal: Portal

    def do_GET(self) -> None:
        body = self.portal.pages.get(self.path)
        conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
        status = 404 if body is None else 200
        etag = f"\"{hashlib.sha256(body).hexdigest()[:16]}\"" if body is not None else ""
        if body is not None and self.headers.get("If-None-Match") == etag:
            status = 304
        with self.portal.lock:
            self.portal.log.append(Hit(time.monotonic(), self.path, conditional, status))
        if status == 404:
            self.send_error(404)
            return
        self.send_response(status)
        self.send_header("ETag", etag)
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve() -> Iterator[Portal]:
    """Run the portal on an ephemeral 127.0.0.1 port for the duration of the block."""
    portal = Portal()
    handler = type("Handler", (_Handler,), {"portal": portal})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    portal.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    portal.pages.update(build(portal.base))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield portal
    finally:
        httpd.shutdown()
        httpd.server_close()


def sources_toml(portal: Portal, path: Path, delay: float = 0.1) -> Path:
    b = portal.base
    path.write_text(f"""
[[column]]
district = "中牟县"
url = "{b}/zmx/bzxzf/pzjg/index.html"
delay_s = {delay}

[[column]]
district = "中牟县"
url = "{b}/zmx/bzxzf/zhxx/list.html"
delay_s = {delay}

[[column]]
district = "金水区"
url = "{b}/col/col123/index.html"
delay_s = {delay}

[[catalog]]
district = "中牟县"
source = "{b}/zmx/bzxzf/ml/t20200920_123.html"
delay_s = {delay}

[[catalog]]
district = "金水区"
source = "{b}/art/2020/9/25/art_77_1.html"
delay_s = {delay}
""", encoding="utf-8")
    return path
