"""`load_standard` replaces the city catalog with the officially issued table through the same
catalog reader, and every district row and disclosure is re-matched against it."""
from __future__ import annotations

import duckdb
import pytest

from loaders import LoadError, load_catalog, load_disclosures, load_standard
from loaders.db import get_meta
from loaders.errors import ProblemKind
from tests.loaders.helpers import DATA, snapshot


def test_official_table_replaces_the_reconstruction(con: duckdb.DuckDBPyConnection) -> None:
    assert get_meta(con, "standard_source") == "reconstruction"
    result = load_standard(con, DATA / "xlsx/standard_official.xlsx")
    assert (result.result, result.rows_read, result.rows_loaded) == ("loaded", 43, 43)
    assert get_meta(con, "standard_source") == "official"
    got = con.execute("SELECT item_id, seq, level1, level2, subject, time_limit_workdays, confidence "
                      "FROM standard_catalog WHERE seq IN (1, 2, 11, 43) ORDER BY seq").fetchall()
    assert got == [
        ("S01", 1, "法规政策", "法律法规", "郑州市住房保障局", 20, "official"),   # subject changed in the official table
        ("S02", 2, "法规政策", "政策文件", "人民政府住房保障行政主管部门", 20, "official"),
        # 「信息形成之日起15个工作日内」 -> 15 (the reconstruction's row 11 was periodic, NULL).
        ("S11", 11, "建设管理", "年度建设计划完成进度", "住房保障行政主管部门", 15, "official"),
        ("S43", 43, "评价结果", "评价结果", "住房保障行政主管部门", 20, "official"),
    ]
    assert con.execute("SELECT count(*) FROM standard_catalog").fetchone()[0] == 43


def test_district_rows_are_rematched_after_replacement(con: duckdb.DuckDBPyConnection) -> None:
    load_catalog(con, "金水区", DATA / "xlsx/catalog_two_header_rows.xlsx")
    load_disclosures(con, "金水区", DATA / "xlsx/log_excel_dates.xlsx")
    # Simulate an official table without 评价结果 by loading a csv of the first 42 rows' names only.
    rows = con.execute("SELECT level1, level2 FROM standard_catalog WHERE seq <= 42 ORDER BY seq").fetchall()
    text = "一级事项,二级事项,公开内容,公开时限\n" + "".join(f"{a},{b},要素,20个工作日内\n" for a, b in rows)
    load_standard(con, text.encode("utf-8"), filename="official.csv", confirm_replace=True)
    unmatched = con.execute("SELECT level2 FROM district_catalog_rows WHERE matched_item_id IS NULL "
                            "ORDER BY row_no").fetchall()
    assert unmatched == [("人才公寓配租",), ("评价结果",)]
    assert con.execute("SELECT item_id FROM disclosures WHERE row_no = 9").fetchone() == (None,)
    # Loading the same official table again changes nothing.
    before = snapshot(con)
    assert load_standard(con, text.encode("utf-8"), filename="official.csv", confirm_replace=True).result == "unchanged"
    assert snapshot(con) == before


def test_official_table_without_level1_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(con)
    text = "一级事项,二级事项,公开内容\n法规政策,法律法规,要素\n,政策文件,要素\n".encode()
    # A blank 一级事项 on a continuation row is carried down, so this one is fine ...
    load_standard(con, text, filename="ok.csv", confirm_replace=True)
    assert con.execute("SELECT level1 FROM standard_catalog ORDER BY seq").fetchall() == [("法规政策",), ("法规政策",)]
    # ... but a table with no 一级事项 at all is not a standard catalog.
    before = snapshot(con)
    with pytest.raises(LoadError) as info:
        load_standard(con, "二级事项,公开内容,公开依据\n法律法规,要素,依据\n".encode(), filename="bad.csv")
    assert [(p.kind, p.row) for p in info.value.problems] == [(ProblemKind.MISSING_LEVEL1, 2)]
    assert snapshot(con) == before
