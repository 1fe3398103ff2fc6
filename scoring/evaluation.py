"""`evaluate(con, as_of, …)`: measure every unit in grouped SQL, decide in pure Python, explain.

Returns an `Evaluation` (as_of, since, rules_version, districts) whose `to_json()` is the object
of DESIGN §6 plus per-unit kind, gaps, pending and unclassified_count. Units are ordered by rank,
then code. Reads only; never imports loaders or streamlit.
"""
from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.compute as pc

from scoring import explain, manual, measure
from scoring import findings as manual_findings
from scoring.decide import MILESTONE_DATE_COLUMNS, decide, milestone_outcomes
from scoring.districts import resolve_district
from scoring.result_rows import Bonus, Finding, Gap, OverdueRow, PendingRow, Veto
from scoring.rules import MEASURABLE, ComponentKind, Rules, load_rules
from scoring.vocabulary import GapCategory, MilestoneStatus
from ui_text import scoring as text

# Relations both the measures and the explanations of a point read, computed once per evaluation
# (the data-only ones once per read-only connection: measure.DATA_ONLY).
SHARED_RELATIONS = ("deadlines", "catalog_row_blanks", "best_catalog_rows", "policy_documents", "item_firsts",
                    "judged_disclosures", "catalog_stats", "milestone_dates")


@dataclass(frozen=True)
class Milestone:
    """One milestone of one unit as of the evaluation date."""
    status: MilestoneStatus
    date: dt.date | None        # first met on or before as_of
    days_late: int | None       # calendar days after the deadline (0 when on time)
    # Chinese: the condition met last, or what is still unmet. Not in the JSON (a late or missed
    # milestone's gap detail carries it), so None when read back with from_json.
    condition: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "date": explain.iso(self.date), "days_late": self.days_late}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Milestone:
        date = d["date"]
        return cls(MilestoneStatus(d["status"]), None if date is None else dt.date.fromisoformat(date),
                   d["days_late"])


class _UnitLists:
    """One unit's pending rows and gaps, made from the evaluation's columnar `explain.Lists` on
    first read (every figure and sentence in them was computed by `evaluate`); `tail` are the unit's
    milestone and manual gaps, which follow the listed ones."""
    __slots__ = ("code", "lists", "tail", "value")

    def __init__(self, lists: explain.Lists, code: str, tail: tuple[Gap, ...]) -> None:
        self.lists, self.code, self.tail = lists, code, tail
        self.value: tuple[tuple[PendingRow, ...], tuple[Gap, ...]] | None = None

    def get(self) -> tuple[tuple[PendingRow, ...], tuple[Gap, ...]]:
        if self.value is None:
            with self.lists.lock:  # one evaluation is shared by every session (appkit.cache)
                if self.value is None:
                    pending, gaps = self.lists.unit(self.code)
                    self.value = (pending, (*gaps, *self.tail))
        return self.value


class _Listed:
    """A tuple field of `DistrictResult` (pending, gaps) that `evaluate` may set to a `_UnitLists`:
    read, it is the tuple, built once (both fields of a unit from one build, so an overdue pending
    row's gap holds the very row of `pending`)."""

    def __init__(self, name: str, index: int) -> None:
        self.name, self.slot, self.index = name, f"_{name}", index

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.slot]
        if isinstance(value, _UnitLists):
            value = value.get()[self.index]
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.slot] = value


@dataclass(frozen=True)
class DistrictResult:
    """Everything the evaluation says about one unit.

    Each finding is held once: `gaps` lists everything that costs points (an overdue disclosure's
    gap holds its `OverdueRow`, an overdue pending row's gap its `PendingRow`, as `Gap.source`);
    `missing_items` and `overdue` are read from the gaps; `pending` lists every disclosure formed
    and not yet published (only the overdue ones are gaps).
    """
    code: str
    name: str
    kind: str
    rank: int
    score: float
    grade: str
    components: Mapping[str, float | None]  # component id -> value in [0, 1] or None, in rules order
    milestones: Mapping[str, Milestone]
    pending: tuple[PendingRow, ...]         # formed, not yet published (a _Listed field, below)
    gaps: tuple[Gap, ...]                   # one per thing that costs points (docs/ARCHITECTURE.md)
    calendar_estimated: bool
    unclassified_count: int
    measures: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # DESIGN §12: the score before bonus and vetoes, the vetoes that hold, the bonus and the
    # findings in force on as_of.
    weighted_score: float | None = None
    vetoes: tuple[Veto, ...] = ()
    bonus: Bonus = Bonus()
    findings: tuple[Finding, ...] = ()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (st.cache_data) with its lists built: the copy holds this unit's rows only."""
        state = dict(self.__dict__)
        for name in ("pending", "gaps"):
            state[f"_{name}"] = getattr(self, name)
        return state

    @property
    def missing_items(self) -> tuple[str, ...]:
        """'一级/二级' of the city items missing from the unit's catalog (its missing_item gaps)."""
        return tuple(str(g.item) for g in self.gaps if g.category is GapCategory.MISSING_ITEM)

    @property
    def overdue(self) -> tuple[OverdueRow, ...]:
        """The disclosures of the window published after their deadline (its overdue gaps)."""
        return tuple(g.source for g in self.gaps if isinstance(g.source, OverdueRow))

    @property
    def catalog_coverage(self) -> float | None:
        return self.components["catalog_coverage"]

    @property
    def element_completeness(self) -> float | None:
        return self.components["element_completeness"]

    @property
    def disclosure_coverage(self) -> float | None:
        return self.components["disclosure_coverage"]

    @property
    def timeliness(self) -> float | None:
        return self.components["timeliness"]

    @property
    def interpretation_sync(self) -> float | None:
        return self.components["interpretation_sync"]

    @property
    def milestone_2020_09(self) -> Milestone:
        return self.milestones["milestone_2020_09"]

    @property
    def milestone_2023_06(self) -> Milestone:
        return self.milestones["milestone_2023_06"]

    def to_json(self) -> dict[str, Any]:
        """DESIGN §6 keys (ratios rounded to 4 decimals) plus kind, components, gaps, pending and
        unclassified_count."""
        out: dict[str, Any] = {"district": self.name, "code": self.code, "kind": self.kind,
                               "rank": self.rank, "score": self.score, "grade": self.grade}
        for c, v in self.components.items():
            if c not in MEASURABLE:  # manual indicators appear in "components" only (DESIGN §12)
                continue
            if c in self.milestones:
                out[c] = self.milestones[c].to_json()
            else:
                out[c] = None if v is None else round(v, 4)
        # docs/ARCHITECTURE.md: every component value (milestones as their 0..1 value) in one dict too.
        out["components"] = {c: None if v is None else round(v, 4) for c, v in self.components.items()}
        listed = self.__dict__.get("_gaps")
        if isinstance(listed, _UnitLists) and listed.value is None:  # straight from the columns
            lists = listed.lists.unit_json(self.code)
            missing_items, overdue, pending = lists["missing_items"], lists["overdue"], lists["pending"]
            gaps = lists["gaps"] + [g.to_json() for g in listed.tail]
            missing_items += [str(g.item) for g in listed.tail if g.category is GapCategory.MISSING_ITEM]
        else:
            missing_items, overdue = list(self.missing_items), [o.to_json() for o in self.overdue]
            gaps, pending = [g.to_json() for g in self.gaps], [p.to_json() for p in self.pending]
        out.update({"missing_items": missing_items, "overdue": overdue,
                    "calendar_estimated": self.calendar_estimated, "gaps": gaps,
                    "pending": pending, "unclassified_count": self.unclassified_count,
                    "weighted_score": self.score if self.weighted_score is None else self.weighted_score,
                    "vetoes": [v.to_json() for v in self.vetoes], "bonus": self.bonus.to_json(),
                    "findings": [f.to_json() for f in self.findings]})
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> DistrictResult:
        """The unit of a stored evaluation JSON (`to_json()`), as the typed result. Values are as
        stored (ratios at 4 decimals); `measures` is empty and each milestone's `condition` None.
        Raises ValueError when the JSON's overdue, pending or missing lists disagree with its gaps."""
        pending = tuple(PendingRow.from_json(p) for p in d["pending"])
        overdue = iter([OverdueRow.from_json(o) for o in d["overdue"]])
        late_pending = iter([p for p in pending if p.overdue])
        gaps = []
        for g in d["gaps"]:
            category = GapCategory(g["category"])
            source = (next(overdue, None) if category is GapCategory.OVERDUE else
                      next(late_pending, None) if category is GapCategory.PENDING_OVERDUE else None)
            if category in (GapCategory.OVERDUE, GapCategory.PENDING_OVERDUE) and source is None:
                raise ValueError(f"{d['code']}: more {category} gaps than rows")
            gaps.append(Gap.from_json(g, source))
        if next(overdue, None) is not None or next(late_pending, None) is not None:
            raise ValueError(f"{d['code']}: overdue/pending rows without their gap")
        components = dict(d["components"])
        result = cls(
            code=d["code"], name=d["district"], kind=d["kind"], rank=int(d["rank"]), score=float(d["score"]),
            grade=d["grade"], components=components,
            milestones={c: Milestone.from_json(d[c]) for c in components if isinstance(d.get(c), Mapping)},
            pending=pending, gaps=tuple(gaps), calendar_estimated=bool(d["calendar_estimated"]),
            unclassified_count=int(d["unclassified_count"]), weighted_score=float(d["weighted_score"]),
            vetoes=tuple(Veto.from_json(v) for v in d["vetoes"]), bonus=Bonus.from_json(d["bonus"]),
            findings=tuple(Finding.from_json(f) for f in d["findings"]))
        if list(result.missing_items) != list(d["missing_items"]):
            raise ValueError(f"{d['code']}: missing_items disagree with the missing_item gaps")
        return result


# Set on the class after @dataclass made it (the fields stay required, in their place): the
# dataclass' __init__ then stores through the descriptors.
for _index, _name in enumerate(("pending", "gaps")):
    setattr(DistrictResult, _name, _Listed(_name, _index))


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of every unit (or the one asked for) as of a date."""
    as_of: dt.date
    since: dt.date
    rules_version: str
    districts: tuple[DistrictResult, ...]
    rules: Rules | None = field(repr=False, compare=False, default=None)

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "since": self.since.isoformat(),
                "rules_version": self.rules_version,
                "districts": [d.to_json() for d in self.districts]}

    @classmethod
    def from_json(cls, d: Mapping[str, Any], rules: Rules | None = None) -> Evaluation:
        """A stored evaluation JSON (`to_json()`, e.g. a round's) as the typed result; `rules`,
        when given, are the rules it was computed with (a round's stored rules)."""
        return cls(dt.date.fromisoformat(d["as_of"]), dt.date.fromisoformat(d["since"]), d["rules_version"],
                   tuple(DistrictResult.from_json(x) for x in d["districts"]), rules)

    def select(self, codes: Iterable[str] | None) -> Evaluation:
        """The evaluation keeping only the units in `codes` (ranks stay those among all units), in
        rank order; all of them when None."""
        if codes is None:
            return self
        keep = set(codes)
        return replace(self, districts=tuple(d for d in self.districts if d.code in keep))

    def district(self, code_or_name: str) -> DistrictResult:
        """The result of one unit by code or name; KeyError when absent."""
        for d in self.districts:
            if code_or_name in (d.code, d.name):
                return d
        raise KeyError(code_or_name)


def _none(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def _plain_rows(frame: pd.DataFrame, names: Iterable[str], order: np.ndarray, taken: Mapping[str, list[Any]],
                as_float: bool = False) -> list[dict[str, Any]]:
    """Each row of `frame` in `order` (positions) as {name: plain Python value} over the columns
    `names`, NaN/NA as None; with as_float the values as floats (as `astype(float)` gives).
    `taken`: the columns already taken in that order as plain values (a numpy column's NaN only
    needs replacing), the others are converted here."""
    dtypes = dict(zip(frame.columns, frame.dtypes.tolist(), strict=True))
    columns = {}
    for c in names:
        dtype = dtypes[c]
        if isinstance(dtype, np.dtype) and (dtype.kind == "f" or (dtype.kind in "iub" and not as_float)):
            columns[c] = [None if v != v else v for v in taken[c]]  # v != v: NaN
            continue
        if as_float:
            numbers = frame[c].to_numpy(dtype=float, na_value=np.nan)[order]
            values = numbers.astype(object)
            values[np.isnan(numbers)] = None
        else:
            values = frame[c].to_numpy(dtype=object, na_value=None)[order]  # type: ignore[call-overload]
        columns[c] = values.tolist()
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def measured(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date,
             rules: Rules, shared: measure.Shared = ()) -> pd.DataFrame:
    """Measurements and decisions of every unit at one point (one row per unit)."""
    return decide(measure.point_measures(con, [(as_of, since)], rules, shared), rules)


@dataclass(frozen=True)
class Measured:
    """One point measured and decided for every unit, with its per-row details: what
    `fix_candidates` and `what_if` start from, so a caller doing both measures once."""
    as_of: dt.date
    since: dt.date
    decided: pd.DataFrame
    details: measure.Details


def measure_point(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date | None = None,
                  rules: Rules | None = None) -> Measured:
    """Measure every unit at (as_of, since) once (since defaults to the rules' window start)."""
    rules = rules or load_rules()
    since = since or rules.since_for(as_of)
    decided, details = measured_with_details(con, as_of, since, rules)
    return Measured(as_of, since, decided, details)


def measured_with_details(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date,
                          rules: Rules) -> tuple[pd.DataFrame, measure.Details]:
    """`measured` and `measure.details` of one point, computing the relations both read once."""
    params = {**measure.rule_params(rules), **measure.window_bounds(since, as_of)}
    with measure.shared_relations(con, SHARED_RELATIONS, params) as shared:
        return measured(con, as_of, since, rules, shared), measure.details(con, as_of, since, rules, shared)


def evaluate(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date | None = None,
             unit: str | None = None, rules: Rules | None = None) -> Evaluation:
    """Evaluate every unit as of `as_of` over the window [since, as_of].

    `since` defaults to 1 January of as_of's year. `unit` (name, alias or code) keeps only
    that unit in the result; its rank is still among all units. Raises UnknownDistrictError for
    an unknown district and ValueError when since > as_of.
    """
    rules = rules or load_rules()
    since = since or rules.since_for(as_of)
    if since > as_of:
        raise ValueError(text.CLI_ERRORS["since_after_as_of"].format(since=since, as_of=as_of))
    only = resolve_district(con, unit) if unit else None
    with _gc_paused():
        return _evaluate(con, as_of, since, only, rules)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Run without cyclic garbage collection: the explanations are 10⁵ small dicts and lists
    (nationally), and collector passes triggered by their allocation cost more than building them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _evaluate(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date, only: str | None,
              rules: Rules) -> Evaluation:
    params = {**measure.rule_params(rules), **measure.window_bounds(since, as_of)}
    with measure.shared_relations(con, SHARED_RELATIONS, params) as shared:
        decided = measured(con, as_of, since, rules, shared)
        tables = measure.detail_tables(con, as_of, since, rules, shared, decided[["code", "catalog_id"]])
        recorded = measure.recorded_findings(con, shared)
    if only is not None:  # explain only the unit asked for
        decided = decided[decided["code"] == only]
        tables = {name: t.filter(pc.equal(t["code"], only)) if "code" in t.column_names else t
                  for name, t in tables.items()}
    lists = explain.Lists(tables, as_of)
    pending_estimated = set(tables["pending_disclosures"].filter(tables["pending_disclosures"]["estimated"])["code"]
                            .to_pylist())
    level1_map = explain.uncovered_level1(tables["undisclosed_items"], tables["city_items"])
    incomplete = explain.incomplete_counts(tables["blank_elements"])
    in_force: list[Mapping[str, Any]] = []
    if (rules.manual.indicators or rules.manual.bonuses) and recorded:  # 0 / None: none recorded
        in_force = manual_findings.in_force(con, as_of).to_dict("records")  # type: ignore[assignment]
    findings_map: dict[str, list[Mapping[str, Any]]] = {}
    for f in in_force:
        findings_map.setdefault(str(f["code"]), []).append({str(k): v for k, v in f.items()})
    results = []
    # Plain dict records: thousands of units must not pay pandas' per-row cost. The units in rank,
    # then code order (a stable sort, as sort_values gives) as positions; each column taken in that
    # order as plain Python values (what to_dict("records") gives, at a third of its cost, with no
    # sorted copy of the frame), then each milestone's status, date and days late.
    ranks, codes = decided["rank"].tolist(), decided["code"].tolist()
    order = np.array(sorted(range(len(codes)), key=lambda i: (ranks[i], codes[i])), dtype=np.int64)
    # All columns at once, block by block (a column lookup costs more than its values on small frames).
    names = [str(c) for c in decided.columns]
    taken = decided.to_numpy(dtype=object)[order].T.tolist() if len(order) else [[] for _ in names]
    columns: dict[str, list[Any]] = dict(zip(names, taken, strict=True))
    as_ofs = pd.Series(columns["as_of"], dtype=object)
    for ms, deadline in rules.milestones.items():
        o = milestone_outcomes(pd.Series(columns[MILESTONE_DATE_COLUMNS[ms]], dtype=object), as_ofs, deadline)
        for part in ("status", "date", "days_late"):
            columns[f"{ms}_{part}"] = o[part].tolist()
    records = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    # Component values and measures column-wise (NaN as None), not 10⁴–10⁵ per-value conversions.
    component_rows = _plain_rows(decided, rules.component_ids, order, columns, as_float=True)
    measure_rows = _plain_rows(decided, measure.MEASURE_COLUMNS, order, columns)
    milestone_ids = rules.ids(ComponentKind.MILESTONE)
    for row, component_values, measure_values in zip(records, component_rows, measure_rows, strict=True):
        code = row["code"]
        reasons = {"missing": lists.count("missing", code), "incomplete": incomplete.get(code, 0),
                   "level1": level1_map.get(code, [])}
        milestones, milestone_gaps = {}, []
        for ms in milestone_ids:
            status, date, days = row[f"{ms}_status"], _none(row[f"{ms}_date"]), _none(row[f"{ms}_days_late"])
            condition = explain.milestone_condition(ms, status, date, row, as_of, reasons)
            milestones[ms] = Milestone(MilestoneStatus(status), date, None if days is None else int(days), condition)
            if status in ("late", "missed"):
                milestone_gaps.append(explain.milestone_gap(ms, status, condition))
        extra = manual.explain_unit(row, findings_map.get(code, []), rules.manual, text.COMPONENT_LABELS)
        listed = _UnitLists(lists, code, (*milestone_gaps, *extra.gaps))
        results.append(DistrictResult(
            code=code, name=row["name"], kind=row["kind"], rank=int(row["rank"]),
            score=float(row["score"]), grade=row["grade"],
            components=component_values,
            milestones=milestones, pending=listed,  # type: ignore[arg-type]  # read as tuples (_Listed)
            gaps=listed,  # type: ignore[arg-type]
            calendar_estimated=bool(row["estimated_judged"] or row["estimated_docs"]
                                    or code in pending_estimated),
            unclassified_count=int(row["unclassified"]),
            measures=measure_values,
            weighted_score=float(row["weighted_score"]), vetoes=extra.vetoes, bonus=extra.bonus,
            findings=extra.findings))
    return Evaluation(as_of, since, rules.version, tuple(results), rules)
