"""考评轮次 and 评估通报 pages as a supervisor, and the 审计日志 page as an admin: a round is created and
circulated from the page (audit rows carry the username), every page can show the round's stored
evaluation, 评估通报 downloads the round's Excel and Word with its name and date on button and file
(the Word ranking equals the round's), and loads from 数据管理 are audited."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
import duckdb
from access_helpers import ROOT, audit_rows

from loaders.db import connect_read_only, writing
from reports.excel import round_workbook
from scoring import rounds
from ui_text.access import AUDIT_ACTIONS, NO_ACCESS, REPORT_ROUND

NEW_CATALOG = ROOT / "tests" / "data" / "xlsx" / "catalog_two_header_rows.xlsx"


def _audit(db: Path) -> list[tuple[str, str, str | None]]:
    return audit_rows(db)


def test_supervisor_creates_and_circulates_a_round(signed_in, app_db: Path) -> None:
    at = signed_in("duban")
    at.switch_page("pages/rounds.py")
    at.run()
    at.text_input(key="round_name").input("2026年第三季度")
    at.date_input(key="round_as_of").set_value(dt.date(2026, 9, 30))
    at.date_input(key="round_since").set_value(dt.date(2026, 1, 1))
    at.button(key="FormSubmitter:round_create-创建").click().run()
    assert not at.exception, at.exception
    assert any("2026年第三季度" in s.value for s in at.success)
    at.text_input(key="round_document_no").input("郑房保〔2026〕12号")
    at.date_input(key="round_circulated_on").set_value(dt.date(2026, 10, 15))
    at.button(key="FormSubmitter:round_circulate-确认通报（通报后不可修改）").click().run()
    assert not at.exception, at.exception
    con = connect_read_only(app_db)
    (r,) = rounds.list_rounds(con)
    con.close()
    assert (r.status, r.document_no, r.circulated_on, r.created_by) == ("circulated", "郑房保〔2026〕12号",
                                                                        dt.date(2026, 10, 15), "duban")
    assert [(a, who) for a, who, _ in _audit(app_db)] == [("sign_in", "duban"), ("round_create", "duban"),
                                                          ("round_circulate", "duban")]
    # a circulated round offers no recompute/delete/circulate any more
    assert not [b for b in at.button if getattr(b, "key", None) in ("round_recompute", "round_delete")]


def test_report_downloads_the_rounds_package(signed_in, app_db: Path, downloads) -> None:
    con = duckdb.connect(str(app_db))
    round_id = rounds.create(con, "2026年第三季度", dt.date(2026, 9, 30), actor="duban")
    rounds.circulate(con, round_id, "郑房保〔2026〕12号", dt.date(2026, 10, 15), actor="duban")
    stored = json.loads(rounds.show_text(con, round_id))
    excel_expected = round_workbook(con, round_id)
    con.close()
    at = signed_in("duban")
    at.switch_page("pages/report.py")
    at.run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels == [REPORT_ROUND["excel"].format(name="2026年第三季度", as_of="2026年9月30日"),
                      REPORT_ROUND["word"].format(name="2026年第三季度", as_of="2026年9月30日")]
    # both are built on click and never rerun the page: a rerun would register new builders at the
    # buttons' places, and the browser's request for the old one could find it dropped (no file)
    assert [(b.proto.HasField("deferred_file_id"), b.proto.ignore_rerun) for b in buttons] == [(True, True)] * 2
    assert not [row for row in _audit(app_db) if row[0] == "download"]  # nothing built, nothing audited
    excel = downloads["评估通报_2026年第三季度_2026-09-30.xlsx"][0]
    assert _audit(app_db)[-1] == ("download", "duban", "评估通报_2026年第三季度_2026-09-30.xlsx")
    assert excel == excel_expected  # built from the stored round, not from a live evaluation
    notice = docx.Document(io.BytesIO(downloads["通报_2026年第三季度_2026-09-30.docx"][0]))
    rows = [[c.text for c in row.cells][:4] for row in notice.tables[0].rows[1:]]
    assert rows == [[str(d["rank"]), d["district"], f"{d['score']:.2f}", d["grade"]] for d in stored["districts"]]
    # building the file is the download: audited once each, who downloaded which file
    assert [row for row in _audit(app_db) if row[0] == "download"] == [
        ("download", "duban", "评估通报_2026年第三季度_2026-09-30.xlsx"),
        ("download", "duban", "通报_2026年第三季度_2026-09-30.docx")]


def test_pages_show_a_rounds_frozen_results_while_live_data_changes(signed_in, app_db: Path) -> None:
    con = duckdb.connect(str(app_db))
    round_id = rounds.create(con, "2026年第三季度", dt.date(2026, 9, 30), actor="duban")
    rounds.circulate(con, round_id, "郑房保〔2026〕12号", dt.date(2026, 10, 15), actor="duban")
    con.close()
    at = signed_in("duban")
    at.sidebar.selectbox(key="_view_round").set_value(round_id).run()
    frozen = at.dataframe(key="ranking_table").value
    assert "郑州航空港经济综合实验区" in list(frozen["name"])
    # the airport zone had no catalog (coverage 0); load one through 数据管理's loader
    from loaders import api
    with writing(app_db) as con:  # what `python -m loaders catalog` does while the app serves
        api.load_catalog(con, "航空港区", NEW_CATALOG, published_on=dt.date(2026, 6, 1))
    at.run()
    after = at.dataframe(key="ranking_table").value
    assert after.equals(frozen)
    at.sidebar.selectbox(key="_view_round").select_index(0).run()
    live = at.dataframe(key="ranking_table").value
    airport = lambda f: f.loc[f["name"] == "郑州航空港经济综合实验区", "catalog_coverage"].iloc[0]  # noqa: E731
    assert (airport(frozen), airport(live)) == (0.0, 100.0)  # 0/43 in the round, 43/43 live (in percent)


def test_admin_sees_the_audit_trail_and_loads_are_audited(signed_in, app_db: Path) -> None:
    at = signed_in("admin1")
    at.switch_page("pages/data_admin.py")
    at.run()
    at.file_uploader(key="catalog_file").set_value((NEW_CATALOG.name, NEW_CATALOG.read_bytes(),
                                                    "application/octet-stream"))
    at.selectbox(key="catalog_unit").set_value("410173")
    at.date_input(key="catalog_published_on").set_value(dt.date(2026, 6, 1))
    at.button(key="submit_catalog").click().run()
    assert not at.exception and any(s.value.startswith("导入成功") for s in at.success)
    at.switch_page("pages/audit.py")
    at.run()
    table = at.dataframe(key="audit_table").value  # newest first; Chinese headers from the column config
    assert list(table["action"]) == [AUDIT_ACTIONS["load"], AUDIT_ACTIONS["sign_in"]]
    assert list(table["actor"]) == ["admin1", "admin1"]
    assert list(table["target"]) == [NEW_CATALOG.name, "admin1"]
    # the newest entry is selected at first: its 详情 (cut in a grid) is read in full below
    [detail] = [t.value for t in at.table if "内容" in t.value]
    assert json.loads(detail["内容"].iloc[1])["result"] == "loaded"


def test_bureau_has_no_audit_page(signed_in) -> None:

    at = signed_in("duban")
    at.switch_page("pages/audit.py").run()  # the URL is registered; the page itself refuses
    assert [e.value for e in at.error] == [NO_ACCESS]
    assert not at.dataframe
