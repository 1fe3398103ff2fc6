"""Fixtures for the access tests: a real account file (argon2 hashes made by accounts.store) with an
admin, a supervisor and two district accounts; a private copy of the sample database (sign-ins
and downloads append audit rows); an AppTest of dashboard.py; a recorder of download bytes.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from access_helpers import DASHBOARD, PASSWORDS, sign_in
from streamlit.testing.v1 import AppTest

from accounts import store


@pytest.fixture(scope="session")
def users_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.toml"
    store.add("admin1", "admin", PASSWORDS["admin1"], path=path)
    store.add("duban", "bureau", PASSWORDS["duban"], path=path)
    store.add("jinshui", "district", PASSWORDS["jinshui"], "金水区", path=path)
    store.add("erqi", "district", PASSWORDS["erqi"], "二七区", path=path)
    return path


@pytest.fixture
def users(users_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own account file (lockouts are written to it), named by COMPLIANCE_USERS."""
    path = tmp_path / "users.toml"
    shutil.copy(users_template, path)
    monkeypatch.setenv("COMPLIANCE_USERS", str(path))
    return path


@pytest.fixture
def app_db(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("COMPLIANCE_DB", str(path))
    monkeypatch.setenv("COMPLIANCE_TODAY", "2026-09-30")
    return path


@pytest.fixture
def new_app(app_db: Path) -> Callable[..., AppTest]:
    """new_app(script=DASHBOARD) -> a fresh session (not yet run)."""
    def make(script: str = DASHBOARD) -> AppTest:
        return AppTest.from_file(script, default_timeout=120)
    return make


@pytest.fixture
def signed_in(new_app: Callable[..., AppTest], users: Path) -> Callable[[str], AppTest]:
    def make(username: str) -> AppTest:
        at = new_app().run()
        sign_in(at, username)
        assert not at.exception, at.exception
        return at
    return make


class _Downloads(dict):  # type: ignore[type-arg]
    """file name -> (bytes, name); a deferred download (data built on click) is built on first
    lookup, as Streamlit's media manager does when the browser asks for the file."""

    def __init__(self) -> None:
        super().__init__()
        self.deferred: dict[str, Callable[[], bytes]] = {}

    def __missing__(self, name: str) -> tuple[bytes, str | None]:
        found = (self.deferred[name](), name)
        self[name] = found
        return found


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[bytes, str | None]]:
    """file name -> (bytes, name) of every download the pages handed to Streamlit's media storage
    (or registered to build on click)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    seen = _Downloads()
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def recording(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            seen[filename or file_id] = (path_or_data, filename)
        return file_id

    def recording_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # type: ignore[no-untyped-def]
        file_id = original_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
        seen.deferred[file_name or file_id] = data_callable
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_deferred)
    return seen
