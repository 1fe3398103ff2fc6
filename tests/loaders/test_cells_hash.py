"""`guards.rows_hash`: the content identity of a disclosure log's parsed rows (equal cells hash equal, whatever
the Arrow chunking; any changed cell, a moved cell boundary or a NULL changes it)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa

from loaders.guards import rows_hash


def _rows(titles: list[str | None], dates: list[dt.date | None]) -> pd.DataFrame:
    return pd.DataFrame({"row_no": pd.Series(range(2, len(titles) + 2), dtype="int64"),
                         "title": pd.Series(titles, dtype="str"),
                         "published_on": pd.Series(pa.array(dates, pa.date32()), dtype=pd.ArrowDtype(pa.date32()))})


def test_equal_cells_hash_equal_in_one_chunk_or_many() -> None:
    titles, dates = ["公租房配租结果", "政策解读", "年度报告"], [dt.date(2023, 6, 1), None, dt.date(2023, 7, 3)]
    whole = _rows(titles, dates)
    pieces = pd.concat([_rows(titles[:1], dates[:1]), _rows(titles[1:], dates[1:]).assign(
        row_no=pd.Series([3, 4], dtype="int64"))], ignore_index=True)
    assert pa.Table.from_pandas(pieces, preserve_index=False).column("title").num_chunks == 2
    assert rows_hash(whole) == rows_hash(pieces)


def test_a_changed_cell_a_moved_boundary_or_a_null_changes_the_hash() -> None:
    base = _rows(["公租房", "配租结果"], [dt.date(2023, 6, 1), dt.date(2023, 6, 2)])
    changed = [
        _rows(["公租房", "配租结果。"], [dt.date(2023, 6, 1), dt.date(2023, 6, 2)]),
        _rows(["公租房配", "租结果"], [dt.date(2023, 6, 1), dt.date(2023, 6, 2)]),  # same bytes, other cells
        _rows(["公租房", "配租结果"], [dt.date(2023, 6, 1), dt.date(2023, 6, 3)]),
        _rows(["公租房", "配租结果"], [dt.date(2023, 6, 1), None]),
        _rows(["公租房", "配租结果"], [dt.date(2023, 6, 1), dt.date(1970, 1, 1)]),  # epoch 0 is not NULL
    ]
    hashes = {rows_hash(base), *(rows_hash(c) for c in changed)}
    assert len(hashes) == 1 + len(changed)
