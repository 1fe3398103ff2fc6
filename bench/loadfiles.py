"""Disclosure-log files in the layouts units publish, for the load benchmark (bench/run.py).

`make(kind, rows, directory)` writes (or reuses) one file: csv in UTF-8 or GBK, xlsx as Excel saves
it (`xlsx`: shared strings, raw UTF-8, 序号 as numbers), xlsx as openpyxl's write-only mode saves it
(`xlsx-inline`: an inline string per cell and one `&#NNNNN;` reference per Chinese character,
a sheet XML about 2.6 times larger: 57 against 22 MB at 100k rows), or an HTML portal table, 标题/所属事项/成文日期/发布日期/链接 with the date styles units use. Rows are
generated inside DuckDB; only the Excel-style xlsx then joins its XML in Python, once per size
(the file is cached); the text is deterministic.
"""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["序号", "标题", "所属事项", "成文日期", "发布日期", "链接"]

_ROWS_SQL = """
WITH items AS (SELECT row_number() OVER () - 1 AS k, level1 || '/' || level2 AS item
               FROM read_csv(?, delim = '\t', header = true, all_varchar = true))
SELECT (i + 1)::VARCHAR AS seq,
       CASE WHEN i % 7 = 0 THEN '关于《郑州市公共租赁住房管理办法（第' || i || '号）》的政策解读'
            WHEN i % 7 = 1 THEN '２０２３年第' || i || '批公租房配租结果公示'
            ELSE '公开信息第' || i || '号：保障性住房分配情况' END AS title,
       items.item,
       CASE WHEN i % 3 = 0 THEN strftime(DATE '2021-01-01' + (i % 1500)::INTEGER, '%Y-%m-%d')
            WHEN i % 3 = 1 THEN strftime(DATE '2021-01-01' + (i % 1500)::INTEGER, '%Y/%-m/%-d')
            ELSE strftime(DATE '2021-01-01' + (i % 1500)::INTEGER, '%Y年%-m月%-d日') END AS formed,
       strftime(DATE '2021-01-01' + (i % 1500 + i % 30)::INTEGER, '%Y-%m-%d') AS published,
       'http://www.example.gov.cn/zwgk/' || i || '.html' AS url
FROM range(?) t(i) JOIN items ON items.k = i % 43
ORDER BY i
"""


def _rows(n: int) -> list[tuple[str, ...]]:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    rows = con.execute(_ROWS_SQL, [str(ROOT / "data" / "standard_catalog.tsv"), n]).fetchall()
    con.close()
    return rows


def _csv(path: Path, n: int, encoding: str) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(_rows(n))
    tmp.replace(path)


def _inline_xlsx(path: Path, n: int) -> None:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("公开台账")
    sheet.append(HEADER)
    for row in _rows(n):
        sheet.append(list(row))
    book.save(path)


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        f'workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_OFFICE}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.'
        f'styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.sharedStrings+xml"/>'
        '</Types>',
    "_rels/.rels":
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_NS}"><Relationship '
        f'Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
        '<sheets><sheet name="公开台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/styles.xml":
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_NS}"><fonts count="1"><font>'
        '<sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>'
        '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>',
}


def _xlsx(path: Path, n: int) -> None:
    """The ledger as Excel saves it: every text once in xl/sharedStrings.xml (raw UTF-8), cells
    referring to it by index, 序号 as a number, the <dimension> declared."""
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    letters = "ABCDEF"

    def cell(r: int, j: int, value: str) -> str:
        if j == 0 and value.isdigit():
            return f'<c r="A{r}"><v>{value}</v></c>'
        k = strings.setdefault(value, len(strings))
        return f'<c r="{letters[j]}{r}" t="s"><v>{k}</v></c>'

    rows = [HEADER, *(list(row) for row in _rows(n))]
    body = "".join(f'<row r="{r}" spans="1:6">' + "".join(cell(r, j, v) for j, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, 1))
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}" '
             f'xmlns:r="{_REL_NS}"><dimension ref="A1:F{len(rows)}"/><sheetData>{body}</sheetData></worksheet>')
    total = sum(len(row) for row in rows) - n  # the 序号 numbers are not shared strings
    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS}" count="{total}" '
              f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in _PARTS.items():
            book.writestr(name, xml)
        book.writestr("xl/sharedStrings.xml", shared)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    tmp.replace(path)


def _html(path: Path, n: int) -> None:
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "\n".join(
        f"<tr><td>{r[0]}</td><td><a href=\"{r[5]}\">{r[1]}</a></td><td>{r[2]}</td><td>{r[3]}</td>"
        f"<td>{r[4]}</td><td>{r[5]}</td></tr>" for r in _rows(n))
    path.write_text(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>公开台账</title></head><body>"
                    f"<table><tr>{head}</tr>\n{body}</table></body></html>", encoding="utf-8")


def make(kind: str, n: int, directory: Path) -> Path:
    """kind: csv-utf8 | csv-gbk | xlsx | xlsx-inline | html. Returns the (possibly cached) file."""
    directory.mkdir(parents=True, exist_ok=True)
    ext = {"csv-utf8": "csv", "csv-gbk": "csv", "xlsx": "xlsx", "xlsx-inline": "xlsx", "html": "html"}[kind]
    # (the Excel-style xlsx has its own name: a cached file of the earlier inline-string `xlsx` is never reused)
    path = directory / f"log_{'xlsx-shared' if kind == 'xlsx' else kind}_{n}.{ext}"
    if path.exists():
        return path
    if kind == "csv-utf8":
        _csv(path, n, "utf-8")
    elif kind == "csv-gbk":
        _csv(path, n, "gbk")
    elif kind == "xlsx":
        _xlsx(path, n)
    elif kind == "xlsx-inline":
        _inline_xlsx(path, n)
    else:
        _html(path, n)
    return path
