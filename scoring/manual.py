"""Pure decisions of the manual part (DESIGN §12): manual indicator values, bonus points, vetoes.

Vectorised over the decided frame (one row per evaluation point × unit), like scoring.decide, so
the evaluation, the trend and what-if share them. The frame carries each finding's raw value in
a `manual__<id>` column (NaN: no finding in force = 未核查). Order of application, after the
weighted score: bonus (each item at most its max_points, their sum at most bonus_total.cap;
the score never above 100), then every veto whose condition holds (score caps lower the score,
then the grade comes from the score, then grade caps lower the grade). No I/O.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from scoring import findings
from scoring.findings import VALUE_PREFIX
from scoring.manual_rules import ManualRules
from scoring.result_rows import Bonus, BonusItem, Finding, Gap, Veto
from scoring.vocabulary import GapCategory
from ui_text import manual as text

MAX_SCORE = 100.0
BONUS_COLUMN = "bonus_points"
VETO_PREFIX = "veto__"
BONUS_PREFIX = "bonus__"
VETO_RULE_COMPONENT = {"no_catalog": "catalog_coverage"}  # conditions without a target id


def component_values(m: pd.DataFrame, manual: ManualRules) -> pd.DataFrame:
    """One column per manual indicator: yes/no 1/0, points value/max_points; NaN = 未核查."""
    return pd.DataFrame(component_arrays(m, manual), index=m.index)


def component_arrays(m: pd.DataFrame, manual: ManualRules) -> dict[str, np.ndarray]:
    """`component_values` as {indicator id: float64 array} (no frame built)."""
    out: dict[str, np.ndarray] = {}
    for ind in manual.indicators:
        col = f"{VALUE_PREFIX}{ind.id}"
        values = (np.full(len(m), np.nan) if col not in m
                  else pd.to_numeric(m[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan))
        out[ind.id] = np.clip(values / ind.max_points, 0.0, 1.0)
    return out


def bonus_arrays(m: pd.DataFrame, manual: ManualRules) -> dict[str, np.ndarray]:
    """`bonus__<id>` (each item's points, at most its max, 0 without a finding) and
    `bonus_points` (their sum, at most the total cap), as float64 arrays."""
    out: dict[str, np.ndarray] = {}
    for b in manual.bonuses:
        col = f"{VALUE_PREFIX}{b.id}"
        values = (np.full(len(m), np.nan) if col not in m
                  else pd.to_numeric(m[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan))
        out[f"{BONUS_PREFIX}{b.id}"] = np.clip(np.where(np.isnan(values), 0.0, values), 0.0, b.max_points)
    # Summed as pandas sums a frame's rows (a column-major rows × items array), bit for bit.
    total = np.vstack(list(out.values())).T.sum(axis=1) if out else np.zeros(len(m))
    out[BONUS_COLUMN] = np.minimum(total, manual.bonus_cap if manual.bonuses else 0.0)
    return out


def veto_arrays(m: pd.DataFrame, comps: Mapping[str, np.ndarray], statuses: Mapping[str, np.ndarray],
                manual: ManualRules) -> dict[str, np.ndarray]:
    """`veto__<id>` True where the veto's condition holds: no effective catalog as of as_of,
    a milestone whose status is missed, or a manual indicator whose finding is 0 (否 / 0 points)."""
    out: dict[str, np.ndarray] = {}
    for v in manual.vetoes:
        if v.condition == "no_catalog":
            flag = ~m["has_catalog"].fillna(False).astype(bool).to_numpy(dtype=bool)
        elif v.condition == "milestone_missed":
            flag = np.asarray(statuses[v.target or ""]) == "missed"
        else:  # manual_failed
            assert v.target is not None
            values = comps[v.target]
            flag = ~np.isnan(values) & (values <= 0)
        out[f"{VETO_PREFIX}{v.id}"] = flag.astype(bool)
    return out


def adjusted_score_array(weighted: np.ndarray, bonus: np.ndarray, flags: Mapping[str, np.ndarray],
                         manual: ManualRules) -> np.ndarray:
    """min(100, weighted + bonus), lowered by the score cap of every veto that holds; 2 dp."""
    score = np.minimum(weighted + bonus, MAX_SCORE)
    for v in manual.vetoes:
        if v.score_cap is not None:
            score = np.where(flags[f"{VETO_PREFIX}{v.id}"], np.minimum(score, v.score_cap), score)
    rounded: np.ndarray = np.round(score, 2)
    return rounded


def capped_grade_array(grade: np.ndarray, flags: Mapping[str, np.ndarray], manual: ManualRules,
                       grade_names: tuple[str, ...]) -> np.ndarray:
    """Each grade lowered to the grade cap of every veto that holds (names best first); an
    object array of names."""
    rank = {name: i for i, name in enumerate(grade_names)}
    order = np.array([rank[g] for g in grade.tolist()], dtype=np.int64)
    for v in manual.vetoes:
        if v.grade_cap is not None:
            order = np.where(flags[f"{VETO_PREFIX}{v.id}"], np.maximum(order, rank[v.grade_cap]), order)
    return np.array(grade_names, dtype=object)[order] if len(order) else np.array([], dtype=object)


# ── Explanations (per unit, in words) ──

def _num(value: float) -> str:
    return f"{value:g}"


def _finding(f: Mapping[str, Any], manual: ManualRules) -> Finding:
    kind = "bonus" if f["indicator"] in manual.bonus_ids else "manual"
    return Finding(int(f["finding_id"]), f["indicator"], kind, float(f["value"]), f["value_text"],
                   f["applies_from"], f.get("note"), f.get("evidence_url"), f.get("evidence_file"),
                   f.get("evidence_sha256"), f["recorded_by"], f["recorded_at"])


def _particulars(f: Mapping[str, Any] | None) -> str:
    """'说明：…。佐证：…。' of a finding (empty without one)."""
    if not f:
        return ""
    parts = []
    if f.get("note"):
        parts.append(text.NOTE_PART.format(note=f["note"]))
    evidence = findings.evidence_text(dict(f))
    if evidence:
        parts.append(text.EVIDENCE_PART.format(evidence=evidence))
    return "".join(parts)


@dataclass(frozen=True)
class ManualPart:
    """The manual part of one unit's result (DESIGN §12)."""
    findings: tuple[Finding, ...]   # in force on as_of
    vetoes: tuple[Veto, ...]        # that hold
    bonus: Bonus
    gaps: tuple[Gap, ...]           # manual indicators below full marks, vetoes that hold


def explain_unit(row: Mapping[str, Any], in_force: Sequence[Mapping[str, Any]], manual: ManualRules,
                 milestone_labels: Mapping[str, str]) -> ManualPart:
    """The manual part of one unit's result from its decided row and its findings in force."""
    by_id = {f["indicator"]: f for f in in_force}
    gaps: list[Gap] = []
    for ind in manual.indicators:
        f = by_id.get(ind.id)
        if f is None or float(f["value"]) >= ind.max_points:
            continue
        detail = text.GAP_MANUAL.format(label=findings.label(ind.id), value=f["value_text"], on=f["applies_from"],
                                        full=text.YES if ind.scale == "yes_no" else text.POINTS.format(n=_num(ind.max_points)))
        gaps.append(_gap(GapCategory.MANUAL, ind.id, detail + _particulars(f), findings.label(ind.id)))
    vetoes: list[Veto] = []
    for v in manual.vetoes:
        if not bool(row.get(f"{VETO_PREFIX}{v.id}")):
            continue
        target = milestone_labels.get(v.target or "", v.target or "") if v.condition == "milestone_missed" \
            else findings.label(v.target or "")
        effects = [text.VETO_EFFECT_TEXT["grade_cap"].format(grade=v.grade_cap)] if v.grade_cap else []
        if v.score_cap is not None:
            effects.append(text.VETO_EFFECT_TEXT["score_cap"].format(score=_num(v.score_cap)))
        reason = text.VETO_REASON.format(label=text.VETO_LABELS.get(v.id, v.id),
                                         condition=text.VETO_CONDITION_TEXT[v.condition].format(label=target),
                                         effects=text.EFFECT_SEPARATOR.join(effects))
        if v.condition == "manual_failed":
            reason += _particulars(by_id.get(v.target or ""))
        vetoes.append(Veto(v.id, reason))
        # The gap's rule is the component the veto is about (no_catalog: the catalog's coverage).
        gaps.append(_gap(GapCategory.VETO, v.target or VETO_RULE_COMPONENT[v.condition], reason,
                         text.VETO_LABELS.get(v.id, v.id)))
    items: list[BonusItem] = []
    for b in manual.bonuses:
        f = by_id.get(b.id)
        points = float(row.get(f"{BONUS_PREFIX}{b.id}") or 0.0)
        if f is None or points <= 0:
            continue
        template = text.BONUS_REASON_CLIPPED if float(f["value"]) > b.max_points else text.BONUS_REASON
        reason = template.format(label=findings.label(b.id), value=f["value_text"], points=_num(points),
                                 on=f["applies_from"]) + _particulars(f)
        items.append(BonusItem(b.id, round(points, 2), reason))
    total = round(float(row.get(BONUS_COLUMN) or 0.0), 2)
    raw_total = sum(i.points for i in items)
    if items and raw_total > total:
        last = items[-1]
        items[-1] = replace(last, reason=last.reason + text.BONUS_CAPPED.format(total=_num(raw_total),
                                                                              cap=_num(manual.bonus_cap)))
    return ManualPart(tuple(_finding(f, manual) for f in in_force), tuple(vetoes), Bonus(total, tuple(items)),
                      tuple(gaps))


def _gap(category: GapCategory, rule: str, detail: str, title: str) -> Gap:
    return Gap(category, None, title, detail, (), None, None, rule)
