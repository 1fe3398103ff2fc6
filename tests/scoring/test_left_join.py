"""measure.left_join must give exactly what `DataFrame.merge(how="left")` gives (values, dtypes,
column order, index) on every shape point_measures meets, taking its quick path or not."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scoring.measure import left_join

D = dt.date
FRAME = pd.DataFrame({"as_of": [D(2026, 6, 30)] * 3 + [D(2026, 3, 31)], "code": ["a", "b", "c", "a"],
                      "name": ["甲", "乙", "丙", "甲"]})
KEYS = ["as_of", "code"]


@pytest.mark.parametrize("part", [
    # every row found once, in another order: the quick path (ints stay ints)
    pd.DataFrame({"as_of": [D(2026, 3, 31), D(2026, 6, 30), D(2026, 6, 30), D(2026, 6, 30)],
                  "code": ["a", "c", "a", "b"], "n": [1, 2, 3, 4], "t": ["x", None, "y", "z"]}),
    # a row not found: merge's NaN and int -> float
    pd.DataFrame({"as_of": [D(2026, 6, 30)] * 3, "code": ["c", "a", "b"], "n": [1, 2, 3]}),
    # a key twice: merge repeats the row
    pd.DataFrame({"as_of": [D(2026, 6, 30)] * 3 + [D(2026, 3, 31)] * 2, "code": ["a", "b", "c", "a", "a"],
                  "n": [1, 2, 3, 4, 5]}),
    # empty with float columns (no finding in force): NaN columns
    pd.DataFrame({"as_of": pd.Series(dtype=object), "code": pd.Series(dtype=object),
                  "manual__x": pd.Series(dtype=float)}),
    # empty with an int column: merge decides the dtype
    pd.DataFrame({"as_of": pd.Series(dtype=object), "code": pd.Series(dtype=object), "n": pd.Series(dtype="int64")}),
    # a column name both sides have: merge's suffixes
    pd.DataFrame({"as_of": [D(2026, 6, 30)], "code": ["a"], "name": ["x"]}),
])
def test_left_join_is_merge(part: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left_join(FRAME, part, KEYS), FRAME.merge(part, on=KEYS, how="left"),
                                  check_exact=True)


def test_left_join_on_one_key_with_dates() -> None:
    part = pd.DataFrame({"code": ["c", "b", "a"], "m2020_on": [D(2021, 1, 1), None, D(2020, 9, 1)]})
    pd.testing.assert_frame_equal(left_join(FRAME, part, ["code"]), FRAME.merge(part, on="code", how="left"),
                                  check_exact=True)


def test_left_join_keeps_a_non_range_index_to_merge() -> None:
    frame = FRAME.set_index(pd.Index([5, 6, 7, 8]))
    part = pd.DataFrame({"code": ["a", "b", "c"], "v": [1.0, 2.0, 3.0]})
    pd.testing.assert_frame_equal(left_join(frame, part, ["code"]), frame.merge(part, on="code", how="left"))
