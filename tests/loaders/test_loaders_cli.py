"""`python -m loaders`: every subcommand has Chinese help; exit 0 on success, 2 on bad input
with one located Chinese line per problem on stderr and the database unchanged."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.cli import main
from tests.loaders.helpers import DATA, ROOT, snapshot
from ui_text.errors import CLI_HELP

COMMANDS = ["init", "sample", "standard", "catalog", "disclosures", "pull"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "-h"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert CLI_HELP[command] in out
    assert "--db" in out and CLI_HELP["db"].split("（")[0] in out
    assert f"用法：python -m loaders {command}" in out


def test_top_level_help_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "loaders", "-h"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    for command in COMMANDS:
        assert CLI_HELP[command] in done.stdout


def test_init_then_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.duckdb"
    assert main(["init", "--db", str(db)]) == 0
    assert main(["catalog", "--district", "金水区", str(DATA / "xlsx/catalog_two_header_rows.xlsx"),
                 "--published-on", "2020-09-18", "--document-no", "金房保〔2020〕15号", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "目录｜金水区｜catalog_two_header_rows.xlsx：已导入（读取 44 行，导入 44 行，拒绝 0 行）" in out
    con = duckdb.connect(str(db))
    assert con.execute("SELECT published_on::VARCHAR, document_no FROM district_catalogs").fetchall() == [
        ("2020-09-18", "金房保〔2020〕15号")]
    con.close()


def test_bad_file_exits_2_with_located_lines(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = duckdb.connect(str(db_path))
    before = snapshot(con)
    con.close()
    code = main(["disclosures", "--district", "金水区", str(DATA / "csv/log_errors.csv"), "--db", str(db_path)])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert err[0] == "导入被拒绝，数据库未做任何修改："
    located = [line for line in err if "第 " in line and "未归类" not in line]
    assert [line.split("：")[0] for line in located] == [
        "文件「log_errors.csv」，第 3 行，「成文日期」列", "文件「log_errors.csv」，第 4 行，「发布日期」列",
        "文件「log_errors.csv」，第 5 行", "文件「log_errors.csv」，第 6 行，「成文日期」列",
        "文件「log_errors.csv」，第 7 行，「标题」列"]
    con = duckdb.connect(str(db_path))
    assert snapshot(con) == before
    con.close()


def test_allow_partial_exits_0(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["disclosures", "--district", "金水区", str(DATA / "csv/log_errors.csv"), "--allow-partial",
                 "--db", str(db_path)])
    assert code == 0
    assert "部分导入（读取 6 行，导入 1 行，拒绝 5 行）" in capsys.readouterr().out


@pytest.mark.parametrize("args,text", [
    (["catalog", "--district", "朝阳区", str(DATA / "html/catalog_portal.html")], "单位「朝阳区」不在本市 16 个单位之中"),
    (["catalog", "--district", "惠济区", str(DATA / "html/catalog_portal.html"), "--filed-on", "2020-13-01"],
     "参数「--filed-on」无效：2020-13-01"),
    (["standard", str(DATA / "csv/empty.csv")], "文件「empty.csv」：文件为空"),
])
def test_bad_input_exits_2(db_path: Path, args: list[str], text: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*args, "--db", str(db_path)]) == 2
    assert text in capsys.readouterr().err


def test_standard_and_pull_from_local_files(db_path: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["standard", str(DATA / "xlsx/standard_official.xlsx"), "--db", str(db_path)]) == 0
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[catalog]]\ndistrict = "上街区"\nsource = "{DATA / "docx/catalog.docx"}"\n'
                       '[[disclosures]]\ndistrict = "上街区"\nsource = "missing.csv"\n', encoding="utf-8")
    assert main(["pull", "--sources", str(sources), "--db", str(db_path)]) == 2
    captured = capsys.readouterr()
    assert "目录｜上街区｜catalog.docx：已导入" in captured.out
    assert "公开台账｜上街区｜" in captured.out and "拒绝导入" in captured.out
    assert "文件「missing.csv」：找不到文件" in captured.err
    assert f"[  0%] 正在处理：{DATA / 'docx/catalog.docx'}" in captured.err  # the progress lines
    assert "[ 50%] 正在处理：" in captured.err


def test_invalid_sources_file(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[catalog]]\nsource = "a.xlsx"\npublished = 2020-01-01\n', encoding="utf-8")
    assert main(["pull", "--sources", str(sources), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "数据源清单格式错误：[[catalog]] #1 district" in err
    assert "数据源清单格式错误：[[catalog]] #1 published" in err


def test_csv_load_without_tasks_does_not_import_scoring(tmp_path: Path) -> None:
    """A load into a database without rectification tasks learns that with one SQL count: the
    system check's module (scoring, the evaluation and everything under it) is not imported, nor
    the modules of the other commands (history, undo, backup, sample)."""
    db = tmp_path / "fresh.duckdb"
    code = ("import sys; from loaders.cli import main; "
            f"assert main(['disclosures', '--district', '金水区', {str(DATA / 'csv/log_utf8_bom.csv')!r}, "
            f"'--db', {str(db)!r}]) == 0; "
            "print('MODULES:' + ' '.join(m for m in sys.modules if m.split('.')[0] == 'scoring' or m in "
            "('loaders.history', 'loaders.backup', 'loaders.sample')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "已导入" in done.stdout
    assert [line for line in done.stdout.splitlines() if line.startswith("MODULES:")] == ["MODULES:"]
    con = duckdb.connect(str(db))
    assert con.execute("SELECT count(*) FROM disclosures").fetchall()[0][0] > 0
    con.close()
