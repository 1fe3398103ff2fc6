"""The one-writer mechanism's guarantees, checked with real processes (issue #16, kept by issue #17's
cheaper guard): while `loaders.db.writing` copies and writes, an in-place read-write open of the file
is refused and readers still open it; a load killed midway leaves the file byte for byte as it was,
and the next load goes through."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from loaders import db
from tests.reliability.helpers import BAD, ROOT

OPEN = "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro'); " \
       "print(c.execute('SELECT count(*) FROM districts').fetchone()[0])"


def _open(path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", OPEN, str(path), mode], capture_output=True, text=True, timeout=60)


def test_an_in_place_writer_is_kept_out_until_the_rename_and_readers_are_not(rdb: Path) -> None:
    with db.writing(rdb) as con:  # the old file has been copied by now (copying closes a descriptor of it)
        con.execute("DELETE FROM districts")
        writer = _open(rdb, "rw")
        reader = _open(rdb, "ro")
    assert writer.returncode != 0 and "Could not set lock" in writer.stderr
    assert reader.returncode == 0 and reader.stdout.strip() == "16", reader.stderr
    after = _open(rdb, "rw")  # the new file, and no lock left behind
    assert after.returncode == 0 and after.stdout.strip() == "0", after.stderr


def test_a_write_in_the_process_holding_a_reader_goes_through(rdb: Path) -> None:
    """The dashboard's case: its own read-only connection does not hold up its own write."""
    reader = db.connect_read_only(rdb)
    started = time.monotonic()
    with db.writing(rdb, wait_s=5) as con:
        con.execute("DELETE FROM districts WHERE code = (SELECT min(code) FROM districts)")
    assert time.monotonic() - started < 4
    assert reader.execute("SELECT count(*) FROM districts").fetchone()[0] == 16  # still the old file
    reader.close()
    fresh = db.connect_read_only(rdb)
    assert fresh.execute("SELECT count(*) FROM districts").fetchone()[0] == 15
    fresh.close()


def test_a_killed_load_leaves_the_file_as_it_was(rdb: Path) -> None:
    before = rdb.read_bytes()
    log = str(BAD / "setup" / "log_306.csv")
    load = subprocess.Popen([sys.executable, "-m", "loaders", "disclosures", "--district", "金水区", log,
                             "--db", str(rdb)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(rdb.parent.glob(f"{rdb.name}.writing-*")) and load.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(load.pid, signal.SIGKILL)  # mid-write: the copy exists, the rename has not happened
    load.wait(timeout=60)
    assert load.returncode == -signal.SIGKILL
    assert rdb.read_bytes() == before
    done = subprocess.run([sys.executable, "-m", "loaders", "disclosures", "--district", "金水区", log,
                           "--db", str(rdb)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(rdb), read_only=True)
    assert con.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 306
    con.close()
