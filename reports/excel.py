"""Excel exports: the circulated evaluation report (通报) and one unit's own gap list.

`build_report_workbook(evaluation, context)` and `build_gap_workbook(district, context)` are pure:
they read only their arguments (a typed `scoring.Evaluation` / `DistrictResult`, live or read back
from a stored round with `Evaluation.from_json`) and return .xlsx bytes; they never recompute a
score (a component's share of it, 分项得分, is shown next to the score it adds up to). Component
values are shown as the evaluation JSON states them (4 decimals), so a live evaluation and the
round that stored it give the same workbook.
`report_context(con, ...)` collects what the 说明 sheet needs from the database (sample flag,
data sources with load times). Values only, never formulas; identical input gives identical bytes.

context keys (all optional):
  rules: Rules or Rules.to_dict()      weights: {component id: weight} (default: the rules')
  is_sample: bool                      sources: [{district, kind, source, loaded_at,
  per_district_sheets: bool (False)               published_on, document_no}]
  rules_version: str (default: the evaluation's)   loads: alias of sources
  as_of, since, unit_count: for build_gap_workbook, whose district result carries no dates.
Without "rules", scoring/rules.toml is used when its version is the evaluation's rules_version;
otherwise weights are left blank rather than guessed (grade colours still follow rules.toml).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb

from reports import rows as finding_rows
from reports.context import report_context, stamp
from reports.excel_format import display_width, gc_paused
from reports.xlsx import (
    EXCEL_MAX_ROWS,
    INTEGER,
    LABEL_FONT,
    MAX_WIDTH,
    PERCENT,
    SCORE,
    Book,
    Sheet,
    banner,
    fill_grades,
    finish_workbook,
    fit_columns,
    grade_fills,
    new_workbook,
    put,
    setup_page,
    wrap_prose,
    write_table,
)
from scoring.evaluation import DistrictResult, Evaluation, Milestone
from scoring.result_rows import Gap
from scoring.rules import load_rules
from ui_text import excel as text
from ui_text.common import date_text

__all__ = ["build_gap_workbook", "build_report_workbook", "component_value", "display_width",
           "report_context", "round_workbook"]

H = text.HEADERS
Row = list[Any]


def _default_rules() -> dict[str, Any]:
    return load_rules().to_dict()


def _ids(rules: Mapping[str, Any], kind: str | None = None) -> list[str]:
    """The component ids of `rules` (a Rules.to_dict(); the default rules' when it lists none),
    in display order, optionally of one kind ('ratio', 'milestone')."""
    components = rules.get("components") or _default_rules()["components"]
    return [c["id"] for c in components if kind is None or c["kind"] == kind]


def component_value(district: DistrictResult, cid: str) -> float | None:
    """The value in [0, 1] (or None: not evaluated) of component `cid`, as the evaluation JSON
    states it (4 decimals); milestones by their status value, manual indicators included."""
    value = district.components.get(cid)
    return None if value is None else round(value, 4)


def component_points(district: DistrictResult, weights: Mapping[str, float],
                     ids: Sequence[str] | None = None) -> dict[str, float | None]:
    """Each component's share of the score: 100 × wₖ·vₖ / Σw over the non-null components, 2 dp,
    for `ids` (default: the unit's components, in rules order)."""
    ids = list(district.components) if ids is None else ids
    values = {cid: component_value(district, cid) for cid in ids}
    total = sum(weights.get(cid, 0) for cid, v in values.items() if v is not None)
    return {cid: round(100 * weights.get(cid, 0) * v / total, 2) if v is not None and total else None
            for cid, v in values.items()}


def milestone_text(milestone: Milestone | None) -> str | None:
    """'逾期完成（2023年8月2日）' style label of a milestone, None when absent."""
    if milestone is None:
        return None
    label = text.STATUS_LABELS[milestone.status]
    if milestone.date is not None:
        return text.MILESTONE_WITH_DATE.format(status=label, date=_date(milestone.date))
    return label


def _resolve(rules_version: str | None, context: Mapping[str, Any]) -> dict[str, Any]:
    """context with "rules" (a dict), "weights", "fills" and "rules_version" filled in."""
    ctx = dict(context)
    rules = ctx.get("rules")
    if rules is not None and hasattr(rules, "to_dict"):
        rules = rules.to_dict()
    default = _default_rules()
    if rules is None:
        same = not rules_version or rules_version == default["version"]
        rules = default if same else {"grades": default["grades"]}
    ctx["rules"] = rules
    if not ctx.get("weights"):
        ctx["weights"] = dict(rules.get("weights") or {})
    ctx["fills"] = grade_fills(rules.get("grades") or default["grades"])
    ctx["components"] = _ids(rules)
    ctx["ratios"], ctx["milestones"] = _ids(rules, "ratio"), _ids(rules, "milestone")
    if not ctx.get("sources") and ctx.get("loads"):
        ctx["sources"] = ctx["loads"]  # the CLI's name for the same list
    if not ctx.get("rules_version"):
        ctx["rules_version"] = rules_version or rules.get("version")
    return ctx


def _unit_title(d: DistrictResult, title: str) -> str:
    return text.UNIT_TITLE.format(district=d.name, title=title)


def _ordered(districts: Sequence[DistrictResult]) -> list[DistrictResult]:
    return sorted(districts, key=lambda d: (d.rank, d.code))


def _or_mark(value: float | None) -> float | str:
    return text.NONE_MARK if value is None else value


def _warning(ctx: Mapping[str, Any]) -> str | None:
    return text.ABOUT["sample_warning"] if ctx.get("is_sample") else None


GAP_COLUMNS = finding_rows.GAP_KEYS[:-1]  # the remedy is added where a sheet shows it


_DEADLINE = finding_rows.GAP_KEYS.index("deadline")


def _gap_row(gap: Gap, remedy: bool = False) -> Row:
    """The 区县自查 page's row of the gap (reports.rows), the deadline printed the Chinese way;
    with its remedy (建议整改措施) last when asked."""
    row = list(finding_rows.gap_values(gap))
    row[_DEADLINE] = _date(row[_DEADLINE])
    return row if remedy else row[:-1]


# Column caps (1-based, display width) keeping A4 landscape print text ≥ 9 pt; longer text wraps
# and its row grows. 问题清单: 单位 + the eight gap columns; a unit sheet: the gap columns + 建议整改措施.
GAP_SHEET_CAPS = {1: 14, 2: 14, 3: 20, 4: 28, 5: 36, 6: 16, 7: 12, 8: 16, 9: 14}
UNIT_SHEET_CAPS = {1: 14, 2: 16, 3: 22, 4: 30, 5: 14, 6: 12, 7: 16, 8: 14, 9: 28}
# 排名: long unit names and the milestone cells (status and Chinese date) wrap
RANKING_CAPS = {2: 14}
MILESTONE_CAP = 16
GAP_HEADERS = [H["category"], H["item"], H["title"], H["detail"], H["missing_elements"],
               H["workdays_late"], H["deadline"], H["rule"]]
COMPONENT_HEADERS = [H["component"], H["value"], H["weight"], H["points"], H["note"]]
PENDING_HEADERS = [H["title"], H["item"], H["formed_on"], H["deadline"], H["workdays_left"],
                   H["pending_status"]]


def _component_rows(d: DistrictResult, ctx: Mapping[str, Any]) -> list[Row]:
    weights = ctx["weights"]
    points = component_points(d, weights, ctx["components"])
    rows = []
    for cid in ctx["components"]:
        value = component_value(d, cid)
        note = milestone_text(d.milestones.get(cid)) if cid in ctx["milestones"] else None
        rows.append([text.COMPONENT_LABELS[cid], value, weights.get(cid), points[cid],
                     text.NOT_SCORED if value is None else note])
    return rows


def _unit_header(d: DistrictResult, ctx: Mapping[str, Any]) -> str:
    """单位、评估日期、得分、等级、排名 on one line."""
    total = ctx.get("unit_count")
    rank_text = text.RANK_OF.format(rank=d.rank, total=total) if total else text.RANK_ONLY.format(rank=d.rank)
    return text.UNIT_HEADER.format(district=d.name, as_of=_date(ctx.get("as_of")), score=f"{d.score:.2f}",
                                   grade=d.grade, rank=rank_text)


def _write_district(ws: Sheet, d: DistrictResult, ctx: Mapping[str, Any]) -> None:
    """Header line (unit, as-of, score, grade, rank), one row per gap with its remedy, components."""
    top = banner(ws, _unit_title(d, text.GAP_TITLE), _warning(ctx))
    put(ws, top, 1, _unit_header(d, ctx), boxed=False).font = LABEL_FONT
    put(ws, top + 1, 1, text.ABOUT["points_text"], boxed=False)
    header_row = top + 3  # a blank row between the note and the table
    gap_rows = [_gap_row(g, remedy=True) for g in d.gaps]
    last = write_table(ws, header_row, GAP_HEADERS + [H["remedy"]], gap_rows or [[text.NO_GAPS]],
                       formats={5: INTEGER}, wrap=(1, 2, 3, 8))
    write_table(ws, last + 2, COMPONENT_HEADERS, _component_rows(d, ctx),
                formats={1: PERCENT, 2: INTEGER, 3: SCORE}, wrap=(0, 4))
    fit_columns(ws, first_row=header_row, caps=UNIT_SHEET_CAPS)
    wrap_prose(ws, top + 1, len(GAP_HEADERS) + 1)
    setup_page(ws, header_row)


def _date(value: Any) -> Any:
    """An ISO date (or datetime text) as printed: '2026-12-01' → '2026年12月1日'; others unchanged."""
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, str) and len(value) >= 10:
        return _iso_text(value)
    return value


@functools.lru_cache(maxsize=8192)
def _iso_text(value: str) -> str:
    try:
        return date_text(dt.date.fromisoformat(value[:10]))
    except ValueError:
        return value


def _write_about(ws: Sheet, ev: Evaluation, ctx: Mapping[str, Any]) -> None:
    a = text.ABOUT
    r = banner(ws, text.REPORT_TITLE, _warning(ctx))
    first = r
    facts = [(a["as_of"], _date(ev.as_of)),
             (a["window"], a["window_value"].format(since=_date(ev.since), as_of=_date(ev.as_of))),
             (a["unit_count"], len(ev.districts))]
    for label, value in facts:
        put(ws, r, 1, label).font = LABEL_FONT
        put(ws, r, 2, value)
        r += 1
    if any(d.calendar_estimated for d in ev.districts):
        put(ws, r, 1, a["calendar_estimated"], boxed=False)
        r += 1
    weights = ctx["weights"]
    put(ws, r + 1, 1, a["definitions"], boxed=False).font = LABEL_FONT
    r = write_table(ws, r + 2, [H["component"], H["weight"], H["definition"]],
                    [[text.COMPONENT_LABELS[c], weights.get(c), text.DEFINITIONS[c]] for c in ctx["components"]],
                    formats={1: INTEGER}, wrap=(2,))
    for line in (a["score_text"], a["none_text"], a["points_text"]):
        r += 1
        put(ws, r, 1, line, boxed=False)
    r += 1
    put(ws, r, 1, a["grades"], boxed=False).font = LABEL_FONT
    bands = ctx["rules"].get("grades") or []
    for i, band in enumerate(bands):
        r += 1
        put(ws, r, 1, band["name"]).fill = ctx["fills"][band["name"]]
        line = (a["grade_band_below"].format(name=band["name"], upper=bands[i - 1]["min_score"])
                if i and i == len(bands) - 1 and not band["min_score"] else
                a["grade_band"].format(name=band["name"], min_score=band["min_score"]))
        put(ws, r, 2, line, boxed=False)
    r += 1
    put(ws, r, 1, a["ties_text"], boxed=False)
    fit_columns(ws, first_row=first, max_width=50, caps={3: 60})
    setup_page(ws, None)
    # the long prose lines would run past the page edge: each wraps across the table's three
    # columns (merged), with the row height its text needs
    prose = {a["score_text"], a["none_text"], a["points_text"], a["ties_text"]}
    for row in [r for (r, c), cell in ws.cells.items() if c == 1 and cell.value in prose]:
        wrap_prose(ws, row, 3)


def _write_sources(ws: Sheet, ev: Evaluation, ctx: Mapping[str, Any]) -> None:
    """The internal annex: rules version and every data source of this evaluation with its load
    time. A catalog published after the evaluation date was not a source of it and is left out."""
    a = text.ABOUT
    r = banner(ws, a["sources_title"], _warning(ctx))
    first = r
    for label, value in ((a["as_of"], _date(ev.as_of)), (a["rules_version"], ctx.get("rules_version"))):
        put(ws, r, 1, label).font = LABEL_FONT
        put(ws, r, 2, value)
        r += 1
    put(ws, r, 1, a["sources_note"], boxed=False)
    note_row = r
    as_of = ev.as_of.isoformat()
    sources = [s for s in ctx.get("sources") or []
               if not (s["published_on"] and str(s["published_on"])[:10] > as_of)]
    rows = [[s["district"], text.SOURCE_KINDS.get(s["kind"], s["kind"]), s["source"],
             stamp(s["loaded_at"]), _date(s["published_on"]), s["document_no"]] for s in sources]
    write_table(ws, r + 2, [H["district"], H["source_kind"], H["source"], H["loaded_at"],
                            H["published_on"], H["document_no"]], rows or [[text.ABOUT["no_sources"]]],
                wrap=(2,))
    fit_columns(ws, first_row=first, max_width=50, caps={1: 14, 3: 50})
    wrap_prose(ws, note_row, 6)
    setup_page(ws, r + 2)


def _table_sheet(wb: Book, key: str, title: str, ctx: Mapping[str, Any], headers: Sequence[str],
                 rows: list[Row], formats: dict[int, str], grade_col: int | None = None,
                 wrap: Sequence[int] = (), max_rows: int = EXCEL_MAX_ROWS,
                 max_width: int = MAX_WIDTH, caps: Mapping[int, int] | None = None,
                 note: str | None = None) -> Sheet:
    """A titled table sheet; rows past the sheet's row limit are cut, with a red note saying so.
    `note` is a plain line between the title and the table (e.g. how 折算得分 is computed)."""
    ws = wb.create_sheet(text.SHEETS[key])
    room = max_rows - 4 - (note is not None)  # title, two warning lines, [note], header
    cut = text.TRUNCATED.format(shown=room, total=len(rows)) if len(rows) > room else None
    header_row = banner(ws, title, _warning(ctx), cut)
    if note is not None:
        put(ws, header_row, 1, note, boxed=False)
        header_row += 1
    write_table(ws, header_row, headers, rows[:room], formats, wrap)
    if grade_col is not None:
        fill_grades(ws, grade_col, ctx["fills"])
    fit_columns(ws, first_row=header_row, max_width=max_width, caps=caps)
    if note is not None:
        wrap_prose(ws, header_row - 1, len(headers))
    setup_page(ws, header_row)
    return ws


@gc_paused
def build_report_workbook(evaluation: Evaluation, context: Mapping[str, Any]) -> bytes:
    """The circulated report: 排名, 分项得分, 问题清单, 里程碑 [, 人工核查与加减分] (+ one sheet per unit
    if asked), then 说明 and the data-source annex.

    Reads `evaluation` and `context` (module docstring); returns .xlsx bytes.
    """
    ev = evaluation
    ctx = _resolve(ev.rules_version, context)
    as_of = ev.as_of
    ctx.setdefault("as_of", as_of.isoformat())
    ctx.setdefault("unit_count", len(ev.districts))
    districts = _ordered(ev.districts)
    title = text.REPORT_SHEET_TITLE.format(title=text.REPORT_TITLE, as_of=_date(ctx["as_of"]))
    wb = new_workbook()  # opens on 排名, the first sheet; 说明 and the data-source annex come last

    ratios, milestones = ctx["ratios"], ctx["milestones"]
    ranking = [[d.rank, d.name, d.kind, d.score, d.grade]
               + [_or_mark(component_value(d, c)) for c in ratios] + [milestone_text(d.milestones.get(m))
                                                                     for m in milestones]
               for d in districts]
    _table_sheet(wb, "ranking", title, ctx,
                 [H["rank"], H["district"], H["kind"], H["score"], H["grade"]]
                 + [text.COMPONENT_LABELS[c] for c in ratios + milestones], ranking,
                 {0: INTEGER, 3: SCORE, **{5 + i: PERCENT for i in range(len(ratios))}}, grade_col=4,
                 caps={**RANKING_CAPS, **{6 + len(ratios) + i: MILESTONE_CAP for i in range(len(milestones))}})

    parts = [[d.name, *row] for d in districts for row in _component_rows(d, ctx)]
    _table_sheet(wb, "components", title, ctx, [H["district"]] + COMPONENT_HEADERS, parts,
                 {2: PERCENT, 3: INTEGER, 4: SCORE}, note=text.ABOUT["points_text"])

    gaps = [[d.name, *_gap_row(g)] for d in districts for g in d.gaps]
    # titles and sentences wrap at 40 so the sheet still prints legibly on A4 landscape
    _table_sheet(wb, "gaps", title, ctx, [H["district"]] + GAP_HEADERS, gaps, {6: INTEGER},
                 wrap=(0, 1, 2, 3, 4, 5), max_width=40, caps=GAP_SHEET_CAPS)

    miles = [_milestone_row(d, m) for d in districts for m in milestones]
    _table_sheet(wb, "milestones", title, ctx,
                 [H["district"], H["milestone"], H["status"], H["date"], H["days_late"]], miles,
                 {4: INTEGER})

    manual = [row for d in districts for row in manual_rows(d)]
    if manual:  # only when a finding, veto or bonus exists (DESIGN §12)
        _table_sheet(wb, "manual", title, ctx, list(text.MANUAL_HEADERS.values()), manual, {},
                     wrap=(2, 5, 6), max_width=40)

    if ctx.get("per_district_sheets"):
        for d in districts:
            _write_district(wb.create_sheet(_sheet_name(d.name)), d, ctx)
    _write_about(wb.create_sheet(text.SHEETS["about"]), ev, ctx)
    _write_sources(wb.create_sheet(text.SHEETS["sources"]), ev, ctx)
    return finish_workbook(wb, as_of, text.REPORT_TITLE)  # opens on the first sheet, 排名


def manual_rows(d: DistrictResult) -> list[Row]:
    """The 人工核查与加减分 rows of one unit: each finding in force (with its evidence), each veto
    that holds and each bonus item, with its reason (texts from the evaluation)."""
    from ui_text.manual import BONUS_LABELS, EVIDENCE_FILE, MANUAL_LABELS, VETO_LABELS

    k = text.MANUAL_KINDS
    rows: list[Row] = []
    for f in d.findings:
        evidence = f.evidence_url or (
            EVIDENCE_FILE.format(path=f.evidence_file, sha=f.evidence_sha256) if f.evidence_file else None)
        label = MANUAL_LABELS.get(f.indicator) or BONUS_LABELS.get(f.indicator, f.indicator)
        rows.append([d.name, k["finding"], label, f.value_text, _date(f.applies_from), f.note, evidence])
    for v in d.vetoes:
        rows.append([d.name, k["veto"], VETO_LABELS.get(v.id, v.id), None, None, v.reason, None])
    for b in d.bonus.items:
        rows.append([d.name, k["bonus"], BONUS_LABELS.get(b.id, b.id), b.points, None, b.reason, None])
    return rows


def _milestone_row(d: DistrictResult, cid: str) -> Row:
    m = d.milestones[cid]
    return [d.name, text.COMPONENT_LABELS[cid], text.STATUS_LABELS[m.status], _date(m.date), m.days_late]


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]


@gc_paused
def build_gap_workbook(district: DistrictResult, context: Mapping[str, Any]) -> bytes:
    """One unit's own gap list (区县自查 download): header block, gaps with remedies, components,
    and a 待公开事项 sheet when the unit has pending disclosures.

    `context["as_of"]` (ISO date) is required: raises KeyError without it.
    """
    d = district
    as_of = dt.date.fromisoformat(str(context["as_of"])[:10])
    context = _resolve(context.get("rules_version"), context)
    wb = new_workbook()
    _write_district(wb.create_sheet(text.SHEETS["gaps"]), d, context)
    manual = manual_rows(d)
    if manual:  # the unit's own findings with evidence, vetoes and bonus (DESIGN §12)
        _table_sheet(wb, "manual", _unit_title(d, text.SHEETS["manual"]), context,
                     list(text.MANUAL_HEADERS.values()), manual, {}, wrap=(2, 5, 6), max_width=40)
    if d.pending:
        # the 区县自查 page's wording (reports.rows): 已逾期N个工作日 with 剩余工作日 blank, 未到期,
        # 无工作日时限; dates printed the Chinese way
        dates = ("formed_on", "deadline")
        pending_rows = [[_date(r[k]) if k in dates else r[k] for k in finding_rows.PENDING_KEYS]
                        for r in map(finding_rows.pending_row, d.pending)]
        _table_sheet(wb, "pending", _unit_title(d, text.SHEETS["pending"]), context, PENDING_HEADERS,
                     pending_rows, {4: INTEGER}, wrap=(0,))
    return finish_workbook(wb, as_of, _unit_title(d, text.GAP_TITLE))


def round_workbook(con: duckdb.DuckDBPyConnection, round_id: int, revision: int | None = None,
                   codes: Iterable[str] | None = None, per_district_sheets: bool = False) -> bytes:
    """The Excel 评估通报 of a round, built from its stored evaluation and context (never
    recomputed): the same stored round gives the same bytes."""
    from scoring import rounds

    s = rounds.stored(con, round_id, revision)
    context = {**s["context"], "per_district_sheets": per_district_sheets}
    return build_report_workbook(Evaluation.from_json(s["evaluation"]).select(codes), context)
