"""What every `python -m scoring` command (evaluate, round, tasks/dispute/compare, finding) does
the same way with its arguments: one error class for bad input (its Chinese message goes to
stderr, exit 2), dates and ids parsed with a located message, who runs the command (the audit
trail's actor), and a JSON/text payload printed or written to `--json PATH`.
"""
from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path

from ui_text import scoring as text


class InputError(Exception):
    """Bad input or a refused operation of a scoring command; the message goes to stderr, exit 2."""


def date_arg(option: str, value: str | None) -> dt.date | None:
    """The date given to `option` (YYYY-MM-DD), None when it was not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(text.CLI_ERRORS["bad_date"].format(option=option, value=value)) from exc


def int_arg(value: str | None, message: str) -> int | None:
    """An integer argument (an id, a revision), None when not given; `message` ({value}) if bad."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise InputError(message.format(value=value)) from exc


def actor(template: str) -> str:
    """Who runs the CLI, as the audit trail names them: `template` with {user} the login name."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry inside some containers
        user = "?"
    return template.format(user=user)


def emit(payload: str, target: str | None, kind: str = "json", always: bool = True) -> None:
    """`payload` to the file `target` (with a 已写入 line on stderr), or printed when `target` is '-'
    (or not given and `always`)."""
    if target and target != "-":
        Path(target).write_text(payload + "\n", encoding="utf-8")
        print(text.CLI_WROTE[kind].format(path=target), file=sys.stderr)
    elif target == "-" or always:
        print(payload)
