"""Guards before anything is replaced: checks that stop an ordinary-looking load from silently
losing or distorting a unit's data (issue #16 item 1).

Thresholds live in `loaders/guards.toml` (loaders' own file; scoring's rules file is not read
here). Two sorts of checks:

- on the parsed rows, before the database is touched: dates outside [2000-01-01, today + 1
  year] (row-level, blocking), repeated rows (warning, the repeat is skipped), content naming
  another unit, an implausible city standard catalog, and the *content* hash (the cells, not
  the bytes, so the same table re-saved by Excel is recognised as unchanged);
- inside the load's transaction (`loaders.store`), against what is loaded: a source shrinking
  by more than the threshold, a catalog matching almost none of the city items or far fewer
  than the unit's current catalog, and a second file that is a re-export of an existing source.

Problems of kind `CONFIRMABLE` are refused unless the caller passes `confirm_replace=True`
(CLI `--confirm-replace`, the 确认替换 checkbox on 数据管理).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loaders.errors import LoadProblem, ProblemKind
from loaders.names import district_lookup
from ui_text import reliability as text

if TYPE_CHECKING:  # pandas is imported by the functions that build frames (issue #17: start-up)
    import pandas as pd

GUARDS_TOML = Path(__file__).resolve().parent / "guards.toml"

CONFIRMABLE = frozenset({ProblemKind.REPLACE_SHRINKS, ProblemKind.CATALOG_SHRINKS, ProblemKind.CATALOG_UNMATCHED,
                         ProblemKind.STANDARD_IMPLAUSIBLE, ProblemKind.OTHER_UNIT})


@dataclass(frozen=True)
class Guards:
    disclosures_min_kept_share: float
    reexport_share: float
    catalog_min_kept_share: float
    catalog_min_matched_share: float
    standard_level1_count: int
    standard_min_items: int
    standard_max_items: int
    other_unit_share: float
    other_unit_min_rows: int
    earliest: dt.date
    max_future_days: int


@lru_cache(maxsize=4)
def thresholds(path: Path = GUARDS_TOML) -> Guards:
    """The thresholds of `loaders/guards.toml`."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    d, c, s, t, dates = raw["disclosures"], raw["catalog"], raw["standard"], raw["content"], raw["dates"]
    return Guards(float(d["min_kept_share"]), float(d["reexport_share"]), float(c["min_kept_share"]),
                  float(c["min_matched_share"]), int(s["level1_count"]), int(s["min_items"]), int(s["max_items"]),
                  float(t["other_unit_share"]), int(t["other_unit_min_rows"]), dates["earliest"],
                  int(dates["max_future_days"]))


def confirmable(problems: list[LoadProblem]) -> list[LoadProblem]:
    return [p for p in problems if p.kind in CONFIRMABLE]


def _string_chunks(column: pa.ChunkedArray) -> list[pa.Array]:
    chunks = [c if c.type in (pa.string(), pa.large_string()) else c.cast(pa.large_string()) for c in column.chunks]
    return [pc.fill_null(c, "") if c.null_count else c for c in chunks]


def _digest_column(digest: Any, column: pa.ChunkedArray) -> None:
    """Feed one column: text as its UTF-8 bytes then every cell's length (NULL = ''), numbers
    and dates as their values then which are NULL. Chunking never changes what is fed."""
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_date(kind) or pa.types.is_floating(kind) or \
            pa.types.is_boolean(kind) or pa.types.is_timestamp(kind):
        masks = []
        for chunk in column.chunks:
            values = chunk.cast(pa.int32()) if pa.types.is_date32(kind) else chunk.cast(pa.int8()) \
                if pa.types.is_boolean(kind) else chunk.cast(pa.int64()) if pa.types.is_temporal(kind) else chunk
            values = pc.fill_null(values, 0) if chunk.null_count else values
            digest.update(np.ascontiguousarray(values.to_numpy(zero_copy_only=False)).data)
            masks.append(chunk.is_null())
        if column.null_count:  # after every value, so that chunking never changes what is fed
            for mask in masks:
                digest.update(np.ascontiguousarray(mask.to_numpy(zero_copy_only=False)).view(np.uint8).data)
        return
    chunks = _string_chunks(column)
    lengths = []
    for chunk in chunks:
        width = 8 if chunk.type == pa.large_string() else 4
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if width == 8 else np.int32,
                                count=len(chunk) + 1, offset=chunk.offset * width)
        data = chunk.buffers()[2]
        if data is not None and offsets[-1] > offsets[0]:
            digest.update(memoryview(data)[int(offsets[0]):int(offsets[-1])])
        lengths.append(np.diff(offsets).astype(np.int32))
    for part in lengths:
        digest.update(part.data)


def _hash_start(rows: pd.DataFrame) -> tuple[hashlib._Hash, pa.Table]:
    """A sha256 holding the column names, and the rows as an Arrow table (as text where a column's
    values are mixed types Arrow cannot take as they are)."""
    digest = hashlib.sha256("\x1f".join(map(str, rows.columns)).encode("utf-8"))
    try:
        table = pa.Table.from_pandas(rows, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        table = pa.Table.from_pandas(rows.astype(object).where(rows.notna(), None).astype(str), preserve_index=False)
    return digest, table


def rows_hash(rows: pd.DataFrame) -> str:
    """sha256 of the parsed cells (column names and values) of a disclosure log: the same table
    re-saved with new bytes hashes the same. Computed over Arrow buffers as they are (one pass, no
    Python loop, no text cast of numbers or dates; chunking never changes it). Sources stored
    before it existed hold `cells_hash`, which `store.store_disclosures` still recognises."""
    digest, table = _hash_start(rows)
    for column in table.columns:
        digest.update(b"\x1e")
        _digest_column(digest, column)
    return digest.hexdigest()


def cells_hash(rows: pd.DataFrame) -> str:
    """sha256 of the parsed cells (column names and values as text): the same table re-saved
    with new bytes hashes the same. The content hash of catalogs and the standard catalog (a
    catalog's id is made from it) and of disclosure sources stored before `rows_hash`."""
    digest, table = _hash_start(rows)
    for column in table.columns:
        text = pc.fill_null(pc.cast(column, pa.large_string()), "").combine_chunks()
        offsets, data = text.buffers()[1], text.buffers()[2]
        digest.update(b"\x1e")
        if offsets is not None:
            digest.update(memoryview(offsets)[text.offset * 8:(text.offset + len(text) + 1) * 8])
        if data is not None:
            digest.update(memoryview(data))
    return digest.hexdigest()


def date_problems(rows: pd.DataFrame, file: str | None, sheet: str | None,
                  today: dt.date | None = None) -> list[LoadProblem]:
    """One row-level problem per date before `earliest` or after today + max_future_days."""
    import pandas as pd

    g = thresholds()
    latest = (today or dt.date.today()) + dt.timedelta(days=g.max_future_days)
    detail = text.DATE_RANGE.format(start=g.earliest.isoformat(), end=latest.isoformat())
    problems: list[LoadProblem] = []
    for column, label in text.DATE_COLUMNS.items():
        if column not in rows.columns or rows.empty:
            continue
        column_values = rows[column]
        if isinstance(column_values.dtype, pd.ArrowDtype):  # Arrow dates: cast in Arrow, not per value
            values = pd.Series(pa.array(column_values).cast(pa.timestamp("ns")).to_pandas(), index=rows.index)
        else:
            values = pd.to_datetime(column_values, errors="coerce")
        bad = values.notna() & ((values < pd.Timestamp(g.earliest)) | (values > pd.Timestamp(latest)))
        for row_no, value in zip(rows.loc[bad, "row_no"], values[bad]):
            problems.append(LoadProblem(ProblemKind.DATE_OUT_OF_RANGE, file, sheet, int(row_no), label,
                                        value.date().isoformat(), detail))
    return problems


def repeated_rows(rows: pd.DataFrame, file: str | None, sheet: str | None, key: list[str],
                  con: duckdb.DuckDBPyConnection | None = None) -> tuple[pd.DataFrame, list[LoadProblem]]:
    """Drop rows identical to an earlier row on `key`; one warning per dropped row (naming
    the row it repeats). The grouping runs in DuckDB over the Arrow columns: on a cursor of `con`
    (the load's own instance; nothing of the database is read or written), else on a new
    in-memory instance."""
    if rows.empty:
        return rows, []
    frame = rows[key].assign(_pos=range(len(rows)), _row=rows["row_no"].to_numpy())
    try:
        table: pa.Table | pd.DataFrame = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        table = frame.astype(dict.fromkeys(key, object)).where(frame.notna(), None)
    scratch = con.cursor() if con is not None else duckdb.connect()
    try:
        scratch.register("incoming", table)
        parts = ", ".join(f'"{k}"' for k in key)
        # Equal rows have equal hashes: when no two hashes are equal there is nothing to group.
        hashes = np.sort(scratch.execute(f"SELECT hash({parts}) AS h FROM incoming").fetchnumpy()["h"])
        if not bool((hashes[1:] == hashes[:-1]).any()):
            return rows, []
        repeats = scratch.execute(
            f"SELECT _pos, _row, first_row FROM (SELECT _pos, _row, first_value(_row) OVER w AS first_row, "
            f"row_number() OVER w AS n FROM incoming WINDOW w AS (PARTITION BY {parts} ORDER BY _pos)) "
            f"WHERE n > 1 ORDER BY _pos").fetchall()
    finally:
        scratch.close()
    if not repeats:
        return rows, []
    problems = [LoadProblem(ProblemKind.REPEATED_ROW, file, sheet, int(row_no), None, str(int(first)))
                for _, row_no, first in repeats]
    keep = np.ones(len(rows), dtype=bool)
    keep[[p for p, _, _ in repeats]] = False
    return rows.loc[keep].reset_index(drop=True), problems


def _spellings() -> dict[str, str]:
    """Names and short names of the 16 units (codes left out) -> code."""
    return {name: code for name, code in district_lookup().items() if len(name) >= 3 and not name[0].isdigit()}


def other_unit_problem(texts: pd.Series, code: str, file: str | None) -> LoadProblem | None:
    """A problem when most non-blank `texts` name another unit and not `code`'s own unit."""
    import pandas as pd

    g = thresholds()
    texts = texts.dropna().astype(str)
    texts = texts[texts != ""]
    if len(texts) < g.other_unit_min_rows:
        return None
    spellings = _spellings()
    # One pass for "names any unit at all"; the per-unit counts only over those rows.
    any_unit = "|".join(re.escape(name) for name in sorted(spellings, key=len, reverse=True))
    total = len(texts)
    texts = texts[texts.str.contains(any_unit, regex=True)]
    own = pd.Series(False, index=texts.index)
    others: dict[str, pd.Series] = {}
    for name, unit in spellings.items():
        hit = texts.str.contains(name, regex=False)
        if unit == code:
            own |= hit
        elif hit.any():
            others[name] = others[name] | hit if name in others else hit
    best, count = None, 0
    for name, hit in others.items():
        n = int((hit & ~own).sum())
        if n > count:
            best, count = name, n
    if best is None or count < g.other_unit_min_rows or count < g.other_unit_share * total:
        return None
    return LoadProblem(ProblemKind.OTHER_UNIT, file, value=best, detail=text.OTHER_UNIT_SHARE.format(total=total, count=count))


def standard_problem(rows: pd.DataFrame, file: str | None) -> LoadProblem | None:
    """A problem when a city standard catalog is not a plausible 10-first-level table."""
    g = thresholds()
    level1 = rows["level1_key"].nunique() if len(rows) else 0
    if level1 == g.standard_level1_count and g.standard_min_items <= len(rows) <= g.standard_max_items:
        return None
    return LoadProblem(ProblemKind.STANDARD_IMPLAUSIBLE, file, value=text.STANDARD_SHAPE.format(level1=level1, items=len(rows)),
                       detail=text.STANDARD_EXPECTED.format(level1=g.standard_level1_count, low=g.standard_min_items,
                                                            high=g.standard_max_items))
