"""Streamlit helpers of 整改跟踪: the signed-in role's waiting list, verification after uploads,
and task/dispute lists shaped as display frames (labels from `ui_text.rectification`).

Every read goes through `scoring.rectification` / `scoring.disputes` with the user's scope (a
district account's own unit code, None for the bureau), so a district sees only its own unit
whatever the URL or session asks for.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from appkit.db import Db, after_write
from appkit.widgets import today
from scoring import disputes, rectification, verification
from ui_text import rectification as T
from ui_text.pages import ROLE_LABELS


def scope_of(user: dict[str, Any]) -> str | None:
    """The unit code a district account is bound to; None for the bureau (every unit)."""
    return user.get("district_code") if user.get("role") != "bureau" else None


def actor_of(user: dict[str, Any]) -> str:
    """How the task history names the signed-in user."""
    name = user.get("username") or ROLE_LABELS.get(user.get("role", ""), user.get("role", ""))
    return f"{name}:{user['district_code']}" if user.get("district_code") else str(name)


@st.cache_data(show_spinner=False, max_entries=64)
def _waiting(path: str, version: str, day: Any, scope: str | None) -> dict[str, int]:
    return rectification.waiting(Db(path, version).cursor(), day, scope)


def waiting(db: Db, user: dict[str, Any]) -> dict[str, int]:
    """`scoring.rectification.waiting` for the signed-in role today (cached until the next write)."""
    return _waiting(db.path, db.version, today(), scope_of(user))


def waiting_lines(db: Db, user: dict[str, Any]) -> list[str]:
    """The sentences of what waits for this role (empty when nothing does)."""
    w = waiting(db, user)
    keys = [("overdue", "overdue"), ("due_soon", "due_soon"), ("disputes", "disputes_pending")]
    if scope_of(user) is None:
        keys.append(("reported", "reported_pending"))
    return [T.PAGE[label].format(n=w[key]) for key, label in keys if w[key]]


def sidebar_waiting(db: Db, user: dict[str, Any]) -> None:
    """On every page after sign-in: what waits for this role, in the sidebar."""
    lines = waiting_lines(db, user)
    if lines:
        with st.sidebar:
            st.warning("\n\n".join([f"**{T.PAGE['waiting']}**", *lines]))


def verify_after_upload(db: Db, user: dict[str, Any], results: list[Any]) -> None:
    """After an upload or pull loaded data: the system check of the tasks (DESIGN §11)."""
    if not any(getattr(r, "result", None) in ("loaded", "partial") for r in results):
        return
    r = verification.verify_after_load(db.cursor(), actor_of(user))
    after_write()
    if r is not None:
        st.info(T.PAGE["verified"].format(fixed=r.fixed + r.fixed_late, overdue=r.overdue, reopened=r.reopened))


def tasks_frame(tasks: list[dict[str, Any]]) -> pd.DataFrame:
    """Tasks as a display frame: labels for status and category, the evidence sentence."""
    frame = pd.DataFrame(tasks, columns=["id", "round_id", "district", "category", "item", "title", "detail",
                                         "deadline", "status", "fixed_on", "evidence", "closed_by"])
    frame["category"] = frame["category"].map(lambda c: T.CATEGORY_LABELS.get(c, c))
    frame["evidence"] = [(e or {}).get("text") for e in frame["evidence"]]
    frame["status"] = [T.CLOSED_BY["dispute"] if by == "dispute" else T.TASK_STATUS[s]
                       for s, by in zip(frame["status"], frame["closed_by"])]
    return frame.drop(columns=["closed_by"])


def disputes_frame(found: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(found, columns=["id", "round_id", "task_id", "district", "detail", "reason", "status",
                                         "decision_reason", "revision"])
    frame["status"] = frame["status"].map(T.DISPUTE_STATUS)
    return frame


def column_config(labels: dict[str, str]) -> dict[str, Any]:
    return {k: st.column_config.Column(v) for k, v in labels.items()}


def list_disputes(db: Db, user: dict[str, Any]) -> list[dict[str, Any]]:
    return disputes.list_disputes(db.cursor(), scope=scope_of(user))
