"""Everything 整改跟踪 reads and writes, cut to the signed-in scope (`appkit.scope`), plus the
waiting list shown after sign-in and the verification run after 数据管理 loads.

Reads go through `scoring.rectification` / `scoring.disputes` / `scoring.compare` with the scope
of this script run (`accounts.scope.Scope`: a district scope gets its own unit's tasks and
disputes whatever the page, URL or session asked for). Writes go through `appkit.db.write`
(copy, write, rename) and clear the caches. Display frames carry English column ids; the page
labels them from `ui_text.rectification`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from appkit import scope as access
from appkit.db import Db, write
from appkit.widgets import today
from scoring import compare, disputes, rectification, verification
from scoring import rounds as round_store
from ui_text import rectification as T
from ui_text.evidence import EVIDENCE

Errors = (rectification.TaskError, round_store.RoundError)


def unit() -> str | None:
    """The unit code the signed-in scope is limited to; None for every unit."""
    return rectification.unit_scope(access.require())


def actor(user: dict[str, Any]) -> str:
    """How the task history names the signed-in user."""
    return str(user.get("username") or user.get("role"))


@st.cache_data(show_spinner=False, max_entries=64)
def _waiting(path: str, version: str, day: dt.date, code: str | None) -> dict[str, int]:
    return rectification.waiting(Db(path, version).cursor(), day, code)


def waiting_lines(db: Db) -> list[str]:
    """The sentences of what waits for this scope today (empty when nothing does)."""
    code = unit()
    w = _waiting(db.path, db.version, today(), code)
    keys = [("overdue", "overdue"), ("due_soon", "due_soon"), ("disputes", "disputes_pending")]
    if code is None:
        keys.append(("reported", "reported_pending"))
    return [T.PAGE[label].format(n=w[key]) for key, label in keys if w[key]]


def sidebar_waiting(db: Db, user: dict[str, Any]) -> None:
    """On every page after sign-in: what waits for this role, in the sidebar."""
    if access.current() is None:
        return
    lines = waiting_lines(db)
    if lines:
        with st.sidebar:
            st.warning("\n\n".join([f"**{T.PAGE['waiting']}**", *lines]))


def verify_in(con: Any, user: dict[str, Any], results: list[Any]) -> None:
    """Inside a load's write: the system check of the tasks when the load changed data."""
    if any(getattr(r, "result", None) in ("loaded", "partial") for r in results):
        verify_changed(con, user, verification.changed_units(results))


def verify_changed(con: Any, user: dict[str, Any], units: frozenset[str] | None = None) -> None:
    """Inside a write that changed the data (a load or an undo): the system check of the tasks of
    `units` (the loaded units' codes; None = every unit's, as after an undo)."""
    r = verification.verify_after_load(con, actor(user), units)
    if r is not None:
        st.info(T.PAGE["verified"].format(fixed=r.fixed + r.fixed_late, overdue=r.overdue, reopened=r.reopened))


def then_verify(load: Callable[..., Any], user: dict[str, Any]) -> Callable[..., Any]:
    """`load` followed, in the same write, by the system check (for `appkit.uploads.run_load`)."""
    def run(con: Any, *args: Any, **kwargs: Any) -> Any:
        result = load(con, *args, **kwargs)
        verify_in(con, user, [result])
        return result
    return run


def task_evidence_download(db: Db, task: dict[str, Any], key: str) -> None:
    """The download of a task's kept evidence file, when it has one (through the scope)."""
    kept = rectification.kept_file(task)
    if kept is not None:
        access.evidence_download(db, "task", int(task["id"]), EVIDENCE["task"].format(id=task["id"], name=kept["name"]),
                                 key=key)


# ── reads ────────────────────────────────────────────────────────────────────────────────────

def tasks(db: Db) -> list[dict[str, Any]]:
    """Every task this scope may see, overdue first."""
    return rectification.list_tasks(db.cursor(), scope=access.require())


def tasks_frame(found: list[dict[str, Any]]) -> pd.DataFrame:
    """Tasks as a display frame: labels for status and category, the evidence sentence."""
    frame = pd.DataFrame(found, columns=["id", "round_id", "district", "category", "item", "title", "detail",
                                         "deadline", "status", "fixed_on", "evidence", "closed_by"])
    frame = frame.rename(columns={"district": "name"})  # the task's §6 key holds the unit's name
    frame["category"] = frame["category"].map(lambda c: T.CATEGORY_LABELS.get(c, c))
    frame["evidence"] = [(e or {}).get("text") for e in frame["evidence"]]
    frame["status"] = [T.CLOSED_BY["dispute"] if by == "dispute" else T.TASK_STATUS[s]
                       for s, by in zip(frame["status"], frame["closed_by"])]
    return frame.drop(columns=["closed_by"])


def dispute_list(db: Db) -> list[dict[str, Any]]:
    return disputes.list_disputes(db.cursor(), scope=access.require())


def disputes_frame(found: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(found, columns=["id", "round_id", "task_id", "district", "detail", "reason", "status",
                                         "decision_reason", "revision"]).rename(columns={"district": "name"})
    frame["status"] = frame["status"].map(T.DISPUTE_STATUS)
    return frame


def column_config(labels: dict[str, str]) -> dict[str, Any]:
    return {k: st.column_config.Column(v) for k, v in labels.items()}


def round_choices(db: Db) -> dict[int, str]:
    """id -> label of the rounds this scope may open (newest first)."""
    return {r.id: T.ROUND_LABEL.format(id=r.id, name=r.name, document_no=r.document_no or r.as_of)
            for r in access.rounds(db)}


def comparison(db: Db, first: int, second: int) -> tuple[list[dict[str, Any]], bytes]:
    """The 复评对比 table rows and its workbook (bureau pages only)."""
    result = compare.compare_rounds(db.cursor(), first, second)
    counts = ("fixed", "still_open", "new")
    table = [{**{k: d[k] for k in T.COMPARE_HEADERS if k not in counts}, **{k: len(d[k]) for k in counts}}
             for d in result["districts"]]
    from reports.round_compare import build_compare_workbook  # openpyxl: only when a comparison is built

    return table, build_compare_workbook(result)


# ── writes (each one `appkit.db.write`; messages are Chinese, errors shown by the page) ───────

def report_fix(db: Db, user: dict[str, Any], task_id: int, note: str, url: str | None,
               upload: tuple[str, bytes] | None) -> None:
    with write(db) as con:
        rectification.report_fix(con, task_id, actor=actor(user), scope=access.require(), on=today(), note=note,
                                 url=url, file=upload)


def file_dispute(db: Db, user: dict[str, Any], round_id: int, task_id: int, reason: str, url: str | None) -> int:
    with write(db) as con:
        return disputes.file_dispute(con, round_id, task_id, reason=reason, actor=actor(user),
                                     scope=access.require(), url=url)


def decide_dispute(db: Db, user: dict[str, Any], dispute_id: int, accept: bool, reason: str) -> int | None:
    with write(db) as con:
        return disputes.decide_dispute(con, dispute_id, accept, reason=reason, actor=actor(user),
                                       scope=access.require())


def review_report(db: Db, user: dict[str, Any], task_id: int, confirm: bool, note: str) -> str:
    with write(db) as con:
        return rectification.review_report(con, task_id, confirm, actor=actor(user), scope=access.require(),
                                           on=today(), note=note)


def verify_now(db: Db, user: dict[str, Any]) -> verification.VerifyResult:
    with write(db) as con:
        return verification.verify(con, today(), actor=actor(user))
