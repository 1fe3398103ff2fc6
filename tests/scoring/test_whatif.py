"""What-if: `fix_candidates` lists the fixes with their gains, and every predicted gain (and the
combined `what_if` score, grade and rank) equals the real change after doing the fix for real on a
copy of the database (`apply_fix` in conftest.py) and evaluating again.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from scoring import Fix, evaluate, fix_candidates, what_if
from tests.scoring.helpers import (
    JINSHUI,
    ZHONGYUAN,
    add_disclosure,
    add_full_catalog,
    apply_fix,
    copy_db,
    cover_every_item,
)

D = dt.date
AS_OF = D(2023, 12, 31)  # a Sunday: fixes "done today" publish on a non-working day


@pytest.fixture
def scenario(fresh_db: Path) -> Path:
    """中原区 as of 2023-12-31: catalog of 2023-03-01 without 文号, lacking S29 and S43, S12 missing two
    elements; disclosures for every item but S29, S39, S40, S43; 2 judged (1 on time, 1 late); one
    pending within its deadline and one overdue; a policy document of Thu 12-28 whose sync window
    (12-29, 2024-01-02, 01-03) is still open. 金水区 is complete, so rank moves are visible."""
    con = duckdb.connect(str(fresh_db))
    add_full_catalog(con, ZHONGYUAN, D(2023, 3, 1), skip=("S29", "S43"), blanks={"S12": ("basis", "time_limit")})
    cover_every_item(con, ZHONGYUAN, D(2023, 4, 3), skip=("S29", "S39", "S40", "S43"))
    add_disclosure(con, ZHONGYUAN, "配租结果一", "配给管理", "配租结果", D(2023, 3, 1), D(2023, 3, 2))
    add_disclosure(con, ZHONGYUAN, "配租结果二", "配给管理", "配租结果", D(2023, 3, 1), D(2023, 6, 1))
    add_disclosure(con, ZHONGYUAN, "房源信息待发", "配给管理", "房源信息", D(2023, 12, 20), None)
    add_disclosure(con, ZHONGYUAN, "轮候名单待发", "配给管理", "公租房轮候", D(2023, 10, 9), None)
    add_disclosure(con, ZHONGYUAN, "关于印发《甲办法》的通知", "法规政策", "政策文件", None, D(2023, 12, 28))
    add_full_catalog(con, JINSHUI, D(2020, 9, 20), document_no="金房保〔2020〕15号")
    cover_every_item(con, JINSHUI, D(2021, 1, 5))
    con.close()
    return fresh_db


def _score(path: Path) -> tuple[float, str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        r = evaluate(con, AS_OF).district(ZHONGYUAN)
        return r.score, r.grade, r.rank
    finally:
        con.close()


def test_candidates_sorted_with_chinese_descriptions(scenario: Path) -> None:
    con = duckdb.connect(str(scenario), read_only=True)
    fixes = fix_candidates(con, AS_OF, "中原区")
    con.close()
    gains = [f.gain for f in fixes]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    kinds = {f.kind for f in fixes}
    assert {"add_item", "fill_elements", "publish_item", "publish_pending", "publish_interpretation",
            "issue_catalog"} <= kinds
    assert "publish_overdue" not in kinds  # publishing late now only lowers timeliness
    add = next(f for f in fixes if f.kind == "add_item" and f.key == "S29")
    assert (add.item, add.description) == ("配后管理/退出管理", "补充「配后管理/退出管理」事项")
    fill = next(f for f in fixes if f.kind == "fill_elements")
    assert fill.description == "补全「配给管理/公租房承租资格审核」的要素：公开依据、公开时限"
    # All seven components are evaluated (weights 100): before = 20·41/43 + 10·367/369 + 20·39/43
    # + 25·1/2 + 5·0 + 0 + 0 = 19.0698 + 9.9458 + 18.1395 + 12.5 = 59.6551 → 59.66; filling S12's two
    # elements makes completeness 369/369: 59.7093 → 59.71; gain 0.05.
    assert fill.gain == 0.05


def test_each_predicted_gain_equals_the_real_change(scenario: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(scenario), read_only=True)
    fixes = fix_candidates(con, AS_OF, ZHONGYUAN)
    con.close()
    before = _score(scenario)[0]
    assert len(fixes) >= 8
    for i, fix in enumerate(fixes):
        copy = copy_db(scenario, tmp_path, f"fix{i}.duckdb")
        c = duckdb.connect(str(copy))
        apply_fix(c, ZHONGYUAN, AS_OF, [fix])
        c.close()
        assert round(_score(copy)[0] - before, 2) == fix.gain, fix


def test_what_if_all_fixes_equals_real_evaluation(scenario: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(scenario), read_only=True)
    fixes = fix_candidates(con, AS_OF, ZHONGYUAN)
    predicted = what_if(con, AS_OF, ZHONGYUAN, fixes)
    unchanged = what_if(con, AS_OF, ZHONGYUAN, [])
    con.close()
    assert (unchanged.score, unchanged.grade, unchanged.rank) == _score(scenario)
    copy = copy_db(scenario, tmp_path, "all.duckdb")
    c = duckdb.connect(str(copy))
    apply_fix(c, ZHONGYUAN, AS_OF, fixes)
    after = evaluate(c, AS_OF).district(ZHONGYUAN)
    c.close()
    # All catalog and first-level gaps closed on as_of: the 2023 milestone turns from missed to late.
    assert after.milestone_2023_06.status == "late"
    assert (predicted.score, predicted.grade, predicted.rank) == (after.score, after.grade, after.rank)
    assert predicted.score > unchanged.score


def test_fix_applied_twice_counts_once(scenario: Path) -> None:
    con = duckdb.connect(str(scenario), read_only=True)
    fix = next(f for f in fix_candidates(con, AS_OF, ZHONGYUAN) if f.kind == "fill_elements")
    once, twice = what_if(con, AS_OF, ZHONGYUAN, [fix]), what_if(con, AS_OF, ZHONGYUAN, [fix, fix])
    con.close()
    assert once == twice


def test_fix_is_a_plain_value() -> None:
    f = Fix("add_item", "配后管理/退出管理", "补充「配后管理/退出管理」事项", 4.65, "S29")
    assert (f.kind, f.gain, f.key) == ("add_item", 4.65, "S29")


def test_gains_hold_on_the_bundled_sample(sample_db: Path, tmp_path: Path) -> None:
    # The sample loaded through the real loaders: the best fix of each kind for 新密市 as of 2023-06-30.
    as_of = D(2023, 6, 30)
    con = duckdb.connect(str(sample_db), read_only=True)
    fixes = fix_candidates(con, as_of, "新密市")
    before = evaluate(con, as_of).district("新密市").score
    con.close()
    best = {f.kind: f for f in reversed(fixes)}  # reversed: the first (largest gain) of each kind wins
    assert {"add_item", "fill_elements", "publish_item"} <= set(best)
    for i, fix in enumerate(best.values()):
        copy = copy_db(sample_db, tmp_path, f"sample{i}.duckdb")
        c = duckdb.connect(str(copy))
        apply_fix(c, "410183", as_of, [fix])
        after = evaluate(c, as_of).district("410183").score
        c.close()
        assert round(after - before, 2) == fix.gain, fix


def test_unit_without_catalog_is_offered_the_whole_catalog(scenario: Path, tmp_path: Path) -> None:
    # 二七区 has no catalog and no disclosures. Instead of 43 "add one item" fixes (each would make a
    # one-row catalog 100 % complete), it is offered one fix: issue a full catalog with a 文号.
    # Before: coverage 0, completeness 0, disclosure 0, milestones missed -> 0 points of 100 (timeliness
    # and sync not evaluated). After, done on 2023-12-31: catalog 20 + elements 10 + 2020 late 0.5×10
    # + 2023 still missed (no disclosures) + disclosure coverage 0 = 35 points of the 70 evaluated
    # weight (20 + 10 + 20 + 10 + 10) = 50.0.
    con = duckdb.connect(str(scenario), read_only=True)
    fixes = fix_candidates(con, AS_OF, "410103")
    con.close()
    assert [f.kind for f in fixes if f.kind in ("publish_catalog", "add_item")] == ["publish_catalog"]
    fix = next(f for f in fixes if f.kind == "publish_catalog")
    assert fix.gain == 50.0 and "43" in fix.description
    copy = copy_db(scenario, tmp_path, "erqi.duckdb")
    c = duckdb.connect(str(copy))
    apply_fix(c, "410103", AS_OF, [fix])
    assert evaluate(c, AS_OF).district("410103").score == 50.0
    c.close()
