"""Every table a user can download carries Chinese headers and the values as displayed (issue 11
item 4). Streamlit's toolbar CSV (English column ids, ratios without %) is switched off; 督导总览,
里程碑 and 标准目录 offer the project's own 下载本表, read back here."""
from __future__ import annotations

import io
import re
import tomllib

import openpyxl
from page_helpers import ROOT, TODAY

import scoring
from ui_text.common import ELEMENT_LABELS
from ui_text.pages import CATALOG, COLUMNS, COMPONENT_LABELS, NOT_EVALUATED, TABLE_DOWNLOAD

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_streamlit_table_export_is_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def _sheet(at, key: str, seen: dict[str, bytes]):  # noqa: ANN001, ANN202
    button = next(b for b in at.get("download_button") if key in b.proto.id)
    assert button.proto.label == TABLE_DOWNLOAD["label"]
    data = seen[button.proto.deferred_file_id or button.proto.url.rsplit("/", 1)[-1].split(".")[0]]
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header_row = ws[ws.freeze_panes].row - 1
    headers = [c.value for c in ws[header_row]]
    rows = [dict(zip(headers, (c.value for c in r))) for r in ws.iter_rows(min_row=header_row + 1)]
    assert headers and all(CJK.search(str(h)) for h in headers), headers
    assert not any(v in (None, "None", "nan", "NaN", "NaT") for r in rows for v in r.values())
    return ws, headers, rows


def test_ranking_download_is_the_table_in_chinese(make_app, con, downloads) -> None:
    at = make_app()
    ws, headers, rows = _sheet(at, "download_ranking", downloads)
    assert headers[:5] == [COLUMNS[k] for k in ("rank", "name", "kind", "score", "grade")]
    assert COMPONENT_LABELS["catalog_coverage"] in headers
    expected = scoring.evaluate(con, TODAY).to_json()["districts"]
    assert [r[COLUMNS["name"]] for r in rows] == [d["district"] for d in expected]
    assert [r[COLUMNS["score"]] for r in rows] == [d["score"] for d in expected]
    # ratios are numbers shown with the % sign, as on screen (one decimal); not evaluated says so
    col = headers.index(COMPONENT_LABELS["timeliness"]) + 1
    cells = [ws.cell(row=ws[ws.freeze_panes].row + i, column=col) for i in range(len(rows))]
    numeric = [c for c in cells if isinstance(c.value, float | int)]
    assert numeric and all(c.number_format == "0.0%" for c in numeric)
    for c, d in zip(cells, expected):
        assert c.value == (NOT_EVALUATED if d["timeliness"] is None else round(d["timeliness"], 4))


def test_table_downloads_are_written_on_click_not_on_every_run(make_app, downloads, monkeypatch) -> None:
    """A page run registers the download without writing the workbook (Streamlit's deferred data);
    the workbook is written when the browser asks for it, i.e. after a click."""
    import appkit.table_download as td

    built: list[str] = []
    real = td.table_workbook

    def counting(frame, columns, headers, title, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(title)
        return real(frame, columns, headers, title, *args, **kwargs)

    monkeypatch.setattr(td, "table_workbook", counting)
    at = make_app()
    at.run()  # a second run, as after any click elsewhere on the page
    button = next(b for b in at.get("download_button") if "download_ranking" in b.proto.id)
    assert button.proto.deferred_file_id and not button.proto.url
    assert built == []
    ws = openpyxl.load_workbook(io.BytesIO(downloads[button.proto.deferred_file_id])).worksheets[0]
    assert len(built) == 1 and ws.title == built[0][:31]


def test_milestone_and_catalog_downloads(make_app, downloads) -> None:
    at = make_app(page="pages/milestones.py")
    _, headers, rows = _sheet(at, "download_milestones", downloads)
    assert headers[0] == COLUMNS["name"] and len(rows) == 16
    assert COMPONENT_LABELS["milestone_2023_06"] in headers
    at.switch_page("pages/catalog.py")
    at.run()
    _, headers, rows = _sheet(at, "download_catalog", downloads)
    assert len(rows) == 43
    assert ELEMENT_LABELS["content"] in headers and COLUMNS["sources"] in headers
    assert {r[COLUMNS["confidence"]] for r in rows} <= set(CATALOG["confidence"].values())


def test_the_report_workbook_is_written_on_click_not_on_every_run(make_app, downloads, monkeypatch) -> None:
    """评估通报 (no round stored): the page run checks access and registers the download; the
    workbook (seconds at national scale) is written only when the file is asked for."""
    import reports.excel as excel

    built: list[int] = []
    real = excel.build_report_workbook

    def counting(evaluation, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(len(evaluation.districts))
        return real(evaluation, *args, **kwargs)

    monkeypatch.setattr(excel, "build_report_workbook", counting)
    at = make_app(page="pages/report.py")
    at.run()  # a second run, as after any click elsewhere on the page
    button = next(b for b in at.get("download_button") if "download_report" in b.proto.id)
    assert button.proto.deferred_file_id and not button.proto.url
    assert built == []
    wb = openpyxl.load_workbook(io.BytesIO(downloads[button.proto.deferred_file_id]))
    assert built == [16] and wb.sheetnames[0] == "排名"
    ranked = [row for row in wb["排名"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert len(ranked) == 16
