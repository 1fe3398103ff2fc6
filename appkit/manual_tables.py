"""The manual part of one unit's evaluation on a page (区县详情, 区县自查; DESIGN §12): the score
before and after bonus and vetoes, each veto and bonus item with its reason, and the findings in
force with their evidence. Tables only (never markdown), so notes and evidence addresses typed
by evaluators are shown as plain text."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from appkit.grids import static_table
from appkit.scope import evidence_download
from scoring import DistrictResult, findings
from ui_text import manual as T
from ui_text.evidence import EVIDENCE

ADJUSTMENT_COLUMNS = T.ADJUSTMENT_COLUMNS
FINDING_ORDER = ("indicator", "value", "applies_from", "note", "evidence", "recorded_by")


def adjustments_frame(district: DistrictResult) -> pd.DataFrame:
    """One row per veto that holds and per bonus item: 类别, 事项, 分值, 原因."""
    rows = [{"kind": T.SELF_CHECK["vetoes"], "label": T.VETO_LABELS.get(v.id, v.id), "points": "",
             "reason": v.reason} for v in district.vetoes]
    rows += [{"kind": T.SELF_CHECK["bonus"], "label": findings.label(i.id), "points": f"+{i.points:g}",
              "reason": i.reason} for i in district.bonus.items]
    return pd.DataFrame(rows, columns=list(ADJUSTMENT_COLUMNS)).rename(columns=ADJUSTMENT_COLUMNS)


def findings_frame(district: DistrictResult) -> pd.DataFrame:
    """The findings in force: 指标, 结果, 适用日期, 说明, 佐证, 核查人."""
    rows = [{"indicator": findings.label(f.indicator), "value": f.value_text,
             "applies_from": f.applies_from, "note": f.note or "",
             "evidence": findings.evidence_text(f.to_json()) or "", "recorded_by": f.recorded_by}
            for f in district.findings]
    return pd.DataFrame(rows, columns=list(FINDING_ORDER)).rename(
        columns={k: T.FINDING_COLUMNS[k] for k in FINDING_ORDER})


def show_manual(district: DistrictResult, key: str, db: Any = None) -> None:
    """The section 人工核查与加减分 of one unit (`key` prefixes the widget keys); with `db`, a
    download of each finding's kept evidence file (through the scope: the bureau, or the unit itself)."""
    st.subheader(T.SELF_CHECK["section"])
    weighted = district.score if district.weighted_score is None else district.weighted_score
    st.caption(T.SELF_CHECK["weighted"].format(weighted=f"{weighted:.2f}", bonus=f"{district.bonus.points:g}",
                                               score=f"{district.score:.2f}"))
    adjustments = adjustments_frame(district)
    if not adjustments.empty:
        static_table(adjustments)  # reasons and notes are sentences: a wrapping table shows them in full
    found = findings_frame(district)
    if found.empty:
        st.info(T.SELF_CHECK["none"])
    else:
        static_table(found)
    if db is not None:
        for f in district.findings:
            if f.evidence_file:
                label = EVIDENCE["finding"].format(label=findings.label(f.indicator), name=Path(f.evidence_file).name)
                evidence_download(db, "finding", f.finding_id, label, key=f"{key}_evidence_{f.finding_id}")
