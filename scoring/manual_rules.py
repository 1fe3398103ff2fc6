"""The manual part of the rules file (DESIGN §12): `[[manual]]` evaluator-checked indicators,
`[[veto]]` veto items, `[[bonus]]` bonus items and `[bonus_total]`, parsed into a frozen
`ManualRules` and validated with located messages (key + file), like the rest of rules.toml.

```toml
[[manual]]                 # an evaluator-checked indicator (人工核查项), one component of the score
id = "participation"       # the id findings are recorded against
weight = 4                 # in the same units as [weights] (a separate pool, see README)
scale = "points"           # "yes_no" (是/否 → 1/0) or "points" (0..max_points → value/max_points)
max_points = 4             # only with scale = "points"
evidence_required = true   # a finding giving points must cite evidence (URL or file)

[[veto]]                   # a veto item (单项否决), applied after the weighted score and bonuses
id = "no_catalog"
condition = "no_catalog"   # no_catalog | milestone_missed:<milestone id> | manual_failed:<manual id>
grade_cap = "不合格"        # and/or score_cap = 59

[[bonus]]                  # a bonus item (加分), recorded as a finding of `max_points` at most
id = "demonstration"
max_points = 3

[bonus_total]
cap = 5                    # the sum of every bonus item's points is capped here
```
Every table is optional: a rules file without them has no manual indicators, vetoes or bonuses.
Imports nothing of the scoring package (scoring.rules imports this module).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeGuard, TypeVar

SCALES = ("yes_no", "points")
# The closed set of veto conditions; the ones with a colon take an id after it.
VETO_CONDITIONS = ("no_catalog", "milestone_missed", "manual_failed")
TOP_KEYS = ("manual", "veto", "bonus", "bonus_total")
_MANUAL_KEYS = ("id", "weight", "scale", "max_points", "evidence_required")
_VETO_KEYS = ("id", "condition", "grade_cap", "score_cap")
_BONUS_KEYS = ("id", "max_points")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Identified = TypeVar("Identified", bound=_Identified)


def by_id(items: Iterable[Identified], key: str) -> Identified:
    """The rule whose id is `key` among `items`; KeyError when none: every by-id lookup of the
    rules (a component, a grade band, a manual indicator, a bonus)."""
    for item in items:
        if item.id == key:
            return item
    raise KeyError(key)


class Checker(Protocol):
    """The part of scoring.rules._Checker used here."""

    def add(self, kind: str, key: str, value: object = None) -> None: ...


@dataclass(frozen=True)
class ManualIndicator:
    """One evaluator-checked indicator: its weight and how a finding's value becomes 0..1."""
    id: str
    weight: float
    scale: str                  # yes_no | points
    max_points: float           # 1 for yes_no
    evidence_required: bool

    def component_value(self, value: float) -> float:
        """A finding's value as a component value in [0, 1]."""
        return min(max(value / self.max_points, 0.0), 1.0)


@dataclass(frozen=True)
class VetoRule:
    """A veto item: when `condition` holds, the grade is at most `grade_cap` and/or the score at
    most `score_cap`. `condition` is a VETO_CONDITIONS entry; `target` the id after its colon."""
    id: str
    condition: str
    target: str | None
    grade_cap: str | None
    score_cap: float | None


@dataclass(frozen=True)
class BonusRule:
    id: str
    max_points: float


@dataclass(frozen=True)
class ManualRules:
    indicators: tuple[ManualIndicator, ...] = ()
    vetoes: tuple[VetoRule, ...] = ()
    bonuses: tuple[BonusRule, ...] = ()
    bonus_cap: float = 0.0

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    @property
    def bonus_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.bonuses)

    def indicator(self, iid: str) -> ManualIndicator:
        return by_id(self.indicators, iid)

    def bonus(self, bid: str) -> BonusRule:
        return by_id(self.bonuses, bid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "manual": [{"id": i.id, "weight": i.weight, "scale": i.scale, "max_points": i.max_points,
                        "evidence_required": i.evidence_required} for i in self.indicators],
            "veto": [{"id": v.id, "condition": v.condition + (f":{v.target}" if v.target else ""),
                      "grade_cap": v.grade_cap, "score_cap": v.score_cap} for v in self.vetoes],
            "bonus": [{"id": b.id, "max_points": b.max_points} for b in self.bonuses],
            "bonus_total": {"cap": self.bonus_cap},
        }


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _entries(data: dict[str, Any], name: str, keys: tuple[str, ...], c: Checker) -> list[tuple[str, dict[str, Any]]]:
    """(location, table) of each entry of the array of tables `name`, unknown keys reported."""
    raw = data.get(name)
    if raw is None:
        return []
    if not isinstance(raw, list):
        c.add("not_a_table", name, raw)
        return []
    out = []
    for i, entry in enumerate(raw, start=1):
        key = f"{name}[{i}]"
        if not isinstance(entry, dict):
            c.add("not_a_table", key, entry)
            continue
        for k in entry:
            if k not in keys:
                c.add("unknown_key", f"{key}.{k}", k)
        out.append((key, entry))
    return out


def _id(entry: dict[str, Any], key: str, seen: dict[str, str], c: Checker) -> str | None:
    value = entry.get("id")
    if value is None:
        c.add("missing_key", f"{key}.id")
        return None
    if not isinstance(value, str) or not value.strip() or not value.isidentifier():
        c.add("not_text", f"{key}.id", value)
        return None
    if value in seen:
        c.add("duplicate_id" if seen[value] == key.split("[")[0] else "id_clash", f"{key}.id", value)
        return None
    seen[value] = key.split("[")[0]
    return value


def _positive(entry: dict[str, Any], key: str, name: str, c: Checker, kind: str) -> float | None:
    value = entry.get(name)
    if name not in entry:
        c.add("missing_key", f"{key}.{name}")
        return None
    if not _number(value) or value <= 0:
        c.add(kind, f"{key}.{name}", value)
        return None
    return float(value)


def parse(data: dict[str, Any], c: Checker, *, grade_names: tuple[str, ...],
          milestone_ids: tuple[str, ...], taken_ids: tuple[str, ...]) -> ManualRules:
    """The manual tables of a parsed rules file; problems go to `c`. `taken_ids` are the measured
    component ids (a manual or bonus id may not reuse one)."""
    seen: dict[str, str] = dict.fromkeys(taken_ids, "weights")
    indicators: list[ManualIndicator] = []
    for key, e in _entries(data, "manual", _MANUAL_KEYS, c):
        iid = _id(e, key, seen, c)
        weight = _positive(e, key, "weight", c, "not_positive")
        scale = e.get("scale")
        if "scale" not in e:
            c.add("missing_key", f"{key}.scale")
        elif scale not in SCALES:
            c.add("bad_scale", f"{key}.scale", scale)
            scale = None
        max_points: float | None = 1.0
        if scale == "points":
            mp = e.get("max_points")
            if not _number(mp) or mp <= 0:
                c.add("max_points_needed", f"{key}.max_points", mp)
                max_points = None
            else:
                max_points = float(mp)
        elif "max_points" in e and scale == "yes_no":
            c.add("max_points_unused", f"{key}.max_points", e["max_points"])
        evidence = e.get("evidence_required", True)
        if not isinstance(evidence, bool):
            c.add("not_boolean", f"{key}.evidence_required", evidence)
        if iid and weight and scale and max_points and isinstance(evidence, bool):
            indicators.append(ManualIndicator(iid, weight, scale, max_points, evidence))

    bonuses: list[BonusRule] = []
    for key, e in _entries(data, "bonus", _BONUS_KEYS, c):
        bid = _id(e, key, seen, c)
        points = _positive(e, key, "max_points", c, "bad_points")
        if bid and points:
            bonuses.append(BonusRule(bid, points))

    manual_ids = {i.id for i in indicators} | {k for k, v in seen.items() if v == "manual"}
    vetoes: list[VetoRule] = []
    veto_seen: dict[str, str] = {}
    for key, e in _entries(data, "veto", _VETO_KEYS, c):
        vid = _id(e, key, veto_seen, c)
        raw = e.get("condition")
        condition, target = None, None
        if "condition" not in e:
            c.add("missing_key", f"{key}.condition")
        elif isinstance(raw, str):
            head, _, tail = raw.partition(":")
            ok = (head == "no_catalog" and not tail) or \
                 (head == "milestone_missed" and tail in milestone_ids) or \
                 (head == "manual_failed" and tail in manual_ids)
            if ok:
                condition, target = head, tail or None
            else:
                c.add("bad_condition", f"{key}.condition", raw)
        else:
            c.add("bad_condition", f"{key}.condition", raw)
        grade_cap, score_cap = e.get("grade_cap"), e.get("score_cap")
        ok_effect = True
        if "grade_cap" in e and grade_cap not in grade_names:
            c.add("unknown_grade", f"{key}.grade_cap", grade_cap)
            ok_effect = False
        if "score_cap" in e and not (_number(score_cap) and 0 <= float(score_cap) <= 100):
            c.add("bad_score_cap", f"{key}.score_cap", score_cap)
            ok_effect = False
        if "grade_cap" not in e and "score_cap" not in e:
            c.add("no_effect", key)
            ok_effect = False
        if vid and condition and ok_effect:
            vetoes.append(VetoRule(vid, condition, target, grade_cap,
                                   None if score_cap is None else float(score_cap)))

    cap = 0.0
    total = data.get("bonus_total")
    if total is not None:
        if not isinstance(total, dict):
            c.add("not_a_table", "bonus_total", total)
        else:
            for k in total:
                if k != "cap":
                    c.add("unknown_key", f"bonus_total.{k}", k)
            value = _positive(total, "bonus_total", "cap", c, "bad_points")
            cap = value or 0.0
    elif data.get("bonus"):
        c.add("missing_key", "bonus_total.cap")
    return ManualRules(tuple(indicators), tuple(vetoes), tuple(bonuses), cap)
