"""`python -m scoring round create|recompute|circulate|delete|list|show` (DESIGN §10), a thin layer
over `scoring.rounds`.

`create` prints the new round's id as the last word of its output. Refusals (unknown round, a
circulated round recomputed, deleted or circulated again, a blank 文号 …) exit 2 with the Chinese
message on stderr. `show --json` prints the stored evaluation byte for byte the same whatever is
loaded or changed later; `--excel`/`--docx` build the workbook and the Word notice from it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb

from accounts import audit
from scoring import cli_args, rounds
from scoring.cli_args import InputError
from ui_text import scoring as text
from ui_text.access import CLI_ACTOR, ROUND_CLI_HELP, ROUND_ERRORS, ROUND_LIST_HEADER, ROUND_STATUS, ROUND_WROTE

H = ROUND_CLI_HELP


class RoundInputError(InputError):
    """Bad input or a refused operation of `round`; the Chinese message goes to stderr, exit 2."""


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Register `round` and its six subcommands on the `python -m scoring` subparsers."""
    rp = sub.add_parser("round", help=H["round"], description=H["round"], prog="python -m scoring round")
    rsub = rp.add_subparsers(dest="round_command", required=True, metavar="{create,recompute,circulate,delete,list,show}",
                             parser_class=parser_class)

    def command(name: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = rsub.add_parser(name, help=H[name], description=H[name],
                                                     prog=f"python -m scoring round {name}")
        return p

    create = command("create")
    create.add_argument("--name", required=True, help=H["name"])
    create.add_argument("--as-of", required=True, help=text.CLI_HELP["as_of"])
    create.add_argument("--since", help=text.CLI_HELP["since"])
    create.add_argument("--rules", metavar="PATH", help=text.CLI_HELP["rules"])
    recompute = command("recompute")
    recompute.add_argument("id", help=H["id"])
    recompute.add_argument("--rules", metavar="PATH", help=text.CLI_HELP["rules"])
    circulate = command("circulate")
    circulate.add_argument("id", help=H["id"])
    circulate.add_argument("--document-no", required=True, help=H["document_no"])
    circulate.add_argument("--on", help=H["on"])
    delete = command("delete")
    delete.add_argument("id", help=H["id"])
    listing = command("list")
    listing.add_argument("--json", metavar="PATH|-", help=text.CLI_HELP["json"])
    show = command("show")
    show.add_argument("id", help=H["id"])
    show.add_argument("--revision", help=H["revision"])
    show.add_argument("--json", metavar="PATH|-", help=text.CLI_HELP["json"])
    show.add_argument("--excel", metavar="PATH", help=text.CLI_HELP["excel"])
    show.add_argument("--docx", metavar="PATH", help=H["docx"])
    for p in (create, recompute, circulate, delete, listing, show):
        p.add_argument("--db", metavar="PATH", help=text.CLI_HELP["db"])


def actor() -> str:
    """Who runs the CLI, as the audit trail names them."""
    return cli_args.actor(CLI_ACTOR)


def _date(option: str, value: str | None) -> dt.date | None:
    return cli_args.date_arg(option, value)


def _id(value: str) -> int:
    """A required round id (a positional argument, so never missing)."""
    n = _int(value)
    assert n is not None
    return n


def _int(value: str | None, key: str = "bad_id") -> int | None:
    return cli_args.int_arg(value, ROUND_ERRORS[key])


_emit = cli_args.emit


def _create(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    as_of = _date("--as-of", a.as_of)
    since = _date("--since", a.since)
    assert as_of is not None
    if since is not None and since > as_of:
        raise RoundInputError(text.CLI_ERRORS["since_after_as_of"].format(since=since, as_of=as_of))
    round_id = rounds.create(con, a.name, as_of, since, actor=actor(), rules_path=a.rules)
    print(ROUND_WROTE["created"].format(name=a.name.strip(), as_of=as_of, id=round_id))


def _recompute(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    round_id = _id(a.id)
    rounds.recompute(con, round_id, actor=actor(), rules_path=a.rules)
    print(ROUND_WROTE["recomputed"].format(id=round_id, name=rounds.get(con, round_id).name))


def _circulate(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    round_id = _id(a.id)
    on = _date("--on", a.on) or dt.date.today()
    rounds.circulate(con, round_id, a.document_no, on, actor=actor())
    r = rounds.get(con, round_id)
    print(ROUND_WROTE["circulated"].format(id=r.id, name=r.name, document_no=r.document_no, on=r.circulated_on))


def _delete(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    round_id = _id(a.id)
    name = rounds.get(con, round_id).name
    rounds.delete(con, round_id, actor=actor())
    print(ROUND_WROTE["deleted"].format(id=round_id, name=name))


def _list(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    found = rounds.list_rounds(con)
    if a.json:
        _emit(json.dumps([{**r.header(), "as_of": r.as_of.isoformat(), "since": r.since.isoformat()}
                          for r in found], ensure_ascii=False, indent=2), a.json, "json", True)
        return
    if not found:
        print(ROUND_WROTE["none"])
        return
    print(ROUND_LIST_HEADER)
    for r in found:
        print("\t".join(str(v) for v in (r.id, r.name, r.as_of, ROUND_STATUS[r.status], r.document_no or "",
                                          r.circulated_on or "", r.revision)))


def _show(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    round_id = _id(a.id)
    revision = _int(a.revision, "bad_revision")
    payload = rounds.show_text(con, round_id, revision)
    if a.excel:
        from reports.excel import round_workbook  # openpyxl only when asked

        Path(a.excel).write_bytes(round_workbook(con, round_id, revision))
        audit.record(con, actor(), "export", str(round_id), {"file": str(a.excel), "revision": revision})
        print(text.CLI_WROTE["excel"].format(path=a.excel), file=sys.stderr)
    if a.docx:
        from reports.notice import round_notice  # python-docx only when asked

        Path(a.docx).write_bytes(round_notice(con, round_id, revision))
        audit.record(con, actor(), "export", str(round_id), {"file": str(a.docx), "revision": revision})
        print(ROUND_WROTE["docx"].format(path=a.docx), file=sys.stderr)
    _emit(payload, a.json, "json", not (a.excel or a.docx))


COMMANDS: dict[str, Callable[[duckdb.DuckDBPyConnection, argparse.Namespace], None]] = {
    "create": _create, "recompute": _recompute, "circulate": _circulate, "delete": _delete,
    "list": _list, "show": _show}


def _writes(args: argparse.Namespace) -> bool:
    return args.round_command not in ("list", "show") or bool(getattr(args, "excel", None) or getattr(args, "docx", None))


def run(args: argparse.Namespace, database: Callable[[str | None], Path],
        open_write: Callable[[Path], AbstractContextManager[duckdb.DuckDBPyConnection]],
        open_read: Callable[[Path], duckdb.DuckDBPyConnection]) -> int:
    """Run one `round` subcommand. `database(path)` resolves --db (the default is built when
    missing); a command that writes runs inside `open_write(path)` (loaders.db.writing: copy,
    write, rename, so a running dashboard keeps reading), the others on `open_read(path)`."""
    path = database(args.db)
    try:
        if _writes(args):
            with open_write(path) as con:
                COMMANDS[args.round_command](con, args)
        else:
            con = open_read(path)
            try:
                COMMANDS[args.round_command](con, args)
            finally:
                con.close()
    except rounds.RoundError as exc:
        raise RoundInputError(str(exc)) from exc
    except duckdb.IOException as exc:
        raise RoundInputError(ROUND_ERRORS["db_locked"].format(path=path, error=exc)) from exc
    return 0
