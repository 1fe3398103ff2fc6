"""Findings (人工核查记录, DESIGN §12): the bureau's record, per unit and indicator, of a value from a
date on, with a note and evidence (an http(s) address, or a file copied under data/raw/findings/
with its sha256). Findings are never changed: a later one supersedes an earlier one from its
`applies_from` date, and one dated after an evaluation's as_of does not count.

`record(...)` validates and stores one finding (FindingError with a Chinese message otherwise);
`list_findings` returns every record; `in_force(con, as_of)` the findings an evaluation as of
that date uses; `point_values(con, as_ofs)` their values per (as_of, unit) for the decisions.
Pure DuckDB; no streamlit, no loaders.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from scoring.rules import Rules
from ui_text import manual as text

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
SCHEMA_SQL = ROOT / "data" / "schema.sql"
SQL_DIR = Path(__file__).resolve().parent / "sql"
EVIDENCE_FOLDER = "findings"
YES_VALUES = {text.YES: 1.0, "yes": 1.0, "y": 1.0, "1": 1.0, "true": 1.0,
              text.NO: 0.0, "no": 0.0, "n": 0.0, "0": 0.0, "false": 0.0}
VALUE_PREFIX = "manual__"   # decided-frame column of an indicator's (or bonus item's) raw value


class FindingError(ValueError):
    """A finding that cannot be recorded; the message is Chinese."""


def has_table(con: duckdb.DuckDBPyConnection) -> bool:
    """False in a database made before findings existed (then there are none)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                            "AND schema_name = 'main' AND table_name = 'findings'").fetchall()[0][0])


# `recorded` of point_values when the caller has not counted the findings (they are then asked for).
UNCOUNTED = -1


def recorded(con: duckdb.DuckDBPyConnection) -> int | None:
    """How many findings the database holds; None when it has no findings table (an older database)."""
    if not has_table(con):
        return None
    return int(con.execute("SELECT count(*) FROM findings").fetchall()[0][0])


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the findings table in an older database (the one schema, all IF NOT EXISTS)."""
    if not has_table(con):
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def label(iid: str) -> str:
    """The Chinese name of a manual indicator or bonus item (its id when it has none)."""
    return text.MANUAL_LABELS.get(iid) or text.BONUS_LABELS.get(iid) or iid


def indicator_ids(rules: Rules) -> tuple[str, ...]:
    """Every id a finding may be recorded against: manual indicators, then bonus items."""
    return rules.manual.indicator_ids + rules.manual.bonus_ids


def parse_value(rules: Rules, indicator: str, value: str) -> tuple[float, str]:
    """(numeric value, text as stored) of a finding; FindingError when it does not fit the scale."""
    ids = indicator_ids(rules)
    if indicator not in ids:
        raise FindingError(text.FINDING_ERRORS["unknown_indicator"].format(
            value=indicator, choices=text.CHOICE_SEPARATOR.join(text.CHOICE.format(id=i, label=label(i)) for i in ids)))
    raw = str(value).strip()
    if indicator in rules.manual.bonus_ids:
        top, key = rules.manual.bonus(indicator).max_points, "bad_bonus"
    else:
        ind = rules.manual.indicator(indicator)
        if ind.scale == "yes_no":
            v = YES_VALUES.get(raw.lower())
            if v is None:
                raise FindingError(text.FINDING_ERRORS["bad_yes_no"].format(label=label(indicator), value=raw))
            return v, text.YES if v else text.NO
        top, key = ind.max_points, "bad_points"
    try:
        number = float(raw)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= top:  # NaN fails too
        raise FindingError(text.FINDING_ERRORS[key].format(label=label(indicator), value=raw, max=f"{top:g}"))
    return number, f"{number:g}"


def keep_evidence(data: bytes, name: str, raw_dir: Path | None = None) -> tuple[str, str]:
    """Store evidence bytes under `<raw_dir>/findings/<sha256>/<name>` (kept, never rewritten) and
    return (that path relative to raw_dir's parent when inside the project, else absolute; sha256)."""
    sha = hashlib.sha256(data).hexdigest()
    folder = (raw_dir or RAW_DIR) / EVIDENCE_FOLDER / sha
    target = folder / (Path(name).name or "evidence")
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    try:
        shown = target.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        shown = str(target.resolve())
    return shown, sha


def evidence_of(value: str | None, raw_dir: Path | None = None) -> tuple[str | None, str | None, str | None]:
    """(url, file, sha256) of `--evidence URL|FILE`; FindingError for neither."""
    if value is None or not str(value).strip():
        return None, None, None
    v = str(value).strip()
    if v.lower().startswith(("http://", "https://")):
        return v, None, None
    path = Path(v)
    if not path.is_file():
        if "://" in v or not path.suffix:
            raise FindingError(text.FINDING_ERRORS["evidence_bad_url"].format(value=v))
        raise FindingError(text.FINDING_ERRORS["evidence_missing"].format(path=v))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FindingError(text.FINDING_ERRORS["evidence_missing"].format(path=v)) from exc
    shown, sha = keep_evidence(data, path.name, raw_dir)
    return None, shown, sha


def record(con: duckdb.DuckDBPyConnection, rules: Rules, code: str, indicator: str, value: str,
           on: dt.date, *, recorded_by: str, note: str | None = None, evidence_url: str | None = None,
           evidence_file: str | None = None, evidence_sha256: str | None = None,
           now: dt.datetime | None = None) -> int:
    """Validate and store one finding of unit `code` (a resolved unit code); return its id.

    A value that gives points (是, or more than 0 points) of an indicator whose rules say
    `evidence_required` must cite evidence. Bonus items always need evidence when above 0."""
    number, shown = parse_value(rules, indicator, value)
    if not (recorded_by or "").strip():
        raise FindingError(text.FINDING_ERRORS["blank_actor"])
    required = (indicator in rules.manual.bonus_ids
                or rules.manual.indicator(indicator).evidence_required)
    if required and number > 0 and not (evidence_url or evidence_file):
        raise FindingError(text.FINDING_ERRORS["evidence_required"].format(label=label(indicator)))
    ensure_table(con)
    at = (now or dt.datetime.now()).replace(microsecond=0)
    row = con.execute(
        "INSERT INTO findings (finding_id, district_code, indicator, value, value_text, applies_from, note, "
        "evidence_url, evidence_file, evidence_sha256, recorded_by, recorded_at) "
        "VALUES (nextval('finding_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING finding_id",
        [code, indicator, number, shown, on, (note or "").strip() or None, evidence_url, evidence_file,
         evidence_sha256, recorded_by.strip(), at]).fetchone()
    assert row is not None  # INSERT … RETURNING yields the new row
    return int(row[0])


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    """Run `scoring/sql/<name>.sql` (a query of the findings table alone) with bound parameters;
    NULL comes back as None (never NaN), so notes and evidence read as absent, not as 'nan'."""
    frame = con.execute((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"), params).df()
    return frame.astype(object).where(frame.notna(), None)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


_LIST_COLUMNS = ["finding_id", "code", "district", "indicator", "value", "value_text", "applies_from", "note",
                 "evidence_url", "evidence_file", "evidence_sha256", "recorded_by", "recorded_at"]


def list_findings(con: duckdb.DuckDBPyConnection, code: str | None = None) -> pd.DataFrame:
    """Every finding recorded (of unit `code`, or all), in unit order, newest first per indicator."""
    if not has_table(con):
        return _empty(_LIST_COLUMNS)
    return _run(con, "finding_list", {"code": code})


def evidence_row(con: duckdb.DuckDBPyConnection, finding_id: int) -> dict[str, Any] | None:
    """finding_id, code, indicator, evidence_file, evidence_sha256 of one finding; None when unknown."""
    if not has_table(con):
        return None
    rows = _run(con, "finding_evidence", {"finding_id": finding_id}).to_dict("records")
    return {str(k): v for k, v in rows[0].items()} if rows else None


def in_force(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> pd.DataFrame:
    """The findings an evaluation as of `as_of` uses, one per unit and indicator."""
    if not has_table(con):
        return _empty([c for c in _LIST_COLUMNS if c != "district"])
    return _run(con, "findings_in_force", {"as_of": as_of})


def point_values(con: duckdb.DuckDBPyConnection, as_ofs: list[dt.date], ids: tuple[str, ...],
                 recorded: int | None = UNCOUNTED) -> pd.DataFrame:
    """as_of, code and one `manual__<id>` column per id (NaN where no finding is in force).
    `recorded`: how many findings the database holds when the caller knows (`recorded()`; None:
    no findings table), so none are asked for when there are none."""
    columns = [f"{VALUE_PREFIX}{i}" for i in ids]
    if not ids or recorded is None or (recorded == UNCOUNTED and not has_table(con)):
        return pd.DataFrame(columns=["as_of", "code", *columns])
    long = _run(con, "finding_values", {"as_ofs": as_ofs}) if recorded else None
    if long is not None:
        long = long[long["indicator"].isin(ids)]
    if long is None or long.empty:  # no finding in force (most evaluations): no pivot to build
        return pd.DataFrame({"as_of": pd.Series(dtype=object), "code": pd.Series(dtype=object),
                             **{c: pd.Series(dtype=float) for c in columns}})
    wide = long.pivot_table(index=["as_of", "code"], columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(ids)).add_prefix(VALUE_PREFIX).reset_index()
    wide["as_of"] = pd.to_datetime(wide["as_of"]).dt.date
    wide.columns.name = None
    return wide


def evidence_text(finding: dict[str, Any]) -> str | None:
    """The evidence of a finding in words: its URL, or its kept file with the sha256."""
    if finding.get("evidence_url"):
        return str(finding["evidence_url"])
    if finding.get("evidence_file"):
        return text.EVIDENCE_FILE.format(path=finding["evidence_file"], sha=finding["evidence_sha256"])
    return None
