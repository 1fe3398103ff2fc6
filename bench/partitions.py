"""The plan past one machine, measured (README 规模与扩展): the national disclosures exported to
Parquet files partitioned by province (hive layout `province=Pnn/`), then the one-query floor and
the full evaluation timed over those files (DuckDB `read_parquet(..., hive_partitioning = true)`)
against the same over the DuckDB file, whole-country and for one province.

    nice -n 10 python bench/partitions.py [--db bench/out/national.duckdb] [--runs 3] [--units-per-province 100]

The synthetic units have no province, so units are grouped in order: B00001–B00100 are P00, and so
on (national: 30 provinces of 100 units). The Parquet side is an in-memory DuckDB whose `disclosures`
is a view over the files and whose other tables are views onto the attached database (read-only),
so bench/peers/one_query.sql and scoring.evaluate run on it unchanged. Each result is checked equal
to the one over the DuckDB file (every unit's score, rank, grade and seven components) before
anything is timed. One province: that partition's files alone (the other 29 never opened) against
the DuckDB file with the same units (a view filtered by district_code). The last line is JSON.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import scoring  # noqa: E402
from bench import peers  # noqa: E402

OUT = ROOT / "bench" / "out"


def province_of(units_per_province: int) -> str:
    """SQL for a unit's province from its synthetic code (B00001 -> P00)."""
    return f"printf('P%02d', (CAST(substr(district_code, 2) AS INTEGER) - 1) // {int(units_per_province)})"


def export(db: Path, target: Path, units_per_province: int) -> dict[str, Any]:
    """Write the disclosures as `target/province=Pnn/*.parquet`; seconds, files, MB."""
    shutil.rmtree(target, ignore_errors=True)
    con = duckdb.connect(str(db), read_only=True)
    start = time.perf_counter()
    con.execute(f"COPY (SELECT *, {province_of(units_per_province)} AS province FROM disclosures) "
                f"TO '{target}' (FORMAT parquet, PARTITION_BY (province), COMPRESSION zstd)")
    seconds = time.perf_counter() - start
    con.close()
    files = list(target.rglob("*.parquet"))
    return {"export_s": round(seconds, 2), "files": len(files), "provinces": len({f.parent for f in files}),
            "parquet_mb": round(sum(f.stat().st_size for f in files) / 2**20, 1)}


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main'").fetchall()]


def parquet_connection(db: Path, files: str, units: str | None = None) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB: `disclosures` over the Parquet `files` glob, every other table a view onto
    the attached `db`; with `units` (a SQL list of codes) `districts` is cut to them."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
    for name in _tables(con):
        if name == "disclosures":
            continue
        where = f" WHERE code IN {units}" if units and name == "districts" else ""
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM src."{name}"{where}')
    con.execute(f"CREATE VIEW disclosures AS SELECT * EXCLUDE (province) FROM "
                f"read_parquet('{files}', hive_partitioning = true)")
    return con


def file_connection(db: Path, units: str | None = None) -> duckdb.DuckDBPyConnection:
    """The DuckDB file itself; with `units`, `districts` and `disclosures` cut to those units (views)."""
    if units is None:
        return duckdb.connect(str(db), read_only=True)
    con = duckdb.connect()
    con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
    for name in _tables(con):
        where = {"districts": f" WHERE code IN {units}", "disclosures": f" WHERE district_code IN {units}"}
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM src."{name}"{where.get(name, "")}')
    return con


def median(runs: int, step: Callable[[], Any]) -> tuple[float, float]:
    """Median wall and process-CPU seconds (every DuckDB thread) of `runs` runs of `step`."""
    times, cpus = [], []
    for _ in range(runs):
        cpu, start = time.process_time(), time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return round(statistics.median(times), 3), round(statistics.median(cpus), 3)


def compare(name: str, file_con: duckdb.DuckDBPyConnection, parquet_con: duckdb.DuckDBPyConnection,
            as_of: dt.date, since: dt.date, runs: int) -> dict[str, Any]:
    """Floor and evaluation over the file and over Parquet, verified equal first."""
    rules = scoring.load_rules()
    ours = scoring.evaluate(file_con, as_of=as_of, since=since, rules=rules).to_json()
    theirs = scoring.evaluate(parquet_con, as_of=as_of, since=since, rules=rules).to_json()
    units = peers.verify(ours, peers.one_query(parquet_con, as_of, since, rules), f"{name} floor over parquet")
    peers.verify(ours, peers.one_query(file_con, as_of, since, rules), f"{name} floor over the file")
    if [(d["code"], d["score"], d["rank"], d["grade"], d["components"]) for d in ours["districts"]] != \
            [(d["code"], d["score"], d["rank"], d["grade"], d["components"]) for d in theirs["districts"]]:
        raise AssertionError(f"{name}: scoring.evaluate over parquet differs from over the file")
    row: dict[str, Any] = {"units": units}
    for label, con in (("file", file_con), ("parquet", parquet_con)):
        print(f"  {name} {label}", file=sys.stderr, flush=True)
        row[f"floor_{label}_s"], row[f"floor_{label}_cpu_s"] = median(
            runs, lambda c=con: peers.one_query(c, as_of, since, rules))
        row[f"evaluate_{label}_s"], row[f"evaluate_{label}_cpu_s"] = median(
            runs, lambda c=con: scoring.evaluate(c, as_of=as_of, since=since, rules=rules))
    for step in ("floor", "evaluate"):
        row[f"{step}_parquet_over_file"] = round(row[f"{step}_parquet_s"] / row[f"{step}_file_s"], 2)
        row[f"{step}_parquet_over_file_cpu"] = round(row[f"{step}_parquet_cpu_s"] / row[f"{step}_file_cpu_s"], 2)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "national.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--units-per-province", type=int, default=100)
    parser.add_argument("--province", default="P07", help="the one province timed alone")
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--keep", action="store_true", help="keep the Parquet files")
    args = parser.parse_args(argv)
    db = args.db.resolve()
    target = db.parent / f"{db.stem}-parquet"
    as_of = dt.date.fromisoformat(args.as_of)
    since = dt.date(as_of.year, 1, 1)
    result: dict[str, Any] = {"db": db.name, "db_mb": round(db.stat().st_size / 2**20, 1), "runs": args.runs,
                              "load_avg_start": round(os.getloadavg()[0], 1)}
    print("  export", file=sys.stderr, flush=True)
    result.update(export(db, target, args.units_per_province))

    whole_file, whole_parquet = file_connection(db), parquet_connection(db, f"{target}/*/*.parquet")
    result["country"] = compare("country", whole_file, whole_parquet, as_of, since, args.runs)
    whole_file.close()
    whole_parquet.close()

    n = int(args.province[1:])
    units = "(" + ", ".join(f"'B{i:05d}'" for i in range(n * args.units_per_province + 1,
                                                          (n + 1) * args.units_per_province + 1)) + ")"
    one_file = file_connection(db, units)
    one_parquet = parquet_connection(db, f"{target}/province={args.province}/*.parquet", units)
    result["one_province"] = {"province": args.province,
                              **compare("province", one_file, one_parquet, as_of, since, args.runs)}
    one_file.close()
    one_parquet.close()
    result["load_avg_end"] = round(os.getloadavg()[0], 1)
    if not args.keep:
        shutil.rmtree(target, ignore_errors=True)

    print(f"\nParquet partitions by province ({result['provinces']} provinces, {result['files']} files, "
          f"{result['parquet_mb']} MB; the DuckDB file {result['db_mb']} MB; export {result['export_s']} s)")
    for scope in ("country", "one_province"):
        r = result[scope]
        for step in ("floor", "evaluate"):
            print(f"  {scope:<12} units {r['units']:>5}  {step:<8} file {r[f'{step}_file_s']} s "
                  f"(CPU {r[f'{step}_file_cpu_s']}), parquet {r[f'{step}_parquet_s']} s (CPU "
                  f"{r[f'{step}_parquet_cpu_s']}): {r[f'{step}_parquet_over_file']}x wall, "
                  f"{r[f'{step}_parquet_over_file_cpu']}x CPU")
    print(f"  load average {result['load_avg_start']} at start, {result['load_avg_end']} at end")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
