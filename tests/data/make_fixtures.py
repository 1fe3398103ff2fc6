"""Generate the loader fixture files under tests/data/<format>/ from data/standard_catalog.tsv.

Run `python tests/data/make_fixtures.py` after changing it; the generated files are committed
so the tests read real files (see tests/data/README.md for what each file exercises).
The layouts copy what district portals publish: a title row, two merged header rows
(公开事项 over 一级/二级, 公开对象/公开方式/公开层级 over √ sub-columns), 一级事项 merged down its
rows, ●/〇 element marks and ■/□ channel boxes, numbered lines inside cells.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from xls_writer import write_xls  # noqa: E402

TICK = "√"
AUDIENCE = ["全社会", "特定群体"]
METHOD = ["主动", "依申请"]
LEVELS = ["市级", "县级", "乡级"]
TOP = ["序号", "公开事项", "公开事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
       "公开对象", "公开对象", "公开方式", "公开方式", "公开层级", "公开层级", "公开层级"]
SUB = ["序号", "一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
       *AUDIENCE, *METHOD, *LEVELS]
# The district catalogs write these items under other names (synonyms) and add one of their own.
RENAMED = {"公租房承租资格审核": "公共租赁住房承租资格审核", "经济适用住房购买资格审核": "经适房购买资格审核"}
LOCAL_ITEM = {"seq": "", "level1": "配给管理", "level2": "人才公寓配租", "content_elements": "●配租对象;●配租房源;〇配租结果",
              "basis": "《郑州市人才公寓管理办法》", "time_limit": "信息形成（变更）20个工作日内",
              "subject": "区住房保障中心", "channels": "■政府网站；□政府公报；■公开查阅点",
              "audience": "全社会", "method": "主动", "level": "县级"}


def standard_rows() -> list[dict[str, str]]:
    with (ROOT / "data" / "standard_catalog.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def numbered(text: str) -> str:
    """'a;b' -> '1.a\n2.b' (a single entry stays as it is)."""
    parts = [p for p in text.split(";") if p]
    return parts[0] if len(parts) == 1 else "\n".join(f"{i}.{p}" for i, p in enumerate(parts, 1))


def ticks(value: str, names: list[str]) -> list[str]:
    chosen = set(value.split(";"))
    return [TICK if n in chosen else "" for n in names]


def catalog_body(rows: list[dict[str, str]], renamed: dict[str, str] = RENAMED) -> list[list[str]]:
    body = []
    for n, r in enumerate(rows, 1):
        body.append([str(n), r["level1"], renamed.get(r["level2"], r["level2"]), numbered(r["content_elements"]),
                     numbered(r["basis"]), r["time_limit"], r["subject"], r["channels"],
                     *ticks(r["audience"], AUDIENCE), *ticks(r["method"], METHOD), *ticks(r["level"], LEVELS)])
    return body


def with_local(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The standard rows with a local item added after the last 配给管理 row."""
    last = max(i for i, r in enumerate(rows) if r["level1"] == "配给管理")
    return rows[: last + 1] + [LOCAL_ITEM] + rows[last + 1:]


def level1_runs(body: list[list[str]], first_row: int) -> list[tuple[int, int]]:
    """(first, last) 1-based sheet rows of each run of equal 一级事项."""
    runs, start = [], 0
    for i in range(1, len(body) + 1):
        if i == len(body) or body[i][1] != body[start][1]:
            runs.append((first_row + start, first_row + i - 1))
            start = i
    return runs


def write_catalog_xlsx(path: Path, title: str, body: list[list[str]], extra_sheet: bool = True) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "目录"
    ws.append([title] + [""] * (len(TOP) - 1))
    ws.append(TOP)
    ws.append(SUB)
    for row in body:
        ws.append(row)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TOP))
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:C2")
    for col in (4, 5, 6, 7, 8):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells("I2:J2")
    ws.merge_cells("K2:L2")
    ws.merge_cells("M2:O2")
    for a, b in level1_runs(body, 4):
        if b > a:
            ws.merge_cells(start_row=a, start_column=2, end_row=b, end_column=2)
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    if extra_sheet:
        notes = wb.create_sheet("填表说明")
        notes.append(["说明"])
        notes.append(["1. 公开内容中 ● 为必须公开要素，〇 为选择公开要素。"])
        notes.append(["2. 公开渠道中 ■ 为必选渠道，□ 为可选渠道。"])
    wb.save(path)


def make_xlsx(rows: list[dict[str, str]]) -> None:
    body = catalog_body(with_local(rows))
    write_catalog_xlsx(HERE / "xlsx" / "catalog_two_header_rows.xlsx",
                       "金水区保障性住房领域基层政务公开标准目录", body)
    bad = catalog_body(rows[:6])
    bad[3][2] = ""  # sheet row 7: elements filled, 二级事项 missing
    write_catalog_xlsx(HERE / "xlsx" / "catalog_missing_item_name.xlsx", "二七区保障性住房领域基层政务公开标准目录",
                       bad, extra_sheet=False)
    official = [dict(r) for r in rows]
    official[10]["time_limit"] = "信息形成之日起15个工作日内"
    official[0]["subject"] = "郑州市住房保障局"
    write_catalog_xlsx(HERE / "xlsx" / "standard_official.xlsx", "郑州市保障性住房领域基层政务公开标准目录",
                       catalog_body(official, renamed={}), extra_sheet=False)
    # Not an xlsx at all, and a truncated one.
    (HERE / "xlsx" / "page_saved_as.xlsx").write_bytes(
        "<html><body><table><tr><td>标题</td></tr></table></body></html>".encode("utf-8"))
    whole = (HERE / "xlsx" / "catalog_two_header_rows.xlsx").read_bytes()
    (HERE / "xlsx" / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])


LOG_HEADER = ["序号", "标题", "所属事项", "成文日期", "发布日期", "链接", "发布机构", "索引号"]
LOG_ROWS: list[list[object]] = [
    ["1", "《关于印发金水区公共租赁住房管理办法的通知》", "法规政策/政策文件", dt.date(2023, 3, 1), dt.date(2023, 3, 10),
     "http://www.jinshui.gov.cn/xxgk/1.html", "金水区住房保障中心", "000014349/2023-00001"],
    ["2", "《金水区公共租赁住房管理办法》政策解读", "政策解读/本级政策解读", dt.date(2023, 3, 1),
     dt.datetime(2023, 3, 13, 9, 30), "http://www.jinshui.gov.cn/xxgk/2.html", "金水区住房保障中心", ""],
    ["3", "2023年第一批公租房轮候名单", "公租房轮候", "2023年4月3日", "2023/4/20", "", "", ""],
    ["4", "公租房配租结果公示", "配租结果", "2023.5.6", "2023-05-08 10:00", "", "", ""],
    ["5", "2023年保障性住房建设计划", "规划计划/年度计划", dt.date(2023, 1, 5), None, "", "", ""],
    ["6", "区长信箱答复汇总", "其他工作", dt.date(2023, 2, 1), dt.date(2023, 2, 3), "", "", ""],
    ["7", "2022年度政务公开评价结果", "评价结果", dt.date(2023, 6, 1), dt.date(2023, 6, 30), "", "", ""],
]


def make_logs() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["金水区保障性住房领域政务公开信息台账（2023年）"])
    ws.merge_cells("A1:H1")
    ws.append(LOG_HEADER)
    for row in LOG_ROWS:
        ws.append(row)
    for row in ws.iter_rows(min_row=3, min_col=4, max_col=5):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    wb.save(HERE / "xlsx" / "log_excel_dates.xlsx")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["标题", "所属事项", "成文日期", "发布日期"])
    ws.append(["第一条", "政策文件", "2023-01-04", "2023-01-05"])
    ws.append(["第二条", "年度计划", "2023-02-01", "2023-02-03"])
    ws.append(["第三条", "配租结果", "2023-02-10", "2023-02-14"])
    ws.append(["第四条", "房源信息", "2023-02-20", "2023-02-30"])  # sheet row 5: impossible date
    ws.append(["第五条", "租金标准", "2023-03-01", "2023-03-02"])
    wb.save(HERE / "xlsx" / "log_impossible_date.xlsx")

    gb = [["序号", "标题", "栏目", "生成日期", "公开日期", "公开渠道"],
          ["1", "2023年第二季度公租房房源信息", "配给管理/房源信息", "2023/6/1", "2023.6.5", "政府网站"],
          ["2", "关于经适房购买资格审核结果的公示", "经适房购买资格审核", "2023年6月1日", "2023年6月2日 10:20", "公开查阅点"],
          ["3", "租赁补贴发放情况", "租赁补贴发放", "2023-06-10", "", "政府网站"],
          ["4", "咨询答复（第6期）", "回应关切/咨询答复", "20230612", "2023-06-13", "政府网站"]]
    write_csv(HERE / "csv" / "log_gb18030.csv", gb, "gb18030")
    bom = [["标题", "一级事项", "二级事项", "形成日期", "发布时间", "链接"],
           ["2023年度公租房资格复核结果", "配后管理", "资格复核", "2023-07-03", "2023-07-05 08:00", "http://x.example/1"],
           ["关于调整公租房租金标准的通知", "配后管理", "租金标准", "2023-07-10", "2023-07-20", ""]]
    write_csv(HERE / "csv" / "log_utf8_bom.csv", bom, "utf-8-sig")
    bad = [["标题", "所属事项", "成文日期", "发布日期"],
           ["正常一条", "政策文件", "2023-01-04", "2023-01-05"],
           ["日期不存在", "政策文件", "2023-02-30", "2023-03-01"],
           ["先发布后成文", "政策文件", "2023-03-10", "2023-03-01"],
           ["两个日期都没有", "政策文件", "", ""],
           ["日期写错", "政策文件", "去年", "2023-03-01"],
           ["", "政策文件", "2023-03-01", "2023-03-02"]]
    write_csv(HERE / "csv" / "log_errors.csv", bad, "utf-8")
    (HERE / "csv" / "empty.csv").write_bytes(b"")


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def make_csv_catalogs(rows: list[dict[str, str]]) -> None:
    picked = rows[:12] + [rows[19]]
    text_rows = [["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道",
                  "公开对象", "公开方式", "公开层级"]]
    previous = None
    for n, r in enumerate(picked, 1):
        text_rows.append([str(n), r["level1"] if r["level1"] != previous else "",
                          RENAMED.get(r["level2"], r["level2"]), numbered(r["content_elements"]),
                          numbered(r["basis"]), r["time_limit"], r["subject"], r["channels"],
                          r["audience"].replace(";", "、"), r["method"].replace(";", "、"),
                          r["level"].replace(";", "、")])
        previous = r["level1"]
    write_csv(HERE / "csv" / "catalog_gbk.csv", [["中原区保障性住房领域基层政务公开标准目录"]] + text_rows, "gbk")
    top = ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
           "公开对象", "", "公开方式", "", "公开层级", "", ""]
    sub = ["", "一级事项", "二级事项", "", "", "", "", "", *AUDIENCE, *METHOD, *LEVELS]
    body = catalog_body(picked)
    for i in range(len(body) - 1, 0, -1):
        if body[i][1] == body[i - 1][1]:
            body[i][1] = ""
    write_csv(HERE / "csv" / "catalog_utf8_bom.csv", [top, sub] + body, "utf-8-sig")


def html_catalog(rows: list[dict[str, str]], published: str, document_no: str) -> str:
    body = catalog_body(rows)
    runs = {a: b - a + 1 for a, b in level1_runs(body, 0)}
    out = []
    for i, row in enumerate(body):
        cells = []
        for j, v in enumerate(row):
            if j == 1:
                if i not in runs:
                    continue
                cells.append(f'<td rowspan="{runs[i]}">{v}</td>')
            else:
                cells.append("<td>" + v.replace("\n", "<br/>") + "</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    header = ('<tr><th rowspan="2">序号</th><th colspan="2">公开事项</th><th rowspan="2">公开内容<br>（要素）</th>'
              '<th rowspan="2">公开依据</th><th rowspan="2">公开时限</th><th rowspan="2">公开主体</th>'
              '<th rowspan="2">公开渠道和载体</th><th colspan="2">公开对象</th><th colspan="2">公开方式</th>'
              '<th colspan="3">公开层级</th></tr><tr><th>一级事项</th><th>二级事项</th>'
              + "".join(f"<th>{n}</th>" for n in AUDIENCE + METHOD + LEVELS) + "</tr>")
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>惠济区保障性住房领域基层政务公开标准目录</title>
<style>td {{ border: 1px solid #ccc; }}</style><script>var nav = "<table>";</script></head>
<body>
<table class="nav"><tr><td><a href="/">首页</a></td><td><a href="/zwgk/">政务公开</a></td>
<td><a href="/jczwgk/">基层政务公开</a></td></tr></table>
<table class="meta">
<tr><td>索引号：</td><td>000014349/2020-00123</td><td>主题分类：</td><td>住房保障</td></tr>
<tr><td>发布机构：</td><td>惠济区住房保障中心</td><td>成文日期：</td><td>{published}</td></tr>
<tr><td>文号：</td><td>{document_no}</td><td>发布日期：</td><td>{published}</td></tr>
</table>
<h1>惠济区保障性住房领域基层政务公开标准目录</h1>
<table class="catalog" border="1">
{header}
{chr(10).join(out)}
</table>
<p>注：● 为必须公开要素，〇 为选择公开要素。</p>
</body></html>
"""


def make_html(rows: list[dict[str, str]]) -> None:
    (HERE / "html" / "catalog_portal.html").write_text(
        html_catalog(rows[:16], "2020-09-18", "惠房保〔2020〕12号"), encoding="utf-8")
    (HERE / "html" / "catalog_portal_v2.html").write_text(
        html_catalog(rows[:18], "2021-03-02", "惠房保〔2021〕3号"), encoding="utf-8")
    items = "".join(
        f"<tr><td>{n}</td><td><a href='/xxgk/{n}.html'>{t}</a></td><td>{item}</td><td>{f}</td><td>{p}</td></tr>"
        for n, (t, item, f, p) in enumerate([
            ("2023年公租房房源信息公告", "房源信息", "2023-03-01", "2023-03-03"),
            ("惠济区公租房配租方案", "配给管理/配租方案", "2023-03-05", "2023-03-20")], 1))
    (HERE / "html" / "log_portal.html").write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td><a href='/'>首页</a></td></tr></table>"
        "<table><tr><th>序号</th><th>标题</th><th>所属事项</th><th>成文日期</th><th>发布日期</th></tr>"
        f"{items}</table></body></html>", encoding="utf-8")


def make_docx(rows: list[dict[str, str]]) -> None:
    body = catalog_body(rows[:10])
    document = docx.Document()
    document.add_paragraph("上街区保障性住房领域基层政务公开标准目录")
    table = document.add_table(rows=2 + len(body), cols=len(TOP))
    for j in range(len(TOP)):
        table.cell(0, j).text = TOP[j]
        table.cell(1, j).text = SUB[j]
    for i, row in enumerate(body, start=2):
        for j, v in enumerate(row):
            table.cell(i, j).text = v
    for a, b in ((1, 2), (8, 9), (10, 11), (12, 14)):
        table.cell(0, a).merge(table.cell(0, b)).text = TOP[a]
    for j in (0, 3, 4, 5, 6, 7):
        table.cell(0, j).merge(table.cell(1, j)).text = TOP[j]
    for a, b in level1_runs(body, 2):
        if b > a:
            table.cell(a, 1).merge(table.cell(b, 1)).text = body[a - 2][1]
    document.save(HERE / "docx" / "catalog.docx")


def make_xls(rows: list[dict[str, str]]) -> None:
    body = catalog_body(rows[:10])
    sheet: list[list[object]] = [["荥阳市保障性住房领域基层政务公开标准目录"], TOP, SUB, *body]
    merges = [(0, 0, 0, len(TOP) - 1), (1, 2, 0, 0), (1, 1, 1, 2), (1, 1, 8, 9), (1, 1, 10, 11), (1, 1, 12, 14)]
    merges += [(1, 2, j, j) for j in (3, 4, 5, 6, 7)]
    merges += [(a - 1, b - 1, 1, 1) for a, b in level1_runs(body, 4) if b > a]
    write_xls(str(HERE / "xls" / "catalog.xls"), [("目录", sheet, merges)])
    log: list[list[object]] = [LOG_HEADER[:5], *[r[:5] for r in LOG_ROWS[:4]]]
    write_xls(str(HERE / "xls" / "log.xls"), [("台账", log, [])])


def main() -> None:
    rows = standard_rows()
    make_xlsx(rows)
    make_logs()
    make_csv_catalogs(rows)
    make_html(rows)
    make_docx(rows)
    make_xls(rows)


if __name__ == "__main__":
    main()
