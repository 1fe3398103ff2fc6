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
import threading
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


def _strings(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Each value as `str.format` prints it (a number in decimal, NULL as 'None')."""
    return values if pa.types.is_string(values.type) else pc.cast(values, pa.string()).fill_null("None")


def _day_texts(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`day()` of each ISO date text (NULL as ''), computed once per distinct date."""
    encoded = pc.dictionary_encode(values).combine_chunks()
    texts = pa.array([day(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return texts.take(encoded.indices).fill_null("")


def sentences(template: str, n: int, **fields: pa.Array | pa.ChunkedArray | str) -> pa.Array | pa.ChunkedArray:
    """`template.format(**row)` for each of n rows, over whole Arrow columns: the template is split
    once into literals and placeholders and the pieces are joined by Arrow's string kernel (no
    per-row Python). A field is a column of n text values or one string for every row; the
    template may use plain `{name}` placeholders only."""
    parts: list[Any] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            parts.append(literal)
        if name is None:
            continue
        if spec or conversion or name not in fields:
            raise ValueError(f"sentences(): unsupported placeholder {{{name}}} in {template!r}")
        parts.append(fields[name])
    if n == 0 or not any(isinstance(p, pa.Array | pa.ChunkedArray) for p in parts):
        return pa.array(["".join(p for p in parts if isinstance(p, str))] * n, pa.string())
    return pc.binary_join_element_wise(*parts, "")


def _element_labels(blank: pa.Array | pa.ChunkedArray) -> pa.ListArray:
    """A list column of blank element column names as their Chinese names (schema order kept)."""
    lists = blank.combine_chunks() if isinstance(blank, pa.ChunkedArray) else blank
    keys = list(ELEMENT_LABELS)
    labels = pa.array([ELEMENT_LABELS[k] for k in keys], pa.string()).take(
        pc.index_in(lists.flatten(), value_set=pa.array(keys, pa.string())))
    return pa.ListArray.from_arrays(lists.offsets, labels)


def _runs(codes: pa.Array | pa.ChunkedArray) -> dict[str, tuple[int, int]]:
    """code -> (start, stop) of its rows in a column ordered by code."""
    keys = np.asarray(codes.to_numpy(zero_copy_only=False), dtype=object)
    if len(keys) == 0:
        return {}
    starts = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(keys)]
    return {keys[a]: (a, b) for a, b in itertools.pairwise(starts)}


# The gap categories of the listed rows, in the order a unit's gaps list them (milestone and manual
# gaps follow); each reads one table of `Lists`.
_LISTED = ("missing", "blank", "undisclosed", "overdue", "pending_overdue", "unsynced")


class Lists:
    """The gap and pending lists of every unit of one evaluation point, kept columnar: one Arrow
    table per list, ordered by unit, every figure and every sentence (`detail`) computed over whole
    columns when built. `unit(code)` gives one unit's typed `PendingRow`s and `Gap`s (built when asked,
    from Python lists of each whole column made once, under `lock` for callers sharing it). No
    database access after construction."""

    def __init__(self, tables: Mapping[str, pa.Table], as_of: dt.date) -> None:
        t, as_of_text = text.GAP_DETAILS, day(as_of)
        f = tables["missing_items"]
        missing = f.select(["code", "item"]).append_column(
            "detail", sentences(t["missing_item"], len(f), item=f["item"]))
        f = tables["blank_elements"]
        names = _element_labels(f["blank_elements"])
        blank = f.select(["code", "item"]).append_column("missing_elements", names).append_column(
            "detail", sentences(t["blank_elements"], len(f), row_no=_strings(f["row_no"]), item=f["item"],
                                elements=pc.binary_join(names, text.ELEMENT_SEPARATOR)))
        f = tables["undisclosed_items"]
        undisclosed = f.select(["code", "item"]).append_column(
            "detail", sentences(t["no_disclosure"], len(f), item=f["item"], as_of=as_of_text))
        f = tables["overdue_disclosures"]
        overdue = f.select(["code", "title", "item", "formed_on", "published_on", "deadline",
                            "workdays_late"]).append_column(
            "detail", sentences(t["overdue"], len(f), title=_strings(f["title"]), formed_on=_day_texts(f["formed_on"]),
                                deadline=_day_texts(f["deadline"]), published_on=_day_texts(f["published_on"]),
                                workdays_late=_strings(f["workdays_late"])))
        f = tables["pending_disclosures"]
        pending = f.select(["code", "title", "item", "formed_on", "deadline", "workdays_left", "overdue"])
        late = f.filter(pc.equal(f["overdue"], True))
        late_days = pc.negate(late["workdays_left"])
        pending_overdue = late.select(["code", "item", "title", "deadline"]).append_column(
            "workdays_late", late_days).append_column(
            "detail", sentences(t["pending_overdue"], len(late), title=_strings(late["title"]),
                                formed_on=_day_texts(late["formed_on"]), deadline=_day_texts(late["deadline"]),
                                as_of=as_of_text, workdays_late=_strings(late_days)))
        f = tables["unsynced_policies"]
        unsynced = f.select(["code", "title", "sync_deadline"]).append_column(
            "detail", sentences(t["unsynced_interpretation"], len(f), title=_strings(f["title"]),
                                published_on=_day_texts(f["published_on"]), deadline=_day_texts(f["sync_deadline"])))
        self._tables = {"missing": missing, "blank": blank, "undisclosed": undisclosed, "overdue": overdue,
                        "pending": pending, "pending_overdue": pending_overdue, "unsynced": unsynced}
        self._runs = {name: _runs(table["code"]) for name, table in self._tables.items()}
        self._columns: dict[str, dict[str, list[Any]]] = {}
        self.lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "lock"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, lock=threading.Lock())

    def count(self, name: str, code: str) -> int:
        a, b = self._runs[name].get(code, (0, 0))
        return b - a

    def _slice(self, name: str, code: str) -> tuple[dict[str, list[Any]], int, int]:
        columns = self._columns.get(name)
        if columns is None:
            table = self._tables[name]
            columns = self._columns[name] = {c: table[c].to_pylist() for c in table.column_names if c != "code"}
        a, b = self._runs[name].get(code, (0, 0))
        return columns, a, b

    def unit(self, code: str) -> tuple[tuple[PendingRow, ...], tuple[Gap, ...]]:
        """One unit's pending rows and listed gaps (an overdue pending row's gap holds the very
        `PendingRow` of the pending list, an overdue disclosure's gap its `OverdueRow`)."""
        c, a, b = self._slice("pending", code)
        pending = tuple(map(PendingRow, c["title"][a:b], c["item"][a:b], c["formed_on"][a:b], c["deadline"][a:b],
                            c["workdays_left"][a:b], c["overdue"][a:b]))
        gaps: list[Gap] = []
        c, a, b = self._slice("missing", code)
        gaps += (Gap(GapCategory.MISSING_ITEM, i, None, d, (), None, None, "catalog_coverage")
                 for i, d in zip(c["item"][a:b], c["detail"][a:b]))
        c, a, b = self._slice("blank", code)
        gaps += (Gap(GapCategory.BLANK_ELEMENTS, i, None, d, tuple(m), None, None, "element_completeness")
                 for i, m, d in zip(c["item"][a:b], c["missing_elements"][a:b], c["detail"][a:b]))
        c, a, b = self._slice("undisclosed", code)
        gaps += (Gap(GapCategory.NO_DISCLOSURE, i, None, d, (), None, None, "disclosure_coverage")
                 for i, d in zip(c["item"][a:b], c["detail"][a:b]))
        c, a, b = self._slice("overdue", code)
        for row in zip(c["title"][a:b], c["item"][a:b], c["formed_on"][a:b], c["published_on"][a:b],
                       c["deadline"][a:b], c["workdays_late"][a:b], c["detail"][a:b]):
            source = OverdueRow(*row[:6])
            gaps.append(Gap(GapCategory.OVERDUE, source.item, source.title, row[6], (), source.workdays_late,
                            source.deadline, "timeliness", source))
        c, a, b = self._slice("pending_overdue", code)
        for p, detail in zip([p for p in pending if p.overdue], c["detail"][a:b], strict=True):
            gaps.append(Gap(GapCategory.PENDING_OVERDUE, p.item, p.title, detail, (), p.workdays_late, p.deadline,
                            "timeliness", p))
        c, a, b = self._slice("unsynced", code)
        gaps += (Gap(GapCategory.UNSYNCED_INTERPRETATION, None, t, d, (), None, dl, "interpretation_sync")
                 for t, dl, d in zip(c["title"][a:b], c["sync_deadline"][a:b], c["detail"][a:b]))
        return pending, tuple(gaps)

    def unit_json(self, code: str) -> dict[str, list[Any]]:
        """What `unit(code)` holds as the unit's JSON lists (`missing_items`, `overdue`, `gaps` of
        the listed rows, `pending`), made straight from the columns: the dicts `Gap.to_json()`,
        `OverdueRow.to_json()` and `PendingRow.to_json()` give, without the typed objects."""
        c, a, b = self._slice("missing", code)
        missing_items = c["item"][a:b]
        cat, rule = GapCategory.MISSING_ITEM, "catalog_coverage"
        gaps = [{"category": cat, "item": i, "title": None, "detail": d, "missing_elements": [], "workdays_late": None,
                 "deadline": None, "rule": rule} for i, d in zip(missing_items, c["detail"][a:b])]
        c, a, b = self._slice("blank", code)
        cat, rule = GapCategory.BLANK_ELEMENTS, "element_completeness"
        gaps += [{"category": cat, "item": i, "title": None, "detail": d, "missing_elements": list(m),
                  "workdays_late": None, "deadline": None, "rule": rule}
                 for i, m, d in zip(c["item"][a:b], c["missing_elements"][a:b], c["detail"][a:b])]
        c, a, b = self._slice("undisclosed", code)
        cat, rule = GapCategory.NO_DISCLOSURE, "disclosure_coverage"
        gaps += [{"category": cat, "item": i, "title": None, "detail": d, "missing_elements": [], "workdays_late": None,
                  "deadline": None, "rule": rule} for i, d in zip(c["item"][a:b], c["detail"][a:b])]
        c, a, b = self._slice("overdue", code)
        rows = list(zip(c["title"][a:b], c["item"][a:b], c["formed_on"][a:b], c["published_on"][a:b],
                        c["deadline"][a:b], c["workdays_late"][a:b], c["detail"][a:b]))
        overdue = [{"title": t, "item": i, "formed_on": f, "published_on": p, "deadline": dl, "workdays_late": w}
                   for t, i, f, p, dl, w, _ in rows]
        cat, rule = GapCategory.OVERDUE, "timeliness"
        gaps += [{"category": cat, "item": i, "title": t, "detail": d, "missing_elements": [], "workdays_late": w,
                  "deadline": dl, "rule": rule} for t, i, _, _, dl, w, d in rows]
        c, a, b = self._slice("pending_overdue", code)
        cat = GapCategory.PENDING_OVERDUE
        gaps += [{"category": cat, "item": i, "title": t, "detail": d, "missing_elements": [], "workdays_late": w,
                  "deadline": dl, "rule": rule}
                 for i, t, d, w, dl in zip(c["item"][a:b], c["title"][a:b], c["detail"][a:b], c["workdays_late"][a:b],
                                           c["deadline"][a:b])]
        c, a, b = self._slice("unsynced", code)
        cat, rule = GapCategory.UNSYNCED_INTERPRETATION, "interpretation_sync"
        gaps += [{"category": cat, "item": None, "title": t, "detail": d, "missing_elements": [], "workdays_late": None,
                  "deadline": dl, "rule": rule}
                 for t, dl, d in zip(c["title"][a:b], c["sync_deadline"][a:b], c["detail"][a:b])]
        c, a, b = self._slice("pending", code)
        pending = [{"title": t, "item": i, "formed_on": f, "deadline": dl, "workdays_left": w, "overdue": o}
                   for t, i, f, dl, w, o in zip(c["title"][a:b], c["item"][a:b], c["formed_on"][a:b],
                                                c["deadline"][a:b], c["workdays_left"][a:b], c["overdue"][a:b])]
        return {"missing_items": missing_items, "overdue": overdue, "gaps": gaps, "pending": pending}


def _encoded(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, list[Any]]:
    """Each value's position in the list of distinct values (first seen first), and that list."""
    encoded = pc.dictionary_encode(values).combine_chunks()
    return np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64), encoded.dictionary.to_pylist()


def uncovered_level1(undisclosed: pa.Table, city_items: pa.Table) -> dict[str, list[str]]:
    """code -> first-level items none of whose city items has a disclosure (city order). Counted
    with numpy over the encoded columns (an Arrow group_by would load pyarrow.acero, and with it
    pyarrow.dataset, on an evaluation's first call)."""
    order: dict[str, int] = {}
    size: dict[str, int] = defaultdict(int)
    for name in city_items["level1"].to_pylist():
        order.setdefault(name, len(order))
        size[name] += 1
    if len(undisclosed) == 0:
        return {}
    unit, codes = _encoded(undisclosed["code"])
    levels = list(order)
    level = pc.index_in(undisclosed["level1"], value_set=pa.array(levels, pa.string()))
    counts = np.bincount(unit * len(levels) + np.asarray(level.to_numpy(zero_copy_only=False), dtype=np.int64),
                         minlength=len(codes) * len(levels)).reshape(len(codes), len(levels))
    full = counts == np.array([size[name] for name in levels], dtype=np.int64)
    out: dict[str, list[str]] = defaultdict(list)
    for i in sorted(range(len(codes)), key=codes.__getitem__):
        for j in np.flatnonzero(full[i]).tolist():
            out[codes[i]].append(levels[j])
    return out


def incomplete_counts(blank: pa.Table) -> dict[str, int]:
    """code -> how many matched city items of the effective catalog have no row holding all nine
    elements (the Arrow form of `incomplete_items`' sizes; distinct pairs counted with numpy)."""
    rows = blank.filter(pc.and_(pc.is_valid(blank["item_id"]), pc.invert(blank["item_complete_elsewhere"])))
    unit, codes = _encoded(rows["code"])
    item, items = _encoded(rows["item_id"])
    pairs = np.unique(unit * max(len(items), 1) + item)
    counts = np.bincount(pairs // max(len(items), 1), minlength=len(codes))
    return dict(zip(codes, counts.tolist(), strict=True))


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
