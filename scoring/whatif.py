"""What-if: which fixes raise a unit's score most, and the score/rank a set of fixes would give.

Fixes act on the measurement level: a unit's measured counts (and the sets behind the 2023
milestone) are adjusted as if the fix were done on as_of, then the same pure decision functions
re-run. A fix done on as_of means: catalog fixes publish a new catalog version that day (a copy
of the effective catalog with the rows added or filled, same 文号 unless the fix issues one);
disclosure fixes publish that day (a missing item's disclosure without a formation date, so it
is not judged for timeliness; a pending one with its own formation date, so it is judged).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import pandas as pd

from scoring import explain, findings, measure
from scoring.decide import ELEMENTS_PER_ROW, rank_among, score_frame
from scoring.districts import resolve_district
from scoring.evaluation import Measured, measured_with_details
from scoring.rules import Rules, load_rules
from scoring.vocabulary import FixKind
from ui_text import scoring as text
from ui_text.scoring import COMPONENT_LABELS

FIX_KINDS = tuple(FixKind)  # the planner's tie-break order
_NAMES = re.compile(r"[《〈]([^《》〈〉]+)[》〉]")


@dataclass(frozen=True)
class Fix:
    """One thing a unit can do. `key` names its target: an item_id (add_item, publish_item),
    'catalog_id#row_no' (fill_elements), a disclosure_id (publish_*), or the unit code (issue_catalog,
    publish_catalog: a unit without a catalog issues one holding every city item with its nine elements)."""
    kind: FixKind
    item: str | None
    description: str
    gain: float
    key: str


@dataclass(frozen=True)
class WhatIf:
    score: float
    grade: str
    rank: int


@dataclass
class _State:
    """One unit's measurements plus the sets the 2023 milestone needs, mutable while fixes apply."""
    m: dict[str, Any]
    missing: set[str]
    incomplete: set[str]
    undisclosed: set[str]
    level1_items: dict[str, set[str]] = field(default_factory=dict)
    done: set[tuple[str, str]] = field(default_factory=set)

    def copy(self) -> _State:
        return _State(dict(self.m), set(self.missing), set(self.incomplete), set(self.undisclosed),
                      self.level1_items, set(self.done))


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """`frame.itertuples()` with rows typed as Any (their fields are the frame's columns)."""
    return frame.itertuples()


def _unmet(value: Any, as_of: dt.date) -> bool:
    """True when a milestone's first-met date is unknown or after as_of."""
    return value is None or pd.isna(value) or value > as_of


@dataclass(frozen=True)
class _Context:
    as_of: dt.date
    since: dt.date
    code: str
    rules: Rules
    others: pd.Series                 # the other units' scores
    state: _State
    details: measure.Details          # filtered to the unit
    city_items: pd.DataFrame


def _context(con: duckdb.DuckDBPyConnection, as_of: dt.date, unit: str, since: dt.date | None,
             rules: Rules | None, measured: Measured | None = None) -> _Context:
    rules = rules or load_rules()
    since = since or rules.since_for(as_of)
    code = resolve_district(con, unit)
    if measured is not None and (measured.as_of, measured.since) == (as_of, since):
        decided, d = measured.decided, measured.details
    else:
        decided, d = measured_with_details(con, as_of, since, rules)
    row = decided[decided["code"] == code].iloc[0]
    mine = {name: getattr(d, name)[getattr(d, name)["code"] == code].reset_index(drop=True)
            for name in ("missing_items", "blank_elements", "undisclosed_items", "overdue", "pending",
                         "unsynced")}
    details = measure.Details(**mine)
    city = measure.run(con, "city_items")
    incomplete = explain.incomplete_items(details).get(code, set())
    state = _State(m={str(k): v for k, v in row.to_dict().items()}, missing=set(details.missing_items["item_id"]), incomplete=set(incomplete),
                   undisclosed=set(details.undisclosed_items["item_id"]),
                   level1_items={str(k): set(v) for k, v in city.groupby("level1")["item_id"]})
    others = decided.loc[decided["code"] != code, "score"]
    return _Context(as_of, since, code, rules, others, state, details, city)


def _publish(s: _State, item_id: object) -> None:
    if isinstance(item_id, str) and item_id in s.undisclosed:
        s.undisclosed.discard(item_id)
        s.m["disclosed_items"] += 1


def _apply(ctx: _Context, s: _State, kind: str, key: str) -> None:
    """Adjust `s` as if the fix (kind, key) were done on as_of."""
    if (kind, key) in s.done:
        return
    s.done.add((kind, key))
    d, m, r = ctx.details, s.m, ctx.rules
    if kind == "add_item" and key in s.missing:
        s.missing.discard(key)
        m.update(has_catalog=True, covered_items=m["covered_items"] + 1, catalog_rows=m["catalog_rows"] + 1,
                 filled_elements=m["filled_elements"] + ELEMENTS_PER_ROW,
                 complete_items=m["complete_items"] + 1)
    elif kind == "fill_elements":
        catalog_id, row_no = key.rsplit("#", 1)
        rows = d.blank_elements[(d.blank_elements["catalog_id"] == catalog_id)
                                & (d.blank_elements["row_no"] == int(row_no))]
        for row in _rows(rows):
            m["filled_elements"] += len(row.blank_elements)
            if isinstance(row.item_id, str) and row.item_id in s.incomplete:
                s.incomplete.discard(row.item_id)
                m["complete_items"] += 1
    elif kind == "publish_item":
        _publish(s, key)
    elif kind in ("publish_pending", "publish_overdue"):
        for row in _rows(d.pending[d.pending["disclosure_id"] == key]):
            if isinstance(row.deadline, str):  # ISO text: compares as dates do
                m["judged"] += 1
                m["on_time"] += int(ctx.as_of.isoformat() <= row.deadline)
            if (row.level1, row.level2) == (r.policy_level1, r.policy_level2) and _NAMES.search(row.title):
                m["policy_docs"] += 1
            _publish(s, row.item_id)
    elif kind == "publish_interpretation":
        if key in set(d.unsynced["disclosure_id"]):
            m["synced"] += 1
        items = ctx.city_items[(ctx.city_items["level1"] == r.interpretation_level1)
                               & (ctx.city_items["level2"] == r.interpretation_level2)]["item_id"]
        for item_id in items:
            _publish(s, item_id)
    elif kind == "issue_catalog":
        if _unmet(m["m2020_on"], ctx.as_of):
            m["m2020_on"] = ctx.as_of
    elif kind == "provide_evidence":
        # the evaluator finds the indicator met on as_of (full marks) on the evidence provided
        m[f"{findings.VALUE_PREFIX}{key}"] = r.manual.indicator(key).max_points
    elif kind == "publish_catalog" and not m["has_catalog"]:
        n = len(ctx.city_items)
        s.missing.clear()
        s.incomplete.clear()
        m.update(has_catalog=True, covered_items=n, catalog_rows=n, filled_elements=n * ELEMENTS_PER_ROW,
                 complete_items=n)
        if _unmet(m["m2020_on"], ctx.as_of):
            m["m2020_on"] = ctx.as_of
    uncovered = [l1 for l1, items in s.level1_items.items() if items <= s.undisclosed]
    if (_unmet(m["m2023_on"], ctx.as_of) and m["has_catalog"] and not s.missing
            and not s.incomplete and not uncovered):
        m["m2023_on"] = ctx.as_of


def _score(ctx: _Context, s: _State) -> WhatIf:
    decided = score_frame(pd.DataFrame([s.m]), ctx.rules).iloc[0]  # bonus and vetoes included
    value = float(decided["score"])
    return WhatIf(value, str(decided["grade"]), rank_among(value, ctx.others))


def _candidates(ctx: _Context) -> list[Fix]:
    """Every applicable fix with gain 0 (filled in by the caller)."""
    d, t, out = ctx.details, text.FIX_DESCRIPTIONS, []
    m = ctx.state.m
    if not m["has_catalog"]:
        # Without a catalog the first fix is the whole catalog, not 43 one-row catalogs.
        out.append(Fix(FixKind.PUBLISH_CATALOG, None, t["publish_catalog"].format(n=len(ctx.city_items)), 0.0,
                       ctx.code))
    for r in _rows(d.missing_items) if m["has_catalog"] else ():
        out.append(Fix(FixKind.ADD_ITEM, r.item, t["add_item"].format(item=r.item), 0.0, r.item_id))
    for r in _rows(d.blank_elements):
        elements = text.ELEMENT_SEPARATOR.join(explain.element_names(r.blank_elements))
        out.append(Fix(FixKind.FILL_ELEMENTS, r.item, t["fill_elements"].format(item=r.item, elements=elements), 0.0,
                       f"{r.catalog_id}#{r.row_no}"))
    for r in _rows(d.undisclosed_items):
        out.append(Fix(FixKind.PUBLISH_ITEM, r.item, t["publish_item"].format(item=r.item), 0.0, r.item_id))
    for r in _rows(d.pending):
        kind = FixKind.PUBLISH_OVERDUE if bool(r.overdue) else FixKind.PUBLISH_PENDING
        item = r.item if isinstance(r.item, str) else None
        out.append(Fix(kind, item, t[kind].format(title=r.title, deadline=r.deadline), 0.0, r.disclosure_id))
    for r in _rows(d.unsynced):
        if isinstance(r.sync_deadline, str) and r.sync_deadline >= ctx.as_of.isoformat():
            desc = t["publish_interpretation"].format(name=list(r.names)[0], deadline=r.sync_deadline)
            out.append(Fix(FixKind.PUBLISH_INTERPRETATION, None, desc, 0.0, r.disclosure_id))
    if m["has_catalog"] and _unmet(m["m2020_on"], ctx.as_of):
        out.append(Fix(FixKind.ISSUE_CATALOG, None, t["issue_catalog"], 0.0, ctx.code))
    for ind in ctx.rules.manual.indicators:  # DESIGN §12: 未核查 or below full marks
        value = m.get(f"{findings.VALUE_PREFIX}{ind.id}")
        if value is None or pd.isna(value) or value < ind.max_points:
            out.append(Fix(FixKind.PROVIDE_EVIDENCE, None,
                           t["provide_evidence"].format(label=COMPONENT_LABELS[ind.id]), 0.0, ind.id))
    return out


def fix_candidates(con: duckdb.DuckDBPyConnection, as_of: dt.date, unit: str,
                   since: dt.date | None = None, rules: Rules | None = None,
                   measured: Measured | None = None) -> list[Fix]:
    """The fixes that would raise `unit`'s (name, alias or code) score as of as_of, each with its gain in score
    points (2 decimals), sorted by gain descending (then kind, then item). Fixes with no gain
    are left out. `measured` (`scoring.measure_point` of the same point) saves measuring again.
    Raises UnknownDistrictError for an unknown district."""
    ctx = _context(con, as_of, unit, since, rules, measured)
    base = _score(ctx, ctx.state).score
    fixes = []
    for fix in _candidates(ctx):
        s = ctx.state.copy()
        _apply(ctx, s, fix.kind, fix.key)
        gain = round(_score(ctx, s).score - base, 2)
        if gain > 0:
            fixes.append(replace(fix, gain=gain))
    order = {k: i for i, k in enumerate(FIX_KINDS)}
    return sorted(fixes, key=lambda f: (-f.gain, order[f.kind], f.item or "", f.key))


def what_if(con: duckdb.DuckDBPyConnection, as_of: dt.date, unit: str, fixes: list[Fix],
            since: dt.date | None = None, rules: Rules | None = None,
            measured: Measured | None = None) -> WhatIf:
    """The score, grade and rank `unit` (name, alias or code) would have as of as_of with `fixes` done on as_of
    (the other units unchanged); `measured` as for `fix_candidates`. Raises
    UnknownDistrictError for an unknown district."""
    ctx = _context(con, as_of, unit, since, rules, measured)
    s = ctx.state.copy()
    for fix in fixes:
        _apply(ctx, s, fix.kind, fix.key)
    return _score(ctx, s)
