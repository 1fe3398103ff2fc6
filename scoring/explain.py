"""Explanations: per-unit gap rows, overdue and pending lists, milestone condition sentences.

Pure functions over the frames of `measure.Details` and the decided measurements; no I/O.
A gap row is one thing that costs points (docs/ARCHITECTURE.md):
{category, item, title, detail, missing_elements, workdays_late, deadline, rule}.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import string
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
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


def _column(frame: pd.DataFrame, name: str) -> list[Any]:
    """One column as a plain list (NaN/NA as None)."""
    values: list[Any] = frame[name].to_numpy(dtype=object, na_value=None).tolist()  # type: ignore[call-overload]
    return values


def _ints(values: Sequence[Any]) -> list[int | None]:
    return [None if v is None else int(v) for v in values]


def _days(values: Sequence[Any]) -> list[str]:
    """`day()` of each value, computed once per distinct value."""
    texts = {v: day(v) for v in set(values)}
    return [texts[v] for v in values]


def _texts(values: Sequence[Any]) -> list[str]:
    """`format(v)` of each value (as str.format prints it), computed once per distinct value."""
    if set(map(type, values)) <= {str}:
        return list(values)
    texts = {v: format(v) for v in set(values)}
    return [texts[v] for v in values]


def sentences(template: str, n: int, **fields: Sequence[Any] | str) -> list[str]:
    """`template.format(**row)` for each of n rows, built column-wise: the template is split once
    into literals and placeholders, each row is one `str.join` (10⁵ keyword `str.format` calls cost
    several times more). A field is a list of n values or one string for every row; the template
    may use plain `{name}` placeholders only."""
    parts: list[Any] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(itertools.repeat(literal, n))
        if name is None:
            continue
        if spec or conversion or name not in fields:
            raise ValueError(f"sentences(): unsupported placeholder {{{name}}} in {template!r}")
        value = fields[name]
        parts.append(itertools.repeat(value, n) if isinstance(value, str) else _texts(value))
    return ["".join(row) for row in zip(*parts)] if parts else [""] * n


def _group(codes: Sequence[Any], rows: list[Any], out: dict[str, list[Any]]) -> None:
    """Append rows[i] to out[codes[i]], a run of equal codes at a time (the detail frames are
    ordered by code, so a unit's rows are one slice)."""
    if not rows:
        return
    keys = np.array(codes, dtype=object)
    starts = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(rows)]
    for a, b in itertools.pairwise(starts):
        out[keys[a]].extend(rows[a:b])


def pending_rows(d: Details) -> dict[str, list[PendingRow]]:
    """code -> pending disclosures (title, item, formed_on, deadline, workdays_left, overdue)."""
    out: dict[str, list[PendingRow]] = defaultdict(list)
    f = d.pending
    _group(_column(f, "code"), list(map(PendingRow, _column(f, "title"), _column(f, "item"), _column(f, "formed_on"),
                                        _column(f, "deadline"), _ints(_column(f, "workdays_left")),
                                        [bool(v) for v in _column(f, "overdue")])), out)
    return out


def gap_rows(d: Details, as_of: dt.date, pending: Mapping[str, list[PendingRow]]) -> dict[str, list[Gap]]:
    """code -> every gap row except milestones, grouped by category in a fixed order. An overdue
    disclosure's gap holds its `OverdueRow`, an overdue pending row's gap the row of `pending`
    (`pending_rows(d)`), as `Gap.source`: each is one object. Sentences are built column-wise
    (`sentences`), the rows with one constructor call each: 10⁵ rows nationally."""
    out: dict[str, list[Gap]] = defaultdict(list)
    t, as_of_text = text.GAP_DETAILS, day(as_of)

    def add(codes: list[Any], gaps: Any) -> None:
        _group(codes, list(gaps), out)

    f = d.missing_items
    items = _column(f, "item")
    add(_column(f, "code"), (_gap(GapCategory.MISSING_ITEM, "catalog_coverage", detail, item=item)
                             for item, detail in zip(items, sentences(t["missing_item"], len(f), item=items))))
    f = d.blank_elements
    items, names = _column(f, "item"), [element_names(b) for b in _column(f, "blank_elements")]
    details = sentences(t["blank_elements"], len(f), row_no=_column(f, "row_no"), item=items,
                        elements=[text.ELEMENT_SEPARATOR.join(n) for n in names])
    add(_column(f, "code"), (_gap(GapCategory.BLANK_ELEMENTS, "element_completeness", detail, item=item,
                                  missing_elements=n) for item, n, detail in zip(items, names, details)))
    f = d.undisclosed_items
    items = _column(f, "item")
    add(_column(f, "code"), (_gap(GapCategory.NO_DISCLOSURE, "disclosure_coverage", detail, item=item)
                             for item, detail in zip(items, sentences(t["no_disclosure"], len(f), item=items,
                                                                      as_of=as_of_text))))
    f = d.overdue
    titles, items, formed, published, deadlines = (_column(f, c) for c in (
        "title", "item", "formed_on", "published_on", "deadline"))
    late = _ints(_column(f, "workdays_late"))
    details = sentences(t["overdue"], len(f), title=titles, formed_on=_days(formed), deadline=_days(deadlines),
                        published_on=_days(published), workdays_late=late)
    sources = map(OverdueRow, titles, items, formed, published, deadlines, late)
    add(_column(f, "code"), map(Gap, [GapCategory.OVERDUE] * len(f), items, titles, details, [()] * len(f), late,
                                deadlines, ["timeliness"] * len(f), sources))
    overdue_pending = [(code, p) for code, rows in pending.items() for p in rows if p.overdue]
    rows = [p for _, p in overdue_pending]
    late = [-int(p.workdays_left) for p in rows]  # type: ignore[arg-type]  # an overdue row has a deadline
    details = sentences(t["pending_overdue"], len(rows), title=[p.title for p in rows],
                        formed_on=_days([p.formed_on for p in rows]), deadline=_days([p.deadline for p in rows]),
                        as_of=as_of_text, workdays_late=late)
    add([code for code, _ in overdue_pending],
        (Gap(GapCategory.PENDING_OVERDUE, p.item, p.title, detail, (), n, p.deadline, "timeliness", p)
         for p, n, detail in zip(rows, late, details)))
    f = d.unsynced
    titles, deadlines = _column(f, "title"), _column(f, "sync_deadline")
    details = sentences(t["unsynced_interpretation"], len(f), title=titles,
                        published_on=_days(_column(f, "published_on")), deadline=_days(deadlines))
    add(_column(f, "code"), (_gap(GapCategory.UNSYNCED_INTERPRETATION, "interpretation_sync", detail, title=title,
                                  deadline=deadline) for title, deadline, detail in zip(titles, deadlines, details)))
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
