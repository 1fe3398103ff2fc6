"""The append-only audit trail (审计日志): who did what, when.

`record(con, actor, action, target, detail)` is the only write; nothing in the product updates or
deletes an `audit_log` row. Two stores share the table's shape: the data database's `audit_log`
(round operations and CLI exports, written in the same transaction as the action) and the app's
session store `<database>.audit.duckdb` (sign-ins, lockouts, sign-outs, page loads and downloads:
the app reads the data database read-only and writes it only by copy-and-rename, far too heavy for
every click). `entries(con, side)` reads both, newest first. `ACTIONS` lists every action id; its Chinese label lives in
`ui_text.access.AUDIT_ACTIONS`. Pure DuckDB: no Streamlit, usable from the CLI and the pages.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

ACTIONS = ("sign_in", "sign_in_failed", "lockout", "sign_out", "load", "round_create", "round_recompute",
           "round_circulate", "round_delete", "export", "download",
           "finding_set",  # a 人工核查 finding recorded (DESIGN §12)
           "task_report", "task_review", "dispute_file", "dispute_decide")  # 整改 and 申诉 (DESIGN §11)


def record(con: duckdb.DuckDBPyConnection, actor: str, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None, at: dt.datetime | None = None) -> int:
    """Append one row and return its sequence number. Raises ValueError for an unknown action.

    Runs inside the caller's transaction when there is one (a round operation and its audit row
    commit or roll back together)."""
    if action not in ACTIONS:
        raise ValueError(action)
    at = at or dt.datetime.now()  # microseconds order rows of the two stores
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None
    row = con.execute("INSERT INTO audit_log (seq, at_time, actor, action, target, detail) "
                      "VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?) RETURNING seq",
                      [at, actor, action, target, text]).fetchone()
    return int(row[0])


SIDE_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "schema.sql"


def side_path(db_path: str | Path) -> Path:
    """The app's session audit store next to the data database."""
    p = Path(db_path)
    return p.with_name(p.name + ".audit.duckdb")


def open_side(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the session store, with the one schema applied."""
    con = duckdb.connect(str(side_path(db_path)))
    con.execute(SIDE_SCHEMA.read_text(encoding="utf-8"))
    return con


_QUERY = ("SELECT seq, at_time, actor, action, target, detail FROM audit_log "
          "WHERE (CAST(? AS VARCHAR) IS NULL OR action = ?) AND (CAST(? AS VARCHAR) IS NULL OR actor = ?) "
          "ORDER BY seq DESC LIMIT ?")


def entries(con: duckdb.DuckDBPyConnection, side: duckdb.DuckDBPyConnection | None = None,
            action: str | None = None, actor: str | None = None, limit: int = 1000) -> pd.DataFrame:
    """The newest `limit` rows (at_time, actor, action, target, detail, store) of both stores,
    newest first, optionally of one action and/or one actor."""
    params = [action, action, actor, actor, limit]
    frames = [con.execute(_QUERY, params).df().assign(store="data")]
    if side is not None:
        frames.append(side.execute(_QUERY, params).df().assign(store="session"))
    out = pd.concat(frames, ignore_index=True).sort_values(["at_time", "seq"], ascending=False, kind="stable")
    return out.drop(columns="seq").head(limit).reset_index(drop=True)
