"""scoring.districts, the one unit lookup over the database: a unit resolves from its name, an alias
or its code (spaces around it ignored) to the same code; anything else is UnknownDistrictError
listing the units in the bureau's order; name_of gives the name (the code itself when unknown)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scoring.districts import UnknownDistrictError, name_of, resolve_district, units


def test_every_spelling_of_a_unit_resolves_to_its_code(fresh_db: Path) -> None:
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        # 郑州高新技术产业开发区 with its alias 高新区 (data/districts.csv)
        code = con.execute("SELECT code FROM districts WHERE name = '郑州高新技术产业开发区'").fetchone()[0]
        for spelling in ("郑州高新技术产业开发区", "高新区", code, f"  {code} "):
            assert resolve_district(con, spelling) == code, spelling
        assert name_of(con, code) == "郑州高新技术产业开发区"
        assert name_of(con, "999999") == "999999"
        with pytest.raises(UnknownDistrictError) as info:
            resolve_district(con, "不存在区")
        frame = units(con)
        assert len(frame) == 16 and list(frame.columns) == ["code", "name", "kind", "sort_order"]
        assert list(frame["sort_order"]) == sorted(frame["sort_order"])
        assert info.value.names == list(frame["name"]) and info.value.names[0] == "中原区"
        assert "不存在区" in str(info.value) and "中原区" in str(info.value)
    finally:
        con.close()
