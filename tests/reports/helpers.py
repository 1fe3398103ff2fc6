"""Plain helpers of the export tests (imported as `tests.reports.helpers`; conftest.py holds only
fixtures and is never imported by a test)."""
from __future__ import annotations

from typing import Any

from scoring.evaluation import DistrictResult, Evaluation


def typed(evaluation_json: dict[str, Any]) -> Evaluation:
    """The JSON as the typed result the exports take (as a round reads its stored JSON back)."""
    return Evaluation.from_json(evaluation_json)


def typed_unit(district_json: dict[str, Any]) -> DistrictResult:
    return DistrictResult.from_json(district_json)
