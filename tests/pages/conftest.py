"""Fixtures for the page tests: a private copy of the sample database, a fixed 'today', and an
AppTest of dashboard.py signed in as a given identity.

The copy is ours (never the shared `sample_db` file itself) because the app keeps a cached
read-write connection open for the rest of the process. Tests that write get their own copy.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from page_helpers import BUREAU, DASHBOARD, TODAY, Downloads
from streamlit.testing.v1 import AppTest


def pytest_configure(config: pytest.Config) -> None:
    # `-m "not browser"` skips the Playwright tests locally; test.sh installs chromium via scripts/setup.sh dev
    config.addinivalue_line("markers", "browser: drives Debian's /usr/bin/chromium against `streamlit run`")


@pytest.fixture(scope="session")
def pages_db(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A read-only-by-convention copy of the sample shared by the page tests that only read."""
    path = tmp_path_factory.mktemp("pages") / "pages.duckdb"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    def use(db: Path) -> None:
        monkeypatch.setenv("COMPLIANCE_DB", str(db))
        monkeypatch.setenv("COMPLIANCE_TODAY", TODAY.isoformat())
    return use


@pytest.fixture
def make_app(app_env: Callable[[Path], None], pages_db: Path) -> Callable[..., AppTest]:
    """make_app(user, db=None, page=None) -> an AppTest that has run once (on `page` if given)."""
    def make(user: dict | None = BUREAU, db: Path | None = None, page: str | None = None) -> AppTest:
        app_env(db or pages_db)
        at = AppTest.from_file(DASHBOARD, default_timeout=120)
        if user is not None:
            # 演示模式 (no account file): the sidebar switch decides the role and unit
            at.session_state["demo_role"] = user["role"]
            if user.get("district_code"):
                at.session_state["demo_unit"] = user["district_code"]
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        assert not at.exception, at.exception
        return at
    return make


@pytest.fixture
def con(pages_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the copy the app reads (the app attaches it read-only too;
    DuckDB refuses a read-write open of a file attached elsewhere in the process)."""
    connection = duckdb.connect(str(pages_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Bytes the pages handed to Streamlit's media storage, by file id (a download's URL stem, or
    its `deferred_file_id` when the data is built on click): recording wrappers around the real
    storage and media manager (AppTest drops them after each run)."""
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
