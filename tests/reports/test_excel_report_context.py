"""report_context: the 说明 sheet's facts read from a real database (sample flag, data sources
with their load times, standard-catalog provenance). Rows are written by SQL into a fresh
database so every expected value is visible here.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from reports.excel import build_report_workbook, report_context
from scoring.rules import load_rules
from tests.reports.helpers import typed
from ui_text import excel as text


def _add_sources(con: duckdb.DuckDBPyConnection) -> None:
    # 金水区 (sort 4) has two catalog versions loaded out of date order and a log;
    # 中原区 (sort 1) has a log: 中原区 is listed first, then 金水区 by load order.
    con.execute("""
        INSERT INTO district_catalogs VALUES
          ('410105-b', '410105', DATE '2021-03-01', NULL, NULL, NULL, 'jinshui/catalog_2021.xlsx',
           'hb', 3, TIMESTAMP '2024-01-02 09:00:00'),
          ('410105-a', '410105', DATE '2020-09-18', '金房保〔2020〕15号', NULL, NULL,
           'jinshui/catalog_2020.xlsx', 'ha', 2, TIMESTAMP '2024-01-02 08:00:00')
    """)
    con.execute("""
        INSERT INTO disclosure_sources VALUES
          ('410105:log', '410105', 'jinshui/log.csv', 'hl', 4, TIMESTAMP '2024-01-02 10:00:00'),
          ('410102:log', '410102', 'zhongyuan/log.xlsx', 'hz', 5, TIMESTAMP '2024-01-03 10:00:00')
    """)


def test_context_from_database(fresh_db: Path) -> None:
    con = duckdb.connect(str(fresh_db))
    _add_sources(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('is_sample', '1')")
    rules = load_rules()
    ctx = report_context(con, rules=rules, per_district_sheets=True)
    con.close()
    assert ctx["is_sample"] is True
    assert ctx["per_district_sheets"] is True
    assert ctx["rules"]["weights"] == rules.weights
    standard, *rest = ctx["sources"]
    assert (standard["kind"], standard["source"]) == ("standard", text.STANDARD_SOURCES["reconstruction"])
    assert standard["loaded_at"]  # falls back to when the schema and bundled catalog were written
    assert [(s["district"], s["kind"], s["source"], s["loaded_at"], s["published_on"], s["document_no"])
            for s in rest] == [
        ("中原区", "disclosures", "zhongyuan/log.xlsx", "2024-01-03 10:00:00", None, None),
        ("金水区", "catalog", "jinshui/catalog_2020.xlsx", "2024-01-02 08:00:00", "2020-09-18",
         "金房保〔2020〕15号"),
        ("金水区", "catalog", "jinshui/catalog_2021.xlsx", "2024-01-02 09:00:00", "2021-03-01", None),
        ("金水区", "disclosures", "jinshui/log.csv", "2024-01-02 10:00:00", None, None),
    ]


def test_real_data_has_no_sample_flag_and_context_feeds_the_report(fresh_db: Path, evaluation,
                                                                     open_book) -> None:
    con = duckdb.connect(str(fresh_db), read_only=True)
    ctx = report_context(con)
    con.close()
    assert ctx["is_sample"] is False
    assert [s["kind"] for s in ctx["sources"]] == ["standard"]
    wb = open_book(build_report_workbook(typed(evaluation), ctx))
    values = {c.value for row in wb["附件：数据来源"].iter_rows() for c in row}
    assert text.ABOUT["sample_warning"] not in values
    assert text.STANDARD_SOURCES["reconstruction"] in values
    assert wb["说明"]["B2"].value == "2023年6月30日"  # no warning line: the facts start in row 2
