"""A load is one transaction: a bad file changes no data table, loading twice changes nothing,
and every attempt is in load_runs (the audit tables are all a refused load writes)."""
from __future__ import annotations

import duckdb
import pytest

from loaders import LoadError, load_catalog, load_disclosures
from loaders.errors import ProblemKind
from tests.loaders.helpers import AUDIT_TABLES, DATA, snapshot


def test_catalog_failing_on_row_7_leaves_every_data_table_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    load_catalog(con, "金水区", DATA / "xlsx/catalog_two_header_rows.xlsx")
    before = snapshot(con)
    with pytest.raises(LoadError) as info:
        load_catalog(con, "二七区", DATA / "xlsx/catalog_missing_item_name.xlsx")
    assert snapshot(con) == before
    [problem] = info.value.problems
    assert (problem.kind, problem.sheet, problem.row, problem.column) == (
        ProblemKind.MISSING_ITEM_NAME, "目录", 7, "公开事项/二级事项")
    assert problem.message == ("文件「catalog_missing_item_name.xlsx」，工作表「目录」，第 7 行，「公开事项/二级事项」列："
                               "该行有内容但二级事项名称为空。请补全二级事项名称，或删除该行。")
    runs = con.execute("SELECT kind, district_code, source, result, rows_read, rows_loaded, rows_rejected "
                       "FROM load_runs ORDER BY run_id").fetchall()
    # 6 data rows read (sheet rows 4-9), one of them rejected.
    assert runs[-1] == ("catalog", "410103", "catalog_missing_item_name.xlsx", "refused", 6, 0, 1)
    assert con.execute("SELECT problem, row_no FROM rejected_rows").fetchall() == [("missing_item_name", 7)]


def test_log_failing_on_row_5_leaves_every_data_table_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    load_disclosures(con, "金水区", DATA / "xlsx/log_excel_dates.xlsx")
    before = snapshot(con)
    with pytest.raises(LoadError) as info:
        load_disclosures(con, "金水区", DATA / "xlsx/log_impossible_date.xlsx")
    assert snapshot(con) == before
    errors = [p for p in info.value.problems if not p.is_warning]
    assert [(p.kind, p.sheet, p.row, p.column, p.value) for p in errors] == [
        (ProblemKind.IMPOSSIBLE_DATE, "台账", 5, "发布日期", "2023-02-30")]


def test_partial_catalog_loads_the_other_rows(con: duckdb.DuckDBPyConnection) -> None:
    result = load_catalog(con, "二七区", DATA / "xlsx/catalog_missing_item_name.xlsx", allow_partial=True)
    assert (result.result, result.rows_read, result.rows_loaded, result.rows_rejected) == ("partial", 6, 5, 1)
    assert con.execute("SELECT row_no FROM district_catalog_rows ORDER BY row_no").fetchall() == [
        (4,), (5,), (6,), (8,), (9,)]


@pytest.mark.parametrize("kind,fixture", [
    ("catalog", "xlsx/catalog_two_header_rows.xlsx"), ("catalog", "html/catalog_portal.html"),
    ("disclosures", "xlsx/log_excel_dates.xlsx"), ("disclosures", "csv/log_gb18030.csv"),
])
def test_loading_twice_is_a_no_op(con: duckdb.DuckDBPyConnection, kind: str, fixture: str) -> None:
    load = load_catalog if kind == "catalog" else load_disclosures
    first = load(con, "金水区", DATA / fixture)
    before = snapshot(con)
    second = load(con, "金水区", DATA / fixture)
    assert snapshot(con) == before
    assert (first.result, second.result, second.rows_loaded) == ("loaded", "unchanged", 0)
    # Both attempts are audited.
    assert con.execute("SELECT result FROM load_runs ORDER BY run_id").fetchall() == [("loaded",), ("unchanged",)]


def test_same_catalog_content_under_another_name_is_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    data = (DATA / "html/catalog_portal.html").read_bytes()
    load_catalog(con, "惠济区", data, filename="a.html")
    assert load_catalog(con, "惠济区", data, filename="b.html").result == "unchanged"
    # Another district publishing the same bytes is its own catalog.
    assert load_catalog(con, "金水区", data, filename="a.html").result == "loaded"
    assert con.execute("SELECT count(*) FROM district_catalogs").fetchone()[0] == 2


def test_unknown_district_is_refused_and_audited(con: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(con)
    with pytest.raises(LoadError) as info:
        load_catalog(con, "海淀区", DATA / "html/catalog_portal.html")
    assert snapshot(con) == before
    assert info.value.problems[0].kind is ProblemKind.UNKNOWN_DISTRICT
    assert "单位「海淀区」不在本市 16 个单位之中" in info.value.problems[0].message
    assert con.execute("SELECT kind, district_code, result FROM load_runs").fetchall() == [
        ("catalog", None, "refused")]
    assert snapshot(con, AUDIT_TABLES)["rejected_rows"][0][2] == "unknown_district"


def test_bad_option_date_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LoadError) as info:
        load_catalog(con, "惠济区", DATA / "html/catalog_portal.html", published_on="2020-02-30")
    assert [(p.kind, p.value) for p in info.value.problems] == [(ProblemKind.BAD_OPTION, "--published-on")]
    assert con.execute("SELECT count(*) FROM district_catalogs").fetchone()[0] == 0
