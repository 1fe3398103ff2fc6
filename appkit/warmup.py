"""The server-start warm-up: what the first screen needs, computed before the first visitor asks.

`serve.py` serves dashboard.py through `st.App` with `lifespan` below. When the server starts (its
runtime is up, before any session), a background thread
1. imports what dashboard.py and 督导总览 import (pandas, plotly, DuckDB, scoring …: about a second
   of the first visitor's first run otherwise), read from their sources, no page is run;
2. when the database is there and ready (`appkit.db.ready`: never built or written here), fills the
   shared results 督导总览 reads for the default view (today, the default window): its ranking
   (`appkit.cache.ranking`, also kept beside the database by `appkit.persist`) and its score
   chart (`appkit.scope.warm_live_overview`), under the very keys the page asks with;
3. imports what the other pages import;
4. starts the after-run warming of `appkit.cache.warm` for the same view: the full evaluation
   (unit pages), once the server has been quiet for START_QUIET_S.
A visitor who arrives meanwhile waits for the same computation, never a second one (one per key).
Sign-in and access control are untouched: the warm-up reads nothing out to anyone, and every page
still reads through `appkit.scope`. `streamlit run dashboard.py` works as before without it (the
first run computes, the after-run warming follows); `COMPLIANCE_WARM=off` turns both off.
"""
from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import threading
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from streamlit.logger import get_logger

ROOT = Path(__file__).resolve().parent.parent
_log = get_logger(__name__)  # Streamlit's: shown on the server's console at its log level
# The full evaluation (unit pages) waits for this much quiet after start: a visitor who comes at
# once is served first (the ranking is ready; the evaluation's DuckDB threads would share the two
# cores with the page and the browser), then it starts (appkit.cache.wait_until_quiet).
START_QUIET_S = 5.0


def imported_modules(files: Iterable[Path]) -> list[str]:
    """Absolute module names imported anywhere in `files` (module level and inside functions,
    `from appkit import persist` as appkit.persist), in order of appearance, each once."""
    names: dict[str, None] = {}
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names[node.module] = None
                names.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names
                                           if _is_module(f"{node.module}.{a.name}")))
    names.pop("__future__", None)
    return list(names)


def _is_module(name: str) -> bool:
    """True when `name` is an importable module (not a function or class of its package)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # the parent is a module, not a package
        return False


def first_screen_files() -> list[Path]:
    """dashboard.py, 督导总览 and the ranking's own modules (their imports inside functions too:
    the other appkit modules' module-level imports follow from these)."""
    return [ROOT / "dashboard.py", ROOT / "pages" / "overview.py", ROOT / "appkit" / "cache.py",
            ROOT / "appkit" / "persist.py"]


def other_files() -> list[Path]:
    return sorted({*(ROOT / "pages").glob("*.py"), *(ROOT / "appkit").glob("*.py")} - set(first_screen_files()))


def _import_all(names: Iterable[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # an optional module missing breaks only the page that uses it
            _log.warning("warm-up: import %s failed (%s)", name, error)


def _streamlit_first_use() -> None:
    """What Streamlit does once per process on its first elements: the emoji table st.info and
    st.error read an icon from, and the once-only check whether it runs in a REPL, which walks
    the whole stack with `inspect` (about 0.5 s; it prints nothing under a running server)."""
    with contextlib.suppress(Exception):
        from streamlit import delta_generator, emojis  # noqa: F401 - imported for its table

        delta_generator._maybe_print_use_warning()


def run(full_evaluation: bool = True) -> None:
    """The warm-up (the thread `start` runs; `full_evaluation=False` leaves out step 4, for
    bench/dashboard.py's AppTest timing); every failure is logged, never raised."""
    started = time.monotonic()
    try:
        _import_all(imported_modules(first_screen_files()))
        _streamlit_first_use()
        imported = time.monotonic()
        from appkit import cache, scope, widgets
        from appkit import db as app_db
        from scoring.rules import load_rules
        from ui_text.pages import KIND_LABELS

        found = app_db.ready()
        if found is not None:
            as_of = widgets.today()
            since = load_rules().since_for(as_of)  # appkit.widgets.period's default window
            scope.warm_live_overview(found, as_of, since, list(KIND_LABELS))  # the overview's default filter
        ranked = time.monotonic()
        _import_all(imported_modules(other_files()))
        if found is not None and full_evaluation:  # the full evaluation, once the server is quiet
            cache.start_warming(found, as_of, since, quiet_s=START_QUIET_S)
        _log.info("start-up warm-up: imports %.1f s, overview %s %.1f s, other imports %.1f s",
                  imported - started, "computed" if found is not None else "skipped (no ready database)",
                  ranked - imported, time.monotonic() - ranked)
    except Exception:  # a warm-up never stops the server; the first page computes what it needs
        _log.exception("start-up warm-up failed")


def start() -> threading.Thread | None:
    """Run the warm-up in a background thread when this process serves the app (None otherwise:
    AppTest, `COMPLIANCE_WARM=off`)."""
    from appkit import cache

    if not cache.serving():
        return None
    thread = threading.Thread(target=run, name="compliance-start-warm", daemon=True)
    thread.start()
    return thread


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """`st.App`'s lifespan: the warm-up starts with the server and never delays it (a visitor
    arriving during it waits only for the result it needs)."""
    start()
    yield
