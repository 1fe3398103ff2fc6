"""Decisions: pure functions from measurements and rules to component values, score, grade and rank.

No I/O, no clock reads: `as_of` is a column of the measurements. The functions are vectorised
over a frame with one row per (evaluation point, unit), so the evaluation (one point), the trend
(one point per quarter end) and what-if (one unit's measurements adjusted) share one code path.
Input columns: as_of, n_items, has_catalog, catalog_rows, filled_elements, covered_items,
disclosed_items, judged, on_time, policy_docs, synced, m2020_on, m2023_on (dates or None).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from scoring import manual
from scoring.rules import Rules
from scoring.vocabulary import MilestoneStatus as S

ELEMENTS_PER_ROW = 9
# Which measurement column holds each milestone's first-met date.
MILESTONE_DATE_COLUMNS = {"milestone_2020_09": "m2020_on", "milestone_2023_06": "m2023_on"}


def _floats(values: pd.Series) -> np.ndarray:
    """A measurement column as float64 (NaN for none, whatever its dtype)."""
    return values.to_numpy(dtype=float, na_value=np.nan)


def _ratio(num: np.ndarray, den: np.ndarray, when_empty: float) -> np.ndarray:
    """num / den, `when_empty` where den is 0 (NaN means not evaluated). On numpy arrays: the
    frames are 16 to 10⁵ rows and pandas' per-operation cost dominated the small ones."""
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), when_empty)


def milestone_outcomes(first_met: pd.Series, as_of: pd.Series, deadline: dt.date) -> pd.DataFrame:
    """status, date, days_late of one milestone per row.

    The date counts only when first met on or before as_of. on_time: date <= deadline
    (days_late 0); late: after it (days_late = calendar days after the deadline); missed: no date
    and as_of >= deadline (the deadline is the end of that day, so on the day itself an unmet
    milestone is missed); pending: no date and as_of < deadline (date and days_late None).
    """
    met, has, limit, status = _statuses(first_met, as_of, deadline)
    late = np.maximum((met - limit).astype("timedelta64[D]").astype("int64"), 0)
    return pd.DataFrame({
        "status": status,
        "date": [d if h else None for d, h in zip(met.astype(object), has.tolist(), strict=True)],
        "days_late": [int(n) if h else None for n, h in zip(late.tolist(), has.tolist(), strict=True)],
    }, index=first_met.index)


def _statuses(first_met: pd.Series, as_of: pd.Series,
              deadline: dt.date) -> tuple[np.ndarray, np.ndarray, np.datetime64, np.ndarray]:
    """(first met on or before as_of as datetime64[D], whether met, the deadline, the status) per row."""
    met = _days(first_met)
    when = _days(as_of)
    met = np.where(met <= when, met, np.datetime64("NaT"))  # NaT compares False: stays NaT
    has = ~np.isnat(met)
    limit = np.datetime64(deadline, "D")
    status = np.select([has & (met <= limit), has, when >= limit],
                       [S.ON_TIME.value, S.LATE.value, S.MISSED.value], default=S.PENDING.value)
    return met, has, limit, status


def milestone_statuses(first_met: pd.Series, as_of: pd.Series, deadline: dt.date) -> np.ndarray:
    """The status column of `milestone_outcomes` alone (no dates or days built)."""
    return _statuses(first_met, as_of, deadline)[3]


def _days(values: pd.Series) -> np.ndarray:
    """Dates (datetime.date, Timestamp, ISO text or None/NaN) as datetime64[D], NaT for none."""
    if values.dtype.kind == "M":
        return values.to_numpy().astype("datetime64[D]")
    plain = [None if v is None or (isinstance(v, float) and v != v) or v is pd.NaT else v
             for v in values.tolist()]
    try:
        return np.array(plain, dtype="datetime64[D]")
    except (TypeError, ValueError):  # anything numpy does not read as a date: pandas' reading
        return pd.to_datetime(pd.Series(plain, dtype=object), errors="coerce").to_numpy().astype("datetime64[D]")


def component_values(m: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One column per component id; NaN where the component is not evaluated.

    Coverage and completeness are 0 without a catalog; timeliness and interpretation_sync are NaN
    when nothing is judged; milestones map on_time/late/missed to their rule values, pending NaN.
    """
    return pd.DataFrame(component_arrays(m, rules), index=m.index)


def component_arrays(m: pd.DataFrame, rules: Rules) -> dict[str, np.ndarray]:
    """`component_values` as {component id: float64 array}, in rules order (no frame built)."""
    n_items = _floats(m["n_items"])
    cols: dict[str, np.ndarray] = {
        "catalog_coverage": _ratio(_floats(m["covered_items"]), n_items, np.nan),
        "element_completeness": _ratio(_floats(m["filled_elements"]), _floats(m["catalog_rows"]) * ELEMENTS_PER_ROW,
                                       0.0),
        "disclosure_coverage": _ratio(_floats(m["disclosed_items"]), n_items, np.nan),
        "timeliness": _ratio(_floats(m["on_time"]), _floats(m["judged"]), np.nan),
        "interpretation_sync": _ratio(_floats(m["synced"]), _floats(m["policy_docs"]), np.nan),
    }
    values = rules.milestone_values
    for ms, deadline in rules.milestones.items():
        status = milestone_statuses(m[MILESTONE_DATE_COLUMNS[ms]], m["as_of"], deadline)
        cols[ms] = np.array([values.get(str(v), np.nan) for v in status.tolist()], dtype=float)
    cols.update(manual.component_arrays(m, rules.manual))  # kind manual
    return {c: cols[c] for c in rules.component_ids}


def scores(components: pd.DataFrame, rules: Rules) -> pd.Series:
    """100 × Σ w·v / Σ w over the components that are not NaN, rounded to 2 decimals."""
    cols = {c: components[c].to_numpy(dtype=float) for c in components.columns}
    return pd.Series(score_array(cols, rules), index=components.index)


def score_array(components: dict[str, np.ndarray], rules: Rules) -> np.ndarray:
    """`scores` on {component id: float64 array}. The sums run over a (rows × components) array
    laid out as pandas' row sums over a frame are (column-major), so every bit of every score is
    the same as summing the frame's rows."""
    weights = np.array([rules.weights[c] for c in components], dtype=float)
    values = np.vstack(list(components.values())) if components else np.empty((0, 0))
    present = ~np.isnan(values)
    num = (np.where(present, values, 0.0) * weights[:, None]).T.sum(axis=1)
    den = (present * weights[:, None]).T.sum(axis=1)
    raw = np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), 0.0)
    return np.round(raw, 2)


def grades(score: pd.Series, rules: Rules) -> pd.Series:
    """The grade name of each (rounded) score from the rules' bands."""
    return pd.Series(grade_array(score.to_numpy(dtype=float), rules), index=score.index, dtype=object)


def grade_array(score: np.ndarray, rules: Rules) -> np.ndarray:
    """`grades` on a float64 array (an object array of names)."""
    bands = rules.grades
    names = np.select([score >= b.min_score for b in bands], [b.name for b in bands],
                      default=bands[-1].name)
    return names.astype(object)


def ranks(score: pd.Series, group: pd.Series | None = None) -> pd.Series:
    """Competition ranks by score descending within each group: 1, 2, 2, 4."""
    if group is None or (len(group) > 0 and bool((group == group.iloc[0]).all())):  # one group: no groupby
        return score.rank(method="min", ascending=False).astype(int)
    return score.groupby(group).rank(method="min", ascending=False).astype(int)


def rank_among(score: float, others: pd.Series) -> int:
    """The rank `score` would have next to `others` (the other units' scores)."""
    return int((others > score).sum()) + 1


def score_frame(m: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One column per component (rules order), `weighted_score` (their weighted mean), the bonus
    columns (`bonus__<id>`, `bonus_points`), the veto flags (`veto__<id>`) and the final `score` and
    `grade` after bonus and vetoes (scoring.manual), per row of measurements."""
    comps = component_arrays(m, rules)
    weighted = score_array(comps, rules)
    statuses = {t: milestone_statuses(m[MILESTONE_DATE_COLUMNS[t]], m["as_of"], rules.milestones[t])
                for v in rules.manual.vetoes if v.condition == "milestone_missed" and (t := v.target) is not None}
    bonus = manual.bonus_arrays(m, rules.manual)
    flags = manual.veto_arrays(m, comps, statuses, rules.manual)
    score = manual.adjusted_score_array(weighted, bonus[manual.BONUS_COLUMN], flags, rules.manual)
    grade = manual.capped_grade_array(grade_array(score, rules), flags, rules.manual, rules.grade_names)
    # One frame from arrays: pandas' per-operation cost on 16-row frames was most of deciding.
    return pd.DataFrame({**comps, "weighted_score": weighted, **bonus, **flags, "score": score, "grade": grade},
                        index=m.index)


def decide(m: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """The measurements plus one column per component, weighted score, bonus, vetoes, score,
    grade and rank (per as_of)."""
    out = pd.concat([m, score_frame(m, rules)], axis=1)
    out["rank"] = ranks(out["score"], out["as_of"])
    return out
