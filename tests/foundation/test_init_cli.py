"""`python -m loaders init --db X` builds the schema and reference data, and running it twice is
harmless: every table holds the same rows afterwards (DESIGN §4). The CLI's other commands are
left to the loader tests.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
# The only value allowed to change between two runs: when init last ran.
VOLATILE_META = ("schema_initialised_at",)


def _init(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "loaders", "init", "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        snap = {}
        for t in tables:
            rows = con.execute(f'SELECT * FROM "{t}"').fetchall()
            if t == "meta":
                rows = [r for r in rows if r[0] not in VOLATILE_META]
            snap[t] = sorted(rows, key=repr)
        return snap
    finally:
        con.close()


def test_init_twice_is_harmless(tmp_path: Path) -> None:
    db = tmp_path / "init.duckdb"
    first = _init(db)
    assert first.returncode == 0, first.stderr
    before = _snapshot(db)
    assert len(before["districts"]) == 16
    assert len(before["standard_catalog"]) == 43
    assert len(before["calendar"]) > 9000  # 2015-01-01 … 2040-12-31
    second = _init(db)
    assert second.returncode == 0, second.stderr
    after = _snapshot(db)
    assert after.keys() == before.keys()
    changed = [t for t in before if before[t] != after[t]]
    assert changed == []


def test_init_keeps_district_data(fresh_db: Path) -> None:
    """A later init rewrites reference data only; a loaded catalog survives it."""
    from loaders import db as loaders_db

    con = duckdb.connect(str(fresh_db))
    try:
        con.execute("INSERT INTO district_catalogs VALUES ('410105-x', '410105', DATE '2020-09-18', "
                    "'金房保〔2020〕15号', NULL, NULL, 'catalog.xlsx', 'x', 1, now())")
        loaders_db.init_database(con)
        assert con.execute("SELECT document_no FROM district_catalogs").fetchall() == [("金房保〔2020〕15号",)]
        assert con.execute("SELECT count(*) FROM districts").fetchone() == (16,)
    finally:
        con.close()
