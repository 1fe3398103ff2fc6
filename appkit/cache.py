"""Cached calls into `scoring`: one evaluation per (database, data version, as-of, since, rules version).

Every page of a run asks for the same evaluation and picks what it shows from it, so a widget
change that keeps the dates (a filter, a unit choice) re-renders without re-evaluating. Results
are plain dicts and DataFrames (`st.cache_data` copies them, so pages may modify their copy).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

import scoring
from appkit.db import Db, cursor
from queries import views


@st.cache_data(show_spinner=False, max_entries=32)
def _evaluation(path: str, version: str, as_of: dt.date, since: dt.date | None,
                rules_version: str) -> dict[str, Any]:
    return scoring.evaluate(cursor(path), as_of, since).to_json()


@st.cache_data(show_spinner=False, max_entries=8)
def _trend(path: str, version: str, as_of: dt.date, rules_version: str) -> pd.DataFrame:
    return scoring.trend(cursor(path), as_of)


@st.cache_data(show_spinner=False, max_entries=256)
def _view(path: str, version: str, name: str, args: tuple[Any, ...]) -> Any:
    return getattr(views, name)(cursor(path), *args)


def evaluation(db: Db, as_of: dt.date, since: dt.date | None = None) -> dict[str, Any]:
    """`scoring.evaluate(...).to_json()` for all 16 units (DESIGN §6 plus kind/components/gaps)."""
    return _evaluation(db.path, db.version, as_of, since, scoring.load_rules().version)


def district_result(db: Db, as_of: dt.date, since: dt.date | None, code: str) -> dict[str, Any] | None:
    """One unit's entry of the cached evaluation, or None for an unknown code."""
    for entry in evaluation(db, as_of, since)["districts"]:
        if entry["code"] == code:
            return entry
    return None


def trend(db: Db, as_of: dt.date) -> pd.DataFrame:
    """`scoring.trend(con, as_of)`: one row per quarter end and unit."""
    return _trend(db.path, db.version, as_of, scoring.load_rules().version)


def view(db: Db, name: str, *args: Any) -> Any:
    """`queries.views.<name>(con, *args)`, cached by database, data version and arguments."""
    return _view(db.path, db.version, name, tuple(args))
