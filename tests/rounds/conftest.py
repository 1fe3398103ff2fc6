"""Round fixtures: a writable copy of the bundled sample database and a copy of the rules file
that a test may edit (rounds are created with `--rules` pointing at it)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules.toml"
    shutil.copy(ROOT / "scoring" / "rules.toml", target)
    return target
