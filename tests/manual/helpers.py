"""Plain helpers of the manual-indicator tests (imported as `tests.manual.helpers`; conftest.py holds
only the fixtures): `record` runs the real `python -m scoring finding set`, and the rules files of
tests/data/rules/manual/."""
from __future__ import annotations

from pathlib import Path

from scoring.__main__ import main

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules" / "manual"
TWO_BONUSES = RULES_DIR / "valid_two_bonuses.toml"


def record(db: Path, district: str, indicator: str, value: str, on: str, *extra: str,
           rules: Path | None = None) -> int:
    """`python -m scoring finding set …`; returns the exit code."""
    argv = ["finding", "set", "--district", district, "--indicator", indicator, "--value", value, "--on", on,
            "--db", str(db), *extra]
    if rules is not None:
        argv += ["--rules", str(rules)]
    return main(argv)
