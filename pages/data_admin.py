"""数据管理: upload a unit's catalog or disclosure log, replace the standard catalog, pull every
registered source, and see the load history and every rejected row with its reason."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from appkit import rectification as rect
from appkit.db import after_write, write
from appkit.grids import grid, static_table
from appkit.scope import audit, view
from appkit.shell import enter_page
from appkit.uploads import (
    localise_uploader,
    run_load,
    show_problems,
    show_result,
    sources_path,
    undo_panel,
    with_handling,
)
from appkit.widgets import sample_banner, unit_names
from loaders import api
from loaders import history as load_history
from loaders.crawl import report as crawl_report
from loaders.crawl.report import pull_lines, summary_counts
from loaders.errors import LoadError
from loaders.sources import parse_sources
from ui_text.crawl import PAGE as CRAWL_PAGE
from ui_text.crawl import SUMMARY_LINE
from ui_text.errors import RESULT_LABELS
from ui_text.pages import CATALOG, COLUMNS, DATA_ADMIN, PAGE_TITLES
from ui_text.reliability import PAGE as RELIAB_PAGE

FILE_TYPES = ["xlsx", "xls", "csv", "html", "htm", "docx"]

db, user = enter_page(roles=("admin",))
st.title(PAGE_TITLES["data_admin"])
sample_banner(db)
localise_uploader()
names = unit_names(db)
tabs = st.tabs(DATA_ADMIN["tabs"])

with tabs[0]:
    code = st.selectbox(DATA_ADMIN["unit"], list(names), format_func=names.get, key="catalog_unit")
    upload = st.file_uploader(DATA_ADMIN["file"], type=FILE_TYPES, key="catalog_file")
    cols = st.columns(4)
    published_on = cols[0].date_input(DATA_ADMIN["published_on"], value=None, key="catalog_published_on")
    document_no = cols[1].text_input(DATA_ADMIN["document_no"], key="catalog_document_no")
    url = cols[2].text_input(DATA_ADMIN["url"], key="catalog_url")
    filed_on = cols[3].date_input(DATA_ADMIN["filed_on"], value=None, key="catalog_filed_on")
    partial = st.checkbox(DATA_ADMIN["partial"], help=DATA_ADMIN["partial_help"], key="catalog_partial")
    confirm = st.checkbox(RELIAB_PAGE["confirm"], help=RELIAB_PAGE["confirm_help"], key="catalog_confirm")
    if st.button(DATA_ADMIN["submit_catalog"], type="primary", key="submit_catalog"):
        if upload is None:
            st.warning(DATA_ADMIN["need_file"])
        else:
            run_load("catalog", rect.then_verify(api.load_catalog, user), db, code, upload.getvalue(),
                     filename=upload.name,
                     published_on=published_on, document_no=document_no.strip() or None,
                     url=url.strip() or None, filed_on=filed_on, allow_partial=partial, confirm_replace=confirm,
                     upload=(upload.getvalue(), upload.name))

with tabs[1]:
    code = st.selectbox(DATA_ADMIN["unit"], list(names), format_func=names.get, key="log_unit")
    upload = st.file_uploader(DATA_ADMIN["file"], type=FILE_TYPES, key="log_file")
    partial = st.checkbox(DATA_ADMIN["partial"], help=DATA_ADMIN["partial_help"], key="log_partial")
    confirm = st.checkbox(RELIAB_PAGE["confirm"], help=RELIAB_PAGE["confirm_help"], key="log_confirm")
    if st.button(DATA_ADMIN["submit_disclosures"], type="primary", key="submit_disclosures"):
        if upload is None:
            st.warning(DATA_ADMIN["need_file"])
        else:
            run_load("disclosures", rect.then_verify(api.load_disclosures, user), db, code, upload.getvalue(),
                     filename=upload.name, allow_partial=partial, confirm_replace=confirm,
                     upload=(upload.getvalue(), upload.name))

with tabs[2]:
    st.caption(DATA_ADMIN["standard_note"])
    upload = st.file_uploader(DATA_ADMIN["file"], type=FILE_TYPES, key="standard_file")
    confirm = st.checkbox(RELIAB_PAGE["confirm"], help=RELIAB_PAGE["confirm_help"], key="standard_confirm")
    if st.button(DATA_ADMIN["submit_standard"], key="submit_standard"):
        if upload is None:
            st.warning(DATA_ADMIN["need_file"])
        else:
            run_load("standard", rect.then_verify(api.load_standard, user), db, upload.getvalue(),
                     filename=upload.name,
                     confirm_replace=confirm, upload=(upload.getvalue(), upload.name))

with st.expander(DATA_ADMIN["tech"]):
    st.caption(DATA_ADMIN["tech_db"].format(path=db.path))
    st.caption(DATA_ADMIN["tech_sources"].format(path=sources_path()))

with tabs[3]:
    st.caption(DATA_ADMIN["pull_note"])
    sources = sources_path()
    if not sources.exists():
        st.info(DATA_ADMIN["pull_missing"])
    elif st.button(DATA_ADMIN["pull"], key="pull"):
        bars: list = []  # (bar, source): one progress bar per source, completed when the next one starts
        try:
            count = max(len(parse_sources(sources)), 1)
        except LoadError:
            count = 1  # the pull below reports the registry's problems

        def progress(fraction: float, message: str) -> None:
            if bars and message == bars[-1][1]:  # the same source, further on
                local = min(max(fraction * count - (len(bars) - 1), 0.0), 1.0)
                bars[-1][0].progress(local, text=DATA_ADMIN["pull_progress"].format(msg=message))
                return
            if bars:
                bar, source = bars[-1]
                bar.progress(1.0, text=CRAWL_PAGE["source_done"].format(source=source))
            if message:
                bars.append((st.progress(0.0, text=DATA_ADMIN["pull_progress"].format(msg=message)), message))

        results = []
        try:
            with write(db) as con:
                results = api.pull(con, sources, progress=progress)
                rect.verify_in(con, user, results)  # 系统核验 of the rectification tasks, in the same write
        except LoadError as error:
            results = []
            st.error(DATA_ADMIN["refused"].format(n=len(error.problems)))
            show_problems(error.problems, key="pull")
        finally:
            after_write()
            audit("load", str(sources), {"kind": "pull", "results": len(results)})
        st.success(DATA_ADMIN["pull_done"].format(n=len(results)))
        st.caption(SUMMARY_LINE.format(**summary_counts(results)))
        lines = pull_lines(results)
        if not lines.empty:
            lines = lines.assign(result=lines["result"].map(RESULT_LABELS))
            st.dataframe(lines, hide_index=True, key="pull_lines",
                         column_config={c: CRAWL_PAGE["pull_columns"][c] for c in lines.columns})
        for i, result in enumerate(results):
            show_result(result, key=f"pull_{i}")
    st.subheader(CRAWL_PAGE["pending"])
    waiting = view(db, "crawl_pending", None)
    if waiting.empty:
        st.info(CRAWL_PAGE["pending_none"])
    else:
        urls = dict(zip(waiting["url"], waiting["title"]))
        url = st.selectbox(CRAWL_PAGE["confirm_article"], list(urls), format_func=urls.get, key="confirm_url")
        choices = crawl_report.item_choices(db.cursor())
        suggested = waiting.set_index("url")["suggested_item"].get(url)
        item = st.selectbox(CRAWL_PAGE["confirm_item"], choices, key="confirm_item",
                            index=choices.index(suggested) if suggested in choices else 0)
        if st.button(CRAWL_PAGE["confirm"], key="confirm"):
            with write(db) as con:
                crawl_report.confirm(con, url, item)
            after_write()
            audit("load", url, {"kind": "crawl_confirm", "item": item})
            st.success(CRAWL_PAGE["confirm_done"].format(n=1))

with tabs[4]:
    history = view(db, "load_history")
    if history.empty:
        st.info(DATA_ADMIN["history_empty"])
    else:
        history = history.assign(kind=history["kind"].map(DATA_ADMIN["kind"]),
                                 result=history["result"].map(DATA_ADMIN["result"]),
                                 source=history["source"].map(lambda s: Path(str(s)).name if s else s))
        # the grid lists every run; the 说明 of the run clicked (the newest at first) is read in full below it
        history = history.assign(rows=[DATA_ADMIN["rows_value"].format(read=r, loaded=ld, rejected=rj) for r, ld, rj
                                       in zip(history["rows_read"], history["rows_loaded"], history["rows_rejected"])])
        cols = ["run_id", "started_at", "kind", "name", "source", "result", "rows"]
        st.caption(DATA_ADMIN["history_hint"])
        picked = grid(history, cols, {**COLUMNS, "kind": COLUMNS["load_kind"], "rows": DATA_ADMIN["rows"]},
                      key="load_history",
                      on_select="rerun", selection_mode="single-row",
                      selection_default={"selection": {"rows": [0]}})
        rows = list(picked.selection.rows) if picked is not None else []
        chosen = history.iloc[rows[0] if rows else 0]
        st.markdown(f"**{DATA_ADMIN['history_detail'].format(run_id=int(chosen['run_id']))}**")
        static_table(pd.DataFrame({CATALOG["field"]: [COLUMNS[k] for k in ("source", "message")],
                                   CATALOG["text"]: [chosen["source"], chosen["message"]]}))
        undo_panel(db, load_history.history(db.cursor()), then=lambda con: rect.verify_changed(con, user))

with tabs[5]:
    rejected = view(db, "rejected_rows")
    if rejected.empty:
        st.info(DATA_ADMIN["rejected_empty"])
    else:
        st.caption(DATA_ADMIN["rejected_caption"])
        rejected = with_handling(rejected)
        runs = sorted(rejected["run_id"].unique().tolist(), reverse=True)
        run = st.selectbox(DATA_ADMIN["rejected_run"], [None, *runs], key="rejected_run",
                           placeholder=DATA_ADMIN["all_runs"],
                           format_func=lambda r: DATA_ADMIN["all_runs"] if r is None else str(r))
        shown = rejected if run is None else rejected[rejected["run_id"] == run]
        cols = ["run_id", "handling", "name", "file", "sheet", "row_no", "column_name", "value", "message"]
        # every problem with its located 说明 in full (a wrapping table)
        static_table(shown, cols, {"run_id": COLUMNS["run_id"], "handling": DATA_ADMIN["handling"],
                                   "name": COLUMNS["name"], "file": COLUMNS["file"],
                                   "sheet": COLUMNS["sheet"], "row_no": COLUMNS["row"],
                                   "column_name": COLUMNS["column"], "value": COLUMNS["problem_value"],
                                   "message": COLUMNS["message"]})
