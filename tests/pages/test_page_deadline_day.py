"""A milestone on its deadline day (issue 11 item 2): evaluated on 2023-06-30 itself, a unit that has
not met the 2023-06-30 milestone has *missed* it — the page shows 未完成, the milestone counts 0 in its
score, and the overview card counts it among 未完成 (not 未到期). The day before, it is still 未到期."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from page_helpers import set_period

from loaders.db import refresh_matches
from ui_text.pages import MILESTONE_STATUS

ZHONGYUAN = "410102"
ELEMENTS = ("content", "basis", "time_limit", "subject", "channels", "audience", "method", "disclosure_level")


@pytest.fixture
def one_unit_db(fresh_db: Path) -> Path:
    """中原区 publishes a complete catalog with a 文号 on 2020-09-25 (2020 milestone on time) and one
    disclosure for one item (规划计划/中长期规划, no 成文日期) on 2023-01-05: nine of the ten
    first-level items never get a disclosure, so the 2023-06-30 milestone is never met."""
    con = duckdb.connect(str(fresh_db))
    con.execute("INSERT INTO district_catalogs (catalog_id, district_code, published_on, document_no, source, "
                "content_hash, load_seq, loaded_at) VALUES (?, ?, DATE '2020-09-25', '中房〔2020〕9号', "
                "'目录.xlsx', 'h1', 1, TIMESTAMP '2023-01-10 09:00:00')", [f"{ZHONGYUAN}-1", ZHONGYUAN])
    filled = ", ".join(f"'{e}-text'" for e in ELEMENTS)
    con.execute(f"INSERT INTO district_catalog_rows (catalog_id, row_no, level1, level2, level1_key, level2_key, "
                f"{', '.join(ELEMENTS)}) SELECT ?, seq, level1, level2, level1_key, level2_key, {filled} "
                "FROM standard_catalog", [f"{ZHONGYUAN}-1"])
    con.execute("INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_raw, "
                "level1_key, level2_key, formed_on, published_on) SELECT ?, ?, ?, 1, '住房保障专项规划', "
                "level1 || '/' || level2, level1_key, level2_key, NULL, DATE '2023-01-05' "
                "FROM standard_catalog WHERE level2 = '中长期规划'",
                [f"{ZHONGYUAN}:t#1", ZHONGYUAN, f"{ZHONGYUAN}:t"])
    refresh_matches(con)
    con.close()
    return fresh_db


def _row(at, code: str):  # noqa: ANN001, ANN202
    table = at.dataframe[0].value
    return table[table["code"] == code].iloc[0]


def _cards(at, status: str) -> list[str]:  # noqa: ANN001
    """Values of the milestone-card metrics labelled with `status` (2020 card first, then 2023)."""
    return [m.value for m in at.metric if m.label == MILESTONE_STATUS[status]]


def test_unmet_milestone_on_its_deadline_day_is_missed(make_app, one_unit_db: Path) -> None:
    at = make_app(db=one_unit_db)
    set_period(at, as_of=dt.date(2023, 6, 30))
    assert not at.exception
    row = _row(at, ZHONGYUAN)
    # catalog 43/43 (20), elements 1 (10), disclosures 1/43 (20·1/43 = 0.4651), timeliness and
    # sync not evaluated (no 成文日期, no policy file), 2020 on time (10·1), 2023 missed (10·0):
    # 100 × (20 + 10 + 0.4651 + 10 + 0) / (20 + 10 + 20 + 10 + 10) = 4046.51 / 70 = 57.81 → 不合格
    assert row["score"] == 57.81 and row["grade"] == "不合格"
    assert row["milestone_2023_06"] == MILESTONE_STATUS["missed"]
    # every unit missed 2023-06-30 (the other 15 have no data at all); none is 未到期
    assert _cards(at, "missed") == ["15", "16"]  # 2020: all but 中原区; 2023: all 16
    assert MILESTONE_STATUS["pending"] not in [m.label for m in at.metric]


def test_the_day_before_the_milestone_is_still_pending(make_app, one_unit_db: Path) -> None:
    at = make_app(db=one_unit_db)
    set_period(at, as_of=dt.date(2023, 6, 29))
    row = _row(at, ZHONGYUAN)
    # the 2023 milestone is not evaluated yet: 100 × 40.4651 / (70 − 10) = 4046.51 / 60 = 67.44 → 合格
    assert row["score"] == 67.44 and row["grade"] == "合格"
    assert row["milestone_2023_06"] == MILESTONE_STATUS["pending"]
    assert _cards(at, "pending") == ["16"]  # only the 2023 card has a 未到期 count
    assert _cards(at, "missed") == ["15", "0"]
