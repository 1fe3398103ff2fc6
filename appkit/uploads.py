"""Running a load from the data-management page and showing its outcome.

Loads go through `loaders.api` on a cursor of the app's connection; only
`loaders.errors.LoadError` is caught (a refused file: nothing was written to the data tables,
its problems are shown under one st.error title). Everything else propagates. Every attempt
that may have written clears the query caches.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from appkit.db import after_write
from loaders.errors import WARNING_KINDS, LoadError
from loaders.names import DATA_DIR
from ui_text.pages import COLUMNS, DATA_ADMIN


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
    for a warning (the row was loaded; loaders.errors.WARNING_KINDS)."""
    warnings = {kind.value for kind in WARNING_KINDS}
    texts = DATA_ADMIN["handling_values"]
    handling = ["warning" if p in warnings else "refused" for p in rejected["problem"]]
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
    st.dataframe(problems_frame(problems), hide_index=True, key=key,
                 column_config={k: COLUMNS[k] for k in PROBLEM_COLUMNS})


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


def run_load(key: str, load: Callable[..., Any], *args: Any, **kwargs: Any) -> Any | None:
    """Call `load(*args, **kwargs)`; show its result or its LoadError. Returns the result or None."""
    try:
        result = load(*args, **kwargs)
    except LoadError as error:
        st.error(DATA_ADMIN["refused"].format(n=len(error.problems)))
        show_problems(error.problems, key=f"{key}_problems")
        return None
    finally:
        after_write()  # a refused load still wrote its load_runs / rejected_rows audit
    show_result(result, key)
    return result
