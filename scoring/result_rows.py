"""Typed result rows: the findings an evaluation explains itself with, as frozen objects.

`Gap` (one thing that costs points), `OverdueRow` (a disclosure published late) and `PendingRow`
(formed, not yet published) travel from `scoring` to the front ends; `to_json()` gives the
DESIGN §6 / docs/ARCHITECTURE.md dict (key order fixed, so the CLI JSON stays byte-stable) and
`from_json()` reads one back (the pages and the workbook get the cached JSON). Their one Chinese
display row is `reports.rows`. Dates are ISO text.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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

    def to_json(self) -> dict[str, Any]:
        return {"category": self.category, "item": self.item, "title": self.title, "detail": self.detail,
                "missing_elements": list(self.missing_elements), "workdays_late": self.workdays_late,
                "deadline": self.deadline, "rule": self.rule}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Gap:
        return cls(GapCategory(d["category"]), d.get("item"), d.get("title"), d.get("detail") or "",
                   tuple(d.get("missing_elements") or ()), d.get("workdays_late"), d.get("deadline"),
                   str(d.get("rule") or ""))


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
        return cls(d.get("title"), d.get("item"), d.get("formed_on"), d.get("published_on"), d.get("deadline"),
                   d.get("workdays_late"))


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
        return cls(d.get("title"), d.get("item"), d.get("formed_on"), d.get("deadline"), d.get("workdays_left"),
                   bool(d.get("overdue")))
