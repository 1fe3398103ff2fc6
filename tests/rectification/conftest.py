"""Fixtures of the rectification tests: `world`, a fresh database (schema + reference data) with
the hand-built catalogs of tests/rectification/helpers.py written in the layout districts publish
and loaded through the real `python -m loaders` CLI (so the after-load verification hook runs).
Test files import the helpers from tests.rectification.helpers, never this file.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rectification.helpers import ERQI, MISSING, ZHONGYUAN, city_items, load, write_catalog


@pytest.fixture
def world(fresh_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The hand-built world of tests/rectification/helpers.py, loaded through the loaders CLI."""
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-09-02")
    items = city_items(fresh_db)
    partial = [i for i in items if f"{i[0]}/{i[1]}" != MISSING]
    assert len(items) == 43 and len(partial) == 42
    for name, rows, file in ((ZHONGYUAN, partial, "zy_2026.csv"), (ERQI, items, "eq_2026.csv")):
        code, _, err = load(capsys, "catalog", "--district", name, str(write_catalog(tmp_path / file, rows)),
                            "--published-on", "2026-09-01", "--db", str(fresh_db))
        assert code == 0, err
    yield fresh_db
