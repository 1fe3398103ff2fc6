"""Normalise a parsed catalog table (any format) into catalog rows.

Finds the header among the document's tables (a title row above it is skipped; a second
header row holds 一级/二级 under 公开事项 and the 全社会/主动/县级 tick sub-columns), maps
header wording variants to the schema's element columns (`loaders/vocabulary.toml`), fills
一级事项 down over merged or blank continuation cells, turns ticks into the ticked
sub-column names joined with '、' and ■ channel boxes into the kept channels.

Returns a frame with the columns of `district_catalog_rows` (without catalog_id and
matched_item_id) plus the problems found; it never touches the database.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders import marks
from loaders.errors import LoadProblem, ProblemKind
from loaders.model import NormalisedRows, ParsedDocument, ParsedTable
from loaders.names import name_key
from loaders.reference import NINE_ELEMENTS
from loaders.vocabulary import match_field, vocabulary, words

TICK_GROUPS = ("audience", "method", "disclosure_level")
ROW_COLUMNS = ["row_no", "level1", "level2", "level1_key", "level2_key", *NINE_ELEMENTS[1:]]
_HEADER_SCAN = 15


@dataclass
class Column:
    index: int
    field: str
    label: str                 # header text as written, for messages
    tick_name: str | None = None


def _sub_field(text: str) -> str | None:
    return match_field(text, "catalog.sub_columns")


def _header_fields(row: list[str]) -> set[str]:
    return {f for f in (match_field(c, "catalog.columns") or _sub_field(c) for c in row) if f}


def find_header(table: ParsedTable) -> int | None:
    """Index of the header row: it names the item and at least two other element columns."""
    for i, row in enumerate(table.cells[:_HEADER_SCAN]):
        found = _header_fields(row)
        if found & {"level2", "level1"} and len(found - {"seq", "notes"}) >= 3:
            return i
    return None


def _group_tops(top: list[str]) -> list[str | None]:
    """The field of each column's header above, a blank top cell continuing the one to its left."""
    out: list[str | None] = []
    current: str | None = None
    for t in top:
        current = match_field(t, "catalog.columns") if t else current
        out.append(current)
    return out


def _is_sub_header(top: list[str], sub: list[str]) -> bool:
    """A second header row: every cell is blank, repeats the merged cell above, is a header
    word, or names a sub-column under 公开对象/公开方式/公开层级 (e.g. 社区级, not a tick)."""
    groups = _group_tops(top)
    differing = [(s, g) for t, s, g in zip(top, sub, groups) if s and s != t]
    return bool(differing) and all(
        _sub_field(s) or match_field(s, "catalog.columns")
        or (g in TICK_GROUPS and len(s) <= 8 and not marks.is_ticked(s)) for s, g in differing)


def map_columns(top: list[str], sub: list[str] | None) -> list[Column]:
    """Columns of a one- or two-row header, in order; unrecognised columns are left out."""
    columns: list[Column] = []
    groups = _group_tops(top)
    for j, t in enumerate(top):
        s = sub[j] if sub is not None else ""
        # A blank top over a named sub-column continues the merged header to its left (csv).
        top_field = match_field(t, "catalog.columns") if t or not s else groups[j]
        label = t if not s or s == t else (f"{t}/{s}" if t else s)
        if s and s != t:
            s_field = match_field(s, "catalog.columns")
            if top_field in TICK_GROUPS or (top_field is None and _sub_field(s)):
                columns.append(Column(j, top_field or _sub_field(s) or "", label, s))
            elif s_field in ("level1", "level2") or top_field is None:
                if s_field:
                    columns.append(Column(j, s_field, label))
            else:
                columns.append(Column(j, top_field, label))
        elif top_field:
            columns.append(Column(j, top_field, label))
        elif _sub_field(t):  # a one-row header that names the sub-columns directly
            columns.append(Column(j, _sub_field(t) or "", label, t))
    # 「公开事项」 spanning two columns without a second header row: 一级 then 二级.
    level2 = [c for c in columns if c.field == "level2"]
    if len(level2) == 2 and not any(c.field == "level1" for c in columns) and level2[1].index == level2[0].index + 1:
        level2[0].field = "level1"
    return columns


def _pick(doc: ParsedDocument) -> tuple[ParsedTable, int] | None:
    for table in doc.tables:
        h = find_header(table)
        if h is not None:
            return table, h
    return None


def _is_note(text: str) -> bool:
    return any(text.startswith(p) for p in vocabulary()["catalog"]["note_prefixes"])


def normalise(doc: ParsedDocument, *, require_level1: bool = False) -> NormalisedRows:
    """Catalog rows of `doc`, with every problem found (see module docstring)."""
    picked = _pick(doc)
    if picked is None:
        problem = LoadProblem(ProblemKind.NO_TABLE, doc.file, value=marks.TICK_SEPARATOR.join(words("catalog.columns", "level2")[:1]
                              + words("catalog.columns", "content")[:1]), detail="catalog")
        return NormalisedRows(pd.DataFrame(columns=ROW_COLUMNS), [problem])
    table, h = picked
    top = table.cells[h]
    sub = table.cells[h + 1] if h + 1 < len(table.cells) and _is_sub_header(top, table.cells[h + 1]) else None
    columns = map_columns(top, sub)
    first = h + (2 if sub is not None else 1)
    problems: list[LoadProblem] = []
    by_field: dict[str, list[Column]] = {}
    for c in columns:
        by_field.setdefault(c.field, []).append(c)
    if "level2" not in by_field:
        problems.append(LoadProblem(ProblemKind.MISSING_COLUMN, doc.file, table.sheet, table.row_numbers[h],
                                    value=words("catalog.columns", "level2")[0]))
        return NormalisedRows(pd.DataFrame(columns=ROW_COLUMNS), problems, sheet=table.sheet)

    records: list[dict[str, object]] = []
    level1 = ""
    seen: dict[tuple[str, str], int] = {}
    width = len(top)
    rows_read = 0
    for cells, row_no in zip(table.cells[first:], table.row_numbers[first:]):
        filled = {c for c in cells if c}
        if not filled or cells == top or (sub is not None and cells == sub):
            continue
        if len(filled) == 1 and (sum(1 for c in cells if c) == width or (cells[0] and not any(cells[1:]))):
            text = next(iter(filled))
            if not _is_note(text) and name_key(text) and not name_key(text).isdigit():
                level1 = text  # a section row carrying the first-level item (not a bare 序号)
            continue
        rows_read += 1
        rec = _row(cells, by_field)
        if rec.get("level1"):
            level1 = str(rec["level1"])
        elif "level1" in by_field or level1:
            rec["level1"] = level1
        if not rec.get("level2"):
            if any(rec.get(f) for f in NINE_ELEMENTS[1:]):
                problems.append(LoadProblem(ProblemKind.MISSING_ITEM_NAME, doc.file, table.sheet, row_no,
                                            by_field["level2"][0].label))
            continue
        if require_level1 and not rec.get("level1"):
            problems.append(LoadProblem(ProblemKind.MISSING_LEVEL1, doc.file, table.sheet, row_no,
                                        by_field["level1"][0].label if "level1" in by_field else None))
            continue
        rec["level1_key"] = name_key(rec.get("level1")) or None
        rec["level2_key"] = name_key(rec["level2"])
        key = (str(rec["level1_key"] or ""), str(rec["level2_key"]))
        if key in seen:
            problems.append(LoadProblem(ProblemKind.DUPLICATE_ROW, doc.file, table.sheet, row_no,
                                        by_field["level2"][0].label, value=str(seen[key])))
            continue
        seen[key] = row_no
        rec["row_no"] = row_no
        records.append(rec)
    frame = pd.DataFrame(records, columns=ROW_COLUMNS)
    frame = frame.astype(object).where(frame.notna() & (frame != ""), None)
    return NormalisedRows(frame, problems, rows_read, table.sheet)


def _row(cells: list[str], by_field: dict[str, list[Column]]) -> dict[str, object]:
    rec: dict[str, object] = {}
    for fld, cols in by_field.items():
        if fld in ("seq", "notes"):
            continue
        ticks = [c for c in cols if c.tick_name]
        if ticks:
            names = [c.tick_name for c in ticks if marks.is_ticked(cells[c.index])]
            rec[fld] = marks.TICK_SEPARATOR.join(n for n in names if n)
        else:
            text = cells[cols[0].index]
            if fld == "channels":
                text = marks.channels_text(text)
            elif fld == "content":
                text = marks.content_text(text)
            elif fld in TICK_GROUPS:
                text = marks.list_text(text)
            rec[fld] = text
    return rec
