"""`load_sample` reads a sources.toml with paths relative to itself, loads each entry through
the real loaders in file order, and marks the database as sample data."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from loaders import LoadError
from loaders.db import get_meta
from loaders.errors import ProblemKind
from loaders.sample import load_sample
from tests.loaders.helpers import DATA


def make_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "sample"
    (folder / "jinshui").mkdir(parents=True)
    shutil.copy(DATA / "xlsx/catalog_two_header_rows.xlsx", folder / "jinshui" / "catalog_2020.xlsx")
    shutil.copy(DATA / "html/catalog_portal_v2.html", folder / "jinshui" / "catalog_2021.html")
    shutil.copy(DATA / "csv/log_gb18030.csv", folder / "jinshui" / "log.csv")
    (folder / "sources.toml").write_text("""
[[catalog]]
district = "金水区"
source = "jinshui/catalog_2020.xlsx"
published_on = 2020-09-18
document_no = "金房保〔2020〕15号"

[[disclosures]]
district = "金水区"
source = "jinshui/log.csv"

[[catalog]]
district = "410108"
source = "jinshui/catalog_2021.html"
""", encoding="utf-8")
    return folder / "sources.toml"


def test_sample_loads_in_file_order_and_sets_is_sample(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    calls: list[float] = []
    results = load_sample(con, progress=lambda f, m: calls.append(f), sources_toml=make_sample(tmp_path))
    assert [(r.kind, r.result, r.rows_loaded) for r in results] == [
        ("catalog", "loaded", 44), ("disclosures", "loaded", 4), ("catalog", "loaded", 18)]
    assert get_meta(con, "is_sample") == "1"
    got = con.execute("SELECT published_on::VARCHAR, document_no, source FROM district_catalogs ORDER BY load_seq"
                      ).fetchall()
    # The second catalog takes its date and 文号 from the page itself.
    assert got == [("2020-09-18", "金房保〔2020〕15号", "catalog_2020.xlsx"),
                   ("2021-03-02", "惠房保〔2021〕3号", "catalog_2021.html")]
    assert calls == [0.0, 1 / 3, 2 / 3, 1.0]


def test_a_broken_sample_raises(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    sources = make_sample(tmp_path)
    (sources.parent / "jinshui" / "log.csv").write_bytes(b"")
    with pytest.raises(LoadError) as info:
        load_sample(con, sources_toml=sources)
    assert [p.kind for p in info.value.problems] == [ProblemKind.EMPTY_FILE]
    assert get_meta(con, "is_sample") is None
