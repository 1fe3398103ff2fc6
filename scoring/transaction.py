"""The one transaction helper of scoring's writes (rounds, tasks, disputes, findings' callers)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb

T = TypeVar("T")


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Run `work` in one transaction: committed when it returns, rolled back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        out = work()
        con.execute("COMMIT")
        return out
    except BaseException:
        con.execute("ROLLBACK")
        raise
