"""Typed result rows: the findings an evaluation explains itself with, as frozen objects.

`Gap` (one thing that costs points), `OverdueRow` (a disclosure published late), `PendingRow`
(formed, not yet published), and the manual part of DESIGN §12: `Veto` (a veto that holds),
`Bonus`/`BonusItem` (加分) and `Finding` (a manual finding in force). They travel from `scoring` to
the front ends; `to_json()` gives the DESIGN §6 / §12 / docs/ARCHITECTURE.md dict (key order
fixed, so the CLI JSON stays byte-stable) and `from_json()` reads one back (a stored round's
JSON). Their one Chinese display row is `reports.rows`. Dates are ISO text.

An overdue disclosure and an overdue pending one are each one object: the `Gap` that costs the
points holds it as `source`, so `DistrictResult.overdue` is read from the gaps, not kept twice.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scoring.vocabulary import GapCategory


@dataclass(frozen=True)
class Gap:
    """One thing that costs a unit points, with the component (`rule`) it costs."""
    category: GapCategory
    item: str | None              # '一级/二级' or None
    title: str | None             # the disclosure's title, for disclosure gaps
    detail: str                   # the Chinese sentence
    missing_elements: tuple[str, ...]
    workdays_late: int | None
    deadline: str | None
    rule: str                     # component id
    # the overdue disclosure (OVERDUE) or pending row (PENDING_OVERDUE) this gap is about; not in
    # the JSON (the same row is in the unit's "overdue" / "pending" list there)
    source: OverdueRow | PendingRow | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"category": self.category, "item": self.item, "title": self.title, "detail": self.detail,
                "missing_elements": list(self.missing_elements), "workdays_late": self.workdays_late,
                "deadline": self.deadline, "rule": self.rule}

    @classmethod
    def from_json(cls, d: Mapping[str, Any], source: OverdueRow | PendingRow | None = None) -> Gap:
        return cls(GapCategory(d["category"]), d["item"], d["title"], d["detail"],
                   tuple(d["missing_elements"]), d["workdays_late"], d["deadline"], d["rule"], source)


@dataclass(frozen=True)
class OverdueRow:
    """A disclosure of the window published after its deadline."""
    title: str | None
    item: str | None
    formed_on: str | None
    published_on: str | None
    deadline: str | None
    workdays_late: int | None

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "item": self.item, "formed_on": self.formed_on,
                "published_on": self.published_on, "deadline": self.deadline, "workdays_late": self.workdays_late}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> OverdueRow:
        return cls(d["title"], d["item"], d["formed_on"], d["published_on"], d["deadline"], d["workdays_late"])


@dataclass(frozen=True)
class PendingRow:
    """Formed, not yet published: kept out of timeliness until published. `workdays_left` is
    negative once the deadline has passed (`overdue`); None when the item has no time limit."""
    title: str | None
    item: str | None
    formed_on: str | None
    deadline: str | None
    workdays_left: int | None
    overdue: bool

    @property
    def workdays_late(self) -> int | None:
        """Working days past the deadline (positive), for an overdue row with a deadline."""
        return -self.workdays_left if self.overdue and self.workdays_left is not None else None

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "item": self.item, "formed_on": self.formed_on, "deadline": self.deadline,
                "workdays_left": self.workdays_left, "overdue": self.overdue}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> PendingRow:
        return cls(d["title"], d["item"], d["formed_on"], d["deadline"], d["workdays_left"], bool(d["overdue"]))


@dataclass(frozen=True)
class Veto:
    """A [[veto]] whose condition holds for the unit (DESIGN §12), with its Chinese reason."""
    id: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Veto:
        return cls(d["id"], d["reason"])


@dataclass(frozen=True)
class BonusItem:
    """One [[bonus]] item's points (2 dp) and the reason it was granted."""
    id: str
    points: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "points": self.points, "reason": self.reason}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> BonusItem:
        return cls(d["id"], float(d["points"]), d["reason"])


@dataclass(frozen=True)
class Bonus:
    """The unit's bonus: the points added (after the cap, 2 dp) and the items granting them."""
    points: float = 0.0
    items: tuple[BonusItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"points": self.points, "items": [i.to_json() for i in self.items]}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Bonus:
        return cls(float(d["points"]), tuple(BonusItem.from_json(i) for i in d["items"]))


@dataclass(frozen=True)
class Finding:
    """A manual finding in force on the evaluation date (DESIGN §12): an indicator's value
    (`kind` manual) or a bonus item's (`kind` bonus), with its evidence and who recorded it."""
    finding_id: int
    indicator: str
    kind: str                     # manual | bonus
    value: float
    value_text: str
    applies_from: str             # ISO date
    note: str | None
    evidence_url: str | None
    evidence_file: str | None
    evidence_sha256: str | None
    recorded_by: str
    recorded_at: str              # 'YYYY-MM-DD HH:MM:SS', Beijing time

    def to_json(self) -> dict[str, Any]:
        return {"finding_id": self.finding_id, "indicator": self.indicator, "kind": self.kind,
                "value": self.value, "value_text": self.value_text, "applies_from": self.applies_from,
                "note": self.note, "evidence_url": self.evidence_url, "evidence_file": self.evidence_file,
                "evidence_sha256": self.evidence_sha256, "recorded_by": self.recorded_by,
                "recorded_at": self.recorded_at}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Finding:
        return cls(int(d["finding_id"]), d["indicator"], d["kind"], float(d["value"]), d["value_text"],
                   d["applies_from"], d["note"], d["evidence_url"], d["evidence_file"], d["evidence_sha256"],
                   d["recorded_by"], d["recorded_at"])
