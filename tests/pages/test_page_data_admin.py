"""数据管理 on a private copy of the sample: a real catalog fixture loads and changes the scores,
a bad disclosure log is refused with located Chinese reasons and leaves the data unchanged,
仅导入有效行 loads the good rows, and history / rejected rows show every attempt."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from page_helpers import ADMIN, ROOT, TODAY

import scoring
from ui_text.pages import CATALOG, COLUMNS, DATA_ADMIN, SIDEBAR

HANGKONGGANG = "410173"
CATALOG_FIXTURE = ROOT / "tests/data/xlsx/catalog_two_header_rows.xlsx"
OFFICIAL_STANDARD = ROOT / "tests/data/xlsx/standard_official.xlsx"
BAD_LOG = ROOT / "tests/data/csv/log_errors.csv"  # 6 rows, 5 of them wrong


def admin(make_app, sample_db_copy: Path):
    return make_app(user=ADMIN, db=sample_db_copy, page="pages/data_admin.py")


def upload(at, key: str, path: Path) -> None:
    at.file_uploader(key=key).set_value((path.name, path.read_bytes(), "application/octet-stream"))


def test_sample_banner_and_history(make_app, sample_db_copy: Path) -> None:
    at = admin(make_app, sample_db_copy)
    assert any(SIDEBAR["sample_note"] in w.value for w in at.warning)
    con = duckdb.connect(str(sample_db_copy), read_only=True)
    runs = con.execute("SELECT count(*) FROM load_runs").fetchone()[0]
    con.close()
    history = at.dataframe(key="load_history")
    assert len(history.value) == runs > 0  # load history, newest first: every run in the grid
    # the newest run is selected at first and its 说明 (cut in a grid) is read in full below it
    newest = history.value.iloc[0]
    assert f"**{DATA_ADMIN['history_detail'].format(run_id=int(newest['run_id']))}**" in [m.value for m in at.markdown]
    [detail] = [t.value for t in at.table if list(t.value.columns) == [CATALOG["field"], CATALOG["text"]]]
    assert detail[CATALOG["text"]].iloc[1] == newest["message"]


def test_catalog_upload_loads_and_raises_the_score(make_app, sample_db_copy: Path) -> None:
    at = admin(make_app, sample_db_copy)
    upload(at, "catalog_file", CATALOG_FIXTURE)
    at.selectbox(key="catalog_unit").set_value(HANGKONGGANG)
    at.date_input(key="catalog_published_on").set_value(dt.date(2025, 3, 1))
    at.text_input(key="catalog_document_no").input("郑港房〔2025〕1号")
    at.button(key="submit_catalog").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert any(s.value.startswith("导入成功") for s in at.success)
    con = duckdb.connect(str(sample_db_copy), read_only=True)
    row = con.execute("SELECT document_no, published_on FROM district_catalogs WHERE district_code = ?",
                      [HANGKONGGANG]).fetchone()
    after = scoring.evaluate(con, TODAY).district(HANGKONGGANG)
    con.close()
    assert row == ("郑港房〔2025〕1号", dt.date(2025, 3, 1))
    assert after.catalog_coverage is not None and after.catalog_coverage > 0  # was 0 without a catalog
    at.switch_page("pages/overview.py")
    at.run()
    table = at.dataframe[0].value.set_index("code")
    assert table.loc[HANGKONGGANG, "score"] == after.score  # caches were cleared after the write


def test_bad_log_is_refused_with_located_reasons(make_app, sample_db_copy: Path) -> None:
    at = admin(make_app, sample_db_copy)
    con = duckdb.connect(str(sample_db_copy), read_only=True)
    before = con.execute("SELECT count(*) FROM disclosures").fetchone()[0]
    con.close()
    upload(at, "log_file", BAD_LOG)
    at.selectbox(key="log_unit").set_value(HANGKONGGANG)
    at.button(key="submit_disclosures").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [DATA_ADMIN["refused"].format(n=5)]
    # a wrapping table: every located reason in full, Chinese headers
    problems = next(t.value for t in at.table if COLUMNS["problem_value"] in t.value)
    assert list(problems[COLUMNS["row"]]) == ["3", "4", "5", "6", "7"]
    message = problems[COLUMNS["message"]].iloc[0]
    assert "第 3 行" in message and "成文日期" in message and "log_errors.csv" in message
    con = duckdb.connect(str(sample_db_copy), read_only=True)
    assert con.execute("SELECT count(*) FROM disclosures").fetchone()[0] == before
    con.close()
    # the refusal and its five reasons are in the rejected-rows tab
    rejected = next(t.value for t in at.table if DATA_ADMIN["handling"] in t.value)
    refused = rejected[rejected[COLUMNS["file"]] == "log_errors.csv"]
    assert len(refused) == 5
    assert set(refused[DATA_ADMIN["handling"]]) == {DATA_ADMIN["handling_values"]["refused"]}
    # the sample's own problems are warnings only: unmatched 所属事项 loaded as 未归类
    sample_rows = rejected[rejected[COLUMNS["file"]] != "log_errors.csv"]
    assert len(sample_rows) > 0
    assert set(sample_rows[DATA_ADMIN["handling"]]) == {DATA_ADMIN["handling_values"]["warning"]}


def test_partial_load_keeps_the_valid_row(make_app, sample_db_copy: Path) -> None:
    at = admin(make_app, sample_db_copy)
    upload(at, "log_file", BAD_LOG)
    at.selectbox(key="log_unit").set_value(HANGKONGGANG)
    at.checkbox(key="log_partial").check()
    at.button(key="submit_disclosures").click().run()
    assert not at.exception
    assert [w.value for w in at.warning if w.value.startswith("部分导入")] == [
        DATA_ADMIN["partial_done"].format(read=6, loaded=1, rejected=5)]


def test_submit_without_file_asks_for_one(make_app, sample_db_copy: Path) -> None:
    at = admin(make_app, sample_db_copy)
    at.button(key="submit_catalog").click().run()
    assert DATA_ADMIN["need_file"] in [w.value for w in at.warning]


def test_pull_without_registered_sources_says_how(make_app, sample_db_copy: Path, tmp_path: Path,
                                                 monkeypatch) -> None:
    monkeypatch.setenv("COMPLIANCE_SOURCES", str(tmp_path / "none.toml"))
    at = admin(make_app, sample_db_copy)
    assert DATA_ADMIN["pull_missing"] in [i.value for i in at.info]
    assert [b for b in at.button if b.key == "pull"] == []


def test_pull_loads_every_registered_source(make_app, sample_db_copy: Path, tmp_path: Path, monkeypatch) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        "[[catalog]]\n"
        'district = "航空港区"\n'
        f'source = "{CATALOG_FIXTURE.as_posix()}"\n'
        "published_on = 2025-03-01\n"
        'document_no = "郑港房〔2025〕1号"\n\n'
        "[[disclosures]]\n"
        'district = "航空港区"\n'
        f'source = "{BAD_LOG.as_posix()}"\n', encoding="utf-8")
    monkeypatch.setenv("COMPLIANCE_SOURCES", str(registry))
    at = admin(make_app, sample_db_copy)
    at.button(key="pull").click().run()
    assert not at.exception
    assert DATA_ADMIN["pull_done"].format(n=2) in [s.value for s in at.success]
    assert any(s.value.startswith("导入成功") for s in at.success)  # the catalog
    assert [e.value for e in at.error] == [f"{BAD_LOG.as_posix()}：" + DATA_ADMIN["refused"].format(n=5)]
    assert at.get("progress")[0].value == 100


def test_official_standard_upload_replaces_the_reconstruction(make_app, sample_db_copy: Path) -> None:
    at = admin(make_app, sample_db_copy)
    upload(at, "standard_file", OFFICIAL_STANDARD)
    at.button(key="submit_standard").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert any(s.value.startswith("导入成功") for s in at.success)
    at.switch_page("pages/catalog.py")
    at.run()
    assert CATALOG["official_note"] in [s.value for s in at.success]
    assert CATALOG["reconstruction_note"] not in [i.value for i in at.info]


def test_uploader_english_is_overlaid_in_chinese(make_app) -> None:
    """Streamlit's uploader says 'Upload' and '50MB per file'; the page's CSS hides both and shows
    the Chinese texts (the limit read from .streamlit/config.toml's maxUploadSize = 50)."""
    at = make_app(user=ADMIN, page="pages/data_admin.py")
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert f"content: '{DATA_ADMIN['upload_button']}'" in styles
    assert "content: '单个文件不超过 50MB'" in styles
    assert "stFileUploaderDropzoneInstructions" in styles
