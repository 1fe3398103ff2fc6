"""The scoring rules: `scoring/rules.toml` parsed once into a frozen `Rules`, validated with locations.

`Rules` is the one registry every page, chart, export and test reads: the components in file
order (`Rules.components`: id, kind, weight, deadline), the grade bands highest first
(`Rules.grades`, `Rules.grade_names`), the milestone values and the window default
(`Rules.since_for`). Nothing else restates them. `MEASURABLE` is the code's side of the
contract: the component ids the measurements implement and their kind; a new kind (manual
indicators) adds its rules.toml table, its `ComponentKind` and its entries there.

`load_rules(path)` reads the file, checks every key (known ids, positive weights summing to 100,
grade bands in descending order ending at 0, valid dates, positive working-day window), collects
every problem and raises one `RulesError` whose lines name the key and the file. The result's
`version` is the file's `version` string plus the first 8 hex digits of the sha256 of its bytes,
so a result always says which rules produced it. Imports nothing from loaders or streamlit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from scoring import manual_rules
from scoring.manual_rules import ManualRules
from scoring.vocabulary import MilestoneStatus
from ui_text import manual as manual_text
from ui_text import scoring as text

RULES_TOML = Path(__file__).resolve().parent / "rules.toml"
RULES_ENV = "COMPLIANCE_RULES"  # another rules file for the app and the CLI (default RULES_TOML)


class ComponentKind(StrEnum):
    """How a component's value is obtained."""
    RATIO = "ratio"          # measured in grouped SQL, a value in [0, 1] or not evaluated
    MILESTONE = "milestone"  # first met on a date against a deadline ([milestones]), valued by status
    MANUAL = "manual"        # an evaluator's finding in force on as_of ([[manual]]), null = 未核查


# The components the measurements implement, with their kind. rules.toml [weights] must weight
# each of them (its order is the display order); a milestone also needs its [milestones] date.
MEASURABLE: dict[str, ComponentKind] = {
    "catalog_coverage": ComponentKind.RATIO,
    "element_completeness": ComponentKind.RATIO,
    "disclosure_coverage": ComponentKind.RATIO,
    "timeliness": ComponentKind.RATIO,
    "interpretation_sync": ComponentKind.RATIO,
    "milestone_2020_09": ComponentKind.MILESTONE,
    "milestone_2023_06": ComponentKind.MILESTONE,
}
_COMPONENT_IDS = tuple(MEASURABLE)
_MILESTONE_IDS = tuple(k for k, kind in MEASURABLE.items() if kind is ComponentKind.MILESTONE)
MILESTONE_STATUSES = tuple(s.value for s in MilestoneStatus if s is not MilestoneStatus.PENDING)  # valued ones
DEFAULT_SINCE_CHOICES = ("year_start",)

# Every key the file may hold, per table; anything else is refused so a typo never goes unnoticed.
_TOP_KEYS = ("version", "weights", "grades", "milestones", "milestone_values", "interpretation",
             "evaluation", "crawl", "rectification",  # [crawl]: loaders.crawl (issue #15 dates);
             # [rectification]: scoring.rectification (DESIGN §11 deadlines)
             *manual_rules.TOP_KEYS)  # [[manual]], [[veto]], [[bonus]], [bonus_total]: DESIGN §12
_INTERPRETATION_KEYS = ("window_workdays", "policy_level1", "policy_level2", "interpretation_level1",
                        "interpretation_level2")
_EVALUATION_KEYS = ("default_since", "trend_start")
_GRADE_KEYS = ("id", "name", "min_score")


@dataclass(frozen=True)
class GradeBand:
    """A score at or above `min_score` (and below the next band up) earns `name`."""
    id: str
    name: str
    min_score: float


@dataclass(frozen=True)
class Component:
    """One scored component: its weight in the score and, for a milestone, its deadline."""
    id: str
    kind: ComponentKind
    weight: float
    deadline: dt.date | None = None


@dataclass(frozen=True)
class RulesProblem:
    """One thing wrong with a rules file: `kind` is an English id, `message` the Chinese text."""
    kind: str
    file: str
    key: str
    value: str | None = None

    @property
    def message(self) -> str:
        template = text.RULES_ERRORS.get(self.kind) or manual_text.RULES_ERRORS[self.kind]
        return template.format(file=self.file, key=self.key, value=self.value)


class RulesError(ValueError):
    """A rules file that cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: list[RulesProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))


@dataclass(frozen=True)
class Rules:
    """Everything the evaluation needs to decide; see rules.toml for the meaning of each field."""
    version: str
    components: tuple[Component, ...]     # [weights] order, then the [[manual]] indicators
    grades: tuple[GradeBand, ...]         # highest band first, the last one from 0
    milestone_values: dict[str, float]
    interpretation_window_workdays: int
    policy_level1: str
    policy_level2: str
    interpretation_level1: str
    interpretation_level2: str
    default_since: str
    trend_start: dt.date
    manual: ManualRules = field(default_factory=ManualRules)  # [[manual]] scales, [[veto]], [[bonus]], [bonus_total]
    path: str = field(default="", compare=False)

    @property
    def component_ids(self) -> tuple[str, ...]:
        """Every component id, in display order."""
        return tuple(c.id for c in self.components)

    def ids(self, kind: ComponentKind) -> tuple[str, ...]:
        """The ids of the components of one kind, in display order."""
        return tuple(c.id for c in self.components if c.kind is kind)

    @property
    def ratio_ids(self) -> tuple[str, ...]:
        return self.ids(ComponentKind.RATIO)

    @property
    def milestone_ids(self) -> tuple[str, ...]:
        return self.ids(ComponentKind.MILESTONE)

    def component(self, cid: str) -> Component:
        """The component `cid`; KeyError when the rules have none of that id."""
        return manual_rules.by_id(self.components, cid)

    @property
    def weights(self) -> dict[str, float]:
        """{component id: weight} in display order."""
        return {c.id: c.weight for c in self.components}

    @property
    def milestones(self) -> dict[str, dt.date]:
        """{milestone id: deadline} in display order."""
        return {c.id: c.deadline for c in self.components if c.deadline is not None}

    @property
    def grade_names(self) -> tuple[str, ...]:
        """The grade names, best first (the order of every grade legend and colour scale)."""
        return tuple(g.name for g in self.grades)

    def band(self, gid: str) -> GradeBand:
        """The grade band with id `gid` (e.g. 'good'); KeyError when absent."""
        return manual_rules.by_id(self.grades, gid)

    def since_for(self, as_of: dt.date) -> dt.date:
        """The default window start for `as_of` ([evaluation] default_since; 'year_start' =
        1 January of its year, the only choice today)."""
        return dt.date(as_of.year, 1, 1)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON/Excel context: dates as ISO strings."""
        return {
            "version": self.version,
            "components": [{"id": c.id, "kind": str(c.kind), "weight": c.weight,
                            "deadline": c.deadline.isoformat() if c.deadline else None}
                           for c in self.components],
            "weights": dict(self.weights),
            "grades": [{"id": g.id, "name": g.name, "min_score": g.min_score} for g in self.grades],
            "milestones": {k: v.isoformat() for k, v in self.milestones.items()},
            "milestone_values": dict(self.milestone_values),
            "interpretation": {
                "window_workdays": self.interpretation_window_workdays,
                "policy_level1": self.policy_level1,
                "policy_level2": self.policy_level2,
                "interpretation_level1": self.interpretation_level1,
                "interpretation_level2": self.interpretation_level2,
            },
            "evaluation": {"default_since": self.default_since,
                           "trend_start": self.trend_start.isoformat()},
            **self.manual.to_dict(),
        }


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    """Collects problems while reading one parsed file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[RulesProblem] = []

    def add(self, kind: str, key: str, value: object = None) -> None:
        self.problems.append(RulesProblem(kind, self.file, key, None if value is None else str(value)))

    def table(self, data: dict[str, Any], key: str, allowed: tuple[str, ...],
              unknown_kind: str = "unknown_key") -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            self.add("missing_key", key)
            return {}
        if not isinstance(value, dict):
            self.add("not_a_table", key, value)
            return {}
        for k in value:
            if k not in allowed:
                self.add(unknown_kind, f"{key}.{k}", k)
        for k in allowed:
            if k not in value:
                self.add("missing_key", f"{key}.{k}")
        return value

    def text_value(self, table: dict[str, Any], prefix: str, key: str) -> str:
        value = table.get(key)
        if key in table and (not isinstance(value, str) or not value.strip()):
            self.add("not_text", f"{prefix}.{key}", value)
            return ""
        return value or ""

    def date_value(self, table: dict[str, Any], prefix: str, key: str) -> dt.date | None:
        value = table.get(key)
        if key not in table:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add("bad_date", f"{prefix}.{key}", value)
        return None


def _parse(data: dict[str, Any], c: _Checker) -> dict[str, Any]:
    for k in data:
        if k not in _TOP_KEYS:
            c.add("unknown_key", k, k)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        c.add("missing_key" if version is None else "not_text", "version", version)

    weights_raw = c.table(data, "weights", _COMPONENT_IDS, unknown_kind="unknown_rule")
    weights: dict[str, float] = {}
    for k in weights_raw:  # file order is display order
        if k not in MEASURABLE:
            continue
        if k not in weights_raw:
            continue
        v = weights_raw[k]
        if not _is_number(v):
            c.add("not_a_number", f"weights.{k}", v)
        elif v <= 0:
            c.add("not_positive", f"weights.{k}", v)
        else:
            weights[k] = float(v)
    if len(weights) == len(MEASURABLE) and abs(sum(weights.values()) - 100) > 1e-9:
        c.add("weights_sum", "weights", f"{sum(weights.values()):g}")

    grades: list[GradeBand] = []
    raw_grades = data.get("grades")
    if raw_grades is None:
        c.add("missing_key", "grades")
    elif not isinstance(raw_grades, list) or not raw_grades:
        c.add("not_a_table", "grades", raw_grades)
    else:
        for i, g in enumerate(raw_grades, start=1):
            key = f"grades[{i}]"
            if not isinstance(g, dict):
                c.add("not_a_table", key, g)
                continue
            for k in g:
                if k not in _GRADE_KEYS:
                    c.add("unknown_key", f"{key}.{k}", k)
            for k in _GRADE_KEYS:
                if k not in g:
                    c.add("missing_key", f"{key}.{k}")
            score: Any = g.get("min_score")
            if "min_score" in g and (not _is_number(score) or not 0 <= score <= 100):
                c.add("bad_min_score", f"{key}.min_score", score)
                continue
            gid, name = c.text_value(g, key, "id"), c.text_value(g, key, "name")
            if "min_score" in g and gid and name:
                grades.append(GradeBand(gid, name, float(score)))
        for i in range(1, len(grades)):
            if grades[i].min_score >= grades[i - 1].min_score:
                c.add("bands_order", f"grades[{i + 1}].min_score", f"{grades[i].min_score:g}")
        if grades and grades[-1].min_score != 0:
            c.add("bands_floor", f"grades[{len(grades)}].min_score", f"{grades[-1].min_score:g}")
        names = [g.name for g in grades]
        for name in sorted({n for n in names if names.count(n) > 1}):
            c.add("band_duplicate", "grades.name", name)

    ms_raw = c.table(data, "milestones", _MILESTONE_IDS, unknown_kind="unknown_rule")
    milestones = {k: d for k in _MILESTONE_IDS if (d := c.date_value(ms_raw, "milestones", k))}
    components = tuple(Component(k, MEASURABLE[k], w, milestones.get(k)) for k, w in weights.items())

    mv_raw = c.table(data, "milestone_values", MILESTONE_STATUSES)
    milestone_values: dict[str, float] = {}
    for k in MILESTONE_STATUSES:
        if k in mv_raw:
            v = mv_raw[k]
            if not _is_number(v) or not 0 <= v <= 1:
                c.add("not_a_ratio", f"milestone_values.{k}", v)
            else:
                milestone_values[k] = float(v)

    interp = c.table(data, "interpretation", _INTERPRETATION_KEYS)
    window = interp.get("window_workdays")
    if "window_workdays" in interp and (not isinstance(window, int) or isinstance(window, bool)
                                        or window < 0):
        c.add("not_workdays", "interpretation.window_workdays", window)
    labels = {k: c.text_value(interp, "interpretation", k) for k in _INTERPRETATION_KEYS[1:]}

    ev = c.table(data, "evaluation", _EVALUATION_KEYS)
    default_since = ev.get("default_since", "")
    if "default_since" in ev and default_since not in DEFAULT_SINCE_CHOICES:
        c.add("bad_choice", "evaluation.default_since", default_since)
    trend_start = c.date_value(ev, "evaluation", "trend_start")

    return {"version": version, "components": components, "grades": tuple(grades),
            "milestone_values": milestone_values,
            "interpretation_window_workdays": window, **labels,
            "default_since": default_since, "trend_start": trend_start}


def rules_path(path: str | Path | None = None) -> Path:
    """`path`, else the file named by $COMPLIANCE_RULES, else `scoring/rules.toml`."""
    return Path(path or os.environ.get(RULES_ENV) or RULES_TOML)


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and validate a rules file (default: `rules_path()`), cached while the file is unchanged.

    Raises RulesError listing every problem (each naming the key and the file) when the file is
    missing, is not TOML, or holds unknown ids, non-positive weights, weights not summing to 100,
    unordered grade bands, invalid dates or a bad interpretation window.
    """
    path = rules_path(path)
    try:
        stat = path.stat()
    except OSError:
        return _load(path, None)
    return _load(path, (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=16)
def _load(path: Path, stamp: tuple[int, int] | None) -> Rules:
    """`load_rules` for one file state (`stamp`: its mtime and size; errors are not cached)."""
    c = _Checker(str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        c.add("unreadable", str(path), exc.strerror)
        raise RulesError(c.problems) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        c.add("toml_syntax", "-", exc)
        raise RulesError(c.problems) from exc
    fields = _parse(data, c)
    manual = manual_rules.parse(data, c, grade_names=tuple(g.name for g in fields["grades"]),
                                milestone_ids=_MILESTONE_IDS, taken_ids=_COMPONENT_IDS)
    # Manual indicators join the components (a separate weight pool: [weights] still sums to 100).
    fields["components"] += tuple(Component(i.id, ComponentKind.MANUAL, i.weight) for i in manual.indicators)
    fields["manual"] = manual
    if c.problems:
        raise RulesError(c.problems)
    digest = hashlib.sha256(raw).hexdigest()[:8]
    fields["version"] = f"{fields['version']}+{digest}"
    return Rules(**fields, path=str(path))
