"""An argparse parser that speaks Chinese: usage prefix, section titles, -h help and errors.

Shared by `python -m loaders` and `python -m scoring` so both CLIs read the same way.
Parse errors exit 2 with a Chinese line on stderr.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ui_text.errors import CLI_HELP as H


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Sequence[argparse.Action], groups: Sequence[object],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix or H["usage"])  # type: ignore[arg-type]


class ChineseArgumentParser(argparse.ArgumentParser):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(add_help=False, formatter_class=_Formatter, **kwargs)  # type: ignore[arg-type]
        self.add_argument("-h", "--help", action="help", help=H["help"])
        self._positionals.title = H["positionals"]
        self._optionals.title = H["options"]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, H["arg_error"].format(prog=self.prog, message=message) + "\n")
