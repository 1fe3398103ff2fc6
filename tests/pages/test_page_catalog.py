"""标准目录: 43 rows of the city catalog with confidence and sources, search, and the note on
how the officially issued table replaces the reconstruction."""
from __future__ import annotations

import re

from ui_text.pages import CATALOG


def test_catalog_lists_43_items_with_confidence_and_sources(make_app) -> None:
    at = make_app(user={"role": "district", "district_code": "410105"}, page="pages/catalog.py")
    table = at.dataframe[0].value
    assert len(table) == 43
    assert table["level1"].nunique() == 10
    assert set(table["confidence"]) <= set(CATALOG["confidence"].values())
    assert table["sources"].notna().all()
    # a district office cannot replace the catalog: it is told that the bureau will, not how
    infos = [i.value for i in at.info]
    assert CATALOG["reconstruction_note_district"] in infos and CATALOG["reconstruction_note"] not in infos


def test_bureau_is_told_how_to_replace_the_catalog(make_app) -> None:
    at = make_app(page="pages/catalog.py")
    assert CATALOG["reconstruction_note"] in [i.value for i in at.info]
    # in the words of the page a supervisor uses, not a shell command
    assert "数据管理" in CATALOG["reconstruction_note"] and "python" not in CATALOG["reconstruction_note"]


def test_catalog_shows_the_updated_sources(make_app) -> None:
    """data/standard_catalog.tsv was refreshed: sources link government sites only (mirrors are
    counted, not linked) and rows 7–9 are now high confidence."""
    at = make_app(page="pages/catalog.py")
    table = at.dataframe[0].value.set_index("seq")
    assert [table.loc[i, "confidence"] for i in (7, 8, 9)] == [CATALOG["confidence"]["high"]] * 3
    urls = re.findall(r"https?://([^/\s;；]+)", " ".join(table["sources"].astype(str)))
    assert urls and all(host.endswith(".gov.cn") for host in urls), sorted(set(urls))
    assert table["sources"].str.contains("非政府网站转载").any()


def test_search_narrows_the_rows(make_app) -> None:
    at = make_app(page="pages/catalog.py")
    at.text_input(key="catalog_search").input("租赁补贴").run()
    table = at.dataframe[0].value
    assert 0 < len(table) < 43
    assert all("租赁补贴" in " ".join(str(v) for v in row) for row in table.itertuples())
    at.text_input(key="catalog_search").input("不存在的事项名称").run()
    assert CATALOG["no_match"] in [i.value for i in at.info]
    assert len(at.dataframe) == 0


def test_all_rows_on_screen_and_the_clicked_rows_full_text(make_app) -> None:
    """No inner scrolling (43 rows tall) and no cut-off columns: the nine elements, sources and
    notes of the clicked row are listed in full in a wrapping table below."""
    import json
    at = make_app(page="pages/catalog.py")
    grid = at.dataframe[0]
    # the short columns, each as wide as its text (公开内容 and the other elements are read in full below)
    assert list(grid.proto.column_order) == ["item_id", "level1", "level2", "confidence", "time_limit_workdays"]
    assert json.loads(grid.proto.columns)  # Chinese labels configured
    table = grid.value
    at.session_state["standard_catalog"] = {"selection": {"rows": [], "columns": [], "cells": [[9, "content"]]}}
    at.run()
    row = table.iloc[9]
    assert CATALOG["detail"].format(item=f"{row['level1']}/{row['level2']}") in [s.value for s in at.subheader]
    full = at.table[0].value
    assert full.loc["依据来源"].iloc[0] == row["sources"]
    assert full.loc["公开依据"].iloc[0] == row["basis"]
