"""loaders.db.scannable: the one place a frame becomes what DuckDB scans (an Arrow table, or the
frame itself where Arrow cannot take a column's mixed values); insert_frame writes either alike."""
from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from loaders.db import insert_frame, scannable


def test_a_plain_frame_becomes_an_arrow_table() -> None:
    frame = pd.DataFrame({"title": ["关于公开的通知", "公示"], "n": [1, 2]})
    table = scannable(frame)
    assert isinstance(table, pa.Table)
    assert table.to_pydict() == {"title": ["关于公开的通知", "公示"], "n": [1, 2]}


def test_mixed_values_stay_a_frame_and_still_insert() -> None:
    # an object column holding a number and a text: Arrow refuses it, DuckDB still reads the frame
    frame = pd.DataFrame({"cell": pd.Series([1, "第2行"], dtype=object)})
    assert scannable(frame) is frame
    con = duckdb.connect()
    con.execute("CREATE TABLE t (cell VARCHAR)")
    insert_frame(con, "t", frame)
    assert con.execute("SELECT cell FROM t ORDER BY cell").fetchall() == [("1",), ("第2行",)]
