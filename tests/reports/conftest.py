"""A hand-written evaluation JSON that follows the contract of `Evaluation.to_json()` exactly
(DESIGN §6 plus per district "kind", "components" ({id: value|null}, milestones valued by
rules.toml [milestone_values]), "gaps", "pending", "unclassified_count"; ARCHITECTURE "Scoring").

Four units chosen to exercise the exports: a 优秀 unit whose score is worked out below, a tie
at rank 2 (listed by code), a unit with null components, and a unit with nothing loaded
(不合格). Disclosure titles include the hostile strings a portal could carry.
"""
from __future__ import annotations

import copy
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)"]

WEIGHTS = {"catalog_coverage": 20, "element_completeness": 10, "disclosure_coverage": 20,
           "timeliness": 25, "interpretation_sync": 5, "milestone_2020_09": 10,
           "milestone_2023_06": 10,
           # the [[manual]] pool (DESIGN §12); no finding in these units, so all are 未核查 (null)
           "staffing": 3, "training": 3, "service_hall": 3, "portal_column": 4, "participation": 4,
           "village_extension": 3}

# 金水区: interpretation_sync is null, so Σw = 100 - 5 = 95;
# Σ w·v = 20·1 + 10·0.9815 + 20·0.8837 + 25·0.95 + 10·1 + 10·0.5
#       = 20 + 9.815 + 17.674 + 23.75 + 10 + 5 = 86.239; score = 100 · 86.239 / 95 = 90.78
JINSHUI: dict[str, Any] = {
    "district": "金水区", "code": "410105", "kind": "区", "rank": 1, "score": 90.78, "grade": "优秀",
    "catalog_coverage": 1.0, "element_completeness": 0.9815, "disclosure_coverage": 0.8837,
    "timeliness": 0.95, "interpretation_sync": None,
    "milestone_2020_09": {"status": "on_time", "date": "2020-09-25", "days_late": 0},
    "milestone_2023_06": {"status": "late", "date": "2023-08-02", "days_late": 33},
    "missing_items": [],
    "overdue": [{"title": HOSTILE[0], "item": "配给管理/公共租赁住房配租结果", "formed_on": "2023-05-04",
                 "published_on": "2023-06-08", "deadline": "2023-06-01", "workdays_late": 4}],
    "calendar_estimated": False, "unclassified_count": 0,
    "gaps": [
        {"category": "blank_elements", "item": "规划计划/保障性住房建设计划", "title": None,
         "detail": "目录中该事项缺少2项要素。", "missing_elements": ["公开依据", "公开层级"],
         "workdays_late": None, "deadline": None, "rule": "element_completeness"},
        {"category": "overdue", "item": "配给管理/公共租赁住房配租结果", "title": HOSTILE[0],
         "detail": "该信息逾期4个工作日公开。", "missing_elements": [], "workdays_late": 4,
         "deadline": "2023-06-01", "rule": "timeliness"},
        {"category": "milestone_2023_06", "item": None, "title": None,
         "detail": "2023年6月节点逾期33天完成。", "missing_elements": [], "workdays_late": None,
         "deadline": "2023-06-30", "rule": "milestone_2023_06"},
    ],
    "pending": [{"title": HOSTILE[3], "item": "配后管理/租金收缴情况", "formed_on": "2023-06-20",
                 "deadline": "2023-07-18", "workdays_left": 12, "overdue": False}],
}

ERQI: dict[str, Any] = {
    "district": "二七区", "code": "410103", "kind": "区", "rank": 2, "score": 80.0, "grade": "良好",
    "catalog_coverage": 0.9535, "element_completeness": 0.9, "disclosure_coverage": 0.7907,
    "timeliness": None, "interpretation_sync": 0.5,
    "milestone_2020_09": {"status": "late", "date": "2020-10-12", "days_late": 12},
    "milestone_2023_06": {"status": "on_time", "date": "2023-06-15", "days_late": 0},
    "missing_items": ["配后管理/退出管理"], "overdue": [], "calendar_estimated": False,
    "unclassified_count": 2,
    "gaps": [
        {"category": "missing_item", "item": "配后管理/退出管理", "title": None,
         "detail": "目录未包含该标准事项。", "missing_elements": [], "workdays_late": None,
         "deadline": None, "rule": "catalog_coverage"},
        {"category": "unsynced_interpretation", "item": "法规政策/政策文件", "title": HOSTILE[1],
         "detail": "政策文件发布后3个工作日内未发布解读。", "missing_elements": [], "workdays_late": None,
         "deadline": "2023-03-06", "rule": "interpretation_sync"},
    ],
    "pending": [],
}

# Tied with 二七区 at 80.0: both rank 2, 中原区 (410102) listed first by code; the next rank is 4.
ZHONGYUAN: dict[str, Any] = {
    "district": "中原区", "code": "410102", "kind": "区", "rank": 2, "score": 80.0, "grade": "良好",
    "catalog_coverage": 0.907, "element_completeness": 1.0, "disclosure_coverage": 0.6977,
    "timeliness": 0.8, "interpretation_sync": 1.0,
    "milestone_2020_09": {"status": "on_time", "date": "2020-09-30", "days_late": 0},
    "milestone_2023_06": {"status": "missed", "date": None, "days_late": None},
    "missing_items": [], "overdue": [], "calendar_estimated": True, "unclassified_count": 0,
    "gaps": [
        {"category": "no_disclosure", "item": "租赁补贴/租赁补贴发放", "title": HOSTILE[2],
         "detail": "截至评估日该事项没有公开信息。", "missing_elements": [], "workdays_late": None,
         "deadline": None, "rule": "disclosure_coverage"},
    ],
    "pending": [],
}

# Nothing loaded: coverage components 0, element_completeness 0, milestones missed,
# timeliness and interpretation_sync null → Σw = 70, score 0.
ZHENGDONG: dict[str, Any] = {
    "district": "郑东新区", "code": "ZZ-ZDXQ", "kind": "功能区", "rank": 4, "score": 0.0,
    "grade": "不合格",
    "catalog_coverage": 0.0, "element_completeness": 0.0, "disclosure_coverage": 0.0,
    "timeliness": None, "interpretation_sync": None,
    "milestone_2020_09": {"status": "missed", "date": None, "days_late": None},
    "milestone_2023_06": {"status": "missed", "date": None, "days_late": None},
    "missing_items": [], "overdue": [], "calendar_estimated": False, "unclassified_count": 0,
    "gaps": [
        {"category": "milestone_2020_09", "item": None, "title": None,
         "detail": "未发布带文号的目录。", "missing_elements": [], "workdays_late": None,
         "deadline": "2020-09-30", "rule": "milestone_2020_09"},
        {"category": "pending_overdue", "item": "配给管理/公共租赁住房配租结果", "title": HOSTILE[3],
         "detail": "信息已形成，超过期限仍未公开。", "missing_elements": [], "workdays_late": 7,
         "deadline": "2023-06-09", "rule": "timeliness"},
    ],
    # the pending row the pending_overdue gap above is about (7 working days past its deadline)
    "pending": [{"title": HOSTILE[3], "item": "配给管理/公共租赁住房配租结果", "formed_on": "2023-05-26",
                 "deadline": "2023-06-09", "workdays_left": -7, "overdue": True}],
}

# rules.toml [milestone_values]; the exports value milestones by status with these.
MILESTONE_VALUES = {"on_time": 1.0, "late": 0.5, "missed": 0.0}


def expected_value(district: dict[str, Any], cid: str) -> float | None:
    """The component value the exports should show: the ratio, or the milestone's status value."""
    value = district.get(cid, district.get("components", {}).get(cid))  # manual: in components only
    return MILESTONE_VALUES.get(value["status"]) if isinstance(value, dict) else value


COMPONENT_IDS = ("catalog_coverage", "element_completeness", "disclosure_coverage", "timeliness",
                 "interpretation_sync", "milestone_2020_09", "milestone_2023_06")
# to_json's "components": {id: value|null}, the ratios as above and each milestone's value.
for _unit in (JINSHUI, ERQI, ZHONGYUAN, ZHENGDONG):
    _unit["components"] = {cid: expected_value(_unit, cid) for cid in COMPONENT_IDS}
    # DESIGN §12 keys: no finding, veto or bonus in these units
    _unit.update({"weighted_score": _unit["score"], "vetoes": [], "bonus": {"points": 0.0, "items": []},
                  "findings": []})

EVALUATION: dict[str, Any] = {
    "as_of": "2023-06-30", "since": "2023-01-01", "rules_version": "2023.1",
    # 二七区 before 中原区 on purpose: the export orders ties by code itself.
    "districts": [JINSHUI, ERQI, ZHONGYUAN, ZHENGDONG],
}

SOURCES = [
    {"district": "全市", "kind": "standard", "source": "standard_catalog.tsv",
     "loaded_at": "2023-06-01 08:00:00", "published_on": None, "document_no": None},
    {"district": "金水区", "kind": "catalog", "source": "jinshui/catalog_2020.xlsx",
     "loaded_at": "2023-06-01 08:00:01", "published_on": "2020-09-18", "document_no": "金房保〔2020〕15号"},
    {"district": "金水区", "kind": "disclosures", "source": HOSTILE[0],
     "loaded_at": "2023-06-01 08:00:02", "published_on": None, "document_no": None},
]


@pytest.fixture
def evaluation() -> dict[str, Any]:
    """The evaluation JSON (the expectations read it); the exports take `tests.reports.helpers.typed(evaluation)`."""
    return copy.deepcopy(EVALUATION)


@pytest.fixture
def context() -> dict[str, Any]:
    return {"weights": dict(WEIGHTS), "is_sample": True, "sources": copy.deepcopy(SOURCES)}


@pytest.fixture
def value_of() -> Callable[[dict[str, Any], str], float | None]:
    return expected_value


@pytest.fixture
def hostile() -> list[str]:
    return list(HOSTILE)


@pytest.fixture
def weights() -> dict[str, int]:
    return dict(WEIGHTS)


def _open(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _table(ws: Worksheet) -> list[dict[str, Any]]:
    """The rows under a sheet's frozen header row, as dicts keyed by header text."""
    header_row = ws[ws.freeze_panes].row - 1
    headers = [c.value for c in ws[header_row]]
    return [dict(zip(headers, (c.value for c in row)))
            for row in ws.iter_rows(min_row=header_row + 1) if any(c.value is not None for c in row)]


@pytest.fixture
def open_book() -> Callable[[bytes], Workbook]:
    """bytes → openpyxl Workbook, read back the way a user's Excel would open it."""
    return _open


@pytest.fixture
def table() -> Callable[[Worksheet], list[dict[str, Any]]]:
    return _table
