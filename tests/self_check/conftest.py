"""Fixtures for the self-check tests: small hand-made district data written with plain SQL.

`add_catalog` / `add_disclosure` insert rows straight into the schema's tables (what a loader
would store), so the checklist query can be pinned before, and independently of, the loaders.
"""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

ELEMENTS = ("content", "basis", "time_limit", "subject", "channels", "audience", "method",
            "disclosure_level")


def add_catalog(con: duckdb.DuckDBPyConnection, district: str, catalog_id: str,
                published_on: dt.date | None, rows: list[dict[str, object]],
                document_no: str | None = None, load_seq: int = 1) -> None:
    """A catalog version and its rows; each row dict: item_id (or None), level2, blank (columns)."""
    con.execute(
        "INSERT INTO district_catalogs (catalog_id, district_code, published_on, document_no, source,"
        " content_hash, load_seq, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, now())",
        [catalog_id, district, published_on, document_no, f"{catalog_id}.xlsx", catalog_id, load_seq])
    for no, row in enumerate(rows, start=1):
        blank = set(row.get("blank", ()))  # type: ignore[arg-type]
        values = [None if c in blank else "x" for c in ELEMENTS]
        con.execute(
            "INSERT INTO district_catalog_rows (catalog_id, row_no, level1, level2, level1_key, level2_key,"
            " content, basis, time_limit, subject, channels, audience, method, disclosure_level,"
            " matched_item_id) VALUES (?, ?, 'l1', ?, 'l1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [catalog_id, no, row["level2"], row["level2"], *values, row.get("item_id")])


def add_disclosure(con: duckdb.DuckDBPyConnection, district: str, disclosure_id: str,
                   item_id: str | None, formed_on: dt.date | None, published_on: dt.date | None,
                   title: str = "t") -> None:
    con.execute(
        "INSERT INTO disclosures (disclosure_id, district_code, source_key, row_no, title, item_id,"
        " formed_on, published_on) VALUES (?, ?, 'src', ?, ?, ?, ?, ?)",
        [disclosure_id, district, int(disclosure_id.lstrip("d") or 0), title, item_id, formed_on,
         published_on])


@pytest.fixture
def fresh_con(fresh_db: Path):
    con = duckdb.connect(str(fresh_db))
    yield con
    con.close()


@pytest.fixture(name="add_catalog")
def add_catalog_fixture() -> Callable[..., None]:
    return add_catalog


@pytest.fixture(name="add_disclosure")
def add_disclosure_fixture() -> Callable[..., None]:
    return add_disclosure


# --- Page tests -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")
TODAY = dt.date(2024, 6, 30)  # COMPLIANCE_TODAY of the self-check page tests (a Sunday)
BUREAU = {"role": "bureau", "district_code": None}


@pytest.fixture(scope="session")
def sc_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own copy of the sample for the page tests that only read: the app keeps a cached
    connection to whatever file it opened for the rest of the process."""
    path = tmp_path_factory.mktemp("self_check") / "self_check.duckdb"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Bytes the page handed to Streamlit's media storage, by file id (the download's URL stem).

    A recording wrapper around the real storage: AppTest drops its media storage after each
    run, and the download button only carries a URL.
    """
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            seen[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return seen


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch, sc_db: Path) -> Callable[..., AppTest]:
    """open_page(page, user, db=None, today=TODAY) -> AppTest of dashboard.py on `page`, run once."""
    def open_(page: str, user: dict, db: Path | None = None, today: dt.date = TODAY) -> AppTest:
        monkeypatch.setenv("COMPLIANCE_DB", str(db or sc_db))
        monkeypatch.setenv("COMPLIANCE_TODAY", today.isoformat())
        at = AppTest.from_file(DASHBOARD, default_timeout=120)
        at.session_state["user"] = dict(user)
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        return at
    return open_


def download_bytes(at: AppTest, key: str, seen: dict[str, bytes]) -> bytes:
    """The bytes behind the download button `key` of the last run."""
    url = at.get("download_button")
    button = next(b for b in url if b.proto.id.endswith(key) or key in b.proto.id)
    stem = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return seen[stem]
