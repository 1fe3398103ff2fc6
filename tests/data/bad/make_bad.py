"""Generate the bad-input corpus: tests/data/bad/<name> plus <name>.expect.toml for each.

Run `.venv/bin/python tests/data/bad/make_bad.py`; the files are committed so the tests read
real files. Each expectation says how to load the input (command, district, the name it is
loaded under), what must be loaded first (`[[setup]]`, files under setup/), and the outcome:

    outcome = "refused"    LoadError whose problems include `kind` with `message` in its text;
                           every data table unchanged (default)
    outcome = "warned"     loads, with a `kind` warning; `disclosures` rows of the unit afterwards
    outcome = "unchanged"  loads as 'unchanged' (same content already loaded); tables unchanged
    confirm = true         (refused only) with confirm_replace=True the same input loads

Other lanes add an input by dropping a file and its .expect.toml here (no shared list to edit).
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import docx
import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SETUP = HERE / "setup"


def standard_items() -> list[tuple[str, str]]:
    with (ROOT / "data" / "standard_catalog.tsv").open(encoding="utf-8") as f:
        return [(r["level1"], r["level2"]) for r in csv.DictReader(f, delimiter="\t")]


ITEMS = standard_items()
LOG_HEADER = ["标题", "所属事项", "成文日期", "发布日期", "链接"]
CATALOG_HEADER = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                  "公开对象", "公开方式", "公开层级"]


def log_rows(n: int, unit: str = "金水区", start: int = 0) -> list[list[str]]:
    rows = []
    for i in range(start, start + n):
        level1, level2 = ITEMS[i % len(ITEMS)]
        month, day = 1 + i % 12, 1 + i % 27
        rows.append([f"{unit}2023年第{i + 1}号{level2}公告", f"{level1}/{level2}", f"2023-{month:02d}-{day:02d}",
                     f"2023-{month:02d}-{day + 1:02d}", f"http://zwgk.example/{i + 1}.html"])
    return rows


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode(encoding)


def catalog_rows(items: list[tuple[str, str]], subject: str = "金水区住房保障和房地产管理局") -> list[list[str]]:
    return [[str(n), a, b, "文件名称、文号、发布日期", "《公共租赁住房管理办法》", "信息形成之日起20个工作日内", subject,
             "政府网站", "全社会", "主动", "县级"] for n, (a, b) in enumerate(items, 1)]


def xlsx_bytes(rows: list[list[object]], title: str = "台账", extra: dict[str, object] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, value in (extra or {}).items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(rows: list[list[str]] | None) -> bytes:
    document = docx.Document()
    document.add_paragraph("金水区住房保障信息公开目录")
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_with(data: bytes, name: str, payload: bytes) -> bytes:
    """`data` (a zip) with part `name` replaced by `payload`, deflated."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, payload if info.filename == name else src.read(info))
    return out.getvalue()


def html_table(rows: list[str], before: str = "") -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'></head><body>{before}<table>"
            + "".join(rows) + "</table></body></html>").encode("utf-8")


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


CASES: list[tuple[str, bytes, dict[str, object]]] = []


def case(name: str, data: bytes, **expect: object) -> None:
    CASES.append((name, data, expect))


LOG306 = csv_bytes(LOG_HEADER, log_rows(306))
CATALOG43 = csv_bytes(CATALOG_HEADER, catalog_rows(ITEMS))
SETUP_LOG = {"command": "disclosures", "district": "金水区", "source": "setup/log_306.csv", "filename": "log.csv"}
SETUP_LOG_XLSX = {"command": "disclosures", "district": "金水区", "source": "setup/log_306.xlsx",
                  "filename": "台账.xlsx"}
SETUP_CATALOG = {"command": "catalog", "district": "金水区", "source": "setup/catalog_43.csv",
                 "filename": "目录.csv", "published_on": "2023-01-10"}


def build() -> None:
    d = {"district": "金水区"}
    # ── files that cannot be read ──
    case("empty.csv", b"", command="disclosures", kind="empty_file", message="文件为空", **d)
    case("blank_lines.csv", b"\n \r\n\t\n", command="disclosures", kind="empty_file", message="文件为空", **d)
    case("empty.xlsx", b"", command="catalog", kind="empty_file", message="文件为空", **d)
    good_xlsx = xlsx_bytes([LOG_HEADER, *log_rows(3)])
    case("truncated.xlsx", good_xlsx[: len(good_xlsx) // 2], command="disclosures", kind="bad_zip",
         message="压缩包无法打开", **d)
    good_docx = docx_bytes([CATALOG_HEADER, *catalog_rows(ITEMS[:3])])
    case("truncated.docx", good_docx[: len(good_docx) // 3], command="catalog", kind="bad_zip",
         message="压缩包无法打开", **d)
    case("page_saved_as.xlsx", html_table(["<tr><td>标题</td></tr>"]), command="catalog", kind="format_mismatch",
         message="内容是 HTML 网页 格式", **d)
    case("log_saved_as.docx", LOG306[:400], command="disclosures", kind="format_mismatch", message="内容是 CSV 文本 格式",
         **d)
    case("workbook_named.csv", good_xlsx, command="disclosures", kind="format_mismatch",
         message="内容是 Excel（xlsx） 格式", **d)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "not an office file")
    case("plain_zip.xlsx", plain_zip.getvalue(), command="catalog", kind="format_mismatch",
         message="内容是 其他压缩包 格式", **d)
    case("plain_zip_unknown", plain_zip.getvalue(), command="catalog", kind="unknown_format",
         message="无法识别文件格式", **d)
    case("binary.csv", b"\x00\x01\x02binary\x00" * 50, command="disclosures", kind="unknown_format",
         message="无法识别文件格式", **d)
    case("not_utf8_nor_gbk.csv", b"\xff\xfe\xff,\xff\n\xff\xff,\xfe\n", command="disclosures", kind="encoding",
         message="无法识别文本编码", **d)
    case("ole_garbage.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 64, command="catalog",
         kind="unreadable_file", message="文件无法读取", **d)
    # ── files without the table they should hold ──
    case("log_without_title_column.csv", csv_bytes(["名称1", "日期"], [["a", "2023-01-01"]]), command="disclosures",
         kind="no_table", message="没有找到公开台账表格", **d)
    case("catalog_loaded_as_log.csv", CATALOG43, command="disclosures", kind="no_table",
         message="没有找到公开台账表格", **d)
    case("log_loaded_as_catalog.csv", LOG306, command="catalog", kind="no_table", message="没有找到目录表格", **d)
    case("page_without_table.html", b"<html><body><p>\xe6\x97\xa0\xe8\xa1\xa8\xe6\xa0\xbc</p></body></html>",
         command="catalog", kind="no_table", message="没有找到目录表格", **d)
    case("docx_without_table.docx", docx_bytes(None), command="catalog", kind="no_table", message="没有找到目录表格", **d)
    case("xlsx_header_only_catalog.xlsx", xlsx_bytes([["备注"], ["本表无内容"]], "目录"), command="catalog",
         kind="no_table", message="没有找到目录表格", **d)
    case("standard_from_a_log.csv", LOG306, command="standard", kind="no_table", message="没有找到目录表格", **d)
    case("unknown_unit.csv", LOG306[:2000], command="disclosures", district="朝阳区", kind="unknown_district",
         message="单位「朝阳区」不在本市 16 个单位之中")
    # ── rows that are wrong ──
    row = log_rows(1)[0]
    case("log_missing_title.csv", csv_bytes(LOG_HEADER, [["", *row[1:]]] + log_rows(2, start=1)),
         command="disclosures", kind="missing_title", message="第 2 行，「标题」列：标题为空", **d)
    case("log_missing_dates.csv", csv_bytes(LOG_HEADER, [[row[0], row[1], "", "", row[4]]]), command="disclosures",
         kind="missing_dates", message="成文日期和发布日期都为空", **d)
    case("log_bad_date.csv", csv_bytes(LOG_HEADER, [[row[0], row[1], "去年三月", row[3], row[4]]]),
         command="disclosures", kind="bad_date", message="日期「去年三月」无法识别", **d)
    case("log_impossible_date.csv", csv_bytes(LOG_HEADER, [[row[0], row[1], "2023-02-30", "2023-03-01", row[4]]]),
         command="disclosures", kind="impossible_date", message="日期「2023-02-30」不存在", **d)
    case("log_published_before_formed.csv",
         csv_bytes(LOG_HEADER, [[row[0], row[1], "2023-03-10", "2023-03-01", row[4]]]), command="disclosures",
         kind="published_before_formed", message="发布日期早于成文日期", **d)
    case("log_gbk_bad_date.csv", csv_bytes(LOG_HEADER, [[row[0], row[1], "2023年13月1日", row[3], row[4]]], "gbk"),
         command="disclosures", kind="impossible_date", message="不存在", **d)
    case("catalog_missing_item_name.csv",
         csv_bytes(CATALOG_HEADER, catalog_rows(ITEMS[:10]) + [["11", "配后管理", "", "要素", "", "", "", "", "", "", ""]]),
         command="catalog", kind="missing_item_name", message="二级事项名称为空", **d)
    case("standard_without_level1.csv", csv_bytes(["二级事项", "公开内容", "公开依据"], [["法律法规", "要素", "依据"]]), command="standard",
         kind="missing_level1", message="一级事项为空")
    # ── dates outside 2000 .. today + 1 year ──
    for name, formed, published in (("log_date_1999.csv", "1999-12-31", "2000-01-05"),
                                    ("log_date_1900.csv", "1900-01-01", "2023-01-05"),
                                    ("log_date_2099.csv", "2023-01-01", "2099-01-01"),
                                    ("log_date_2090_formed.csv", "2090-05-01", "")):
        bad = [row[0], row[1], formed, published, row[4]]
        value = formed if formed < "2000" or formed > "2080" else published
        case(name, csv_bytes(LOG_HEADER, [bad] + log_rows(2, start=1)), command="disclosures",
             kind="date_out_of_range", message=f"第 2 行，「{'成文日期' if value == formed else '发布日期'}」列：日期「{value}」不在合理范围",
             **d)
    case("log_date_1901_excel.xlsx", xlsx_bytes([LOG_HEADER, [row[0], row[1], "1901-03-01", "2023-01-02", row[4]]]),
         command="disclosures", kind="date_out_of_range", message="工作表「台账」，第 2 行，「成文日期」列：日期「1901-03-01」",
         **d)
    # ── guards: a load that would lose data ──
    case("log.csv", csv_bytes(LOG_HEADER, []), command="disclosures", kind="replace_shrinks", setup=[SETUP_LOG],
         message="该来源已导入 306 条公开记录，新文件只有 0 条", confirm=True, **d)
    case("header_only.xlsx", xlsx_bytes([LOG_HEADER]), command="disclosures", filename="台账.xlsx",
         kind="replace_shrinks", setup=[SETUP_LOG_XLSX], message="新文件只有 0 条", confirm=True, **d)
    case("log_shrunk_to_100.csv", csv_bytes(LOG_HEADER, log_rows(100)), command="disclosures", filename="log.csv",
         kind="replace_shrinks", setup=[SETUP_LOG], message="该来源已导入 306 条公开记录，新文件只有 100 条", confirm=True,
         **d)
    case("catalog_shrunk.csv", csv_bytes(CATALOG_HEADER, catalog_rows(ITEMS[:12])), command="catalog",
         kind="catalog_shrinks", setup=[SETUP_CATALOG], message="当前目录对应市级事项 43 项，新目录只对应 12 项",
         confirm=True, **d)
    case("catalog_shrunk.docx", docx_bytes([CATALOG_HEADER, *catalog_rows(ITEMS[:8])]), command="catalog",
         kind="catalog_shrinks", setup=[SETUP_CATALOG], message="新目录只对应 8 项", confirm=True, **d)
    foreign = [(a, f"本地特色事项{n}") for n, (a, _) in enumerate(ITEMS[:20], 1)]
    case("catalog_matching_nothing.csv", csv_bytes(CATALOG_HEADER, catalog_rows(foreign)), command="catalog",
         kind="catalog_unmatched", message="目录只有 0 个事项能对应到市级标准目录（共 43 项）", confirm=True, **d)
    case("catalog_matching_almost_nothing.xlsx",
         xlsx_bytes([CATALOG_HEADER, *catalog_rows(ITEMS[:2] + foreign[2:])], "目录"), command="catalog",
         kind="catalog_unmatched", message="目录只有 2 个事项能对应", confirm=True, **d)
    case("standard_two_rows.csv", csv_bytes(["一级事项", "二级事项", "公开内容"], [["法规政策", "法律法规", "要素"],
                                                                          ["法规政策", "政策文件", "要素"]]),
         command="standard", kind="standard_implausible", message="该表有 1 个一级事项、2 个二级事项", confirm=True)
    nine = [(a, b) for a, b in ITEMS if a != ITEMS[-1][0]]
    case("standard_nine_level1.csv", csv_bytes(CATALOG_HEADER, catalog_rows(nine)), command="standard",
         kind="standard_implausible", message="9 个一级事项", confirm=True)
    many = ITEMS + [(a, f"{b}（扩展{k}）") for k in range(1, 3) for a, b in ITEMS]
    case("standard_129_items.csv", csv_bytes(CATALOG_HEADER, catalog_rows(many)), command="standard",
         kind="standard_implausible", message="129 个二级事项", confirm=True)
    # ── guards: content that belongs to another unit ──
    case("log_of_erqi.csv", csv_bytes(LOG_HEADER, log_rows(20, unit="二七区")), command="disclosures",
         kind="other_unit", message="共 20 条中有 20 条写的是「二七区」", confirm=True, **d)
    case("log_of_xinmi.xlsx", xlsx_bytes([LOG_HEADER, *log_rows(8, unit="新密市")]), command="disclosures",
         kind="other_unit", message="写的是「新密市」", confirm=True, **d)
    case("log_of_jingkai_short_name.csv", csv_bytes(LOG_HEADER, log_rows(6, unit="经开区")), command="disclosures",
         kind="other_unit", message="写的是「经开区」", confirm=True, **d)
    case("catalog_of_erqi.csv", csv_bytes(CATALOG_HEADER, catalog_rows(ITEMS, subject="二七区住房和城乡建设局")),
         command="catalog", kind="other_unit", message="写的是「二七区」", confirm=True, **d)
    # ── warnings: loaded, but never silently ──
    case("log_2024-06-01.csv", csv_bytes(LOG_HEADER, log_rows(307)), command="disclosures", outcome="warned",
         kind="reexport", setup=[SETUP_LOG], message="新文件 307 条中有 306 条的记录与已导入的「log.csv」相同",
         disclosures=307, **d)
    case("log_reexport_fewer_columns.xlsx", xlsx_bytes([LOG_HEADER, *log_rows(300)]), command="disclosures",
         outcome="warned", kind="reexport", setup=[SETUP_LOG], message="按该来源的重新导出处理", disclosures=300, **d)
    rep = log_rows(5)
    case("log_repeated_rows.csv", csv_bytes(LOG_HEADER, rep + [rep[1], rep[1], rep[3]]), command="disclosures",
         outcome="warned", kind="repeated_row", message="第 7 行：与第 3 行完全相同，本行未导入", disclosures=5, **d)
    case("log_repeated_rows.xlsx", xlsx_bytes([LOG_HEADER, *(rep + rep)]), command="disclosures", outcome="warned",
         kind="repeated_row", message="与第 2 行完全相同", disclosures=5, **d)
    # ── the same cells re-saved with new bytes ──
    case("目录_excel_resaved.csv", CATALOG43.replace(b"\n", b"\r\n"), command="catalog", outcome="unchanged",
         setup=[SETUP_CATALOG], **d)
    case("log_resaved_gbk.csv", LOG306.decode("utf-8-sig").encode("gb18030"), command="disclosures",
         outcome="unchanged", setup=[SETUP_LOG], **d)
    # ── resource blow-ups ──
    case("stray_cell_xfd1048576.xlsx", xlsx_bytes([LOG_HEADER, *log_rows(2)], extra={"XFD1048576": "x"}),
         command="disclosures", kind="too_many_cells", message="工作表「台账」：「A1:XFD1048576」的单元格数量超过上限",
         **d)
    lying = xlsx_bytes([LOG_HEADER, *log_rows(2)])
    sheet = zipfile.ZipFile(io.BytesIO(lying)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<dimension ref="A1:E3"/>', b'<dimension ref="A1:ZZ999999"/>')
    case("declared_dimension_lies.xlsx", zip_with(lying, "xl/worksheets/sheet1.xml", sheet), command="disclosures",
         kind="too_many_cells", message="「A1:ZZ999999」的单元格数量超过上限（约 701,999,298 个，上限 1,000,000 个", **d)
    tall = sheet.replace(b'<dimension ref="A1:ZZ999999"/>', b'<dimension ref="A1:A400000"/>')
    case("declared_400000_rows.xlsx", zip_with(lying, "xl/worksheets/sheet1.xml", tall), command="disclosures",
         kind="too_many_rows", message="表格行数超过上限", **d)
    padded = sheet.replace(b"</worksheet>", b" " * (8 * 1024 * 1024) + b"</worksheet>")
    case("zip_bomb_ratio.xlsx", zip_with(lying, "xl/worksheets/sheet1.xml", padded), command="disclosures",
         kind="zip_bomb", message="压缩包中的「xl/worksheets/sheet1.xml」解压后过大", **d)
    huge = sheet.replace(b"</worksheet>", b" " * (210 * 1024 * 1024) + b"</worksheet>")
    case("zip_bomb_210mb_part.xlsx", zip_with(lying, "xl/worksheets/sheet1.xml", huge), command="disclosures",
         kind="zip_bomb", message="解压后过大", **d)
    body = zipfile.ZipFile(io.BytesIO(good_docx)).read("word/document.xml")
    case("zip_bomb.docx", zip_with(good_docx, "word/document.xml", body.replace(b"</w:body>", b" " * (8 * 1024 * 1024)
                                                                                 + b"</w:body>")),
         command="catalog", kind="zip_bomb", message="压缩包中的「word/document.xml」解压后过大", **d)
    spans = "".join("<tr>" + "<td rowspan='500' colspan='500'>x</td>" * 300 + "</tr>" for _ in range(3))
    case("span_bomb.html", html_table([f"<tr>{''.join(f'<th>{h}</th>' for h in LOG_HEADER)}</tr>", spans]),
         command="disclosures", kind="span_too_large", message="合并单元格跨度超出表格范围（展开后超过 100,000 个单元格", **d)
    case("rowspan_beyond_table.html", html_table(
        [f"<tr>{''.join(f'<th>{h}</th>' for h in LOG_HEADER)}</tr>",
         "<tr><td rowspan=\"100000\">x</td><td>a</td><td>2023-01-01</td><td>2023-01-02</td><td></td></tr>"]),
        command="disclosures", kind="span_too_large", message="rowspan=100,000，表格只有 2 行", **d)
    case("csv_3000001_lines.csv", "标题,成文日期\n".encode() + b"\n" * 3_000_000, command="disclosures",
         kind="too_many_rows", message="表格行数超过上限（3,000,001 > 3,000,000）", **d)
    case("html_300001_rows.html", html_table(["<tr>"] * 300_001), command="catalog",
         kind="too_many_rows", message="表格行数超过上限", **d)


def main() -> None:
    SETUP.mkdir(parents=True, exist_ok=True)
    (SETUP / "log_306.csv").write_bytes(LOG306)
    (SETUP / "catalog_43.csv").write_bytes(CATALOG43)
    (SETUP / "log_306.xlsx").write_bytes(xlsx_bytes([LOG_HEADER, *log_rows(306)]))
    build()  # writes only its own inputs: other generators' files (make_formats.py) stay
    for name, data, expect in CASES:
        (HERE / name).write_bytes(data)
        lines = []
        setup = expect.pop("setup", [])
        for key, value in expect.items():
            lines.append(f"{key} = {toml_value(value)}")
        for entry in setup:
            lines.append("\n[[setup]]")
            lines += [f"{k} = {toml_value(v)}" for k, v in entry.items()]
        (HERE / f"{name}.expect.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(CASES)} inputs")


if __name__ == "__main__":
    main()
