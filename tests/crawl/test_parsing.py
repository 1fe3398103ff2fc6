"""Parsing units of the crawler, without a server: list pages in every pagination style, article
metadata in the bracketed / inline / table forms, the signature date, 文号 spacing, dates in URLs,
canonical URLs, and the header variants 原文链接 / [ 发布日期 ] of the ledger reader."""
from __future__ import annotations

import datetime as dt

import pytest

from loaders.crawl.article import attachment_ext, normalise_document_no, parse_article
from loaders.crawl.listing import parse_list_page
from loaders.crawl.pages import canonical_url, url_date
from loaders.vocabulary import match_field

BASE = "http://www.zhongmu.gov.cn/zt/bzxzf/pzjg/index.html"


def test_static_pages_announced_by_create_page_html() -> None:
    html = ("<script>createPageHTML(5, 0, \"index\", \"html\");</script><ul>"
            "<li><a href=\"./202403/t20240305_12992379.html\" title=\"2023年第三批公租房配租结果公示\">2023年第三批…</a>"
            "<span>[2024-03-05]</span></li><li><a href=\"/\">首页</a></li></ul>")
    page = parse_list_page(html, BASE)
    assert [(e.title, e.url, e.list_date) for e in page.entries] == [
        ("2023年第三批公租房配租结果公示", "http://www.zhongmu.gov.cn/zt/bzxzf/pzjg/202403/t20240305_12992379.html",
         dt.date(2024, 3, 5))]
    assert page.more_pages == [f"http://www.zhongmu.gov.cn/zt/bzxzf/pzjg/index_{n}.html" for n in range(1, 5)]
    # a later page announces nothing more (its script says it is page 2)
    assert parse_list_page(html.replace("(5, 0,", "(5, 2,"), BASE).more_pages == []


def test_next_page_pager_and_plain_single_page() -> None:
    html = ("<ul><li><a href='a.html'>甲</a> 2024年3月5日</li></ul>"
            "<div>共3页 <a href='list_2.html'>下一页</a> <a href='list_3.html'>尾页</a></div>")
    page = parse_list_page(html, "http://x.gov.cn/col/list.html")
    assert page.next_page == "http://x.gov.cn/col/list_2.html" and page.more_pages == []
    assert page.entries[0].list_date == dt.date(2024, 3, 5)
    single = parse_list_page("<table><tr><td><a href='b.html'>乙</a></td><td>2024/6/1</td></tr></table>",
                             "http://x.gov.cn/col/")
    assert [(e.title, e.list_date) for e in single.entries] == [("乙", dt.date(2024, 6, 1))]
    assert single.next_page is None and single.more_pages == []


def test_cdata_records_and_data_proxy_groups() -> None:
    records = "".join(f"<record><![CDATA[<li><a href=\"/art/2024/3/{d}/art_9_{d}.html\" title=\"标题{d}\">标题{d}</a>"
                      f"<span>2024-03-{d:02d}</span></li>]]></record>" for d in range(1, 4))
    html = ("<script type=\"text/xml\"><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?"
            "page=1&amp;columnid=9\"></a>]]></nextgroup><recordset>" + records +
            "</recordset><totalrecord>8</totalrecord></datastore></script><script>perpage:15</script>")
    page = parse_list_page(html, "http://x.gov.cn/col/col9/index.html")
    assert [e.title for e in page.entries] == ["标题1", "标题2", "标题3"]
    assert page.more_pages == [
        "http://x.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9&startrecord=4&endrecord=6&perpage=15",
        "http://x.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9&startrecord=7&endrecord=9&perpage=15"]


@pytest.mark.parametrize("block", [
    ("<p>[ 索引号 ] 1150024100913825XR/2024-00047</p><p>[ 发布机构 ] 交通与建设局</p><p>[ 发布日期 ] 2024-07-09</p>"
    "<p>[ 成文日期 ] 2024-07-01</p><p>[ 文号 ] 豫政办 〔2020〕5号</p>"),
    ("<p>索引号：1150024100913825XR/2024-00047 发布机构：交通与建设局</p>"
    "<p>发布日期:2024-07-09 成文日期:2024-07-01 文号:豫政办 〔2020〕5号</p>"),
    ("<table><tr><td>索引号</td><td>1150024100913825XR/2024-00047</td><td>发布机构</td><td>交通与建设局</td></tr>"
    "<tr><td>发布日期</td><td>2024年7月9日</td><td>成文日期</td><td>2024-07-01</td></tr>"
    "<tr><td>文号</td><td>豫政办 [2020] 5号</td></tr></table>"),
], ids=["bracketed", "inline", "table"])
def test_article_metadata_in_every_form(block: str) -> None:
    art = parse_article(f"<html><body>{block}<p>来源于群众的建议已采纳。</p></body></html>", BASE)
    assert (art.index_no, art.publisher, art.published_on, art.formed_on, art.document_no) == (
        "1150024100913825XR/2024-00047", "交通与建设局", dt.date(2024, 7, 9), dt.date(2024, 7, 1), "豫政办〔2020〕5号")


def test_signature_date_original_link_and_attachments() -> None:
    html = ("<p>发布日期：2023-12-05</p><div><p>正文……2023年1月1日起施行。</p><p>凌源市住房保障中心</p>"
            "<p>2023年11月29日</p></div><p>原文链接：<a href='http://www.ln.gov.cn/a.html'>点击查看</a></p>"
            "<p>附件：<a href='P0.xlsx'>目录.xlsx</a> <a href='/down.jsp?filename=b.pdf'>目录.pdf</a></p>")
    art = parse_article(html, BASE)
    assert art.formed_on is None and art.signature_date == dt.date(2023, 11, 29)
    assert art.written_on == dt.date(2023, 11, 29)
    assert art.source_link == "http://www.ln.gov.cn/a.html"
    assert [u for u, _ in art.attachments] == ["http://www.zhongmu.gov.cn/zt/bzxzf/pzjg/P0.xlsx",
                                               "http://www.zhongmu.gov.cn/down.jsp?filename=b.pdf"]
    assert attachment_ext("http://x/down.jsp?filename=b.pdf") == ".pdf" and attachment_ext("http://x/a.html") is None


def test_dates_in_urls_and_canonical_urls() -> None:
    assert url_date("http://x/zt/202403/t20240305_12992379.html") == dt.date(2024, 3, 5)
    assert url_date("http://x/art/2024/3/5/art_1.html") is None
    assert url_date("http://x/2024/0305/c123.html") is None
    assert url_date("http://x/n/202407/09/t.html") == dt.date(2024, 7, 9)
    assert canonical_url("HTTP://WWW.X.gov.cn:80/a/b/../c.html#top", "") == "http://www.x.gov.cn/a/c.html"
    assert normalise_document_no(" 牟建 （2020） 18 号") == "牟建〔2020〕18号"


def test_ledger_header_variants_original_link_and_bracketed_labels() -> None:
    assert match_field("原文链接", "disclosures.columns") == "url"
    assert match_field("[ 发布日期 ]", "disclosures.columns") == "published_on"
    assert match_field("【成文日期】", "disclosures.columns") == "formed_on"
    assert match_field("公开内容（要素）", "catalog.columns") == "content"
