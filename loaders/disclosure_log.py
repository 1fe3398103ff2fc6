"""Normalise a parsed disclosure log (a portal's list export or a district's ledger).

Finds the header (标题 plus a date column, wording variants from `loaders/vocabulary.toml`),
parses every date style at once (`loaders.dates`), and splits 所属事项 into first- and
second-level keys ('一级/二级', a second-level name, or separate 一级/二级 columns).
Rules: a row with 成文日期 and an empty 发布日期 is pending (published_on NULL); a row with
neither date, an unreadable or impossible date, or 发布日期 before 成文日期 is an error; a row
whose item matches no city item is kept; its 未归类 warning comes from the one SQL match after
the insert (`loaders.store.store_disclosures`), located where `NormalisedRows.unclassified` says.

Returns a frame with the columns of `disclosures` except disclosure_id/district_code/
source_key/item_id, plus the problems; it never touches the database.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from loaders.dates import parse_dates
from loaders.errors import LoadProblem, ProblemKind
from loaders.model import NormalisedRows, ParsedDocument, ParsedTable
from loaders.names import name_key
from loaders.vocabulary import item_path_pattern, match_field, words

SECTION = "disclosures.columns"
ROW_COLUMNS = ["row_no", "title", "item_raw", "level1_key", "level2_key", "formed_on", "published_on",
               "publisher", "url", "index_no", "channel"]
_TEXT_FIELDS = ("title", "item", "level1", "level2", "publisher", "url", "index_no", "channel")
_HEADER_SCAN = 15


def _header(table: ParsedTable) -> tuple[int, dict[str, tuple[int, str]]] | None:
    for i, row in enumerate(table.head(_HEADER_SCAN)):
        found: dict[str, tuple[int, str]] = {}
        for j, cell in enumerate(row):
            f = match_field(cell, SECTION)
            if f and f not in found:
                found[f] = (j, cell)
        if "title" in found and ({"formed_on", "published_on"} & found.keys()):
            return i, found
    return None


def _split_keys(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(level1_key, level2_key) of an item column ('一级/二级' or a bare name): each distinct
    text is split and keyed once, and the keys taken back to the rows by their codes."""
    codes, uniques = pd.factorize(raw.fillna(""))
    distinct = pd.Series(uniques, dtype=object).astype(str)  # few distinct item texts per log
    parts = distinct.str.split(item_path_pattern(), n=1, regex=True)
    has_path = parts.map(len) == 2
    level1 = parts.str[0].where(has_path, "").fillna("")
    level2 = parts.str[1].where(has_path, distinct).fillna("")
    return _take_keys(level1, codes, raw.index), _take_keys(level2, codes, raw.index)


def _take_keys(distinct: pd.Series, codes: npt.NDArray[np.intp], index: pd.Index) -> pd.Series:
    """The match keys of `distinct` item texts taken to the rows by their `codes`, '' as missing:
    a categorical column (a key per distinct text, one small code per row) instead of a million
    strings (1M-row log: two 20 MB columns and 0.17 s of takes, issue #17). Arrow and DuckDB
    read it as a dictionary column of the same texts; the content hash reads its texts."""
    keys = [name_key(v) for v in distinct]
    per_text = pd.Categorical(keys, categories=pd.Index(list(dict.fromkeys(k for k in keys if k)), dtype=object))
    taken = per_text.codes[codes] if len(index) else np.zeros(0, dtype=per_text.codes.dtype)
    return pd.Series(pd.Categorical.from_codes(taken, dtype=per_text.dtype), index=index)


def _as_date(dates: pd.Series) -> pd.Series:
    """datetime64 -> an Arrow date column (NaT -> missing): no Python date object per row."""
    arr = pa.array(dates.to_numpy(dtype="datetime64[ns]"), from_pandas=True).cast(pa.date32())
    return pd.Series(arr, dtype=pd.ArrowDtype(pa.date32()), index=dates.index)


def _text(column: pd.Series) -> pd.Series:
    """A text column for the store: Arrow-backed strings, '' -> missing."""
    text = column.fillna("").astype("str")
    blank = text == ""
    return text.mask(blank) if blank.any() else text


def _missing_text(index: pd.Index) -> pd.Series:
    """A text column the log does not have: all missing, as `_text` makes of a column of ''."""
    return pd.Series(pd.array(pa.nulls(len(index), pa.large_string()), dtype="str"), index=index)


def _keys(series: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(series.fillna(""))  # few distinct item names per log
    return _take_keys(pd.Series(uniques, dtype=object).astype(str), codes, series.index)


def _int(value: Any) -> int:
    return int(value)


def normalise(doc: ParsedDocument) -> NormalisedRows:
    """Disclosure rows of `doc` and every problem, and where a 未归类 row would be located (file,
    sheet, item column); which rows are 未归类 is decided by the SQL match after the insert."""
    picked = next(((t, found) for t in doc.tables if (found := _header(t)) is not None), None)
    if picked is None:
        return NormalisedRows(pd.DataFrame(columns=ROW_COLUMNS), [LoadProblem(
            ProblemKind.NO_TABLE, doc.file, value=words(SECTION, "title")[0], detail="disclosures")])
    table, (h, cols) = picked
    problems: list[LoadProblem] = []
    if not ({"item", "level2"} & cols.keys()):
        problems.append(LoadProblem(ProblemKind.MISSING_COLUMN, doc.file, table.sheet, table.row_numbers[h],
                                    value=words(SECTION, "item")[0]))
        return NormalisedRows(pd.DataFrame(columns=ROW_COLUMNS), problems, sheet=table.sheet)
    header = table.head(h + 1)[h]
    whole = table.frame()
    rest = whole.iloc[h + 1:]
    # Body rows: not blank and not a repeated header (a log pasted from several pages).
    nonblank = np.zeros(len(rest), dtype=bool)
    as_header = np.ones(len(rest), dtype=bool)
    for j, name in enumerate(header):  # column by column: Arrow kernels, no frame-wide broadcast
        column = rest[rest.columns[j]]
        nonblank |= (column.notna() & (column != "")).to_numpy(dtype=bool, na_value=False)
        as_header &= (column == name).to_numpy(dtype=bool, na_value=False)
    keep = nonblank & ~as_header
    positions = (keep.nonzero()[0] + h + 1)
    grid = rest.reset_index(drop=True) if keep.all() else rest[keep].reset_index(drop=True)
    row_numbers = pd.Series(table.row_numbers, dtype="int64").to_numpy()[positions] if len(positions) else \
        pd.Series([], dtype="int64").to_numpy()
    frame = pd.DataFrame({"row_no": pd.Series(row_numbers, dtype="int64")})
    for f in _TEXT_FIELDS:
        if f in cols:
            frame[f] = grid[cols[f][0]].fillna("").astype(str).values
    absent = {f for f in _TEXT_FIELDS if f not in cols}  # stored as NULL: no column of 1M '' is built
    if table.links is not None and len(grid):
        absent.discard("url")
        # A portal list page links each title to its article instead of a 链接 column; a
        # ledger may hold the link as the 链接 cell's hyperlink (or a HYPERLINK formula).
        title_col = cols["title"][0]
        title_links = pd.Series([table.links[p][title_col] for p in positions], index=frame.index, dtype=object)
        if "url" in cols:
            url_links = pd.Series([table.links[p][cols["url"][0]] for p in positions], index=frame.index, dtype=object)
            url = frame["url"].astype(object)
            url = url_links.where(url_links != "", url)
            frame["url"] = url.where(url != "", title_links)
        else:
            frame["url"] = title_links

    def located(kind: ProblemKind, mask: pd.Series, column: str | None, values: pd.Series | None = None) -> None:
        for idx in mask[mask].index:
            problems.append(LoadProblem(kind, doc.file, table.sheet, _int(frame.at[idx, "row_no"]), column,
                                        None if values is None else str(values.at[idx])))

    dates: dict[str, pd.Series] = {}
    for f in ("formed_on", "published_on"):
        if f in cols:
            raw = grid[cols[f][0]].fillna("").astype(str)
            raw.index = frame.index
            parsed = parse_dates(raw)
            located(ProblemKind.BAD_DATE, parsed.bad, cols[f][1], raw)
            located(ProblemKind.IMPOSSIBLE_DATE, parsed.impossible, cols[f][1], raw)
            dates[f] = parsed.dates
            frame[f + "_text"] = raw
        else:
            dates[f] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
            frame[f + "_text"] = ""
    located(ProblemKind.MISSING_TITLE, frame["title"] == "", cols["title"][1])
    no_dates = (frame["formed_on_text"] == "") & (frame["published_on_text"] == "")
    located(ProblemKind.MISSING_DATES, no_dates, None)
    early = dates["published_on"] < dates["formed_on"]
    located(ProblemKind.PUBLISHED_BEFORE_FORMED, early,
            cols["published_on"][1] if "published_on" in cols else None,
            frame["published_on_text"][early] + " < " + frame["formed_on_text"][early])

    if "level2" in cols:
        level1 = frame["level1"] if "level1" in cols else pd.Series("", index=frame.index)
        level2 = frame["level2"]
        frame["item_raw"] = (level1 + "/" + level2).str.strip("/")
        frame["level1_key"] = _keys(level1)
        frame["level2_key"] = _keys(level2)
    else:
        frame["level1_key"], frame["level2_key"] = _split_keys(frame["item"])
        frame["item_raw"] = frame["item"]
    item_col = cols["item"][1] if "item" in cols else cols["level2"][1]
    frame["formed_on"] = _as_date(dates["formed_on"])
    frame["published_on"] = _as_date(dates["published_on"])
    missing = _missing_text(frame.index)  # one array of NULLs for every absent column (never written to)
    out = pd.DataFrame({c: frame[c] if c in ("row_no", "formed_on", "published_on", "level1_key", "level2_key") else
                        missing if c in absent else _text(frame[c])
                        for c in ROW_COLUMNS}, index=frame.index)
    problems.sort(key=lambda p: (p.row or 0))
    unclassified = LoadProblem(ProblemKind.UNCLASSIFIED_ITEM, doc.file, table.sheet, column=item_col)
    return NormalisedRows(out, problems, len(frame), table.sheet, unclassified)
