"""The scaling tools (not timing): bench/scaling.py's growth fit on hand-made points, and
bench/partitions.py end to end on a small synthetic database: the disclosures exported to one
Parquet directory per province, the floor query and scoring.evaluate over them equal to the same
over the DuckDB file (partitions.compare raises otherwise), for the whole country and one province."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench import partitions, scaling
from bench import run as bench_run

ROOT = Path(__file__).resolve().parents[2]


def test_exponent_of_hand_made_points() -> None:
    assert scaling.exponent([1, 2, 4], [3.0, 6.0, 12.0]) == 1.0      # t = 3n: doubles with n
    assert scaling.exponent([1, 2, 4], [1.0, 4.0, 16.0]) == 2.0      # t = n^2
    assert scaling.exponent([10, 20, 40], [5.0, 5.0, 5.0]) == 0.0    # constant
    assert scaling.exponent([1], [1.0]) is None


def test_growth_separates_units_from_disclosures() -> None:
    def row(units: int, rows: int, cpu: float) -> dict[str, object]:
        return {"units": units, "disclosures": rows, "evaluate": {"cpu_s": cpu, "peak_mb": 100}}
    rows = {"national": row(3_000, 10, 2.0), "national2x": row(6_000, 20, 5.0), "national4x": row(12_000, 40, 12.0),
            "national-2xrows": row(3_000, 20, 3.0)}
    fit = scaling.growth(rows, "evaluate")
    assert fit["x2_disclosures_same_units"] == 1.5   # 3.0 / 2.0
    assert fit["x2_units_same_disclosures"] == round(5.0 / 3.0, 2)
    # least squares on logs: x = ln 10 + (0, ln2, 2 ln2), y = ln 2, ln 5, ln 12 -> b = (ln12 - ln2) / (2 ln2)
    assert fit["exponent"] == pytest.approx(1.29, abs=0.01)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("partitions") / "small.duckdb"
    bench_run.build(path, 16, 600)
    return path


def test_partitions_equal_over_parquet_and_the_file(small_db: Path) -> None:
    done = subprocess.run([sys.executable, "bench/partitions.py", "--db", str(small_db), "--runs", "1",
                           "--units-per-province", "6", "--province", "P01", "--keep"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # 16 units, 6 per province: B00001-06 P00, B00007-12 P01, B00013-16 P02
    assert found["provinces"] == 3 and found["country"]["units"] == 16 and found["one_province"]["units"] == 6
    target = small_db.parent / "small-parquet"
    assert sorted(p.name for p in target.iterdir()) == ["province=P00", "province=P01", "province=P02"]
    con = duckdb.connect()
    counts = dict(con.execute(f"SELECT province, count(*) FROM read_parquet('{target}/*/*.parquet', "
                              "hive_partitioning = true) GROUP BY 1").fetchall())
    assert counts == {"P00": 6 * 600, "P01": 6 * 600, "P02": 4 * 600}
    for key in ("floor_file_s", "floor_parquet_s", "evaluate_file_s", "evaluate_parquet_s", "floor_file_cpu_s",
                "evaluate_parquet_cpu_s"):
        assert found["country"][key] > 0 and found["one_province"][key] > 0


def test_compare_notices_a_parquet_copy_that_differs(small_db: Path, tmp_path: Path) -> None:
    info = partitions.export(small_db, tmp_path / "parts", 6)
    assert info["provinces"] == 3
    # drop one province's most recent disclosure from its Parquet file: the evaluations must differ
    part = next((tmp_path / "parts" / "province=P00").glob("*.parquet"))
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_parquet('{part}') WHERE disclosure_id <> 'B00001-0' "
                f"AND NOT (district_code = 'B00001' AND row_no < 300)) TO '{tmp_path / 'cut.parquet'}' (FORMAT parquet)")
    Path(tmp_path / "cut.parquet").replace(part)
    file_con = partitions.file_connection(small_db)
    parquet_con = partitions.parquet_connection(small_db, f"{tmp_path / 'parts'}/*/*.parquet")
    import datetime as dt
    with pytest.raises(AssertionError):
        partitions.compare("country", file_con, parquet_con, dt.date(2026, 6, 30), dt.date(2026, 1, 1), 1)


def test_every_step_runs_in_its_own_process(small_db: Path, tmp_path: Path) -> None:
    from bench import steps
    from loaders import db as loaders_db

    db = tmp_path / "steps.duckdb"
    db.write_bytes(small_db.read_bytes())
    found = {step: steps.measure(db, step, 1) for step in steps.STEPS}
    for step, row in found.items():
        assert "error" not in row, (step, row)
        assert row["s"] > 0 and row["cpu_s"] >= 0 and row["peak_mb"] > 50, (step, row)
    assert found["excel"]["mb"] > 0 and found["excel"]["gaps"] > 0
    con = duckdb.connect(str(db), read_only=True)  # the write step rewrote the file through loaders.db.writing
    try:
        assert loaders_db.get_meta(con, "bench_write_probe") is not None
        assert con.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 16 * 600
    finally:
        con.close()
    assert steps.measure(db, "no-such-step", 1) == {"error": "no-such-step exited 1"}
