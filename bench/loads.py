"""Load benchmark: disclosure logs through the real CLI (`python -m loaders disclosures`, a new
process each time, so start-up counts) beside DuckDB's own `read_csv` and `pandas.read_csv`
on the same files; optionally the same CLI of an earlier commit (a detached git worktree) for
before/after figures from the same run on the same machine.

Each figure is the median of `runs` runs; peak memory is the child's own maximum RSS
(`os.wait4`), so one run never inherits another's.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import loadfiles

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CASES: tuple[tuple[str, int], ...] = (
    ("csv-utf8", 10_000), ("csv-utf8", 100_000), ("csv-utf8", 1_000_000),
    ("csv-gbk", 10_000), ("csv-gbk", 100_000), ("csv-gbk", 1_000_000),
    ("xlsx", 10_000), ("xlsx", 100_000), ("xlsx-inline", 100_000), ("html", 10_000), ("html", 100_000),
)


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS MB, exit code) of one child process (see `_timed_cpu`)."""
    seconds, peak, code, _ = _timed_cpu(cmd, cwd, env)
    return seconds, peak, code


def _timed_cpu(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int, float]:
    """(seconds, peak RSS MB, exit code, CPU seconds user + system) of one child process. The
    peak and CPU come from GNU time run in between: a child forked straight from this (large)
    process would report this process's resident pages as its own until it execs. CPU seconds
    move far less than wall seconds when other work shares the cores."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", report.name, *cmd], cwd=cwd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        lines = [line.split() for line in Path(report.name).read_text().splitlines()]
    fields = [f for f in lines if len(f) == 3 and f[0].isdigit()]
    peak_kb, cpu = (float(fields[-1][0]), float(fields[-1][1]) + float(fields[-1][2])) if fields else \
        (float("nan"), float("nan"))
    return seconds, peak_kb / 1024, done.returncode, cpu


def _template(code_root: Path, out: Path) -> Path:
    path = out / f"template-{code_root.name}.duckdb"
    if not path.exists():
        subprocess.run([PY, "-m", "loaders", "init", "--db", str(path)], cwd=code_root, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def cli_load(code_root: Path, file: Path, out: Path, runs: int) -> dict[str, Any]:
    """Median seconds and peak MB of loading `file` into a fresh initialised database."""
    template = _template(code_root, out)
    times, peaks, cpus, codes = [], [], [], set()
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            db = Path(tmp) / "load.duckdb"
            shutil.copy(template, db)
            seconds, peak, code, cpu = _timed_cpu([PY, "-m", "loaders", "disclosures", "--district", "金水区",
                                                   str(file), "--db", str(db)], code_root)
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
        codes.add(code)
    return {"s": statistics.median(times), "peak_mb": max(peaks), "cpu_s": statistics.median(cpus),
            "exit": sorted(codes)}


_PEER = {
    "duckdb": "import duckdb,sys,time;c=duckdb.connect();t=time.perf_counter();"
              "c.sql(\"SELECT * FROM read_csv(?, all_varchar=true, header=true)\", params=[sys.argv[1]])"
              ".to_arrow_table();print(time.perf_counter()-t)",
    "pandas": "import pandas,sys,time;t=time.perf_counter();"
              "pandas.read_csv(sys.argv[1], dtype=str, encoding=sys.argv[2], keep_default_na=False);"
              "print(time.perf_counter()-t)",
}


def peer(kind: str, file: Path, encoding: str, runs: int) -> float | None:
    """Median in-process seconds of a peer reader on `file` (None where it cannot read it:
    DuckDB reads GBK only through an extension that is not installed here)."""
    if kind == "duckdb" and encoding != "utf-8":
        return None
    times = []
    for _ in range(runs):
        done = subprocess.run([PY, "-c", _PEER[kind], str(file), encoding], capture_output=True, text=True)
        if done.returncode != 0:
            return None
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def before_tree(rev: str, out: Path) -> Path:
    """A detached worktree of `rev` (reused), sharing this checkout's virtualenv."""
    path = out / f"before-{rev[:12]}"
    if not path.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def empty_load_mb(out: Path, runs: int) -> float:
    """Peak MB of the same CLI load of a log with a header and no rows: the fixed cost of a load
    (interpreter, libraries, the database opened and checked), printed beside the memory targets."""
    path = out / "files" / "log_empty.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(",".join(loadfiles.HEADER) + "\n", encoding="utf-8")
    return round(cli_load(ROOT, path, out, runs)["peak_mb"])


def run(out: Path, runs: int, max_rows: int, before: str | None, before_max_rows: int) -> list[dict[str, Any]]:
    files = out / "files"
    rows: list[dict[str, Any]] = []
    old = before_tree(before, out) if before else None
    for kind, n in CASES:
        if n > max_rows:
            continue
        print(f"  load {kind} {n:,}", file=sys.stderr, flush=True)
        path = loadfiles.make(kind, n, files)
        ours = cli_load(ROOT, path, out, runs)
        row: dict[str, Any] = {"format": kind, "rows": n, "mb": round(path.stat().st_size / 2**20, 1),
                               "cli_s": round(ours["s"], 3), "rows_per_s": round(n / ours["s"]),
                               "cpu_s": round(ours["cpu_s"], 2),
                               "peak_mb": round(ours["peak_mb"]), "exit": ours["exit"]}
        if kind.startswith("csv"):
            encoding = "gbk" if kind == "csv-gbk" else "utf-8"
            d, p = peer("duckdb", path, encoding, runs), peer("pandas", path, encoding, runs)
            row["duckdb_read_csv_s"] = None if d is None else round(d, 3)
            row["pandas_read_csv_s"] = None if p is None else round(p, 3)
        if old is not None and n <= before_max_rows:
            then = cli_load(old, path, out, 1 if n >= 1_000_000 else runs)
            row["before_cli_s"] = round(then["s"], 3)
            row["before_peak_mb"] = round(then["peak_mb"])
            row["before_cpu_s"] = round(then["cpu_s"], 2)
            row["before_exit"] = then["exit"]
        rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = ("format", "rows", "mb", "cli_s", "rows_per_s", "cpu_s", "peak_mb", "duckdb_read_csv_s",
            "pandas_read_csv_s", "before_cli_s", "before_cpu_s", "before_peak_mb", "before_exit")
    lines = [" | ".join(head)]
    for r in rows:
        lines.append(" | ".join("" if r.get(h) is None else str(r.get(h)) for h in head))
    return "\n".join(lines)


def interleaved(out: Path, cases: list[tuple[str, int]], runs: int, before: str,
                code_root: Path = ROOT) -> list[dict[str, Any]]:
    """Before/after from one run: for each case, `runs` rounds of one load with `code_root`'s code
    then one with `before`'s, alternating, so both see the same contention; medians (wall and
    CPU seconds) and the larger peak of each side."""
    old = before_tree(before, out)
    rows: list[dict[str, Any]] = []
    for kind, n in cases:
        path = loadfiles.make(kind, n, out / "files")
        now, then = [], []
        for _ in range(runs):
            now.append(cli_load(code_root, path, out, 1))
            then.append(cli_load(old, path, out, 1))
        row: dict[str, Any] = {"format": kind, "rows": n, "mb": round(path.stat().st_size / 2**20, 1)}
        for side, got in (("now", now), ("before", then)):
            row[f"{side}_s"] = round(statistics.median(g["s"] for g in got), 2)
            row[f"{side}_cpu_s"] = round(statistics.median(g["cpu_s"] for g in got), 2)
            row[f"{side}_peak_mb"] = round(max(g["peak_mb"] for g in got))
            row[f"{side}_exit"] = sorted({e for g in got for e in g["exit"]})
        if kind.startswith("csv"):
            d = peer("duckdb", path, "gbk" if kind == "csv-gbk" else "utf-8", runs)
            row["duckdb_read_csv_s"] = None if d is None else round(d, 2)
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description="interleaved before/after loads through the real CLI")
    parser.add_argument("--before", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="csv-utf8:1000000,csv-gbk:1000000,csv-utf8:100000,xlsx:100000,"
                        "html:100000", help="format:rows,…")
    parser.add_argument("--code-root", type=Path, default=ROOT, help="the code measured as 'now' (a checkout)")
    args = parser.parse_args()
    chosen = [(k, int(n)) for k, n in (c.split(":") for c in args.cases.split(","))]
    print(json.dumps(interleaved(ROOT / "bench" / "out", chosen, args.runs, args.before, args.code_root),
                     ensure_ascii=False))
