"""The crawler's item matching is the loaders' one rule (loaders/sql/match_item.sql): a crawl's
names are matched in one query, and each gets the item a disclosure log row with that name gets.
Crawler-specific: a name that is only a first-level item gives that first-level item to the
classifier (tested end to end in test_crawl.py: the 配后管理 breadcrumb)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import load_disclosures
from loaders.crawl.items import CityItems

# A path, a bare second-level name, a full-width separator, a path under the wrong first level,
# the short form 公租房轮候 (synonym of S13), a name at both levels (评价结果: the second-level item
# wins), a first-level name only, and names that match nothing.
NAMES = ["配给管理/配租结果", "配租结果", "配后管理／资格复核", "规划计划/配租结果", "公租房轮候", "评价结果",
         "政策解读", "配后管理", "其他工作", "首页"]


def test_names_match_as_disclosure_rows_do(fresh_db: Path) -> None:
    con = duckdb.connect(str(fresh_db))
    log = "标题,所属事项,成文日期,发布日期\n" + "".join(f"条目{i},{n},2023-01-04,2023-01-05\n"
                                                       for i, n in enumerate(NAMES))
    load_disclosures(con, "金水区", log.encode(), filename="names.csv")
    as_logged = [r[0] for r in con.execute("SELECT item_id FROM disclosures ORDER BY row_no").fetchall()]
    items = CityItems(con, NAMES)
    assert [items.match(n)[0] for n in NAMES] == as_logged == [
        "S17", "S17", "S26", "S17", "S13", "S43", None, None, None, None]
    # Only a first-level name hands its first-level item to the classifier.
    assert [items.match(n)[1] for n in NAMES] == [None] * 6 + ["政策解读", "配后管理", None, None]
    assert items.match("") == items.match(None) == (None, None)


def test_a_crawls_names_are_matched_in_one_query_up_front(fresh_db: Path) -> None:
    con = duckdb.connect(str(fresh_db))
    items = CityItems(con, ["配给管理/配租结果", "配后管理"])
    con.close()  # every name given up front, and every item the classifier can name, is already matched
    assert items.match("配给管理/配租结果") == ("S17", None)
    assert items.match("配后管理") == (None, "配后管理")
    assert items.match("配后管理/资格复核") == ("S26", None)  # a classifier item path (data/title_rules.toml)
    with pytest.raises(duckdb.Error):
        items.match("租金标准")  # not given up front: it needs a query, and the connection is closed
