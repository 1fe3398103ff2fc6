"""The `context` of the report workbook read from the database (`report_context`): the sample flag
and every data source with its load time, plus the rules the evaluation used.

Its own module, apart from `reports.excel`, because a round stores this context when it is created
(`scoring.rounds` imports only this), while `reports.excel` reads stored rounds back.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb

from queries import reader, views
from scoring.rules import Rules
from ui_text import excel as text


def stamp(value: Any) -> Any:
    """'2024-01-02T09:00:00' → '2024-01-02 09:00:00' for display; anything else unchanged."""
    return value.replace("T", " ", 1) if isinstance(value, str) and value[10:11] == "T" else value


def report_context(con: duckdb.DuckDBPyConnection, *, rules: Rules | Mapping[str, Any] | None = None,
                   weights: Mapping[str, float] | None = None, rules_version: str | None = None,
                   per_district_sheets: bool = False) -> dict[str, Any]:
    """The `context` for build_report_workbook read from the database: is_sample and the data
    sources with their load times (standard catalog first, then units in the bureau's order),
    plus `rules` (pass the Rules the evaluation used; `weights`/`rules_version` override them)
    and `per_district_sheets`."""
    cur = con.execute(reader.read_sql("export_sources"))
    cols = [c[0] for c in cur.description]
    sources = [{k: (v.isoformat(sep=" ") if isinstance(v, dt.datetime) else
                    v.isoformat() if isinstance(v, dt.date) else v) for k, v in zip(cols, row)}
               for row in cur.fetchall()]
    standard = views.standard_source(con)
    loaded = con.execute("SELECT max(started_at) FROM load_runs "
                         "WHERE kind = 'standard' AND result = 'loaded'").fetchall()[0][0]
    when = loaded.isoformat(sep=" ") if loaded else views.meta(con, "schema_initialised_at")
    sources.insert(0, {"district": text.CITY, "kind": "standard",
                       "source": text.STANDARD_SOURCES.get(standard, standard),
                       "loaded_at": stamp(when), "published_on": None, "document_no": None})
    ctx: dict[str, Any] = {"is_sample": views.is_sample(con), "sources": sources,
                           "per_district_sheets": per_district_sheets}
    if rules is not None:
        ctx["rules"] = rules.to_dict() if isinstance(rules, Rules) else dict(rules)
    if weights is not None:
        ctx["weights"] = dict(weights)
    if rules_version is not None:
        ctx["rules_version"] = rules_version
    return ctx
