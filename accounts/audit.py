"""The append-only audit trail (审计日志): who did what, when.

`record(con, actor, action, target, detail)` is the only write; nothing in the product updates or
deletes an `audit_log` row. `ACTIONS` lists every action id; its Chinese label lives in
`ui_text.access.AUDIT_ACTIONS`. Pure DuckDB: no Streamlit, usable from the CLI and the pages.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb
import pandas as pd

ACTIONS = ("sign_in", "sign_in_failed", "lockout", "sign_out", "load", "round_create", "round_recompute",
           "round_circulate", "round_delete", "export", "download",
           "finding_set")  # a 人工核查 finding recorded (DESIGN §12)


def record(con: duckdb.DuckDBPyConnection, actor: str, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None, at: dt.datetime | None = None) -> int:
    """Append one row and return its sequence number. Raises ValueError for an unknown action.

    Runs inside the caller's transaction when there is one (a round operation and its audit row
    commit or roll back together)."""
    if action not in ACTIONS:
        raise ValueError(action)
    at = at or dt.datetime.now().replace(microsecond=0)
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None
    row = con.execute("INSERT INTO audit_log (seq, at_time, actor, action, target, detail) "
                      "VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?) RETURNING seq",
                      [at, actor, action, target, text]).fetchone()
    return int(row[0])


def entries(con: duckdb.DuckDBPyConnection, action: str | None = None, actor: str | None = None,
            limit: int = 1000) -> pd.DataFrame:
    """The newest `limit` rows (seq, at_time, actor, action, target, detail), newest first, optionally
    of one action and/or one actor."""
    return con.execute("SELECT seq, at_time, actor, action, target, detail FROM audit_log "
                       "WHERE (CAST(? AS VARCHAR) IS NULL OR action = ?) "
                       "AND (CAST(? AS VARCHAR) IS NULL OR actor = ?) ORDER BY seq DESC LIMIT ?",
                       [action, action, actor, actor, limit]).df()
