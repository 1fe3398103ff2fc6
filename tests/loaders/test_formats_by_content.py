"""Files read by what they are (issue #16 item 8, issue #15 item 8): mixed encodings, control
characters, encrypted workbooks, formulas without values, .xls that is HTML or TSV, Chinese
commas inside comma-separated fields, HYPERLINK formulas and cell hyperlinks, bracketed and
原文链接 headers; and the vectorised csv path equals the csv module's, cell for cell.

Fixtures: tests/data/bad/make_formats.py (real files written by openpyxl, Python's codecs
and msoffcrypto-tool)."""
from __future__ import annotations

import tomllib

import duckdb
import pytest

from loaders import api, csv_table
from loaders.errors import LoadError
from loaders.names import clean_text
from tests.loaders.helpers import DATA, snapshot

BAD = DATA / "bad"
FORMATS = DATA / "formats"
PERF_BAD = ["log_utf8_bom_with_gbk_row.csv", "log_nul_in_titles.csv", "log_with_open_password.xlsx",
            "log_formula_without_value.xlsx"]


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT row_no, title, item_id IS NOT NULL, CAST(formed_on AS VARCHAR), "
                       "CAST(published_on AS VARCHAR), url FROM disclosures ORDER BY row_no").fetchall()


@pytest.mark.parametrize("name", PERF_BAD)
def test_bad_input_gives_its_message_and_leaves_data_alone(name: str, con: duckdb.DuckDBPyConnection) -> None:
    spec = tomllib.loads((BAD / f"{name}.expect.toml").read_text(encoding="utf-8"))
    data = (BAD / name).read_bytes()
    before = snapshot(con)
    if spec.get("outcome", "refused") == "refused":
        with pytest.raises(LoadError) as info:
            api.load_disclosures(con, spec["district"], data, filename=name)
        messages = [p.message for p in info.value.problems if p.kind.value == spec["kind"]]
        assert any(spec["message"] in m for m in messages), [p.message for p in info.value.problems]
        assert snapshot(con) == before
    else:
        result = api.load_disclosures(con, spec["district"], data, filename=name)
        assert result.result == "loaded"
        assert any(spec["message"] in p.message for p in result.problems if p.kind.value == spec["kind"])
        assert result.rows_loaded == spec["disclosures"]


def test_mixed_encoding_names_the_row_and_never_stores_replacement_characters(
        con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LoadError) as info:
        api.load_disclosures(con, "金水区", (BAD / "log_utf8_bom_with_gbk_row.csv").read_bytes(), filename="m.csv")
    problem = next(p for p in info.value.problems if p.kind.value == "mixed_encoding")
    assert problem.row == 4 and problem.file == "m.csv"
    assert con.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 0


def test_control_characters_are_removed_from_titles(con: duckdb.DuckDBPyConnection) -> None:
    api.load_disclosures(con, "金水区", (BAD / "log_nul_in_titles.csv").read_bytes(), filename="n.csv")
    titles = [r[1] for r in _rows(con)]
    assert titles[:2] == ["关于公租房配租的通知", "2023年第二批配租结果"]
    assert not any("\x00" in t or "\x07" in t for t in titles)


def test_an_xls_that_is_html_or_tsv_is_read_by_content(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("portal_export_html.xls", "portal_export_tsv.xls"):
        result = api.load_disclosures(con, "金水区", (FORMATS / name).read_bytes(), filename=name)
        assert (result.result, result.rows_loaded) == ("loaded", 2), name
        assert [r[1:5] for r in _rows(con) if r[0] == 2] == [("2023年第一批公租房配租结果公示", True, "2023-03-01",
                                                               "2023-03-05")]
        con.execute("DELETE FROM disclosures; DELETE FROM disclosure_sources")


def test_chinese_commas_inside_fields_do_not_become_the_delimiter(con: duckdb.DuckDBPyConnection) -> None:
    data = (FORMATS / "log_chinese_commas.csv").read_bytes()
    # The titles hold more full-width commas (7 per line) than the line holds ASCII commas (4).
    assert data.decode("utf-8").splitlines()[1].count("，") > data.decode("utf-8").splitlines()[1].count(",")
    result = api.load_disclosures(con, "金水区", data, filename="c.csv")
    assert (result.result, result.rows_loaded) == ("loaded", 5)
    first = _rows(con)[0]
    # NFKC folds the full-width commas of the title to ASCII ones (as every cell is folded).
    assert first[1] == "关于做好公租房配租、轮候、退出工作的通知(第1号),请各单位遵照执行,逐项落实,按时报送,,,"
    assert first[2:] == (True, "2023-03-01", "2023-03-02", "http://x.example/1")


def test_hyperlink_formulas_and_cell_hyperlinks_fill_title_and_link(con: duckdb.DuckDBPyConnection) -> None:
    result = api.load_disclosures(con, "金水区", (FORMATS / "ledger_hyperlinks.xlsx").read_bytes(),
                                  filename="ledger.xlsx")
    assert (result.result, result.rows_loaded) == ("loaded", 3)
    rows = {r[0]: (r[1], r[5]) for r in _rows(con)}
    # Row 2: =HYPERLINK(url, text) saved without a value -> its text and url;
    # row 3: 原文链接 cell showing 点击查看 with a hyperlink -> the hyperlink's target;
    # row 4: the title cell's own hyperlink fills the empty 原文链接.
    assert rows == {2: ("2023年第一批公租房配租结果公示", "http://x.example/a1.html"),
                    3: ("关于调整公租房租金标准的通知", "http://x.example/a2.html"),
                    4: ("2023年公租房资格审核结果", "http://x.example/a3.html")}


def test_bracketed_labels_and_original_link_header(con: duckdb.DuckDBPyConnection) -> None:
    result = api.load_disclosures(con, "金水区", (FORMATS / "log_bracketed_labels.csv").read_bytes(),
                                  filename="b.csv")
    assert (result.result, result.rows_loaded) == ("loaded", 1)
    assert _rows(con) == [(2, "2023年第一批公租房配租结果公示", True, "2023-03-01", "2023-03-05",
                           "http://x.example/b1")]


TRICKY = [
    "普通标题", "  两端空格  ", "全角ＡＢＣ１２３（括号）：冒号", "\u3000全角空格开头", "①带圈数字", "℃温度",
    "多\n行\r\n文本  \n  第三行", "含\"引号\"的标题", "逗号,在引号内", "", "Ｔａｂ\t内", "兼容字\uf900", "カタカナ",
    "e\u0301组合字符", "\u00a0不换行空格\u00a0", "丨", "—破折号—", "·间隔号·", "《政策文件》", "\x00NUL\x00",
]


def _tricky_csv(rows: int) -> bytes:
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["标题", "所属事项", "备注"])
    for i in range(rows):
        writer.writerow([TRICKY[i % len(TRICKY)] + str(i), TRICKY[(i * 7) % len(TRICKY)], TRICKY[(i * 3) % len(TRICKY)]])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_vectorised_csv_equals_the_csv_module_cell_for_cell(encoding: str) -> None:
    data = _tricky_csv(12_000)  # above the fast path's 256 KiB floor
    if encoding != "utf-8":
        data = data.decode("utf-8").encode(encoding)
    assert len(data) >= csv_table._FAST_MIN_BYTES
    fast = csv_table.read(data, "t.csv")
    assert fast.tables[0].head(0) == [] and fast.tables[0]._cells is None  # the Arrow path was taken
    slow_rows, control = csv_table._slow(data.decode(encoding), ",", "t.csv")
    assert fast.tables[0].cells == slow_rows
    # The reference itself is names.clean_text of each raw field.
    assert slow_rows[1][0] == clean_text(TRICKY[0] + "0")
    raw_fields = [f for i in range(12_000) for f in (TRICKY[i % len(TRICKY)] + str(i), TRICKY[(i * 7) % len(TRICKY)],
                                                        TRICKY[(i * 3) % len(TRICKY)])]
    expected = sum(1 for f in raw_fields if "\x00" in f)
    assert control == expected > 0
    assert [w.kind.value for w in fast.warnings] == ["control_characters"] and fast.warnings[0].value == str(expected)
