"""Explanations: per-unit gap rows, overdue and pending lists, milestone condition sentences.

Pure functions over the frames of `measure.Details` and the decided measurements; no I/O.
A gap row is one thing that costs points (docs/ARCHITECTURE.md):
{category, item, title, detail, missing_elements, workdays_late, deadline, rule}.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from scoring.measure import Details
from scoring.result_rows import Gap, OverdueRow, PendingRow
from scoring.vocabulary import GapCategory
from ui_text import scoring as text
from ui_text.common import ELEMENT_LABELS, date_text


def iso(value: Any) -> str | None:
    """A date as an ISO string; None for None/NaT."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return pd.Timestamp(value).date().isoformat()


def _int(value: Any) -> int | None:
    return None if value is None or value != value else int(value)  # value != value: NaN


def _gap(category: GapCategory, rule: str, detail: str, item: str | None = None, title: str | None = None,
         missing_elements: list[str] | None = None, workdays_late: int | None = None,
         deadline: str | None = None) -> Gap:
    return Gap(category, item, title, detail, tuple(missing_elements or ()), workdays_late, deadline, rule)


def element_names(columns: Any) -> list[str]:
    """Chinese names of blank element columns, in schema order."""
    return [ELEMENT_LABELS[c] for c in list(columns)]


def _records(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Rows of `frame` as plain tuples (NaN/NA as None), fast enough for 10⁵ rows."""
    series: list[Any] = [frame[c] for c in columns]  # pandas-stubs lacks na_value=None for object arrays
    return list(zip(*(s.to_numpy(dtype=object, na_value=None).tolist() for s in series)))


@functools.lru_cache(maxsize=8192)
def day(value: Any) -> str:
    """A date as the gap and milestone sentences print it: 2023年6月30日, as every other date a
    reader sees in prose (cached: a national evaluation writes 10⁵ sentences over a few thousand days)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):  # the typed rows hold ISO text
        value = dt.date.fromisoformat(value)
    return date_text(value) if isinstance(value, dt.date) else str(value)


def pending_rows(d: Details) -> dict[str, list[PendingRow]]:
    """code -> pending disclosures (title, item, formed_on, deadline, workdays_left, overdue)."""
    out: dict[str, list[PendingRow]] = defaultdict(list)
    for code, title, item, formed, deadline, left, overdue in _records(d.pending, (
            "code", "title", "item", "formed_on", "deadline", "workdays_left", "overdue")):
        out[code].append(PendingRow(title, item, formed, deadline, None if left is None else int(left), bool(overdue)))
    return out


def gap_rows(d: Details, as_of: dt.date, pending: Mapping[str, list[PendingRow]]) -> dict[str, list[Gap]]:
    """code -> every gap row except milestones, grouped by category in a fixed order. An overdue
    disclosure's gap holds its `OverdueRow`, an overdue pending row's gap the row of `pending`
    (`pending_rows(d)`), as `Gap.source`: each is one object."""
    out: dict[str, list[Gap]] = defaultdict(list)
    t, as_of_text = text.GAP_DETAILS, day(as_of)
    for code, item in _records(d.missing_items, ("code", "item")):
        out[code].append(_gap(GapCategory.MISSING_ITEM, "catalog_coverage", t["missing_item"].format(item=item),
                              item=item))
    for code, row_no, item, blanks in _records(d.blank_elements, ("code", "row_no", "item", "blank_elements")):
        names = element_names(blanks)
        detail = t["blank_elements"].format(row_no=row_no, item=item,
                                            elements=text.ELEMENT_SEPARATOR.join(names))
        out[code].append(_gap(GapCategory.BLANK_ELEMENTS, "element_completeness", detail, item=item,
                              missing_elements=names))
    for code, item in _records(d.undisclosed_items, ("code", "item")):
        out[code].append(_gap(GapCategory.NO_DISCLOSURE, "disclosure_coverage",
                              t["no_disclosure"].format(item=item, as_of=as_of_text), item=item))
    # The two biggest lists (10⁵ rows nationally) build their rows inline: no per-row helper call
    # but the cached date text.
    overdue_text = t["overdue"].format
    for code, title, item, formed, published, deadline, late in _records(d.overdue, (
            "code", "title", "item", "formed_on", "published_on", "deadline", "workdays_late")):
        late = None if late is None else int(late)
        out[code].append(Gap(GapCategory.OVERDUE, item, title,
                             overdue_text(title=title, formed_on=day(formed), deadline=day(deadline),
                                          published_on=day(published), workdays_late=late),
                             (), late, deadline, "timeliness",
                             OverdueRow(title, item, formed, published, deadline, late)))
    pending_text = t["pending_overdue"].format
    for code, rows in pending.items():
        for p in rows:
            if not p.overdue:
                continue
            late = -int(p.workdays_left)  # type: ignore[arg-type]  # an overdue row has a deadline
            out[code].append(Gap(GapCategory.PENDING_OVERDUE, p.item, p.title,
                                 pending_text(title=p.title, formed_on=day(p.formed_on), deadline=day(p.deadline),
                                              as_of=as_of_text, workdays_late=late),
                                 (), late, p.deadline, "timeliness", p))
    for code, title, published, deadline in _records(d.unsynced, ("code", "title", "published_on",
                                                                  "sync_deadline")):
        detail = t["unsynced_interpretation"].format(title=title, published_on=day(published),
                                                     deadline=day(deadline))
        out[code].append(_gap(GapCategory.UNSYNCED_INTERPRETATION, "interpretation_sync", detail, title=title,
                              deadline=deadline))
    return out


def uncovered_level1(d: Details, city_items: pd.DataFrame) -> dict[str, list[str]]:
    """code -> first-level items none of whose city items has a disclosure (city order)."""
    per_level1 = city_items.groupby("level1", sort=False)["item_id"].count()
    missing = d.undisclosed_items.groupby(["code", "level1"], sort=False)["item_id"].count()
    out: dict[str, list[str]] = defaultdict(list)
    order = {name: i for i, name in enumerate(city_items.drop_duplicates("level1")["level1"])}
    pairs: list[tuple[Any, int]] = [(k, int(v)) for k, v in missing.items()]
    for (code, level1), count in sorted(pairs, key=lambda kv: (kv[0][0], order[kv[0][1]])):
        if count == per_level1[level1]:
            out[code].append(level1)
    return out


def incomplete_items(d: Details) -> dict[str, set[str]]:
    """code -> matched city items in the effective catalog with no row holding all nine elements."""
    rows = d.blank_elements[d.blank_elements["item_id"].notna() & ~d.blank_elements["item_complete_elsewhere"]]
    out: dict[str, set[str]] = defaultdict(set)
    for code, item_id in zip(rows["code"], rows["item_id"]):
        out[code].add(item_id)
    return out


def milestone_condition(milestone: str, status: str, date: dt.date | None, row: Mapping[str, Any],
                        as_of: dt.date, reasons: dict[str, Any]) -> str:
    """The sentence saying which condition was met last (or what is still unmet)."""
    c = text.MILESTONE_CONDITIONS
    if milestone == "milestone_2020_09":
        if date is not None:
            return c["m2020_met"].format(date=day(date), document_no=row["m2020_document_no"])
        return c["m2020_unmet"].format(as_of=day(as_of))
    if date is not None:
        if row["m2023_last"] == "catalog":
            return c["m2023_met_catalog"].format(date=day(date), n=int(row["n_items"]))
        return c["m2023_met_disclosure"].format(date=day(date), level1=row["m2023_last_level1"])
    parts = []
    if reasons["missing"]:
        parts.append(c["m2023_reason_missing"].format(count=reasons["missing"]))
    if reasons["incomplete"]:
        parts.append(c["m2023_reason_blank"].format(count=reasons["incomplete"]))
    if reasons["level1"]:
        names = text.NAME_SEPARATOR.join(text.NAME_QUOTE.format(name=n) for n in reasons["level1"])
        parts.append(c["m2023_reason_level1"].format(names=names))
    if not parts:
        parts.append(c["m2023_reason_catalog_history"])
    return c["m2023_unmet"].format(as_of=day(as_of), reasons=text.REASON_SEPARATOR.join(parts))


def milestone_gap(milestone: str, status: str, condition: str) -> Gap:
    """The gap row of a late or missed milestone."""
    detail = text.MILESTONE_GAP.format(label=text.COMPONENT_LABELS[milestone],
                                       status=text.MILESTONE_STATUS_LABELS[status], condition=condition)
    return _gap(GapCategory(milestone), milestone, detail)
