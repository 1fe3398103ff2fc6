"""Round comparison (复评对比): the first round of conftest.py against a second one as of
2026-12-31 after these loads, with the fixed / still open / new gaps and the score and rank
changes computed by hand; the same comparison as an Excel workbook read back (values only).

Between the rounds: 中原区 publishes the full catalog (10-16) and one on-time disclosure of
「配给管理/经济适用住房配售结果」 (formed 10-19, published 10-21); 二七区 re-issues its catalog on
11-10 with 公开依据 blank for one item and has a disclosure formed 11-02 still unpublished on 12-31
(its deadline, 20 working days after 11-02, has passed), titled like a spreadsheet formula.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from tests.rectification.helpers import (
    ERQI,
    MISSING,
    ZHONGYUAN,
    circulate,
    city_items,
    load,
    run,
    write_catalog,
    write_log,
)

FORMULA_TITLE = '=HYPERLINK("http://evil.example","租金标准调整")'


@pytest.fixture
def two_rounds(world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> tuple[Path, int, int, list[tuple[str, str]]]:
    first = circulate(capsys, world)
    items = city_items(world)
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-12-31")
    loads = [
        ("catalog", ZHONGYUAN, write_catalog(tmp_path / "zy_full.csv", items), "2026-10-16"),
        ("disclosures", ZHONGYUAN, write_log(tmp_path / "zy_log.csv", [
            ("经济适用住房配售结果公示", *items[20], "2026-10-19", "2026-10-21")]), None),
        ("catalog", ERQI, write_catalog(tmp_path / "eq_v2.csv", items, blank_basis=("/".join(items[10]),)),
         "2026-11-10"),
        ("disclosures", ERQI, write_log(tmp_path / "eq_log.csv", [(FORMULA_TITLE, *items[23], "2026-11-02", "")]),
         None),
    ]
    for kind, district, path, published in loads:
        extra = ["--published-on", published] if published else []
        code, _, err = load(capsys, kind, "--district", district, str(path), *extra, "--db", str(world))
        assert code == 0, err
    code, out, err = run(capsys, "round", "create", "--name", "2026年第四季度复评", "--as-of", "2026-12-31",
                         "--db", str(world))
    assert code == 0, err
    return world, first, int(out.split()[-1]), items


def _compare(capsys: pytest.CaptureFixture[str], db: Path, a: int, b: int) -> dict:
    code, out, err = run(capsys, "compare", str(a), str(b), "--json", "-", "--db", str(db))
    assert code == 0, err
    return json.loads(out)


def test_comparison_lists_fixed_open_and_new_gaps(two_rounds, capsys: pytest.CaptureFixture[str]) -> None:
    db, a, b, items = two_rounds
    result = _compare(capsys, db, a, b)
    units = {d["district"]: d for d in result["districts"]}
    assert len(units) == 16
    zy, eq = units[ZHONGYUAN], units[ERQI]
    assert sorted((g["category"], g["item"]) for g in zy["fixed"]) == sorted(
        [("missing_item", MISSING), ("no_disclosure", "/".join(items[20]))])
    assert zy["new"] == []
    # still open: the other 42 items without disclosure and both milestones (no 文号; 9 first-level items bare)
    assert len(zy["still_open"]) == 44
    assert eq["fixed"] == []
    assert sorted((g["category"], g["item"], g["title"]) for g in eq["new"]) == sorted(
        [("blank_elements", "/".join(items[10]), None), ("pending_overdue", "/".join(items[23]), FORMULA_TITLE)])
    assert len(eq["still_open"]) == 45  # 43 items without disclosure + both milestones
    assert (units["金水区"]["fixed"], units["金水区"]["new"], len(units["金水区"]["still_open"])) == ([], [], 88)
    # 中原区 in the second round: catalog 1, elements 1, disclosure 1/43, timeliness 1/1 (on time), milestones 0;
    # Σw = 20 + 10 + 20 + 25 + 10 + 10 = 95 → 100 × (20 + 10 + 20/43 + 25) / 95 = 100 × 55.46512 / 95 = 58.38
    assert (zy["score_a"], zy["score_b"], zy["score_change"]) == (42.19, 58.38, 16.19)
    assert (zy["rank_a"], zy["rank_b"], zy["rank_change"]) == (2, 1, 1)
    # 二七区: elements (43 × 9 − 1) / 387 = 0.997416; timeliness not judged (nothing published): Σw = 70
    # → 100 × (20 + 10 × 0.997416) / 70 = 100 × 29.97416 / 70 = 42.82
    assert (eq["score_a"], eq["score_b"], eq["score_change"]) == (42.86, 42.82, -0.04)
    assert (eq["rank_a"], eq["rank_b"], eq["rank_change"]) == (1, 2, -1)
    assert (zy["grade_a"], zy["grade_b"]) == ("不合格", "不合格")
    assert result["a"]["id"] == a and result["b"]["id"] == b and result["b"]["as_of"] == "2026-12-31"


def test_comparison_workbook_holds_the_same_values(two_rounds, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db, a, b, _ = two_rounds
    target = tmp_path / "compare.xlsx"
    code, _, err = run(capsys, "compare", str(a), str(b), "--excel", str(target), "--db", str(db))
    assert code == 0, err
    wb = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert wb.sheetnames == ["复评对比", "问题整改明细"]
    ws = wb["复评对比"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = rows.index(next(r for r in rows if r[0] == "单位"))
    assert rows[header][:4] == ["单位", "首评得分", "复评得分", "得分变化"]
    by_unit = {r[0]: r for r in rows[header + 1:]}
    assert by_unit[ZHONGYUAN] == [ZHONGYUAN, 42.19, 58.38, 16.19, "不合格", "不合格", 2, 1, 1, 2, 44, 0]
    assert by_unit[ERQI] == [ERQI, 42.86, 42.82, -0.04, "不合格", "不合格", 1, 2, -1, 0, 45, 2]
    gs = wb["问题整改明细"]
    cells = [c for r in gs.iter_rows() for c in r if c.value is not None]
    assert all(c.data_type != "f" for c in cells)  # values only
    formula_like = [c for c in cells if c.value == FORMULA_TITLE]
    assert len(formula_like) == 1 and formula_like[0].data_type == "s"
    details = [[c.value for c in r] for r in gs.iter_rows()]
    assert [ZHONGYUAN, "已整改", "目录缺项", MISSING] in [r[:4] for r in details]
    assert sum(1 for r in details if r[1] == "新增") == 2
    # the same comparison gives the same bytes
    again = tmp_path / "again.xlsx"
    assert run(capsys, "compare", str(a), str(b), "--excel", str(again), "--db", str(db))[0] == 0
    assert again.read_bytes() == target.read_bytes()
