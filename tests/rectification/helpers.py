"""Plain helpers of the rectification tests (imported as `tests.rectification.helpers`; conftest.py
holds only fixtures and is never imported by a test, the convention of every test folder).

The hand-built world the `world` fixture loads: 中原区 publishes on 2026-09-01 a catalog (no 文号)
of the 43 city items minus 「重大决策/决策前预公开」, every row with all nine elements; 二七区
publishes the full 43-item catalog the same day; nobody has disclosures. The first round is
evaluated as of 2026-09-30 and circulated on 2026-10-09 (Friday after the National Day holiday);
its deadline is the 15th working day after it: Sat 10-10 (调休 working day) is 1, 10-12…16 are
2–6, 10-19…23 are 7–11, 10-26…29 are 12–15 → 2026-10-29.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from loaders.cli import main as loaders_main
from scoring.__main__ import main as scoring_main
from tests.scoring.helpers import city_items as scoring_city_items

ROOT_DIR = Path(__file__).resolve().parents[2]
ZHONGYUAN, ERQI = "中原区", "二七区"
MISSING = "重大决策/决策前预公开"
AS_OF = "2026-09-30"
CIRCULATED = "2026-10-09"
DEADLINE = "2026-10-29"

HEADER_1 = ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
            "公开对象", "", "公开方式", "", "公开层级", "", ""]
HEADER_2 = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "市级", "县级", "乡级"]


def city_items(db: Path) -> list[tuple[str, str]]:
    """(level1, level2) of the city catalog of the file at `db`, in order (`tests.scoring.helpers.city_items`)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [(l1, l2) for _, l1, l2 in scoring_city_items(con)]
    finally:
        con.close()


def write_catalog(path: Path, items: list[tuple[str, str]], subject: str = "区住房保障中心",
                  blank_basis: tuple[str, ...] = ()) -> Path:
    """A catalog CSV (UTF-8 with BOM, two header rows) with every element filled, except 公开依据
    for the '一级/二级' items in `blank_basis`."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER_1)
        w.writerow(HEADER_2)
        for i, (l1, l2) in enumerate(items, start=1):
            basis = "" if f"{l1}/{l2}" in blank_basis else "《政府信息公开条例》"
            w.writerow([i, l1, l2, "1.●文件名称\n2.●正文", basis, "信息形成之日起20个工作日内", subject,
                        "■政府网站", "√", "", "√", "", "", "√", ""])
    return path


def write_log(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """A disclosure log CSV: (标题, 一级事项, 二级事项, 形成日期, 发布时间) per row."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["标题", "一级事项", "二级事项", "形成日期", "发布时间", "链接"])
        for i, (title, l1, l2, formed, published) in enumerate(rows, start=1):
            w.writerow([title, l1, l2, formed, published, f"http://zz.example/{i}" if published else ""])
    return path


def load(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = loaders_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = scoring_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def circulate(capsys: pytest.CaptureFixture[str], db: Path, name: str = "2026年第三季度", as_of: str = AS_OF,
              on: str = CIRCULATED, document_no: str = "郑房保〔2026〕7号") -> int:
    code, out, err = run(capsys, "round", "create", "--name", name, "--as-of", as_of, "--db", str(db))
    assert code == 0, err
    round_id = int(out.split()[-1])
    code, _, err = run(capsys, "round", "circulate", str(round_id), "--document-no", document_no, "--on", on,
                       "--db", str(db))
    assert code == 0, err
    return round_id


def tasks(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, "tasks", *args, "--json", "-", "--db", str(db))
    assert code == 0, err
    return json.loads(out)


def one(found: list[dict], district: str, category: str, item: str | None = None) -> dict:
    hits = [t for t in found if t["district"] == district and t["category"] == category
            and (item is None or t["item"] == item)]
    assert len(hits) == 1, hits
    return hits[0]
