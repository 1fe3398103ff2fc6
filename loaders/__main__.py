"""Entry point of `python -m loaders` (see loaders/cli.py).

When the command has returned, everything it wrote is committed, renamed into place and
closed: the process leaves with `os._exit` after flushing its output, skipping the
interpreter's teardown (freeing every module of pandas, pyarrow, numpy and DuckDB one by one
and collecting them: about 0.15 s CPU of each run). A command that raises still ends the
ordinary way, with its traceback.
"""
from __future__ import annotations

import gc
import os
import sys

_collecting = gc.isenabled()
gc.disable()  # the CLI's own imports allocate no garbage (cli.main pauses it again for the heavy ones)
from loaders.cli import main  # noqa: E402

if _collecting:
    gc.enable()

if __name__ == "__main__":
    code = main()
    if "coverage" in sys.modules:  # a measured run writes its data at the ordinary exit
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # e.g. a closed pipe: the ordinary exit reports it as before
        sys.exit(code)
    os._exit(code)
