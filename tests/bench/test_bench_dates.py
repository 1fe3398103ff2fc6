"""bench/dates.py (not timed): it evaluates the sample on one read-only connection at the four
kinds of date and reports a median for each; the evaluations it times are the real ones."""
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from bench import dates

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_of_date_is_timed_on_the_sample(sample_db: Path) -> None:
    out = dates.run(str(sample_db), dt.date(2023, 6, 30))
    kinds = ("first", "same", "earlier", "later")
    assert set(out) == {f"{k}_{m}" for k in (*kinds, "later_first") for m in ("wall", "cpu")}
    assert all(v > 0 for v in out.values())
    # the first call pays the connection and the kept relations: never cheaper than a repeat
    assert out["first_wall"] >= out["same_wall"]


def test_the_command_prints_one_json_line(sample_db: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "dates.py"), "--db", str(sample_db),
                           "--as-of", "2023-06-30"], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(done.stdout.strip().splitlines()[-1])["later_cpu"] > 0
