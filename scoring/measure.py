"""Measurements: run the `scoring/sql/*.sql` queries and return DataFrames. No decisions here.

Each `.sql` file holds one query named for the relation it returns. The rules every query shares
(the working-day calendar and deadline(day, n), the effective catalog, the best row of an item
listed twice, ...) are TEMP macros defined once in `sql/rules.sql`; `prepare(con)` installs them on
a connection (every `run` does so first). An evaluation intermediate read by several queries
(judged disclosures, policy documents, first disclosures per item) is a file used as `{{name}}`:
inside `shared_relations` that names the temp table computed once for the block, elsewhere the file
is spliced in as a subquery (trusted project text, never values). Values are always bound as
`$name` parameters.

`point_measures` evaluates any number of (as_of, since) points in one pass per query (evaluation
uses one point, the trend one per quarter end); `details` returns the per-row explanations of one
point. All districts are measured together in grouped SQL, never in a per-district loop.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring import districts, findings
from scoring.rules import Rules

SQL_DIR = Path(__file__).resolve().parent / "sql"
INCLUDE = re.compile(r"\{\{(\w+)\}\}")
TABLE_NAME = re.compile(r"\{\{@(\w+)\}\}")  # a relation's table name as a string, for query_table()
_PARAM = re.compile(r"\$(\w+)")

# Per-point measurement columns, in the order the decision functions read them.
MEASURE_COLUMNS = ("has_catalog", "catalog_rows", "filled_elements", "covered_items",
                   "complete_items", "disclosed_items", "judged", "on_time", "unclassified",
                   "policy_docs", "synced", "estimated_judged", "estimated_docs")


# Relation name -> temp table holding it, for queries run inside `shared_relations`.
Shared = tuple[tuple[str, str], ...]


_RULES_TEXT = (SQL_DIR / "rules.sql").read_text(encoding="utf-8")
# The state table's name carries a hash of rules.sql and calendar_days.sql, so a changed file is
# re-installed; it holds the fingerprint of the `calendar` the cached extended calendar was built from.
_STATE = "scoring_rules_" + hashlib.sha256(
    (_RULES_TEXT + (SQL_DIR / "calendar_days.sql").read_text(encoding="utf-8") + "+deadlines").encode()).hexdigest()[:12]
_CALENDAR_FINGERPRINT = ("SELECT count(*) AS n, coalesce(sum(hash(day, is_workday, workday_no, source)), 0) AS h "
                         "FROM calendar")


# The working-day limits and the window the cached deadlines were built for (scoring_deadlines).
_DEADLINE_NS = ("SELECT list(DISTINCT n ORDER BY n) FROM (SELECT time_limit_workdays AS n FROM standard_catalog "
                "WHERE time_limit_workdays IS NOT NULL UNION ALL SELECT $window::INTEGER)")
# Relations `prepare` keeps per connection (name -> temp table), read by `shared_relations`.
CACHED = {"deadlines": "scoring_deadlines"}
# Relations of the data alone (no date, no rule parameter). On a read-only database nothing can
# change while the connection is open (DuckDB's file lock keeps writers out; loaders.db swaps a new
# file in under a new connection), so `shared_relations` keeps them per connection, computed on first
# use; on a writable one they are computed for each block as the others (best_catalog_rows too: both
# catalog_stats and catalog_blank_elements read it). milestone_dates is read as a query otherwise
# (only a kept copy pays for a table).
DATA_ONLY = ("catalog_row_blanks", "best_catalog_rows", "item_firsts", "catalog_stats", "milestone_dates")
KEPT_ONLY = ("milestone_dates",)
# Relations of the data and the values bound to them (the window bounds, the rule values): on a
# read-only database kept too, one table per set of values (its name carries their hash), the
# KEPT_WINDOWS most recently made per relation; an evaluation of another window computes its own
# and drops the oldest. Repeating an evaluation (a page rerun, a report after the overview) then
# pays for neither the judging of the disclosures nor the policy documents again, nor does an
# evaluation whose window lies inside a kept one (an earlier as_of of the same year: _window_table),
# nor a later as_of of the year after the first (the first later one makes its window to 31 December).
WINDOWED = ("judged_disclosures", "policy_documents")
KEPT_WINDOWS = 2
# WINDOWED relations whose every row depends on its disclosure alone, never on the window bounds
# (policy_documents does not: synced_on reads the interpretations up to last_day). Such a window
# grown from a kept one with the same first day (_window_table) is that table's rows plus the rows
# of the days after its last: only those days are judged.
ROW_WISE = ("judged_disclosures",)

# Small results of the data alone read back from a kept connection (units, city items, the
# milestone dates, how many findings there are), per connection and kept prefix (so one connection
# switching databases reads each one's own): later evaluations on it need no statement for them.
_KEPT_VALUES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, Any]] = weakref.WeakKeyDictionary()

# One statement tells whether everything is in place: the current database's read-only flag and
# identity, and the connection's scoring temp tables (the markers below among them).
_CONNECTION_STATE = ("SELECT d.readonly, d.database_name || ':' || d.database_oid || ':' || coalesce(d.path, ''), "
                     "(SELECT list(table_name) FROM duckdb_tables() WHERE database_name = 'temp' "
                     "AND starts_with(table_name, 'scoring_')) "
                     "FROM duckdb_databases() AS d WHERE d.database_name = current_database()")


@dataclass(frozen=True)
class _State:
    kept: str | None         # on a read-only database: the prefix of its kept tables and markers
    tables: frozenset[str]   # the connection's scoring_* temp tables when prepare began


def prepare(con: duckdb.DuckDBPyConnection, window: int | None = None) -> None:
    """Install the rule macros of `sql/rules.sql` on this connection (once; TEMP, so a read-only
    connection can too) and (re)build the extended calendar they read when `calendar` changed;
    with `window`, also keep `scoring_deadlines` (deadlines.sql) for the calendar, the city
    items' working-day limits and that window. Cheap when nothing changed (one catalog query on
    a read-only database, where the calendar cannot change; two small queries otherwise) and it
    never raises inside a caller's transaction."""
    _prepare(con, window)


def _prepare(con: duckdb.DuckDBPyConnection, window: int | None) -> _State:
    read_only, identity, names = con.execute(_CONNECTION_STATE).fetchall()[0]
    tables = frozenset(names or ())
    kept = None
    if read_only:  # markers: the calendar is in place (base); the deadlines are those of window w (_w<w>)
        kept = "scoring_ro_" + hashlib.sha256(f"{_STATE}|{identity}".encode()).hexdigest()[:12]
        wanted = {kept} if window is None else {kept, f"{kept}_w{window}"}
        if wanted <= tables:
            return _State(kept, tables)
    _prepare_slowly(con, window, _STATE in tables)
    if kept is not None:
        if kept not in tables:
            con.execute(f"CREATE TEMP TABLE {kept} AS SELECT 1 AS calendar_ready")
        if window is not None and f"{kept}_w{window}" not in tables:
            for old in sorted(t for t in tables if t.startswith(f"{kept}_w")):
                con.execute(f"DROP TABLE IF EXISTS {old}")
            con.execute(f"CREATE TEMP TABLE {kept}_w{window} AS SELECT {int(window)} AS deadlines_window")
    return _State(kept, tables)


def _prepare_slowly(con: duckdb.DuckDBPyConnection, window: int | None, installed: bool) -> None:
    """`prepare` checking the calendar's fingerprint and the deadlines' limits and window."""
    fresh = False
    if installed:
        check = f"SELECT (s.n, s.h) = (c.n, c.h) FROM {_STATE} AS s, ({_CALENDAR_FINGERPRINT}) AS c"
        if window is None:
            if scalar(con, check):
                return
        else:
            fresh, same_ns = con.execute(check.replace(" FROM ", f", s.ns IS NOT DISTINCT FROM ({_DEADLINE_NS}) FROM ", 1),
                                         {"window": window}).fetchall()[0]
            if fresh and same_ns:
                return
    if not fresh:
        con.execute(f"CREATE OR REPLACE TEMP TABLE scoring_calendar_days AS {_sql_text('calendar_days')}")
        if not installed:
            con.execute(_RULES_TEXT)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_STATE} AS "
                    f"SELECT *, CAST(NULL AS INTEGER[]) AS ns FROM ({_CALENDAR_FINGERPRINT})")
    if window is not None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {CACHED['deadlines']} AS {_sql_text('deadlines')}",
                    {"window": window})
        con.execute(f"UPDATE {_STATE} SET ns = ({_DEADLINE_NS})", {"window": window})


@cache
def _sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _inline(name: str, shared: Shared) -> str:
    """`{{name}}` outside a shared block: the file spliced in as a subquery, or for a rules.sql
    table macro without a file (e.g. catalog_stats) a call of it."""
    if (SQL_DIR / f"{name}.sql").exists():
        return f"(\n{read_sql(name, shared)}\n)"
    return f"{name}()"


def _table_names(sql: str, tables: dict[str, str]) -> str:
    """`{{@name}}`: the quoted name of the temp table holding a shared relation, else of its
    rules.sql view `scoring_<name>` (for the macros reading a relation by name)."""
    return TABLE_NAME.sub(lambda m: "'" + (tables.get(m.group(1)) or f"scoring_{m.group(1)}") + "'", sql)


@cache
def _expanded(name: str) -> str:
    return _table_names(INCLUDE.sub(lambda m: _inline(m.group(1), ()), _sql_text(name)), {})


def read_sql(name: str, shared: Shared = ()) -> str:
    """The query in `scoring/sql/<name>.sql` with every `{{relation}}` expanded (`_inline`), or,
    for a relation in `shared`, named as the temp table already holding it (not cached, as those
    table names are new each time)."""
    if not shared:
        return _expanded(name)
    tables = dict(shared)
    return _table_names(INCLUDE.sub(lambda m: tables.get(m.group(1)) or _inline(m.group(1), shared),
                                    _sql_text(name)), tables)


def bound_params(sql: str, params: dict[str, Any] | None) -> dict[str, Any]:
    wanted = set(_PARAM.findall(sql))
    return {k: v for k, v in (params or {}).items() if k in wanted}


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None,
        shared: Shared = ()) -> pd.DataFrame:
    """Run one named query; only the parameters the query mentions are bound."""
    if not shared:
        prepare(con)  # inside shared_relations it has run already
    sql = read_sql(name, shared)
    return con.execute(sql, bound_params(sql, params)).df()


def run_arrow(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None,
              shared: Shared = ()) -> pa.Table:
    """`run`, the result as an Arrow table (no pandas conversion). DuckDB's relation API, which
    copies nothing, refuses to run while an `execute()` result is unfinished: every query before it
    here (prepare, shared_relations, `scalar`) runs to its end."""
    if not shared:
        prepare(con)
    sql = read_sql(name, shared)
    return con.sql(sql, params=bound_params(sql, params)).to_arrow_table()


@contextmanager
def shared_relations(con: duckdb.DuckDBPyConnection, names: tuple[str, ...],
                     params: dict[str, Any]) -> Iterator[Shared]:
    """Compute each named relation once into a temp table (dropped on exit; DATA_ONLY ones on a
    read-only database kept for the connection) and yield the `shared` argument that makes `run`
    read it from there instead of recomputing it. Only for relations whose parameters are the same
    for every query of the block."""
    shared: list[tuple[str, str]] = []
    made: list[str] = []
    state = _prepare(con, params["window"] if "deadlines" in names else None)
    try:
        for name in names:
            if name in CACHED:  # kept per connection by prepare
                shared.append((name, CACHED[name]))
                continue
            kept = state.kept is not None and (name in DATA_ONLY or name in WINDOWED)
            if name in KEPT_ONLY and not kept:
                continue  # read as a query
            sql = read_sql(name, tuple(shared)) if (SQL_DIR / f"{name}.sql").exists() else f"FROM {name}()"
            bound = bound_params(sql, params)
            grown = None
            if not kept:
                table = f"scoring_{name}_{uuid.uuid4().hex}"
            elif name in WINDOWED:
                table, bound, grown = _window_table(con, f"{state.kept}_{name}_", bound, params.get("window"),
                                                    state.tables)
            else:
                table = f"{state.kept}_{name}"
            if table not in state.tables:
                if grown is not None and name in ROW_WISE:
                    base, base_last = grown
                    con.execute(f"CREATE TEMP TABLE {table} AS FROM {base} UNION ALL FROM ({sql})",
                                {**bound, "first_day": base_last + dt.timedelta(days=1)})
                else:
                    con.execute(f"CREATE TEMP TABLE {table} AS {sql}", bound)
                if not kept:
                    made.append(table)
            if kept and name in WINDOWED:
                _keep_recent(con, f"{state.kept}_{name}_", table, state.tables)
            shared.append((name, table))
        yield tuple(shared)
    finally:
        for table in made:
            con.execute(f"DROP TABLE IF EXISTS {table}")


def _window_table(con: duckdb.DuckDBPyConnection, prefix: str, bound: dict[str, Any], window: Any,
                  tables: frozenset[str]) -> tuple[str, dict[str, Any], tuple[str, dt.date] | None]:
    """The kept table of a WINDOWED relation (named `prefix` + a hash of its values) for `bound`,
    and the values it is made with when it is not kept yet: its own when kept, else a kept one of
    the same rule values whose publication dates [first_day, last_day] cover the wanted ones (every
    reader keeps only the rows published in its [since, as_of], and a later interpretation only
    moves a synced_on that is already past last_day: a new as_of inside a kept window costs a
    filter, not a recompute), else its own name, to be made (and its span noted for the next
    evaluations). A window that starts where a kept one of the same rule values does and ends after
    it (a later as_of of the same year) is made to the end of its last day's year: the connection
    is moving forward, and every later as_of of that year is then a filter of it too; the third
    value is then that kept table and its last day (the longest such), else None (ROW_WISE)."""
    def name(values: dict[str, Any]) -> str:
        return prefix + hashlib.sha256(repr(sorted({**values, "window": window}.items())).encode()).hexdigest()[:12]
    table = name(bound)
    if table in tables:
        return table, bound, None
    rule = repr(sorted((k, v) for k, v in {**bound, "window": window}.items() if k not in ("first_day", "last_day")))
    first, last = bound["first_day"], bound["last_day"]
    spans: dict[str, tuple[str, dt.date, dt.date]] = _KEPT_VALUES.setdefault(con, {}).setdefault(f"{prefix}:spans", {})
    kept_spans = [(str(t), spans[t]) for t in reversed(_KEPT_VALUES[con].get(f"{prefix}:recent", ()))
                  if t in tables and t in spans and spans[t][0] == rule]
    for kept, span in kept_spans:
        if span[1] <= first and last <= span[2]:
            return kept, bound, None
    grown = max(((span[2], kept) for kept, span in kept_spans if span[1] == first and span[2] < last), default=None)
    if grown is not None:
        last = max(last, dt.date(last.year, 12, 31))
        bound = {**bound, "last_day": last}
        table = name(bound)
    if table not in tables:
        spans[table] = (rule, first, last)
    return table, bound, None if grown is None else (grown[1], grown[0])


def _keep_recent(con: duckdb.DuckDBPyConnection, prefix: str, table: str, tables: frozenset[str]) -> None:
    """Mark `table` (a WINDOWED kept table named `prefix` + hash) the most recently used of its
    relation and drop those beyond the KEPT_WINDOWS most recent."""
    recent: list[str] = _KEPT_VALUES.setdefault(con, {}).setdefault(
        f"{prefix}:recent", sorted(t for t in tables if t.startswith(prefix)))
    if table in recent:
        recent.remove(table)
    recent.append(table)
    while len(recent) > KEPT_WINDOWS:
        dropped = recent.pop(0)
        con.execute(f"DROP TABLE IF EXISTS {dropped}")
        values = _KEPT_VALUES[con]
        for key in [k for k in values if k.endswith(f":{dropped}")]:  # what was kept with it
            del values[key]


def _kept_prefix(shared: Shared) -> str | None:
    """The prefix of the kept tables in `shared` (a read-only connection), else None."""
    for name, table in shared:
        if name in DATA_ONLY and table.startswith("scoring_ro_") and table.endswith(f"_{name}"):
            return table[:-len(name) - 1]
    return None


def kept_value(con: duckdb.DuckDBPyConnection, shared: Shared, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` (a result of the data alone, never mutated by its readers), once per read-only
    connection and database when `shared` holds kept tables; every time otherwise."""
    prefix = _kept_prefix(shared)
    if prefix is None:
        return compute()
    values = _KEPT_VALUES.setdefault(con, {})
    key = f"{prefix}:{name}"
    if key not in values:
        values[key] = compute()
    return values[key]


def rule_params(rules: Rules) -> dict[str, Any]:
    """The rule values the queries bind."""
    return {"window": rules.interpretation_window_workdays,
            "policy_level1": rules.policy_level1, "policy_level2": rules.policy_level2,
            "interp_level1": rules.interpretation_level1}


def window_bounds(first: dt.date, last: dt.date) -> dict[str, dt.date]:
    """[first_day, last_day]: the union of the evaluated windows [since, as_of], the publication dates
    judged_disclosures.sql and policy_documents.sql read (nothing outside them is counted)."""
    return {"first_day": first, "last_day": last}


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Any:
    """The first column of the first row of a query that always returns a row (an aggregate)."""
    rows = con.execute(sql, params).fetchall()  # to the end: no unfinished result left on the connection
    if not rows:
        raise LookupError(sql)
    return rows[0][0]


def city_item_count(con: duckdb.DuckDBPyConnection) -> int:
    """N: the number of items in the loaded city catalog."""
    return int(scalar(con, "SELECT count(*) FROM standard_catalog"))


def point_measures(con: duckdb.DuckDBPyConnection, points: list[tuple[dt.date, dt.date]],
                   rules: Rules, shared: Shared = ()) -> pd.DataFrame:
    """One row per (point, unit): as_of, since, code, name, kind, sort_order, n_items, the
    MEASURE_COLUMNS counts, the milestone dates m2020_on, m2023_on (first met, any time) and the
    value of each finding in force (`manual__<id>`, NaN without one).

    `points` is a list of (as_of, since). Dates come back as `datetime.date` objects.
    """
    params = {"as_ofs": [p[0] for p in points], "sinces": [p[1] for p in points], **rule_params(rules),
              **window_bounds(min(p[1] for p in points), max(p[0] for p in points))}
    kept = _kept_point_arrays(con, points, shared)
    if kept is not None:
        return _kept_point_frame(con, shared, points[0], kept, rules)
    frame = pd.DataFrame({"as_of": params["as_ofs"], "since": params["sinces"]}).merge(
        kept_value(con, shared, "units", lambda: districts.units(con)), how="cross")
    part = run(con, "point_scores", params, shared)
    part["as_of"] = part["as_of"].dt.date
    frame = left_join(frame, part, ["as_of", "code"])
    frame = left_join(frame, kept_value(con, shared, "milestone_dates", lambda: milestone_dates(con, shared)),
                      ["code"])
    ids = rules.manual.indicator_ids + rules.manual.bonus_ids  # findings in force (DESIGN §12)
    if ids:
        frame = left_join(frame, findings.point_values(con, params["as_ofs"], ids, recorded_findings(con, shared)),
                          ["as_of", "code"])
    frame["n_items"] = kept_value(con, shared, "n_items", lambda: city_item_count(con))
    return frame


def _kept_point_frame(con: duckdb.DuckDBPyConnection, shared: Shared, point: tuple[dt.date, dt.date],
                      part: dict[str, Any], rules: Rules) -> pd.DataFrame:
    """`point_measures` of one point whose scores were cut from kept relations (`part`, columns in
    units order): the units with their milestone dates joined once per connection (kept as
    columns), the point's columns set beside them in one frame, no merge or join per evaluation
    (findings in force aside); the same frame as the general path gives."""
    def unit_columns() -> tuple[dict[str, Any], dict[str, Any]]:
        units = kept_value(con, shared, "units", lambda: districts.units(con))
        dated = left_join(units, kept_value(con, shared, "milestone_dates", lambda: milestone_dates(con, shared)),
                          ["code"])
        return ({c: units[c].array for c in units.columns},
                {c: dated[c].array for c in dated.columns if c not in units.columns})
    units, dated = kept_value(con, shared, "unit_columns", unit_columns)
    n = len(units["code"])
    columns: dict[str, Any] = {"as_of": part["as_of"], "since": np.full(n, point[1], dtype=object), **units}
    columns.update({c: v for c, v in part.items() if c not in ("as_of", "code")})
    columns.update(dated)
    ids = rules.manual.indicator_ids + rules.manual.bonus_ids
    recorded = recorded_findings(con, shared) if ids else 0
    if ids and recorded == 0:  # none recorded: every value NaN, as point_values' empty frame gives
        columns.update({f"{findings.VALUE_PREFIX}{i}": np.full(n, np.nan) for i in ids})
    n_items = np.full(n, kept_value(con, shared, "n_items", lambda: city_item_count(con)), dtype=np.int64)
    if not ids or recorded == 0:
        return pd.DataFrame({**columns, "n_items": n_items})
    frame = left_join(pd.DataFrame(columns), findings.point_values(con, [point[0]], ids, recorded), ["as_of", "code"])
    frame["n_items"] = n_items
    return frame


@dataclass(frozen=True)
class _Columns:
    """A kept relation as numpy columns, with each row's unit as its position in `units` (-1: none)."""
    unit: np.ndarray
    columns: dict[str, np.ndarray]


def _kept_columns(con: duckdb.DuckDBPyConnection, shared: Shared, key: str, name: str,
                  columns: dict[str, Any]) -> _Columns:
    """The query `name` (read with `shared`; the temp table holding it when `shared` does) as numpy
    columns (name -> dtype: numpy's datetime64[D] for DATE, with NaT for NULL; object for text),
    kept per connection under `key` (kept_value)."""
    def compute() -> _Columns:
        held = dict(shared).get(name)
        table = con.sql(f"FROM {held}").to_arrow_table() if held else run_arrow(con, name, shared=shared)
        codes = pa.array(kept_value(con, shared, "units", lambda: districts.units(con))["code"].tolist(), pa.string())
        unit = pc.fill_null(pc.index_in(table["code"], value_set=codes), -1).to_numpy(zero_copy_only=False)
        out = {}
        for column, dtype in columns.items():
            values = table[column]
            if dtype is not object and not pa.types.is_date(values.type):
                values = pc.cast(values, pa.from_numpy_dtype(np.dtype(dtype)))
            out[column] = np.asarray(values.to_numpy(zero_copy_only=False), dtype=dtype)
        return _Columns(np.asarray(unit, dtype=np.int64), out)
    value: _Columns = kept_value(con, shared, key, compute)
    return value


def _kept_point_scores(con: duckdb.DuckDBPyConnection, points: list[tuple[dt.date, dt.date]],
                       shared: Shared) -> pd.DataFrame | None:
    """`_kept_point_arrays` as a frame: the query's rows (units order), columns and dtypes."""
    arrays = _kept_point_arrays(con, points, shared)
    return None if arrays is None else pd.DataFrame(arrays)


def _kept_point_arrays(con: duckdb.DuckDBPyConnection, points: list[tuple[dt.date, dt.date]],
                       shared: Shared) -> dict[str, Any] | None:
    """point_scores.sql of one point on a connection keeping its relations (None otherwise: the
    query runs): every data-only part of it (catalog_version_stats, item_firsts,
    unclassified_daily) and the per-day counts of the kept window (judged_daily, the policy
    documents) kept as numpy columns, and only the point's cut (the versions in force on as_of, the
    days up to as_of or in [since, as_of]) made here, each unit's rows summed with bincount. The
    query's columns (name -> array, its dtypes), one row per unit in units order."""
    tables = dict(shared)
    prefix = _kept_prefix(shared)
    if len(points) != 1 or prefix is None or not all(
            tables.get(w, "").startswith(f"{prefix}_") for w in WINDOWED):
        return None
    as_of, since = points[0]
    units = kept_value(con, shared, "units", lambda: districts.units(con))
    n = len(units)
    day, first = np.datetime64(as_of, "D"), np.datetime64(since, "D")
    date, count, real = "datetime64[D]", np.int64, np.float64
    versions = _kept_columns(con, shared, "catalog_version_stats", "catalog_version_stats", {
        "catalog_id": object, "starts_on": date, "ends_on": date, "catalog_rows": count,
        "filled_elements": real, "covered_items": count, "complete_items": count})
    rows = np.flatnonzero((versions.unit >= 0) & (versions.columns["starts_on"] <= day)
                          & ~(versions.columns["ends_on"] <= day))  # NaT (the latest) compares False
    at = versions.unit[rows]
    out: dict[str, Any] = {"as_of": np.full(n, as_of, dtype=object), "code": units["code"].array}
    out["has_catalog"] = np.zeros(n, dtype=bool)
    out["has_catalog"][at] = True
    for column, dtype in (("catalog_id", object), ("catalog_rows", count), ("filled_elements", real),
                          ("covered_items", count), ("complete_items", count)):
        out[column] = np.full(n, None, dtype=object) if dtype is object else np.zeros(n, dtype=dtype)
        out[column][at] = versions.columns[column][rows]

    def summed(kept: _Columns, when: np.ndarray, weights: str | None = None) -> np.ndarray:
        when = when & (kept.unit >= 0)
        if weights is None:
            return np.bincount(kept.unit[when], minlength=n).astype(count)
        return np.bincount(kept.unit[when], kept.columns[weights][when], minlength=n).astype(real)

    firsts = _kept_columns(con, shared, "item_firsts_on", "item_firsts", {"first_on": date})
    out["disclosed_items"] = summed(firsts, firsts.columns["first_on"] <= day)
    judged = _kept_columns(con, shared, f"judged_daily:{tables['judged_disclosures']}", "judged_daily",
                           {"published_on": date, "judged": real, "on_time": real, "estimated": real})
    in_window = (judged.columns["published_on"] >= first) & (judged.columns["published_on"] <= day)
    for column, weights in (("judged", "judged"), ("on_time", "on_time"), ("estimated_judged", "estimated")):
        out[column] = summed(judged, in_window, weights)
    unclassified = _kept_columns(con, shared, "unclassified_daily", "unclassified_daily",
                                 {"published_on": date, "unclassified": real})
    out["unclassified"] = summed(unclassified, unclassified.columns["published_on"] <= day, "unclassified")
    docs = _kept_columns(con, shared, f"policy_counts:{tables['policy_documents']}", "policy_counts",
                         {"published_on": date, "synced_on": date, "estimated": bool})
    in_window = (docs.columns["published_on"] >= first) & (docs.columns["published_on"] <= day)
    out["policy_docs"] = summed(docs, in_window)
    out["synced"] = summed(docs, in_window & (docs.columns["synced_on"] <= day))
    out["estimated_docs"] = summed(docs, in_window & docs.columns["estimated"])
    if len(at):  # as DuckDB gives text: a column of NULLs only as objects (None)
        out["catalog_id"] = pd.array(out["catalog_id"], dtype="str")
    return out


def left_join(frame: pd.DataFrame, part: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`frame.merge(part, on=keys, how="left")`, the same frame, without merge's fixed cost (about
    1–2 ms a call, most of the Python time of a 16-unit evaluation) where the answer is plain: every
    row of `frame` finds exactly one row of `part` (its columns taken by position), or `part` is
    empty with float columns only (NaN columns, as merge gives). Anything else goes to merge."""
    extra = [c for c in part.columns if c not in keys]
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 or frame.index.step != 1 \
            or any(c in frame.columns for c in extra):
        return frame.merge(part, on=keys, how="left")
    if part.empty and all(part[c].dtype == np.float64 for c in extra):
        missing = pd.DataFrame({c: np.full(len(frame), np.nan) for c in extra}, index=frame.index)
        return pd.concat([frame, missing], axis=1)
    where = {key: i for i, key in enumerate(zip(*(part[c].tolist() for c in keys), strict=True))}
    rows = [where.get(key, -1) for key in zip(*(frame[c].tolist() for c in keys), strict=True)]
    if len(where) != len(part) or -1 in rows:
        return frame.merge(part, on=keys, how="left")
    right = part[extra].take(rows)
    right.index = frame.index
    return pd.concat([frame, right], axis=1)


def recorded_findings(con: duckdb.DuckDBPyConnection, shared: Shared) -> int | None:
    """How many findings the database holds (None: no findings table) when the connection keeps
    it, else findings.UNCOUNTED (the readers then ask the database as before)."""
    if _kept_prefix(shared) is None:
        return findings.UNCOUNTED
    recorded: int | None = kept_value(con, shared, "findings", lambda: findings.recorded(con))
    return recorded


def milestone_dates(con: duckdb.DuckDBPyConnection, shared: Shared = ()) -> pd.DataFrame:
    """code, m2020_on, m2020_document_no, m2023_on, m2023_last, m2023_last_level1."""
    table = dict(shared).get("milestone_dates")
    frame = con.execute(f"FROM {table}").df() if table else run(con, "milestone_dates", shared=shared)
    for col in ("m2020_on", "m2023_on"):
        frame[col] = _dates(frame[col])
    return frame


def _dates(series: pd.Series) -> pd.Series:
    """A DuckDB DATE column as `datetime.date` objects (None for NULL)."""
    return pd.Series([None if pd.isna(v) else pd.Timestamp(v).date() for v in series],
                     index=series.index, dtype=object)


# The explanation queries, in the order of the fields of `Details`.
DETAIL_QUERIES = ("missing_items", "blank_elements", "undisclosed_items", "overdue_disclosures",
                  "pending_disclosures", "unsynced_policies")


@dataclass(frozen=True)
class Details:
    """The per-row explanations of one evaluation point, every unit at once. Dates are ISO text;
    `item` is '一级/二级'."""
    missing_items: pd.DataFrame      # code, item_id, seq, level1, level2, item
    blank_elements: pd.DataFrame     # code, catalog_id, row_no, item_id, level1, level2, item, blank_elements, item_complete_elsewhere
    undisclosed_items: pd.DataFrame  # code, item_id, seq, level1, level2, item
    overdue: pd.DataFrame            # code, disclosure_id, title, item_id, item, formed_on, published_on, deadline, workdays_late, estimated
    pending: pd.DataFrame            # code, disclosure_id, title, item_id, level1, level2, item, formed_on, deadline, workdays_left, overdue, estimated
    unsynced: pd.DataFrame           # code, disclosure_id, title, published_on, names, sync_deadline


def details(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date, rules: Rules,
            shared: Shared = ()) -> Details:
    """Run the explanation queries for one point."""
    params = {"as_of": as_of, "since": since, **rule_params(rules), **window_bounds(since, as_of)}
    return Details(*(run(con, name, params, shared) for name in DETAIL_QUERIES))


# The explanation lists that depend on as_of only through each unit's effective catalog
# (missing_items, blank_elements) or a date compared with as_of (undisclosed_items): the query of
# the data alone each is cut from, kept per read-only connection (kept_value) with the row span of
# every catalog, and the column it is cut by.
_CUT_LISTS = {"missing_items": "catalog_missing_items", "blank_elements": "catalog_blank_elements",
              "undisclosed_items": "unit_item_firsts"}


def detail_tables(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date, rules: Rules,
                  shared: Shared = (), catalogs: pd.DataFrame | None = None) -> dict[str, pa.Table]:
    """The explanation queries of one point as Arrow tables (query name -> table), for the
    columnar lists of `scoring.explain.Lists`. With `catalogs` (code, catalog_id: every unit's
    effective catalog as of as_of, catalog_scores.sql), missing_items, blank_elements and
    undisclosed_items are cut from kept relations of the data alone (`_cut_lists`, the same rows
    in the same order) instead of running their queries."""
    params = {"as_of": as_of, "since": since, **rule_params(rules), **window_bounds(since, as_of)}
    windowed = _windowed_lists(con, as_of, since, shared)
    cut = () if catalogs is None else tuple(_CUT_LISTS)
    tables = {name: run_arrow(con, name, params, shared) for name in DETAIL_QUERIES
              if name not in cut and name not in windowed}
    tables.update(windowed)
    if catalogs is not None:
        tables.update(_cut_lists(con, as_of, shared, catalogs))
    tables["city_items"] = kept_value(con, shared, "city_items", lambda: run_arrow(con, "city_items", params, shared))
    return {name: tables[name] for name in (*DETAIL_QUERIES, "city_items")}


# The explanation lists of the window's relations: the query of all the kept window's rows each is
# cut from (in its order), kept with the window (kept_value, dropped with it).
_WINDOW_LISTS = {"overdue_disclosures": ("late_disclosures", "judged_disclosures"),
                 "unsynced_policies": ("policy_listing", "policy_documents")}


def _windowed_lists(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date,
                    shared: Shared) -> dict[str, pa.Table]:
    """overdue_disclosures and unsynced_policies of one point cut from their kept window's rows
    (late_disclosures, policy_listing) when `shared` holds a kept window (empty otherwise: the
    queries run): the rows published in [since, as_of], the policy documents among them not synced
    by as_of (the same rows in the same order as the queries give)."""
    tables = dict(shared)
    prefix = _kept_prefix(shared)
    if prefix is None or not all(tables.get(w, "").startswith(f"{prefix}_") for w in WINDOWED):
        return {}
    first, last = pa.scalar(since, pa.date32()), pa.scalar(as_of, pa.date32())
    out = {}
    for name, (listing, relation) in _WINDOW_LISTS.items():
        rows = kept_value(con, shared, f"{listing}:{tables[relation]}", partial(run_arrow, con, listing, shared=shared))
        day = rows["published_day"]
        keep = pc.and_(pc.greater_equal(day, first), pc.less_equal(day, last))
        extra = ["published_day"]
        if "synced_on" in rows.column_names:
            synced = rows["synced_on"]
            keep = pc.and_(keep, pc.or_kleene(pc.is_null(synced), pc.greater(synced, last)))
            extra.append("synced_on")
        # the window's own as_of and since (a first or repeated evaluation): every row, not a copy
        out[name] = (rows if pc.all(keep, skip_nulls=False).as_py() else rows.filter(keep)).drop_columns(extra)
    return out


def _cut_lists(con: duckdb.DuckDBPyConnection, as_of: dt.date, shared: Shared,
               catalogs: pd.DataFrame) -> dict[str, pa.Table]:
    """missing_items, blank_elements and undisclosed_items of one point from the kept relations of
    `_CUT_LISTS`: each unit's (by code) rows of its effective catalog, the city items of units
    without one (catalog_id NULL in catalog_missing_items), the unit × item rows with no first
    disclosure by as_of."""
    def spans(name: str) -> Callable[[], tuple[pa.Table, dict[Any, tuple[int, int]]]]:
        def compute() -> tuple[pa.Table, dict[Any, tuple[int, int]]]:
            table = run_arrow(con, name, shared=shared)
            # The rows are ordered by catalog_id: one run per catalog, found by Arrow (not per row).
            encoded = pc.run_end_encode(table["catalog_id"].combine_chunks())
            ends = np.asarray(encoded.run_ends, dtype=np.int64)
            starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
            runs = dict(zip(encoded.values.to_pylist(), zip(starts.tolist(), ends.tolist())))
            return table, runs
        return compute

    ordered = catalogs.sort_values("code", kind="stable")
    codes = ordered["code"].tolist()
    catalog_ids = [None if c is None or c != c else c for c in ordered["catalog_id"].tolist()]
    out: dict[str, pa.Table] = {}
    for name in ("missing_items", "blank_elements"):
        table, runs = kept_value(con, shared, _CUT_LISTS[name], spans(_CUT_LISTS[name]))
        bounds = np.array([runs.get(c, (0, 0)) for c in catalog_ids], dtype=np.int64).reshape(-1, 2)
        lengths = bounds[:, 1] - bounds[:, 0]
        offsets = np.cumsum(lengths) - lengths
        rows = np.repeat(bounds[:, 0] - offsets, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
        cut = table.take(pa.array(rows, pa.int64()))
        if name == "missing_items":
            cut = cut.drop_columns(["catalog_id"])
        out[name] = cut.add_column(0, "code", pa.array(np.repeat(np.array(codes, dtype=object), lengths), pa.string()))
    firsts = kept_value(con, shared, _CUT_LISTS["undisclosed_items"],
                        lambda: run_arrow(con, _CUT_LISTS["undisclosed_items"], shared=shared))
    first_on = firsts["first_on"]
    undisclosed = pc.or_kleene(pc.is_null(first_on), pc.greater(first_on, pa.scalar(as_of, pa.date32())))
    out["undisclosed_items"] = firsts.filter(undisclosed).drop_columns(["first_on"])
    return out
