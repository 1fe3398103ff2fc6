"""The circulated Word notice (通报) of an evaluation round, written with python-docx.

`summary(evaluation, grades)` computes the figures the body states (units, mean score, units
per grade, milestone statuses, the most frequent gap categories with an example each);
`build_notice(evaluation, round_header, context)` writes the document: title
关于…保障性住房领域基层政务公开工作评估情况的通报, 文号, addressees, 总体情况 / 主要问题 / 下一步要求,
issuer and date, annex 1 the ranking table, annex 2 each unit's problem list. A4 with official-
document margins, 仿宋 body, 黑体 headings, 小标宋 title (East Asian font set through rPr/rFonts),
a PAGE field in the footer. Pure: reads only its arguments; the same input gives the same bytes
(zip entries and core properties are stamped with the round's date). `round_notice(con, id)` builds
it from a round's stored evaluation (scoring.rounds), never from a live one.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from scoring.evaluation import DistrictResult, Evaluation
from scoring.vocabulary import MilestoneStatus
from ui_text import manual as MANUAL_TEXT
from ui_text.access import (
    NOTICE,
    NOTICE_DATE,
    NOTICE_FONT_FALLBACK,
    NOTICE_FONTS,
    NOTICE_LIST_SEPARATOR,
    NOTICE_NOT_EVALUATED,
    NOTICE_NUMERALS,
    NOTICE_PROBLEM_HEADERS,
    NOTICE_RANKING_HEADERS,
)
from ui_text.scoring import COMPONENT_LABELS, GAP_CATEGORY_LABELS

T = NOTICE
BODY_FONT, HEADING_FONT, TITLE_FONT, TABLE_FONT = (NOTICE_FONTS[k] for k in ("body", "heading", "title", "table"))
FALLBACK = NOTICE_FONT_FALLBACK
BODY_PT, TITLE_PT, TABLE_PT = 16, 22, 10.5        # 三号, 二号, 五号
RECTIFICATION_DAYS = 30                            # fallback only; rounds pass the tasks' deadline
TOP_PROBLEMS = 5
RANKING_COMPONENTS = ("catalog_coverage", "element_completeness", "disclosure_coverage", "timeliness")


def _grade_names(context: Mapping[str, Any], districts: Sequence[DistrictResult]) -> list[str]:
    rules = context.get("rules") or {}
    names = [g["name"] for g in rules.get("grades", [])]
    return names or list(dict.fromkeys(d.grade for d in districts))


def milestone_ids(districts: Sequence[DistrictResult]) -> list[str]:
    """The milestones of an evaluation, in its order (a stored round says which rules it was made
    with; the current rules file may say otherwise)."""
    return list(districts[0].milestones) if districts else []


def _ranked(evaluation: Evaluation) -> list[DistrictResult]:
    return sorted(evaluation.districts, key=lambda d: (d.rank, d.code))


def summary(evaluation: Evaluation, grades: Sequence[str]) -> dict[str, Any]:
    """The figures of the notice's body: units, mean score (2 decimals), {grade: count} in band
    order, {milestone: {status: count}}, the total gap count and up to five most frequent gap
    categories [{category, count, units, unit, example}] (example: the first gap of the unit with
    most gaps of that category)."""
    districts = list(evaluation.districts)
    scores = [d.score for d in districts]
    counts = Counter(d.grade for d in districts)
    milestones = {m: Counter(d.milestones[m].status for d in districts) for m in milestone_ids(districts)}
    per_category: dict[str, Counter[str]] = {}
    first: dict[tuple[str, str], str] = {}
    for d in districts:
        for g in d.gaps:
            per_category.setdefault(g.category, Counter())[d.name] += 1
            first.setdefault((g.category, d.name), g.detail)
    problems = []
    for category, units in sorted(per_category.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:TOP_PROBLEMS]:
        unit = max(units, key=lambda u: units[u])  # ties: the first in ranking order
        problems.append({"category": category, "count": sum(units.values()), "units": len(units),
                         "unit": unit, "example": first[(category, unit)]})
    return {"units": len(districts), "mean": round(sum(scores) / len(scores), 2) if scores else 0.0,
            "grades": {g: counts.get(g, 0) for g in grades},
            "milestones": {m: {s: c.get(s, 0) for s in MilestoneStatus} for m, c in milestones.items()},
            "total_gaps": sum(sum(u.values()) for u in per_category.values()), "problems": problems}


def ranking_rows(evaluation: Evaluation) -> list[list[str]]:
    """Annex 1 as text cells: rank, unit, score (2 decimals), grade, four component percentages
    (of the values as the evaluation JSON states them, 4 decimals)."""
    rows = []
    for d in _ranked(evaluation):
        cells = [str(d.rank), d.name, f"{d.score:.2f}", d.grade]
        for c in RANKING_COMPONENTS:
            v = d.components[c]
            cells.append(NOTICE_NOT_EVALUATED if v is None else f"{100 * round(v, 4):.1f}%")
        rows.append(cells)
    return rows


def _cn_date(day: dt.date) -> str:
    return NOTICE_DATE.format(year=day.year, month=day.month, day=day.day)


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FALLBACK.get(name, name)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), FALLBACK.get(name, name))
    fonts.set(qn("w:hAnsi"), FALLBACK.get(name, name))


def _para(doc: Any, text: str, font: str = BODY_FONT, size: float = BODY_PT, *, bold: bool = False,
          align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, space_after: float = 0) -> Any:
    p = doc.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # fixed 28 pt: 22 lines per A4 page, as official documents set
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold)
    return p


def _page_number(section: Any) -> None:
    """— PAGE — centred in the footer (a field Word fills in on every page)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = T["page_number"].split("{page}")
    _font(p.add_run(before), TABLE_FONT, 14)
    run = p.add_run()
    _font(run, TABLE_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)
    _font(p.add_run(after), TABLE_FONT, 14)


def _table(doc: Any, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Any:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_PT)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            _font(cell.paragraphs[0].add_run(str(text)), TABLE_FONT, TABLE_PT)
    table.autofit = False
    for col, width in zip(table.columns, widths):  # the grid (LibreOffice) and every cell (Word)
        col.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    # the header row repeats on every page of a long table
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    return table


def _setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = FALLBACK[BODY_FONT]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_number(section)


def _body(doc: Any, ev: Evaluation, header: Mapping[str, Any], s: Mapping[str, Any],
          day: dt.date, deadline: dt.date) -> None:
    as_of, since = ev.as_of, ev.since
    _para(doc, T["opening"].format(as_of=_cn_date(as_of), since=_cn_date(since)))
    _para(doc, T["h_overall"], HEADING_FONT)
    grades = NOTICE_LIST_SEPARATOR.join(T["grade_count"].format(grade=g, count=c) for g, c in s["grades"].items())
    _para(doc, T["overall"].format(units=s["units"], mean=f"{s['mean']:.2f}", grades=grades))
    for m, c in s["milestones"].items():
        pending = T["milestone_pending"].format(count=c["pending"]) if c["pending"] else ""
        _para(doc, T["milestone"].format(label=COMPONENT_LABELS[m], on_time=c["on_time"], late=c["late"],
                                         missed=c["missed"], pending=pending))
    ranked = _ranked(ev)
    lowest = list(s["grades"])[-1] if s["grades"] else None  # the lowest band of the round's rules
    failing = [d.name for d in ranked if d.grade == lowest]
    _para(doc, T["top_units"].format(
        names=NOTICE_LIST_SEPARATOR.join(d.name for d in ranked[:3]),
        failing=T["failing"].format(names=NOTICE_LIST_SEPARATOR.join(failing)) if failing else T["no_failing"]))
    adjustments = [(d.name, r) for d in ranked for r in
                   [v.reason for v in d.vetoes] + [b.reason for b in d.bonus.items]]
    if adjustments:  # DESIGN §12: every veto and bonus with its reason (and evidence)
        _para(doc, MANUAL_TEXT.NOTICE_ADJUSTMENTS)
        for unit, reason in adjustments:
            _para(doc, MANUAL_TEXT.NOTICE_LINE.format(unit=unit, reason=reason))
    _para(doc, T["h_problems"], HEADING_FONT)
    if s["problems"]:
        _para(doc, T["problems_intro"].format(total=s["total_gaps"]))
        for no, p in enumerate(s["problems"], start=1):
            _para(doc, T["problem"].format(no=_chinese_number(no), label=GAP_CATEGORY_LABELS.get(p["category"], p["category"]),
                                           count=p["count"], units=p["units"], unit=p["unit"], example=p["example"]))
    else:
        _para(doc, T["no_problems"])
    _para(doc, T["h_requirements"], HEADING_FONT)
    _para(doc, T["requirement_1"].format(deadline=_cn_date(deadline)))
    _para(doc, T["requirement_2"])
    _para(doc, T["requirement_3"])
    _para(doc, "")
    for line in T["annex_list"].format(name=header["name"]).split("\n"):
        _para(doc, line)
    _para(doc, "")
    _para(doc, T["issuer"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, _cn_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _chinese_number(n: int) -> str:
    return NOTICE_NUMERALS[n] if n <= 10 else str(n)


def _annexes(doc: Any, ev: Evaluation, header: Mapping[str, Any]) -> None:
    doc.add_page_break()
    _para(doc, T["annex1"], HEADING_FONT, indent=False)
    _para(doc, T["annex1_title"].format(name=header["name"]), TITLE_FONT, 18,
          align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=6)
    _table(doc, NOTICE_RANKING_HEADERS, ranking_rows(ev), (1.2, 4.4, 1.5, 1.6, 1.9, 1.9, 1.9, 1.9))
    doc.add_page_break()
    _para(doc, T["annex2"], HEADING_FONT, indent=False)
    _para(doc, T["annex2_title"], TITLE_FONT, 18, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=6)
    for d in _ranked(ev):
        _para(doc, T["unit_heading"].format(rank=d.rank, unit=d.name, score=f"{d.score:.2f}", grade=d.grade),
              HEADING_FONT, 14, indent=False)
        for b in d.bonus.items:
            _para(doc, MANUAL_TEXT.NOTICE_UNIT_BONUS.format(reason=b.reason), size=14)
        if not d.gaps:
            _para(doc, T["unit_no_problems"], size=14)
            continue
        rows = [[str(i), GAP_CATEGORY_LABELS.get(g.category, g.category), g.item or "", g.detail]
                for i, g in enumerate(d.gaps, start=1)]
        _table(doc, NOTICE_PROBLEM_HEADERS, rows, (1.2, 2.8, 3.8, 8.4))


def _stamped(raw: bytes, day: dt.date) -> bytes:
    """Re-zip with every entry dated `day`, so the same round always gives the same file."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_notice(evaluation: Evaluation, round_header: Mapping[str, Any],
                 context: Mapping[str, Any] | None = None, deadline: dt.date | None = None) -> bytes:
    """The .docx bytes of the notice of one round (`round_header`: the `round` object of
    `round show`). The date is the circulation date (a draft: the as-of date); the rectification
    deadline defaults to that date + RECTIFICATION_DAYS calendar days (`round_notice` passes the
    tasks' working-day deadline instead)."""
    context = context or {}
    ev = evaluation
    on = round_header.get("circulated_on")
    day = dt.date.fromisoformat(on) if on else ev.as_of
    deadline = deadline or day + dt.timedelta(days=RECTIFICATION_DAYS)
    s = summary(ev, _grade_names(context, ev.districts))
    doc = Document()
    _setup(doc)
    title = T["title"].format(name=round_header["name"])
    _para(doc, title, TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=6)
    _para(doc, round_header.get("document_no") or T["draft_no"], align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
          space_after=12)
    _para(doc, T["addressees"], indent=False)
    _body(doc, ev, round_header, s, day, deadline)
    _annexes(doc, ev, round_header)
    props = doc.core_properties
    stamp = dt.datetime.combine(day, dt.time())
    props.title, props.author, props.last_modified_by = title, T["creator"], T["creator"]
    props.created, props.modified, props.revision = stamp, stamp, 1
    raw = io.BytesIO()
    doc.save(raw)
    return _stamped(raw.getvalue(), day)


def round_notice(con: Any, round_id: int, revision: int | None = None) -> bytes:
    """The notice of a stored round (scoring.rounds): its stored evaluation, never a live one. The
    rectification deadline is the one its tasks carry: `deadline_workdays` working days (the
    rules text stored with the round) after the circulation date (a draft: the as-of date)."""
    from scoring import rectification, rounds

    s = rounds.stored(con, round_id, revision)
    r = s["round"]
    day = r.circulated_on or r.as_of
    deadline = rectification.workday_after(con, day, rectification.settings(s["rules_text"]).deadline_workdays)
    return build_notice(Evaluation.from_json(s["evaluation"]), r.header(s["revision"]), s["context"], deadline)
