"""`python -m scoring finding set|list` (DESIGN §12), a thin layer over `scoring.findings`.

`finding set --district NAME --indicator ID --value V --on DATE [--note TEXT] [--evidence URL|FILE]
[--by NAME] [--raw-dir DIR] [--rules PATH] [--db PATH]` records one finding and prints its id as
the last word; `finding list [--district NAME] [--json PATH|-] [--db PATH]` prints every finding
(a table, or a JSON array). Bad input (unknown unit or indicator, a value off the scale, missing
evidence where the rules require it, a bad date) exits 2 with the Chinese message on stderr and
records nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from scoring import cli_args, findings
from scoring.cli_args import InputError
from scoring.districts import UnknownDistrictError, name_of, resolve_district
from scoring.rules import load_rules
from ui_text import manual as text
from ui_text import scoring as scoring_text

H = text.FINDING_CLI_HELP
# finding list --json: the keys of each element, in order.
JSON_KEYS = ("id", "district", "code", "indicator", "value", "value_text", "applies_from", "note",
             "evidence_url", "evidence_file", "evidence_sha256", "recorded_by", "recorded_at")


class FindingInputError(InputError):
    """Bad input of `finding`; the Chinese message goes to stderr, exit 2."""


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Register `finding` and its subcommands on the `python -m scoring` subparsers."""
    fp = sub.add_parser("finding", help=H["finding"], description=H["finding"], prog="python -m scoring finding")
    fsub = fp.add_subparsers(dest="finding_command", required=True, metavar="{set,list}",
                             parser_class=parser_class)
    s = fsub.add_parser("set", help=H["set"], description=H["set"], prog="python -m scoring finding set")
    s.add_argument("--district", required=True, help=H["district"])
    s.add_argument("--indicator", required=True, help=H["indicator"])
    s.add_argument("--value", required=True, help=H["value"])
    s.add_argument("--on", required=True, help=H["on"])
    s.add_argument("--note", help=H["note"])
    s.add_argument("--evidence", metavar="URL|FILE", help=H["evidence"])
    s.add_argument("--by", help=H["by"])
    s.add_argument("--raw-dir", metavar="DIR", help=H["raw_dir"])
    s.add_argument("--rules", metavar="PATH", help=scoring_text.CLI_HELP["rules"])
    s.add_argument("--db", metavar="PATH", help=scoring_text.CLI_HELP["db"])
    lp = fsub.add_parser("list", help=H["list"], description=H["list"], prog="python -m scoring finding list")
    lp.add_argument("--district", help=H["district"])
    lp.add_argument("--json", metavar="PATH|-", help=scoring_text.CLI_HELP["json"])
    lp.add_argument("--db", metavar="PATH", help=scoring_text.CLI_HELP["db"])


def actor() -> str:
    return cli_args.actor(text.FINDING_ACTOR)


def _date(value: str) -> dt.date:
    on = cli_args.date_arg("--on", value)
    assert on is not None  # --on is required
    return on


def _code(con: duckdb.DuckDBPyConnection, unit: str) -> str:
    try:
        return resolve_district(con, unit)
    except UnknownDistrictError as exc:
        raise FindingInputError(str(exc)) from exc


def _set(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    rules = load_rules(a.rules)
    on = _date(a.on)
    code = _code(con, a.district)
    try:
        findings.parse_value(rules, a.indicator, a.value)  # refuse before keeping any evidence file
        url, file, sha = findings.evidence_of(a.evidence, Path(a.raw_dir) if a.raw_dir else None)
        fid = findings.record(con, rules, code, a.indicator, a.value, on, recorded_by=a.by or actor(),
                              note=a.note, evidence_url=url, evidence_file=file, evidence_sha256=sha)
    except findings.FindingError as exc:
        raise FindingInputError(str(exc)) from exc
    name = name_of(con, code)
    value = con.execute("SELECT value_text FROM findings WHERE finding_id = ?", [fid]).fetchall()[0][0]
    print(text.FINDING_SAVED.format(id=fid, district=name, label=findings.label(a.indicator), value=value,
                                    on=on.isoformat()))


def records(con: duckdb.DuckDBPyConnection, code: str | None = None) -> list[dict[str, Any]]:
    """Every finding as a plain dict with JSON_KEYS (the `finding list --json` elements)."""
    frame = findings.list_findings(con, code)
    out = []
    for r in frame.to_dict("records"):
        row = {k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}  # NaN -> None
        row["id"] = int(str(row.pop("finding_id")))
        row["value"] = float(str(row["value"]))
        out.append({k: row.get(k) for k in JSON_KEYS})
    return out


def _list(con: duckdb.DuckDBPyConnection, a: argparse.Namespace) -> None:
    code = _code(con, a.district) if a.district else None
    rows = records(con, code)
    if a.json:
        cli_args.emit(json.dumps(rows, ensure_ascii=False, indent=2), a.json)
        return
    if not rows:
        print(text.FINDING_NONE)
        return
    print("\t".join(text.FINDING_LIST_HEADER))
    for r in rows:
        evidence = findings.evidence_text(r) or ""
        print("\t".join(str(v) for v in (r["id"], r["district"], findings.label(r["indicator"]), r["value_text"],
                                          r["applies_from"], r["note"] or "", evidence, r["recorded_by"],
                                          r["recorded_at"])))


def run(args: argparse.Namespace, database: Callable[[str | None], Path]) -> int:
    """Run one `finding` subcommand; `database(path)` resolves --db."""
    try:
        con = duckdb.connect(str(database(args.db)))
    except duckdb.IOException as exc:
        raise FindingInputError(str(exc)) from exc
    try:
        (_set if args.finding_command == "set" else _list)(con, args)
    finally:
        con.close()
    return 0
