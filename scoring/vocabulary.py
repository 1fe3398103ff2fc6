"""The closed vocabularies of the evaluation, as `StrEnum`s: their values are the JSON/DESIGN ids
(a member compares and serialises as its string), their Chinese names live in `ui_text.scoring`.

Completeness tests iterate these enums, so a new member without its text fails a test.
"""
from __future__ import annotations

from enum import StrEnum


class MilestoneStatus(StrEnum):
    """A milestone's status as of the evaluation date (DESIGN §6)."""
    ON_TIME = "on_time"
    LATE = "late"
    MISSED = "missed"
    PENDING = "pending"      # not met and the deadline not passed: the component is not evaluated


class GapCategory(StrEnum):
    """What a gap row (one thing that costs points) is about; milestone gaps use the milestone id."""
    MISSING_ITEM = "missing_item"
    BLANK_ELEMENTS = "blank_elements"
    NO_DISCLOSURE = "no_disclosure"
    OVERDUE = "overdue"
    PENDING_OVERDUE = "pending_overdue"
    UNSYNCED_INTERPRETATION = "unsynced_interpretation"
    MILESTONE_2020_09 = "milestone_2020_09"
    MILESTONE_2023_06 = "milestone_2023_06"
    MANUAL = "manual"    # a [[manual]] indicator found below full marks (DESIGN §12)
    VETO = "veto"        # a [[veto]] whose condition holds


class FixKind(StrEnum):
    """A what-if fix, in the planner's tie-break order."""
    PUBLISH_CATALOG = "publish_catalog"
    ADD_ITEM = "add_item"
    FILL_ELEMENTS = "fill_elements"
    PUBLISH_ITEM = "publish_item"
    PUBLISH_PENDING = "publish_pending"
    PUBLISH_OVERDUE = "publish_overdue"
    PUBLISH_INTERPRETATION = "publish_interpretation"
    ISSUE_CATALOG = "issue_catalog"
    PROVIDE_EVIDENCE = "provide_evidence"  # a [[manual]] indicator 未核查 or below full marks (DESIGN §12)
