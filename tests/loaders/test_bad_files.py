"""Files that cannot be read are refused with a located Chinese message: empty files,
truncated archives, files that are not what their extension says, missing files."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import LoadError, load_catalog, load_disclosures
from loaders.errors import ProblemKind
from tests.loaders.helpers import DATA, snapshot


@pytest.mark.parametrize("fixture,kind,text", [
    ("csv/empty.csv", ProblemKind.EMPTY_FILE, "文件「empty.csv」：文件为空"),
    ("xlsx/truncated.xlsx", ProblemKind.BAD_ZIP, "文件「truncated.xlsx」：文件已损坏或不完整"),
    ("xlsx/page_saved_as.xlsx", ProblemKind.FORMAT_MISMATCH,
     "文件「page_saved_as.xlsx」：文件扩展名是「.xlsx」，但内容是 HTML 网页 格式"),
])
def test_unreadable_files(con: duckdb.DuckDBPyConnection, fixture: str, kind: ProblemKind, text: str) -> None:
    before = snapshot(con)
    with pytest.raises(LoadError) as info:
        load_catalog(con, "金水区", DATA / fixture)
    assert [p.kind for p in info.value.problems] == [kind]
    assert info.value.problems[0].message.startswith(text)
    assert snapshot(con) == before
    assert con.execute("SELECT result, content_hash IS NOT NULL FROM load_runs").fetchall() == [("refused", True)]


def test_missing_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_disclosures(con, "金水区", tmp_path / "nope.csv")
    assert info.value.problems[0].kind is ProblemKind.SOURCE_NOT_FOUND
    assert info.value.problems[0].message.startswith("文件「nope.csv」：找不到文件")


def test_a_log_is_not_a_catalog(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LoadError) as info:
        load_catalog(con, "金水区", DATA / "csv/log_utf8_bom.csv")
    assert [p.kind for p in info.value.problems] == [ProblemKind.NO_TABLE]
    assert "没有找到目录表格" in info.value.problems[0].message


def test_a_catalog_is_not_a_log(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LoadError) as info:
        load_disclosures(con, "金水区", DATA / "docx/catalog.docx")
    assert [p.kind for p in info.value.problems] == [ProblemKind.NO_TABLE]


def test_content_decides_the_format_when_the_name_has_no_known_extension(con: duckdb.DuckDBPyConnection) -> None:
    data = (DATA / "xlsx/catalog_two_header_rows.xlsx").read_bytes()
    result = load_catalog(con, "金水区", data, filename="http://portal.example/download?id=7")
    assert result.rows_loaded == 44


def test_gbk_bytes_in_an_unknown_encoding_are_reported(con: duckdb.DuckDBPyConnection) -> None:
    # Bytes valid in neither UTF-8 nor GB18030 (0xFF is never a lead byte).
    with pytest.raises(LoadError) as info:
        load_disclosures(con, "金水区", b"\xff\xfe\xff,\xff\n\xff\xff", filename="log.csv")
    assert [p.kind for p in info.value.problems] == [ProblemKind.ENCODING]
