"""Entry point of `python -m loaders` (see loaders/cli.py)."""
from __future__ import annotations

import sys

from loaders.cli import main

if __name__ == "__main__":
    sys.exit(main())
