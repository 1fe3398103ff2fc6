"""`python -m scoring evaluate --as-of DATE [--since DATE] [--district NAME] [--json PATH|-]
[--excel PATH] [--db PATH] [--rules PATH]`: a thin command line over `scoring.evaluate`.

Prints the DESIGN §6 JSON to stdout unless --json/--excel say otherwise. Exit 0 on success,
2 on bad input (bad date, unknown district, bad rules file, missing --db file) with a Chinese
message on stderr. The default database is built from the bundled sample when missing (the one
place scoring touches loaders, imported lazily).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from scoring import cli_args, finding_cli, rectification_cli, round_cli
from scoring.cli_args import InputError
from scoring.districts import UnknownDistrictError
from scoring.evaluation import evaluate
from scoring.rules import RulesError, load_rules
from ui_text import scoring as text
from ui_text.argparse_zh import ChineseArgumentParser
from ui_text.errors import CLI_HELP


def _parser() -> argparse.ArgumentParser:
    h = text.CLI_HELP
    parser = ChineseArgumentParser(prog="python -m scoring", description=text.CLI_DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True, title=CLI_HELP["commands"],
                                metavar="{evaluate,round,tasks,dispute,compare,finding}",
                                parser_class=ChineseArgumentParser)
    ev = sub.add_parser("evaluate", help=h["evaluate"], description=h["evaluate"],
                        prog="python -m scoring evaluate")
    ev.add_argument("--as-of", required=True, help=h["as_of"])
    ev.add_argument("--since", help=h["since"])
    ev.add_argument("--district", help=h["district"])
    ev.add_argument("--json", metavar="PATH|-", help=h["json"])
    ev.add_argument("--excel", metavar="PATH", help=h["excel"])
    ev.add_argument("--db", metavar="PATH", help=h["db"])
    ev.add_argument("--rules", metavar="PATH", help=h["rules"])
    round_cli.add_parser(sub, ChineseArgumentParser)
    rectification_cli.add_parsers(sub, ChineseArgumentParser)
    finding_cli.add_parser(sub, ChineseArgumentParser)
    return parser


_date = cli_args.date_arg


def _database(path: str | None) -> Path:
    if path:
        if not Path(path).exists():
            raise InputError(text.CLI_ERRORS["db_missing"].format(path=path))
        return Path(path)
    from loaders.sample import ensure_database  # the CLI entry alone may build the default database

    return ensure_database()


def run_evaluate(args: argparse.Namespace) -> int:
    as_of = _date("--as-of", args.as_of)
    since = _date("--since", args.since)
    assert as_of is not None
    if since is not None and since > as_of:
        raise InputError(text.CLI_ERRORS["since_after_as_of"].format(since=since, as_of=as_of))
    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        raise InputError(text.CLI_ERRORS["rules"].format(message=exc)) from exc
    db_path = _database(args.db)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        try:
            result = evaluate(con, as_of, since=since, unit=args.district, rules=rules)
        except UnknownDistrictError as exc:
            raise InputError(str(exc)) from exc
        payload = result.to_json()
        if args.excel:
            from reports.excel import build_report_workbook, report_context  # openpyxl only when asked

            context = report_context(con, rules=rules)
            Path(args.excel).write_bytes(build_report_workbook(result, context))
            print(text.CLI_WROTE["excel"].format(path=args.excel), file=sys.stderr)
    finally:
        con.close()
    dumped = json.dumps(payload, ensure_ascii=False, indent=2)
    if args.json and args.json != "-":
        Path(args.json).write_text(dumped + "\n", encoding="utf-8")
        print(text.CLI_WROTE["json"].format(path=args.json), file=sys.stderr)
    elif args.json == "-" or not args.excel:
        print(dumped)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "round":
            from loaders.db import connect_read_only, writing  # the CLI entry alone may use loaders
            from loaders.errors import LoadError

            try:
                return round_cli.run(args, _database, writing, connect_read_only)
            except LoadError as exc:  # the file stayed locked by another writer
                print(str(exc), file=sys.stderr)
                return 2
        if args.command in rectification_cli.COMMANDS:
            return rectification_cli.run(args, _database)
        if args.command == "finding":
            return finding_cli.run(args, _database)
        return run_evaluate(args)
    except RulesError as exc:
        print(text.CLI_ERRORS["rules"].format(message=exc), file=sys.stderr)
        return 2
    except InputError as exc:  # every command's bad input (cli_args.InputError and its kinds)
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
