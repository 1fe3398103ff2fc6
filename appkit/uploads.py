"""Running a load from the data-management page and showing its outcome.

Loads go through `loaders.api` on a write connection (`appkit.db.write`: copy, write, rename;
other sessions keep reading the old file until their next request). An uploaded file is first
parsed in a capped child process (`loaders.probe`). Only `loaders.errors.LoadError` is caught
(a refused file: nothing was written to the data tables, its problems are shown under one
st.error title; a guard refusal says to tick 确认替换). Everything else propagates. Every
attempt that may have written clears the query caches. `undo_panel` offers
`loaders.history.undo` on the 导入记录 tab.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from appkit import scope as access
from appkit.db import after_write, write
from appkit.grids import static_table
from loaders import history as history_mod
from loaders.errors import WARNING_KINDS, LoadError
from loaders.guards import CONFIRMABLE
from loaders.names import DATA_DIR
from loaders.probe import probe
from ui_text import reliability as rtext
from ui_text.pages import COLUMNS, DATA_ADMIN
from ui_text.reliability import PAGE as RELIAB_PAGE


def localise_uploader() -> None:
    """Overlay Chinese on the file uploader's built-in English button and size note (CSS only:
    Streamlit has no option for these texts)."""
    limit = DATA_ADMIN["upload_limit"].format(mb=st.get_option("server.maxUploadSize"))
    hide = "font-size: 0"
    st.html(
        "<style>"
        f"[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p {{{hide}}}"
        "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p::after"
        f"{{content: '{DATA_ADMIN['upload_button']}'; font-size: 0.875rem}}"
        f"[data-testid='stFileUploaderDropzoneInstructions'] span {{{hide}}}"
        f"[data-testid='stFileUploaderDropzoneInstructions'] span::after {{content: '{limit}'; font-size: 0.875rem}}"
        "</style>")


def with_handling(rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected-rows view plus a `handling` column: 未导入 for a refused row, 已导入（提示）
    for a warning (the row was loaded; loaders.errors.WARNING_KINDS). Every problem of a refused
    file is 未导入: nothing of that file was loaded, warnings included."""
    warnings = {kind.value for kind in WARNING_KINDS}
    texts = DATA_ADMIN["handling_values"]
    refused_run = (rejected["run_result"] == "refused") if "run_result" in rejected else [False] * len(rejected)
    handling = ["warning" if p in warnings and not refused else "refused"
                for p, refused in zip(rejected["problem"], refused_run)]
    return rejected.assign(handling=[texts[h] for h in handling])


def sources_path() -> Path:
    """The source registry the pull button reads: env COMPLIANCE_SOURCES or data/sources.toml."""
    return Path(os.environ.get("COMPLIANCE_SOURCES") or DATA_DIR / "sources.toml")


PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "problem_value", "message"]


def problems_frame(problems: Sequence[Any]) -> pd.DataFrame:
    """LoadProblem objects as a table: file, sheet, row, column, value, Chinese message."""
    return pd.DataFrame(
        [{"file": p.file, "sheet": p.sheet, "row": p.row, "column": p.column,
          "problem_value": p.value, "message": p.message} for p in problems],
        columns=PROBLEM_COLUMNS,
    )


def show_problems(problems: Sequence[Any], key: str) -> None:
    # a problem of a whole file has no sheet/row/column: those cells read —, never None; the
    # located message is read in full (a wrapping table, appkit.grids)
    static_table(problems_frame(problems), PROBLEM_COLUMNS, COLUMNS)


def show_result(result: Any, key: str) -> None:
    """One LoadResult as a success / info / warning line, plus its problems if any."""
    if result.result == "refused":
        st.error(f"{result.source}：" + DATA_ADMIN["refused"].format(n=len(result.problems)))
    elif result.result == "unchanged":
        st.info(DATA_ADMIN["unchanged"])
    elif result.result == "partial":
        st.warning(DATA_ADMIN["partial_done"].format(read=result.rows_read, loaded=result.rows_loaded,
                                                     rejected=result.rows_rejected))
    else:
        st.success(DATA_ADMIN["loaded"].format(read=result.rows_read, loaded=result.rows_loaded))
    if result.problems:
        if result.result == "loaded":
            st.caption(DATA_ADMIN["warnings"])
        show_problems(result.problems, key=f"{key}_problems")


def run_load(key: str, load: Callable[..., Any], db: Any, *args: Any, upload: tuple[bytes, str] | None = None,
             **kwargs: Any) -> Any | None:
    """Call `load(con, *args, **kwargs)` on a write connection of `db` (`appkit.db.write`: the
    file is written as a copy and renamed in, so other sessions keep reading); show its result or
    its LoadError, and record the load in the audit trail. `upload` (bytes, file name) is first
    parsed in a child process with capped memory and time (`loaders.probe`), so a file that would
    blow up never reaches this server process. Returns the result or None."""
    outcome: dict[str, Any] = {"kind": key, "result": "refused"}
    try:
        if upload is not None:
            probe(*upload)
        with write(db) as con:
            result = load(con, *args, **kwargs)
        outcome.update(result=result.result, run_id=result.run_id, rows_loaded=result.rows_loaded)
    except LoadError as error:
        after_write()  # a refused load still wrote its load_runs / rejected_rows audit
        st.error(DATA_ADMIN["refused"].format(n=len(error.problems)))
        if any(p.kind in CONFIRMABLE for p in error.problems):
            st.warning(RELIAB_PAGE["confirm_hint"])
        show_problems(error.problems, key=f"{key}_problems")
        return None
    finally:
        access.audit("load", kwargs.get("filename") or key, outcome)  # who loaded what (audit trail)
    show_result(result, key)
    return result


def undo_panel(db: Any, history: pd.DataFrame, then: Callable[[Any], None] | None = None) -> None:
    """撤销导入: pick an active load, optionally with the later loads depending on it, undo it;
    `then(con)` runs in the same write after a done undo (the page passes the tasks' system check,
    as it does after a load)."""
    st.subheader(RELIAB_PAGE["undo_title"])
    active = history[history["action"].notna() & history["undone_at"].isna()] if "action" in history else history[:0]
    if active.empty:
        st.caption(RELIAB_PAGE["undo_none"])
        return
    runs = active["run_id"].astype(int).tolist()
    labels = {int(r.run_id): RELIAB_PAGE["undo_option"].format(run_id=int(r.run_id), source=Path(str(r.source)).name,
                                                               loaded=int(r.rows_loaded))
              for r in active.itertuples(index=False)}
    run = st.selectbox(RELIAB_PAGE["undo_run"], runs, format_func=labels.get, key="undo_run", index=None,
                       placeholder=RELIAB_PAGE["undo_placeholder"])
    force = st.checkbox(RELIAB_PAGE["undo_force"], key="undo_force")
    if st.button(RELIAB_PAGE["undo_button"], key="undo_submit") and run is not None:
        try:
            with write(db) as con:
                done = history_mod.undo(con, int(run), force=force)
                if then is not None:
                    then(con)
        except history_mod.UndoError as exc:
            st.error(undo_message(exc))
            return
        st.success(rtext.UNDO_DONE.format(run_id=run) + (
            rtext.UNDO_ALSO.format(runs="、".join(map(str, done[:-1]))) if len(done) > 1 else ""))


def undo_message(exc: Any) -> str:
    """The Chinese sentence of a refused undo (the same texts as the CLI)."""
    if exc.reason == "depends":
        return rtext.UNDO_DEPENDS.format(run_id=exc.run_id, later="、".join(map(str, exc.later))).replace(
            "--force", RELIAB_PAGE["undo_force"])
    if exc.reason == "already":
        return rtext.UNDO_ALREADY.format(run_id=exc.run_id, at=exc.at)
    if exc.reason == "nothing":
        return rtext.UNDO_NOTHING.format(run_id=exc.run_id, result=exc.result)
    return rtext.UNDO_UNKNOWN.format(run_id=exc.run_id)
