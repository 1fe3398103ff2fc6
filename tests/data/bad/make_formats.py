"""Fixtures of files read by their content (issue #16 item 8, issue #15 item 8), written by
the tools units use (openpyxl for xlsx, Python's codecs for csv text, msoffcrypto-tool for
an Excel open password). Run once; the files are committed:

    .venv/bin/python tests/data/bad/make_formats.py

Refused or warned inputs go to tests/data/bad/ with an `.expect.toml` (the corpus format of
tests/data/bad/make_bad.py: command, district, kind, message, outcome); inputs that must
load go to tests/data/formats/ and are checked by tests/loaders/test_formats_by_content.py.
"""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FORMATS = HERE.parent / "formats"
HEADER = "标题,所属事项,成文日期,发布日期,链接\n"


def _rows(n: int, start: int = 1) -> str:
    return "".join(f"2023年第{i}批公租房配租结果公示,配给管理/配租结果,2023-0{1 + i % 9}-01,"
                   f"2023-0{1 + i % 9}-05,http://x.example/{i}\n" for i in range(start, start + n))


def _expect(name: str, **fields: object) -> None:
    lines = []
    for key, value in fields.items():
        lines.append(f"{key} = {value}" if isinstance(value, (int, bool)) and not isinstance(value, str)
                     else f'{key} = "{value}"')
    (HERE / f"{name}.expect.toml").write_text("\n".join(lines).replace("= True", "= true") + "\n",
                                              encoding="utf-8")


def mixed_encoding() -> None:
    """A UTF-8-BOM export with one row pasted in from a GBK file (record 4)."""
    data = b"\xef\xbb\xbf" + (HEADER + _rows(2)).encode("utf-8") + _rows(1, 3).encode("gbk") + \
        _rows(2, 4).encode("utf-8")
    (HERE / "log_utf8_bom_with_gbk_row.csv").write_bytes(data)
    _expect("log_utf8_bom_with_gbk_row.csv", command="disclosures", district="金水区", kind="mixed_encoding",
            message="第 4 行：文件混用了两种文本编码")


def control_characters() -> None:
    """NUL and BEL bytes inside two titles: removed with a warning, every row loaded."""
    text = HEADER + "关于\x00公租房\x07配租的通知,配给管理/配租结果,2023-03-01,2023-03-05,\n" + \
        "2023年\x00第二批配租结果,配给管理/配租结果,2023-04-01,2023-04-03,\n" + _rows(3, 10)
    (HERE / "log_nul_in_titles.csv").write_bytes(text.encode("utf-8"))
    _expect("log_nul_in_titles.csv", command="disclosures", district="金水区", kind="control_characters",
            message="有 2 个单元格含不可见的控制字符", outcome="warned", disclosures=5)


def encrypted() -> None:
    """An xlsx ledger saved with an open password (Excel's agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["标题", "所属事项", "成文日期", "发布日期"])
    sheet.append(["2023年第一批公租房配租结果公示", "配给管理/配租结果", "2023-03-01", "2023-03-05"])
    plain = io.BytesIO()
    book.save(plain)
    plain.seek(0)
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("mima2023", out)
    (HERE / "log_with_open_password.xlsx").write_bytes(out.getvalue())
    _expect("log_with_open_password.xlsx", command="disclosures", district="金水区", kind="encrypted",
            message="文件已加密")


def formula_without_value() -> None:
    """A ledger whose title cell is a formula saved without its value (openpyxl writes none)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["标题", "所属事项", "成文日期", "发布日期"])
    sheet.append(["2023年第一批公租房配租结果公示", "配给管理/配租结果", "2023-03-01", "2023-03-05"])
    sheet.append(['=CONCATENATE("2023年第二批","配租结果")', "配给管理/配租结果", "2023-04-01", "2023-04-03"])
    book.save(HERE / "log_formula_without_value.xlsx")
    _expect("log_formula_without_value.xlsx", command="disclosures", district="金水区",
            kind="formula_not_cached", message="第 3 行：单元格 A3 是公式")


def loads_by_content() -> None:
    """Inputs that must load: .xls that is HTML or TSV, Chinese commas in a comma csv,
    HYPERLINK formulas and cell hyperlinks in an xlsx, bracketed and 原文链接 headers."""
    FORMATS.mkdir(exist_ok=True)
    html = ("<html><head><meta charset='utf-8'></head><body><table>"
            "<tr><th>标题</th><th>所属事项</th><th>成文日期</th><th>发布日期</th></tr>"
            "<tr><td>2023年第一批公租房配租结果公示</td><td>配给管理/配租结果</td><td>2023-03-01</td>"
            "<td>2023-03-05</td></tr>"
            "<tr><td>关于调整公租房租金标准的通知</td><td>配后管理/租金标准</td><td>2023-04-01</td>"
            "<td>2023-04-10</td></tr></table></body></html>")
    (FORMATS / "portal_export_html.xls").write_bytes(html.encode("gb18030"))
    tsv = ("标题\t所属事项\t成文日期\t发布日期\n2023年第一批公租房配租结果公示\t配给管理/配租结果\t"
           "2023-03-01\t2023-03-05\n关于调整公租房租金标准的通知\t配后管理/租金标准\t2023-04-01\t2023-04-10\n")
    (FORMATS / "portal_export_tsv.xls").write_bytes(tsv.encode("gb18030"))
    commas = HEADER + "".join(
        f"关于做好公租房配租、轮候、退出工作的通知（第{i}号），请各单位遵照执行，逐项落实，按时报送，，，,"
        f"配给管理/配租结果,2023-03-0{i},2023-03-0{i + 1},http://x.example/{i}\n" for i in range(1, 6))
    (FORMATS / "log_chinese_commas.csv").write_bytes(commas.encode("utf-8"))

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["标题", "所属事项", "成文日期", "发布日期", "原文链接"])
    sheet.append(['=HYPERLINK("http://x.example/a1.html","2023年第一批公租房配租结果公示")',
                  "配给管理/配租结果", "2023-03-01", "2023-03-05", None])
    sheet.append(["关于调整公租房租金标准的通知", "配后管理/租金标准", "2023-04-01", "2023-04-10", "点击查看"])
    sheet["E3"].hyperlink = "http://x.example/a2.html"
    sheet.append(["2023年公租房资格审核结果", "配给管理/配租结果", "2023-05-01", "2023-05-04", None])
    sheet["A4"].hyperlink = "http://x.example/a3.html"
    book.save(FORMATS / "ledger_hyperlinks.xlsx")

    bracketed = ("[ 标题 ],[ 所属事项 ],[ 成文日期 ],[ 发布日期 ],原文链接\n"
                 "2023年第一批公租房配租结果公示,配给管理/配租结果,2023-03-01,2023-03-05,http://x.example/b1\n")
    (FORMATS / "log_bracketed_labels.csv").write_bytes(bracketed.encode("utf-8"))


if __name__ == "__main__":
    mixed_encoding()
    control_characters()
    encrypted()
    formula_without_value()
    loads_by_content()
