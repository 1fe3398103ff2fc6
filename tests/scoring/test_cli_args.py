"""The argument helpers every `python -m scoring` command shares (scoring/cli_args.py): one bad-input
error that `main` turns into a stderr message and exit 2, dates and ids with a located message, the
audit actor, and --json PATH|-."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scoring import cli_args, finding_cli, rectification_cli, round_cli
from scoring.__main__ import main


def test_dates_and_ids_with_located_messages() -> None:
    assert cli_args.date_arg("--on", " 2026-10-09 ") == dt.date(2026, 10, 9)
    assert cli_args.date_arg("--on", None) is None
    with pytest.raises(cli_args.InputError, match="参数 --on 的日期「2026-02-30」无效"):
        cli_args.date_arg("--on", "2026-02-30")
    assert cli_args.int_arg("12", "编号「{value}」无效") == 12
    with pytest.raises(cli_args.InputError, match="编号「x1」无效"):
        cli_args.int_arg("x1", "编号「{value}」无效")


def test_every_commands_input_error_is_the_one_main_reports() -> None:
    for kind in (round_cli.RoundInputError, rectification_cli.RectificationInputError, finding_cli.FindingInputError):
        assert issubclass(kind, cli_args.InputError)


def test_a_bad_finding_date_exits_2_naming_the_option(capsys: pytest.CaptureFixture[str], fresh_db: Path) -> None:
    code = main(["finding", "set", "--district", "金水区", "--indicator", "portal_column", "--value", "是",
                 "--on", "2026-13-01", "--db", str(fresh_db)])
    assert code == 2
    assert "参数 --on 的日期「2026-13-01」无效" in capsys.readouterr().err


def test_emit_prints_or_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli_args.emit('{"a": 1}', "-")
    assert capsys.readouterr().out == '{"a": 1}\n'
    cli_args.emit('{"a": 1}', None, always=False)
    assert capsys.readouterr().out == ""
    target = tmp_path / "out.json"
    cli_args.emit('{"a": 1}', str(target))
    assert target.read_text(encoding="utf-8") == '{"a": 1}\n'
    assert str(target) in capsys.readouterr().err


def test_actor_names_the_login() -> None:
    assert cli_args.actor("命令行（{user}）").startswith("命令行（") and cli_args.actor("{user}")
