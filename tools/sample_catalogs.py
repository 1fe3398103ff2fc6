"""Catalog versions of the sample: rows built from the standard catalog per scenario, written
as xlsx (two header rows, merged cells, √ ticks), GBK csv (one header row, ticks as text) or an
HTML portal page (navigation and metadata tables around a rowspan/colspan catalog table)."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sample_model import CatalogRow, Unit, index_no, save_workbook, synonyms

REQUIRED, OPTIONAL = "\u25cf", "\u3007"

def catalog_rows(unit: Unit, version: dict, standard: list[dict], vocab: dict) -> list[CatalogRow]:
    """The rows of one catalog version: standard items minus `missing`, `blank` cleared, locals added."""
    cfg, hdr = unit.cfg, vocab["catalog_headers"]
    missing = set(version.get("missing", []))
    blank = {int(k): set(v) for k, v in version.get("blank", {}).items()}
    numbering = ["{i}.", "{i}、", "({i})"][unit.rng.randrange(3)]
    sep = "\uff1b"  # full-width semicolon used inside the standard's channel text
    rows: list[CatalogRow] = []
    for r in standard:
        seq = int(r["seq"])
        if seq in missing:
            continue
        level2 = r["level2"]
        if cfg.get("long_names"):
            for short, long in synonyms():
                level2 = level2.replace(short, long)
            level2 = level2.replace("\uff08", "(").replace("\uff09", ")")
        elements = r["content_elements"].split(";")
        if cfg.get("marks") and not elements[0].startswith(REQUIRED):  # ● required, 〇 optional
            elements = [(REQUIRED if i < max(1, len(elements) // 2) else OPTIONAL) + e for i, e in enumerate(elements)]
        content = "\n".join(numbering.format(i=i) + e for i, e in enumerate(elements, 1))
        basis_items = r["basis"].split(";")
        basis = "\n".join(f"{i}.{b}" for i, b in enumerate(basis_items, 1)) if len(basis_items) > 1 else basis_items[0]
        channels = [c for c in r["channels"].split(sep) if c]
        if cfg["channels"] == "boxes":
            channel_text = "\n".join(channels)
        else:
            channel_text = hdr["list_sep"].join(c[1:] for c in channels if c.startswith("\u25a0"))
        subject_parts = r["subject"].split(sep)
        subject = sep.join([cfg["subject"], *subject_parts[1:]])
        std_levels = r["level"].split(";")
        values = {"content": content, "basis": basis, "time_limit": r["time_limit"],
                  "subject": subject, "channels": channel_text}
        ticks = {"audience": [c in r["audience"].split(";") for c in hdr["audience_cols"]],
                 "method": [c in r["method"].split(";") for c in hdr["method_cols"]],
                 "disclosure_level": [True, len(std_levels) > 2]}
        for element in blank.get(seq, ()):
            if element in ticks:
                ticks[element] = [False] * len(ticks[element])
            else:
                values[element] = ""
        rows.append(CatalogRow(r["level1"], level2, values, ticks))
    for name in version.get("local", []):
        anchor = next(i for i, row in enumerate(rows) if row.level1 == standard[16]["level1"])
        while anchor + 1 < len(rows) and rows[anchor + 1].level1 == rows[anchor].level1:
            anchor += 1
        template = rows[anchor]
        rows.insert(anchor + 1, CatalogRow(template.level1, name, {
            "content": vocab["local_item_content"], "basis": vocab["local_item_basis"],
            "time_limit": standard[16]["time_limit"], "subject": cfg["subject"],
            "channels": template.values["channels"] or channel_text},
            {"audience": [True, False], "method": [True, False], "disclosure_level": [True, False]}))
    return rows


def header_cells(unit: Unit, vocab: dict) -> tuple[list[str], list[str]]:
    """The two header rows of a 14-column catalog table (merged areas repeat the top text)."""
    h = vocab["catalog_headers"]
    top = [h["seq"], h["item"], h["item"], unit.cfg["content_header"], h["basis"], h["time_limit"],
           h["subject"], h["channels"], h["audience"], h["audience"], h["method"], h["method"],
           h["level"], h["level"]]
    sub = ["", h["level1"], h["level2"], "", "", "", "", "", *h["audience_cols"], *h["method_cols"],
           *unit.cfg["level_cols"]]
    return top, sub


def row_cells(i: int, row: CatalogRow, tick: str) -> list[object]:
    v = row.values
    marks = [tick if t else "" for k in ("audience", "method", "disclosure_level") for t in row.ticks[k]]
    return [i, row.level1, row.level2, v["content"], v["basis"], v["time_limit"], v["subject"],
            v["channels"], *marks]


def write_catalog_xlsx(path: Path, unit: Unit, version: dict, rows: list[CatalogRow], vocab: dict) -> None:
    h = vocab["catalog_headers"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = h["sheet"]
    r0 = 1
    if version.get("title_row"):
        ws.cell(1, 1, unit.label + h["title_suffix"]).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=14)
        r0 = 2
    top, sub = header_cells(unit, vocab)
    for c, text in enumerate(top, 1):
        ws.cell(r0, c, text if (c == 1 or top[c - 2] != text) else None)
        if sub[c - 1]:
            ws.cell(r0 + 1, c, sub[c - 1])
    for c in (1, 4, 5, 6, 7, 8):
        ws.merge_cells(start_row=r0, start_column=c, end_row=r0 + 1, end_column=c)
    for c in (2, 9, 11, 13):
        ws.merge_cells(start_row=r0, start_column=c, end_row=r0, end_column=c + 1)
    first = r0 + 2
    for i, row in enumerate(rows):
        for c, value in enumerate(row_cells(i + 1, row, h["tick"]), 1):
            cell = ws.cell(first + i, c, value if value != "" else None)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    start = 0
    for i in range(1, len(rows) + 1):  # merge 一级事项 over its group
        if i == len(rows) or rows[i].level1 != rows[start].level1:
            if i - start > 1:
                ws.merge_cells(start_row=first + start, start_column=2, end_row=first + i - 1, end_column=2)
            start = i
    for c, width in enumerate([6, 12, 18, 34, 40, 20, 20, 24, 7, 7, 7, 7, 7, 7], 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    save_workbook(wb, path)


def write_catalog_csv(path: Path, unit: Unit, rows: list[CatalogRow], vocab: dict) -> None:
    """One header row; 一级事项 only on a group's first row; ticks as text (全社会、特定群体)."""
    h = vocab["catalog_headers"]
    subs = {"audience": h["audience_cols"], "method": h["method_cols"], "disclosure_level": unit.cfg["level_cols"]}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([h["seq"], h["level1"], h["level2"], unit.cfg["content_header"], h["basis"], h["time_limit"],
                h["subject"], h["channels"], h["audience"], h["method"], h["level"]])
    for i, row in enumerate(rows):
        level1 = row.level1 if i == 0 or rows[i - 1].level1 != row.level1 else ""
        texts = [h["list_sep"].join(n for n, t in zip(subs[k], row.ticks[k]) if t) for k in subs]
        v = row.values
        w.writerow([i + 1, level1, row.level2, v["content"], v["basis"], v["time_limit"], v["subject"],
                    v["channels"], *texts])
    path.write_bytes(buf.getvalue().encode("gbk"))


def write_catalog_html(path: Path, unit: Unit, version: dict, rows: list[CatalogRow], vocab: dict) -> None:
    """A portal article page: navigation tables, a metadata table, then the catalog table."""
    h, p = vocab["catalog_headers"], vocab["portal"]
    esc = html.escape
    cell = "th" if version["published_on"].year % 2 == 0 else "td"
    title = unit.label + h["title_suffix"]
    nav = "".join(f'<td><a href="#">{esc(n.format(unit=unit.label))}</a></td>' for n in p["nav"])
    crumbs = " &gt; ".join(esc(c) for c in p["breadcrumb"])
    pub = version["published_on"]
    meta_values = [index_no(unit, pub, 1), unit.cfg["publisher"], p["topic"],
                   (pub - dt.timedelta(days=3)).isoformat(), pub.isoformat(), version.get("document_no", "")]
    labels = p["meta_labels"]
    meta = "".join(f"<tr><td class=\"lbl\">{esc(labels[i])}：</td><td>{esc(meta_values[i])}</td>"
                   f"<td class=\"lbl\">{esc(labels[i + 1])}：</td><td>{esc(meta_values[i + 1])}</td></tr>"
                   for i in (0, 2, 4))
    top, sub = header_cells(unit, vocab)
    th = [f'<{cell} rowspan="2">{esc(top[0])}</{cell}>', f'<{cell} colspan="2">{esc(top[1])}</{cell}>']
    th += [f'<{cell} rowspan="2">{esc(top[c])}</{cell}>' for c in range(3, 8)]
    th += [f'<{cell} colspan="2">{esc(top[c])}</{cell}>' for c in (8, 10, 12)]
    th2 = "".join(f"<{cell}>{esc(s)}</{cell}>" for s in sub if s)
    body = []
    for i, row in enumerate(rows):
        cells = [esc(str(x)).replace("\n", "<br>") for x in row_cells(i + 1, row, h["tick"])]
        if i == 0 or rows[i - 1].level1 != row.level1:
            span = 1
            while i + span < len(rows) and rows[i + span].level1 == row.level1:
                span += 1
            cells[1] = f'<td rowspan="{span}">{cells[1]}</td>'
        else:
            cells[1] = ""
        body.append("<tr>" + "".join(c if c.startswith("<td rowspan") or (j == 1) else f"<td>{c}</td>"
                                     for j, c in enumerate(cells)) + "</tr>")
    footer = "".join(f"<p>{esc(t.format(unit=unit.label))}</p>" for t in p["footer"])
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title></head>
<body>
<table class="top-nav" width="100%"><tr><td>{esc(unit.label + p['site_suffix'])}</td></tr></table>
<table class="nav"><tr>{nav}</tr></table>
<div class="crumbs">{crumbs}</div>
<table class="xxgk-meta" border="1">{meta}</table>
<h1>{esc(title)}</h1>
<p>{esc(p['intro'].format(title=title))}</p>
<table class="catalog" border="1" cellspacing="0">
<tr>{''.join(th)}</tr>
<tr>{th2}</tr>
{chr(10).join(body)}
</table>
<div class="footer">{footer}</div>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
