"""Disclosure-log files in the layouts units publish, for the load benchmark (bench/run.py).

`make(kind, rows, directory)` writes (or reuses) one file: csv in UTF-8 or GBK, xlsx or an
HTML portal table, 标题/所属事项/成文日期/发布日期/链接 with the date styles units use. Rows are
generated inside DuckDB (no Python row loops); the text is deterministic.
"""
from __future__ import annotations

import csv
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


def _xlsx(path: Path, n: int) -> None:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("公开台账")
    sheet.append(HEADER)
    for row in _rows(n):
        sheet.append(list(row))
    book.save(path)


def _html(path: Path, n: int) -> None:
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "\n".join(
        f"<tr><td>{r[0]}</td><td><a href=\"{r[5]}\">{r[1]}</a></td><td>{r[2]}</td><td>{r[3]}</td>"
        f"<td>{r[4]}</td><td>{r[5]}</td></tr>" for r in _rows(n))
    path.write_text(f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>公开台账</title></head><body>"
                    f"<table><tr>{head}</tr>\n{body}</table></body></html>", encoding="utf-8")


def make(kind: str, n: int, directory: Path) -> Path:
    """kind: csv-utf8 | csv-gbk | xlsx | html. Returns the (possibly cached) file."""
    directory.mkdir(parents=True, exist_ok=True)
    ext = {"csv-utf8": "csv", "csv-gbk": "csv", "xlsx": "xlsx", "html": "html"}[kind]
    path = directory / f"log_{kind}_{n}.{ext}"
    if path.exists():
        return path
    if kind == "csv-utf8":
        _csv(path, n, "utf-8")
    elif kind == "csv-gbk":
        _csv(path, n, "gbk")
    elif kind == "xlsx":
        _xlsx(path, n)
    else:
        _html(path, n)
    return path
