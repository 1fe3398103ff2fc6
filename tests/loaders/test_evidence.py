"""The loaded file is kept as evidence under raw/ (bytes and sha256) only when the load goes
ahead: a refused log leaves nothing behind, not even the part file written while it was checked;
and a source stored under the earlier content hash is still recognised as unchanged."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from loaders import api, guards, store
from loaders.errors import LoadError
from loaders.model import LoadResult
from loaders.names import district_code
from tests.loaders.helpers import snapshot

GOOD = "标题,所属事项,成文日期,发布日期\n公租房配租结果公示,公共租赁住房/配租结果,2023-06-01,2023-06-05\n"
BAD = "标题,所属事项,成文日期,发布日期\n公租房配租结果公示,公共租赁住房/配租结果,2023-06-01,不是日期\n"


def _files(raw: Path) -> list[Path]:
    return sorted(p for p in raw.rglob("*")) if raw.exists() else []


def test_a_loaded_log_is_kept_once_and_a_refused_one_leaves_nothing(con: duckdb.DuckDBPyConnection,
                                                                    db_path: Path, tmp_path: Path) -> None:
    raw = db_path.parent / "raw"
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(LoadError):
        api.load_disclosures(con, "金水区", bad)
    assert _files(raw) == []

    good = tmp_path / "log.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert api.load_disclosures(con, "金水区", good).result == "loaded"
    assert api.load_disclosures(con, "金水区", good).result == "unchanged"
    digest = hashlib.sha256(good.read_bytes()).hexdigest()
    kept = [p for p in _files(raw) if p.is_file()]
    assert [p.name for p in kept] == [f"{digest[:12]}_log.csv", f"{digest[:12]}_log.csv.sha256"]
    assert kept[0].parent.parent.name == district_code("金水区")
    assert kept[0].read_bytes() == good.read_bytes()
    assert kept[1].read_text(encoding="utf-8").split()[0] == digest


def test_a_source_stored_under_the_earlier_content_hash_is_still_unchanged(con: duckdb.DuckDBPyConnection,
                                                                           tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # A database loaded before `rows_hash` holds `cells_hash` of the same rows: reloading the
    # same file must not replace the source; a changed file still does.
    seen: list[pd.DataFrame] = []
    store_disclosures = store.store_disclosures

    def keep_rows(con: duckdb.DuckDBPyConnection, **kwargs: Any) -> LoadResult:
        seen.append(kwargs["rows"])
        return store_disclosures(con, **kwargs)

    monkeypatch.setattr(store, "store_disclosures", keep_rows)
    log = tmp_path / "log.csv"
    log.write_text(GOOD, encoding="utf-8")
    assert api.load_disclosures(con, "金水区", log).result == "loaded"
    con.execute("UPDATE disclosure_sources SET content_hash = ?", [guards.cells_hash(seen[0])])
    before = snapshot(con)
    assert api.load_disclosures(con, "金水区", log).result == "unchanged"
    assert snapshot(con) == before
    log.write_text(GOOD + "年度报告,公共租赁住房/配租结果,2023-07-01,2023-07-02\n", encoding="utf-8")
    assert api.load_disclosures(con, "金水区", log).result == "loaded"
