"""`python -m accounts add|disable|enable|reset|list [--users FILE]` (DESIGN §9).

Passwords are read from standard input (one line), never from an argument, so they stay out of
shell history and the process list. Bad input exits 2 with a Chinese message on stderr.
"""
from __future__ import annotations

import argparse
import sys

from accounts import store
from loaders.reference import districts
from ui_text.access import ACCOUNT_CLI_DONE, ACCOUNT_CLI_HELP, ACCOUNT_ERRORS, ROLE_NAMES
from ui_text.argparse_zh import ChineseArgumentParser

H = ACCOUNT_CLI_HELP


def _parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="python -m accounts", description=H["description"])
    sub = parser.add_subparsers(dest="command", required=True, title=H["commands"],
                                metavar="{add,disable,enable,reset,list}", parser_class=ChineseArgumentParser)
    for name in ("add", "disable", "enable", "reset", "list"):
        p = sub.add_parser(name, help=H[name], description=H[name], prog=f"python -m accounts {name}")
        if name != "list":
            p.add_argument("username", help=H["username"])
        if name == "add":
            p.add_argument("--role", required=True, help=H["role"])
            p.add_argument("--district", help=H["district"])
            p.add_argument("--identity", action="append", default=[], help=H["identity"])
        p.add_argument("--users", metavar="FILE", help=H["users"])
    return parser


def _password() -> str:
    line = sys.stdin.readline()
    if not line.strip():
        raise store.AccountError(ACCOUNT_ERRORS["no_password"])
    return line.rstrip("\r\n")


def unit_names() -> dict[str, str]:
    return {d.code: d.name for d in districts()}


def run(args: argparse.Namespace) -> None:
    path = store.users_path(args.users)
    if args.command == "add":
        a = store.add(args.username, args.role, _password(), args.district, identities=tuple(args.identity), path=path)
        unit = ACCOUNT_CLI_DONE["unit"].format(unit=unit_names()[a.district]) if a.district else ""
        print(ACCOUNT_CLI_DONE["add"].format(username=a.username, role=ROLE_NAMES[a.role], unit=unit, path=path))
    elif args.command == "reset":
        store.reset(args.username, _password(), path)
        print(ACCOUNT_CLI_DONE["reset"].format(username=args.username))
    elif args.command in ("disable", "enable"):
        getattr(store, args.command)(args.username, path)
        print(ACCOUNT_CLI_DONE[args.command].format(username=args.username))
    else:
        accounts = store.load(path)
        if not accounts:
            print(ACCOUNT_CLI_DONE["none"].format(path=path))
            return
        names = unit_names()
        print(ACCOUNT_CLI_DONE["header"])
        for a in sorted(accounts.values(), key=lambda a: a.username):
            print("\t".join((a.username, ROLE_NAMES[a.role], names.get(a.district or "", ""),
                             ACCOUNT_CLI_DONE["active" if a.active else "inactive"],
                             a.locked_until.isoformat(sep=" ") if a.locked_until else "")))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        run(args)
    except store.AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
