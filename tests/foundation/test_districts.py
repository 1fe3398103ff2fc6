"""The 16 supervised units: names, codes, kinds and the aliases people write (经开区 …).

Resolution of names inside loaded files is left to the loader tests.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import reference
from loaders.names import district_code

# (name, code, kind) in the bureau's order; codes are official division codes except 郑东新区.
UNITS = [
    ("中原区", "410102", "区"), ("二七区", "410103", "区"), ("管城回族区", "410104", "区"),
    ("金水区", "410105", "区"), ("上街区", "410106", "区"), ("惠济区", "410108", "区"),
    ("巩义市", "410181", "县级市"), ("荥阳市", "410182", "县级市"), ("新密市", "410183", "县级市"),
    ("新郑市", "410184", "县级市"), ("登封市", "410185", "县级市"), ("中牟县", "410122", "县"),
    ("郑东新区", "ZZ-ZDXQ", "功能区"), ("郑州经济技术开发区", "410171", "功能区"),
    ("郑州高新技术产业开发区", "410172", "功能区"), ("郑州航空港经济综合实验区", "410173", "功能区"),
]


def test_reference_lists_the_16_units_in_order() -> None:
    units = reference.districts()
    assert [(d.name, d.code, d.kind) for d in units] == UNITS
    assert [d.sort_order for d in units] == list(range(1, 17))
    assert [d.name for d in units if d.code_note] == ["郑东新区"]  # the one project-assigned code


@pytest.mark.parametrize(("spelling", "code"), [
    ("经开区", "410171"), ("郑州经开区", "410171"), ("高新区", "410172"), ("郑州高新区", "410172"),
    ("航空港区", "410173"), ("郑州航空港区", "410173"), ("管城区", "410104"),
    ("金水区", "410105"), ("410105", "410105"), ("郑东新区", "ZZ-ZDXQ"),
    (" 金水区 ", "410105"),          # stray spaces
    ("郑州航空港经济综合实验区", "410173"),
])
def test_district_code_resolves_names_aliases_and_codes(spelling: str, code: str) -> None:
    assert district_code(spelling) == code


@pytest.mark.parametrize("spelling", ["", "开封市", "金水", "高新"])
def test_unknown_spellings_resolve_to_none(spelling: str) -> None:
    assert district_code(spelling) is None


def test_database_holds_units_and_aliases(fresh_db: Path) -> None:
    con = duckdb.connect(str(fresh_db), read_only=True)
    try:
        rows = con.execute("SELECT name, code, kind FROM districts ORDER BY sort_order").fetchall()
        assert rows == UNITS
        aliases = dict(con.execute("SELECT alias, code FROM district_aliases").fetchall())
        assert aliases["经开区"] == "410171" and aliases["高新区"] == "410172" and aliases["航空港区"] == "410173"
        assert all(aliases[name] == code for name, code, _ in UNITS)  # every full name is an alias too
        kinds = dict(con.execute("SELECT kind, count(*) FROM districts GROUP BY kind").fetchall())
        assert kinds == {"区": 6, "县级市": 5, "县": 1, "功能区": 4}
    finally:
        con.close()
