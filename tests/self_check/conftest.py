"""Fixtures for the self-check tests: a fresh database connection, our own copy of the sample
for page tests, a recorder of download bytes, and an AppTest opener signed in as a given user.
"""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from sc_helpers import DASHBOARD, TODAY, add_catalog, add_disclosure
from streamlit.testing.v1 import AppTest

from tests.pages.page_helpers import Downloads


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


@pytest.fixture(scope="session")
def sc_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our own copy of the sample for the page tests that only read: the app keeps a cached
    connection to whatever file it opened for the rest of the process."""
    path = tmp_path_factory.mktemp("self_check") / "self_check.duckdb"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Bytes the page handed to Streamlit's media storage, by file id (the download's URL stem, or
    its `deferred_file_id` when the data is built on click: built on first lookup, as the media
    manager does when the browser asks for it).

    A recording wrapper around the real storage: AppTest drops its media storage after each
    run, and the download button only carries a URL.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen = Downloads()
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def recording(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            seen[file_id] = path_or_data
        return file_id

    def recording_deferred(self, data_callable, *args, **kwargs):  # type: ignore[no-untyped-def]
        file_id = original_deferred(self, data_callable, *args, **kwargs)
        seen.deferred[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_deferred)
    return seen


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch, sc_db: Path) -> Callable[..., AppTest]:
    """open_page(page, user, db=None, today=TODAY) -> AppTest of dashboard.py on `page`, run once."""
    def open_(page: str, user: dict, db: Path | None = None, today: dt.date = TODAY) -> AppTest:
        monkeypatch.setenv("COMPLIANCE_DB", str(db or sc_db))
        monkeypatch.setenv("COMPLIANCE_TODAY", today.isoformat())
        monkeypatch.setattr("appkit.shell.DASHBOARD", DASHBOARD)
        at = AppTest.from_file(DASHBOARD, default_timeout=120)
        # 演示模式 (no account file): the sidebar switch decides the role and unit
        at.session_state["demo_role"] = user["role"]
        if user.get("district_code"):
            at.session_state["demo_unit"] = user["district_code"]
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        return at
    return open_


