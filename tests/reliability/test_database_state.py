"""Backup/restore round trip, atomic sample builds, incomplete databases, schema upgrades and
the one-writer mechanism (issue #16 items 3 and 5). Real files, real subprocesses."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from loaders import api, backup, db, sample
from loaders.errors import LoadError, ProblemKind
from tests.loaders.helpers import main_tables
from tests.reliability.helpers import BAD, ROOT, snapshot

LOG = (BAD / "setup" / "log_306.csv").read_bytes()


def cli(*args: str, db_path: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "loaders", *args, "--db", str(db_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every table of the file at `path`, row by row."""
    con = db.connect_read_only(path)
    try:
        return snapshot(con, main_tables(con))
    finally:
        con.close()


def test_backup_and_restore_round_trip_table_by_table(rdb: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(rdb))
    api.load_disclosures(con, "金水区", LOG, filename="log.csv")
    api.load_catalog(con, "金水区", (BAD / "setup" / "catalog_43.csv").read_bytes(), filename="目录.csv")
    con.close()
    original = tables(rdb)
    done = cli("backup", str(tmp_path / "bk"), db_path=rdb)
    assert done.returncode == 0, done.stderr
    assert "已备份到" in done.stdout
    # Damage the database, then restore it.
    con = duckdb.connect(str(rdb))
    con.execute("DELETE FROM disclosures")
    con.close()
    done = cli("restore", str(tmp_path / "bk"), db_path=rdb)
    assert done.returncode == 0, done.stderr
    assert "逐表核对一致" in done.stdout
    restored = tables(rdb)
    assert restored.keys() == original.keys()
    for name in original:
        assert restored[name] == original[name], name
    # The run ids continue after the restored ones.
    con = duckdb.connect(str(rdb))
    again = api.load_disclosures(con, "二七区", LOG.replace("金水区".encode(), "二七区".encode()), filename="x.csv")
    assert again.run_id > max(r[0] for r in original["load_runs"])
    con.close()


def test_backup_refuses_a_used_folder_and_restore_a_damaged_backup(rdb: Path, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    done = cli("backup", str(tmp_path / "used"), db_path=rdb)
    assert done.returncode == 2 and "已存在且不为空" in done.stderr
    backup.backup(rdb, tmp_path / "bk")
    before = rdb.read_bytes()
    (tmp_path / "bk" / "load.sql").unlink()
    done = cli("restore", str(tmp_path / "bk"), db_path=rdb)
    assert done.returncode == 2 and "缺少 load.sql" in done.stderr and "Traceback" not in done.stderr
    assert rdb.read_bytes() == before


def test_restore_checks_every_table_against_the_manifest(rdb: Path, tmp_path: Path) -> None:
    backup.backup(rdb, tmp_path / "bk")
    manifest = tmp_path / "bk" / "manifest.json"
    content = json.loads(manifest.read_text(encoding="utf-8"))
    assert content["tables"]["districts"][0] == 16
    content["tables"]["districts"][0] = 17  # the backup no longer matches what it claims
    manifest.write_text(json.dumps(content), encoding="utf-8")
    before = rdb.read_bytes()
    with pytest.raises(backup.BackupError) as info:
        backup.restore(tmp_path / "bk", rdb)
    assert info.value.reason == "mismatch" and info.value.fields["table"] == "districts"
    assert rdb.read_bytes() == before
    assert not list(rdb.parent.glob("*.restoring-*"))


def test_sample_refuses_a_database_holding_real_data(rdb: Path) -> None:
    con = duckdb.connect(str(rdb))
    api.load_disclosures(con, "金水区", LOG, filename="log.csv")
    con.close()
    before = tables(rdb)
    done = cli("sample", db_path=rdb)
    assert done.returncode == 2
    assert "数据库中已有正式导入的数据（306）" in done.stderr and "Traceback" not in done.stderr
    assert tables(rdb) == before


def test_a_killed_sample_build_leaves_no_database_and_the_next_start_builds_it(tmp_path: Path) -> None:
    target = tmp_path / "compliance.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "loaders", "sample", "--db", str(target)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(tmp_path.glob("*.building-*")):
        time.sleep(0.05)
    assert list(tmp_path.glob("*.building-*")), "the build never started"
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not target.exists()  # the half-built file never took the target's place
    sample.ensure_database(target)
    con = db.connect_read_only(target)
    assert db.missing_parts(con) == []
    assert con.execute("SELECT value FROM meta WHERE key = 'build_state'").fetchone() == ("complete",)
    assert con.execute("SELECT count(DISTINCT district_code) FROM disclosures").fetchone()[0] >= 10
    con.close()


def test_an_incomplete_database_is_refused_then_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "half.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.close()
    done = cli("disclosures", "--district", "金水区", str(BAD / "setup" / "log_306.csv"), db_path=path)
    # A first load into a file without the schema initialises it; one marked mid-build is refused.
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(path))
    db.set_meta(con, "build_state", "building")
    con.close()
    done = cli("disclosures", "--district", "金水区", str(BAD / "log_of_erqi.csv"), db_path=path)
    assert done.returncode == 2
    assert "数据库不完整或未初始化（上次建库被中断，尚未完成）" in done.stderr and "Traceback" not in done.stderr
    assert sample.is_broken(path)
    sample.ensure_database(path)
    assert not sample.is_broken(path)
    assert list(tmp_path.glob("half.duckdb.broken-*"))


def test_a_database_from_an_older_schema_gets_the_new_tables(rdb: Path) -> None:
    con = duckdb.connect(str(rdb))
    con.execute("DROP TABLE load_changes")
    db.set_meta(con, "schema_hash", "older")
    con.close()
    done = cli("disclosures", "--district", "金水区", str(BAD / "setup" / "log_306.csv"), db_path=rdb)
    assert done.returncode == 0, done.stderr
    con = db.connect_read_only(rdb)
    assert con.execute("SELECT action, replaced_rows FROM load_changes").fetchall() == [("replace_source", 0)]
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_hash'").fetchone()[0] == db.schema_hash()
    con.close()


def test_writers_take_turns_and_a_reader_keeps_its_file(rdb: Path) -> None:
    reader = db.connect_read_only(rdb)
    before = reader.execute("SELECT count(*) FROM disclosures").fetchone()[0]
    done = cli("disclosures", "--district", "金水区", str(BAD / "setup" / "log_306.csv"), db_path=rdb)
    assert done.returncode == 0, done.stderr  # a reader does not block a load
    assert reader.execute("SELECT count(*) FROM disclosures").fetchone()[0] == before
    fresh = db.connect_read_only(rdb)
    assert fresh.execute("SELECT count(*) FROM disclosures").fetchone()[0] == before + 306
    fresh.close()
    reader.close()
    # While another writer holds the turn, a load waits, then gives up with a Chinese message.
    with db.writer_lock(rdb):
        with pytest.raises(LoadError) as info:
            with db.writing(rdb, wait_s=0.5):
                pass
    assert info.value.problems[0].kind is ProblemKind.DB_LOCKED
    assert "数据库正被其他程序写入" in info.value.problems[0].message


def test_an_in_place_writer_gets_a_chinese_message_not_a_traceback(rdb: Path) -> None:
    holder = duckdb.connect(str(rdb))  # e.g. an old tool holding the file read-write
    try:
        env = {**os.environ}
        done = subprocess.run([sys.executable, "-c",
                               "import sys; from loaders import db; db.WRITE_WAIT_S = 1.0; "
                               "from loaders.cli import main; sys.exit(main(sys.argv[1:]))",
                               "disclosures", "--district", "金水区", str(BAD / "setup" / "log_306.csv"),
                               "--db", str(rdb)], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    finally:
        holder.close()
    assert done.returncode == 2
    assert "数据库正被其他程序写入" in done.stderr and "Traceback" not in done.stderr


def test_a_failed_write_leaves_the_file_exactly_as_it_was(rdb: Path) -> None:
    before = rdb.read_bytes()
    with pytest.raises(RuntimeError):
        with db.writing(rdb) as con:
            con.execute("DELETE FROM districts")
            raise RuntimeError("boom")
    assert rdb.read_bytes() == before
    assert sorted(p.name for p in rdb.parent.iterdir()) == sorted([rdb.name, rdb.name + ".lock"])
    shutil.copy(rdb, rdb.with_name("copy.duckdb"))
