"""Scaling runs (README 规模与扩展): national, 2x and 4x national, and national's units with twice
the disclosures each, so growth with units and growth with disclosures can be told apart.

    nice -n 10 python bench/scaling.py [--scales national,national2x,national4x,national-2xrows]
                                       [--steps evaluate,floor,trend,excel,overview] [--runs 3] [--build]

Each database is bench/out/<scale>.duckdb, built by bench/run.build (`--build` builds a missing one;
build it once: 4x national is 40 million disclosures). Per scale: the build's seconds (bench_load_s,
written by build), the file's size, and each step in a fresh process (bench/steps.py): median wall
and CPU seconds over --runs runs and the process's peak memory (overview: the first render in
AppTest, once). Then the growth: for each step, the exponent b of t ~ n^b fitted over 1x/2x/4x
(least squares on logs), the factor for twice the units at the same disclosures per unit against
twice the disclosures at the same units. The last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench import run as bench_run  # noqa: E402
from bench import steps  # noqa: E402
from loaders import db as loaders_db  # noqa: E402

LINE = ("national", "national2x", "national4x")  # units and disclosures x1, x2, x4
DEEP = "national-2xrows"                       # national's units, twice the disclosures each


def exponent(sizes: list[float], times: list[float]) -> float | None:
    """b of t = a * n^b, least squares on (log n, log t); None with fewer than two points."""
    pts = [(math.log(n), math.log(t)) for n, t in zip(sizes, times) if n and t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 2) if sxx else None


def describe(db: Path) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        units = con.execute("SELECT count(*) FROM districts").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM disclosures").fetchone()[0]
        load_s = loaders_db.get_meta(con, "bench_load_s")
    finally:
        con.close()
    return {"units": units, "disclosures": rows, "build_s": float(load_s) if load_s else None,
            "db_mb": round(db.stat().st_size / 2**20)}


def growth(rows: dict[str, dict[str, Any]], step: str, field: str = "cpu_s") -> dict[str, Any]:
    """How `step`'s `field` grows: exponent over the 1x/2x/4x line; units vs disclosures at 2x."""
    line = [rows[s] for s in LINE if s in rows and isinstance(rows[s].get(step), dict) and field in rows[s][step]]
    found: dict[str, Any] = {"exponent": exponent([r["disclosures"] for r in line],
                                                  [r[step][field] for r in line])}
    one, two, deep = rows.get("national"), rows.get("national2x"), rows.get(DEEP)
    if one and deep and field in one.get(step, {}) and field in deep.get(step, {}):
        found["x2_disclosures_same_units"] = round(deep[step][field] / one[step][field], 2)
    if two and deep and field in two.get(step, {}) and field in deep.get(step, {}):
        found["x2_units_same_disclosures"] = round(two[step][field] / deep[step][field], 2)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join((*LINE, DEEP)))
    parser.add_argument("--steps", default="evaluate,floor,trend,excel,overview")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="build a missing database (once: 4x is large)")
    parser.add_argument("--out", type=Path, default=bench_run.OUT)
    args = parser.parse_args(argv)
    rows: dict[str, dict[str, Any]] = {}
    for scale in args.scales.split(","):
        db = args.out / f"{scale}.duckdb"
        if not db.exists():
            if not args.build:
                print(f"  {scale}: no {db} (run with --build)", file=sys.stderr)
                continue
            print(f"  building {scale}", file=sys.stderr, flush=True)
            bench_run.build(db, *bench_run.SCALES[scale])
        row = {"scale": scale, **describe(db), "load_avg_start": round(os.getloadavg()[0], 1)}
        for step in args.steps.split(","):
            print(f"  {scale} {step}", file=sys.stderr, flush=True)
            row[step] = steps.measure(db, step, 1 if step == "overview" else args.runs)
        row["load_avg_end"] = round(os.getloadavg()[0], 1)
        rows[scale] = row
        print("  " + json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
    fits = {step: growth(rows, step, field) for step in args.steps.split(",") for field in ("cpu_s",)}
    fits.update({f"{step}_peak": growth(rows, step, "peak_mb") for step in args.steps.split(",")})
    print(table(rows, args.steps.split(","), fits))
    print(json.dumps({"scaling": list(rows.values()), "growth": fits, "runs": args.runs}, ensure_ascii=False))
    return 0


def table(rows: dict[str, dict[str, Any]], names: list[str], fits: dict[str, Any]) -> str:
    head = ["scale", "units", "disclosures", "build s", "DB MB"]
    for step in names:
        head += [f"{step} s", f"{step} CPU s", f"{step} MB"]
    lines = [" | ".join(head)]
    for r in rows.values():
        cells = [r["scale"], f"{r['units']:,}", f"{r['disclosures']:,}", r["build_s"], r["db_mb"]]
        for step in names:
            m = r.get(step, {})
            cells += [m.get("s", m.get("error")), m.get("cpu_s"), m.get("peak_mb")]
        lines.append(" | ".join("" if c is None else str(c) for c in cells))
    lines.append("")
    lines.append("growth (CPU s and peak MB): exponent b of t ~ n^b over 1x/2x/4x; factor for 2x disclosures at the "
                 "same units; for 2x units at the same disclosures")
    for key, fit in fits.items():
        lines.append(f"  {key:<16} " + "  ".join(f"{k}={v}" for k, v in fit.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
