"""Every load records what it replaced; undo puts the data back exactly (issue #16 item 2)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders import api, history
from tests.reliability.helpers import BAD, snapshot

LOG = (BAD / "setup" / "log_306.csv").read_bytes()
CATALOG = (BAD / "setup" / "catalog_43.csv").read_bytes()
SHORT = (BAD / "log_shrunk_to_100.csv").read_bytes()
DATA = ("district_catalogs", "district_catalog_rows", "disclosures", "disclosure_sources", "standard_catalog", "meta")


def test_undo_of_a_replacement_restores_the_replaced_rows(rcon: duckdb.DuckDBPyConnection) -> None:
    api.load_disclosures(rcon, "金水区", LOG, filename="log.csv")
    before = snapshot(rcon, DATA)
    second = api.load_disclosures(rcon, "金水区", SHORT, filename="log.csv", confirm_replace=True)
    assert rcon.execute("SELECT count(*) FROM disclosures").fetchone()[0] == 100
    frame = history.history(rcon, "金水区")
    row = frame[frame["run_id"] == second.run_id].iloc[0]
    assert (row["action"], row["replaced_rows"], row["rows_loaded"]) == ("replace_source", 306, 100)
    assert history.undo(rcon, second.run_id) == [second.run_id]
    assert snapshot(rcon, DATA) == before  # all 306 rows back, matched as before
    with pytest.raises(history.UndoError) as info:
        history.undo(rcon, second.run_id)
    assert info.value.reason == "already"


def test_undo_refuses_when_a_later_load_depends_on_it_unless_forced(rcon: duckdb.DuckDBPyConnection) -> None:
    empty = snapshot(rcon, DATA)
    first = api.load_disclosures(rcon, "金水区", LOG, filename="log.csv")
    after_first = snapshot(rcon, DATA)
    second = api.load_disclosures(rcon, "金水区", SHORT, filename="log.csv", confirm_replace=True)
    with pytest.raises(history.UndoError) as info:
        history.undo(rcon, first.run_id)
    assert (info.value.reason, info.value.later) == ("depends", (second.run_id,))
    assert history.undo(rcon, first.run_id, force=True) == [second.run_id, first.run_id]
    assert snapshot(rcon, DATA) == empty
    assert after_first != empty


def test_undo_of_a_catalog_and_of_the_standard(rcon: duckdb.DuckDBPyConnection) -> None:
    before = snapshot(rcon, DATA)
    cat = api.load_catalog(rcon, "金水区", CATALOG, filename="目录.csv", published_on="2023-01-10")
    std = api.load_standard(rcon, (BAD / "standard_nine_level1.csv").read_bytes(), filename="std.csv",
                            confirm_replace=True)
    assert rcon.execute("SELECT count(*) FROM standard_catalog").fetchone()[0] == 42  # 43 less the one 评价结果 item
    history.undo(rcon, std.run_id)
    assert rcon.execute("SELECT count(*) FROM standard_catalog").fetchone()[0] == 43
    # Matching was re-run against the restored city catalog: all 43 rows match again.
    assert rcon.execute("SELECT count(DISTINCT matched_item_id) FROM district_catalog_rows").fetchone()[0] == 43
    history.undo(rcon, cat.run_id)
    assert snapshot(rcon, DATA) == before


def test_undo_of_a_reexport_brings_back_the_original_source(rcon: duckdb.DuckDBPyConnection) -> None:
    api.load_disclosures(rcon, "金水区", LOG, filename="log.csv")
    before = snapshot(rcon, DATA)
    again = api.load_disclosures(rcon, "金水区", (BAD / "log_2024-06-01.csv").read_bytes(),
                                 filename="log_2024-06-01.csv")
    assert rcon.execute("SELECT count(*), count(DISTINCT source_key) FROM disclosures").fetchone() == (307, 1)
    history.undo(rcon, again.run_id)
    assert snapshot(rcon, DATA) == before


def test_nothing_to_undo_and_unknown_runs(rcon: duckdb.DuckDBPyConnection) -> None:
    first = api.load_disclosures(rcon, "金水区", LOG, filename="log.csv")
    same = api.load_disclosures(rcon, "金水区", LOG, filename="log.csv")
    assert same.result == "unchanged"
    with pytest.raises(history.UndoError) as info:
        history.undo(rcon, same.run_id)
    assert (info.value.reason, info.value.result) == ("nothing", "unchanged")
    with pytest.raises(history.UndoError) as info:
        history.undo(rcon, first.run_id + 100)
    assert info.value.reason == "unknown"


def test_loaded_files_are_kept_as_evidence_with_their_sha256(rcon: duckdb.DuckDBPyConnection, rdb: Path) -> None:
    import hashlib

    result = api.load_disclosures(rcon, "金水区", LOG, filename="log.csv")
    evidence = rcon.execute("SELECT evidence FROM load_changes WHERE run_id = ?", [result.run_id]).fetchone()[0]
    kept = Path(evidence)
    assert kept.parent.parent.parent == rdb.parent / "raw" and kept.parent.parent.name == "410105"
    assert kept.read_bytes() == LOG
    digest = (kept.parent / (kept.name + ".sha256")).read_text(encoding="utf-8").split()[0]
    assert digest == hashlib.sha256(LOG).hexdigest()
