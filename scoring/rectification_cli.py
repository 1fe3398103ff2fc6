"""`python -m scoring tasks …`, `python -m scoring dispute …` and `python -m scoring compare …`
(DESIGN §11), a thin layer over `scoring.rectification`, `scoring.disputes` and `scoring.compare`.

`tasks [--round ID] [--district NAME] [--status S] [--json PATH|-]` lists tasks; `tasks verify
[--as-of DATE]` runs the system check; `tasks report|confirm|reject TASK_ID` handle self-reports.
`dispute file` prints the new dispute's id as the last word; `dispute decide ID --accept|--reject`.
The command line acts with the bureau's authority (no unit scope). Refusals exit 2 with the
Chinese message on stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from scoring import cli_args, compare, disputes, rectification, rounds, verification
from scoring.cli_args import InputError
from scoring.districts import UnknownDistrictError
from scoring.round_cli import actor
from ui_text import scoring as scoring_text
from ui_text.access import ROUND_ERRORS
from ui_text.rectification import (
    CATEGORY_LABELS,
    CLI_WROTE,
    DISPUTE_LIST_HEADER,
    DISPUTE_STATUS,
    ERRORS,
    TASK_LIST_HEADER,
    TASK_STATUS,
)
from ui_text.rectification import CLI_HELP as H


class RectificationInputError(InputError):
    """Bad input or a refused operation of tasks/dispute/compare; the message goes to stderr, exit 2."""


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Register `tasks`, `dispute` and `compare` on the `python -m scoring` subparsers."""
    db_help = scoring_text.CLI_HELP["db"]
    tp = sub.add_parser("tasks", help=H["tasks"], description=H["tasks"], prog="python -m scoring tasks")
    tp.add_argument("--round", help=H["round"])
    tp.add_argument("--district", help=H["district"])
    tp.add_argument("--status", help=H["status"])
    tp.add_argument("--json", metavar="PATH|-", help=H["json"])
    tp.add_argument("--db", metavar="PATH", help=db_help)
    tsub = tp.add_subparsers(dest="tasks_command", required=False, metavar="{verify,report,confirm,reject}",
                             parser_class=parser_class)
    verify = tsub.add_parser("verify", help=H["verify"], description=H["verify"], prog="python -m scoring tasks verify")
    verify.add_argument("--as-of", help=H["as_of"])
    report = tsub.add_parser("report", help=H["report"], description=H["report"], prog="python -m scoring tasks report")
    report.add_argument("id", help=H["task_id"])
    report.add_argument("--evidence", required=True, metavar="URL|FILE", help=H["evidence"])
    report.add_argument("--note", default="", help=H["note"])
    report.add_argument("--on", help=H["as_of"])
    report.add_argument("--raw-dir", metavar="DIR", help=H["raw_dir"])
    review = []
    for name in ("confirm", "reject"):
        p = tsub.add_parser(name, help=H[name], description=H[name], prog=f"python -m scoring tasks {name}")
        p.add_argument("id", help=H["task_id"])
        p.add_argument("--note", default="", help=H["note"])
        p.add_argument("--on", help=H["as_of"])
        review.append(p)
    for p in (verify, report, *review):  # SUPPRESS: `tasks --db X verify` keeps the X given before
        p.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)

    dp = sub.add_parser("dispute", help=H["dispute"], description=H["dispute"], prog="python -m scoring dispute")
    dsub = dp.add_subparsers(dest="dispute_command", required=True, metavar="{file,decide,list}",
                             parser_class=parser_class)
    filing = dsub.add_parser("file", help=H["file"], description=H["file"], prog="python -m scoring dispute file")
    filing.add_argument("--round", required=True, help=H["round"])
    filing.add_argument("--task", required=True, help=H["task"])
    filing.add_argument("--reason", required=True, help=H["reason"])
    filing.add_argument("--evidence", metavar="URL|FILE", help=H["evidence"])
    filing.add_argument("--raw-dir", metavar="DIR", help=H["raw_dir"])
    deciding = dsub.add_parser("decide", help=H["decide"], description=H["decide"], prog="python -m scoring dispute decide")
    deciding.add_argument("id", help=H["dispute_id"])
    choice = deciding.add_mutually_exclusive_group(required=True)
    choice.add_argument("--accept", action="store_true", help=H["accept"])
    choice.add_argument("--reject", action="store_true", help=H["reject_dispute"])
    deciding.add_argument("--reason", required=True, help=H["reason"])
    listing = dsub.add_parser("list", help=H["list"], description=H["list"], prog="python -m scoring dispute list")
    listing.add_argument("--round", help=H["round"])
    listing.add_argument("--json", metavar="PATH|-", help=H["json"])
    for p in (filing, deciding, listing):
        p.add_argument("--db", metavar="PATH", help=db_help)

    cp = sub.add_parser("compare", help=H["compare"], description=H["compare"], prog="python -m scoring compare")
    cp.add_argument("round_a", help=H["round_a"])
    cp.add_argument("round_b", help=H["round_b"])
    cp.add_argument("--json", metavar="PATH|-", help=scoring_text.CLI_HELP["json"])
    cp.add_argument("--excel", metavar="PATH", help=scoring_text.CLI_HELP["excel"])
    cp.add_argument("--db", metavar="PATH", help=db_help)


def _int(value: str | None) -> int | None:
    return cli_args.int_arg(value, ERRORS["bad_id"])


def _id(value: str) -> int:
    """A required id argument."""
    found = _int(value)
    assert found is not None
    return found


def _date(option: str, value: str | None) -> dt.date:
    """The date given to `option`, today when not given."""
    return cli_args.date_arg(option, value) or dt.date.today()


_emit = cli_args.emit


def _evidence(value: str | None) -> tuple[str | None, str | None]:
    """(url, file path) of an --evidence value."""
    if value is None:
        return None, None
    return (value, None) if rectification.is_url(value) else (None, value)


def _tasks(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    command = a.tasks_command
    if command == "verify":
        r = verification.verify(con, _date("--as-of", a.as_of), actor=actor())
        print(CLI_WROTE["verified"].format(as_of=r.as_of, checked=r.checked, fixed=r.fixed + r.fixed_late,
                                           fixed_late=r.fixed_late, overdue=r.overdue, reopened=r.reopened))
        return
    if command == "report":
        url, path = _evidence(a.evidence)
        rectification.report_fix(con, _id(a.id), actor=actor(), scope=None, on=_date("--on", a.on), note=a.note,
                                  url=url, file=path, raw_dir=a.raw_dir)
        print(CLI_WROTE["reported"].format(id=a.id))
        return
    if command in ("confirm", "reject"):
        status = rectification.review_report(con, _id(a.id), command == "confirm", actor=actor(), scope=None,
                                             on=_date("--on", a.on), note=a.note)
        print(CLI_WROTE["confirmed" if command == "confirm" else "rejected"].format(id=a.id, status=TASK_STATUS[status]))
        return
    found = rectification.list_tasks(con, round_id=_int(a.round), unit=a.district, status=a.status)
    if a.json:
        _emit(rectification.tasks_json(found), a.json)
        return
    if not found:
        print(CLI_WROTE["no_tasks"])
        return
    print(TASK_LIST_HEADER)
    for t in found:
        print("\t".join(str(v) for v in (t["id"], t["round_id"], t["district"], CATEGORY_LABELS.get(t["category"], t["category"]), t["detail"],
                                          t["deadline"], TASK_STATUS[t["status"]], t["fixed_on"] or "")))


def _dispute(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    command = a.dispute_command
    if command == "file":
        url, path = _evidence(a.evidence)
        new_id = disputes.file_dispute(con, _id(a.round), _id(a.task), reason=a.reason, actor=actor(), scope=None,
                                       url=url, file=path, raw_dir=a.raw_dir)
        print(CLI_WROTE["filed"].format(round=a.round, task=a.task, id=new_id))
    elif command == "decide":
        revision = disputes.decide_dispute(con, _id(a.id), bool(a.accept), reason=a.reason, actor=actor(), scope=None)
        if revision is None:
            print(CLI_WROTE["dispute_rejected"].format(id=a.id))
        else:
            print(CLI_WROTE["accepted"].format(id=a.id, round=disputes.get_dispute(con, _id(a.id))["round_id"],
                                               revision=revision))
    else:
        found = disputes.list_disputes(con, round_id=_int(a.round))
        if a.json:
            _emit(json.dumps(found, ensure_ascii=False, indent=2), a.json)
            return
        if not found:
            print(CLI_WROTE["no_disputes"])
            return
        print(DISPUTE_LIST_HEADER)
        for p in found:
            print("\t".join(str(v) for v in (p["id"], p["round_id"], p["task_id"], p["district"],
                                              DISPUTE_STATUS[p["status"]], p["reason"])))


def _compare(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    result = compare.compare_rounds(con, _id(a.round_a), _id(a.round_b))
    if a.excel:
        from reports.round_compare import build_compare_workbook  # openpyxl only when asked

        Path(a.excel).write_bytes(build_compare_workbook(result))
        print(scoring_text.CLI_WROTE["excel"].format(path=a.excel), file=sys.stderr)
    if a.json or not a.excel:
        _emit(json.dumps(result, ensure_ascii=False, indent=2), a.json)


COMMANDS: dict[str, Callable[[duckdb.DuckDBPyConnection, argparse.Namespace], None]] = {
    "tasks": _tasks, "dispute": _dispute, "compare": _compare}


def run(args: argparse.Namespace, database: Callable[[str | None], Path]) -> int:
    """Run one `tasks`/`dispute`/`compare` command; `database(path)` resolves --db."""
    try:
        con = duckdb.connect(str(database(args.db)))
    except duckdb.IOException as exc:
        raise RectificationInputError(ROUND_ERRORS["db_locked"].format(path=args.db or "", error=exc)) from exc
    try:
        COMMANDS[args.command](con, args)
    except (rectification.TaskError, rounds.RoundError, UnknownDistrictError) as exc:
        raise RectificationInputError(str(exc)) from exc
    finally:
        con.close()
    return 0
