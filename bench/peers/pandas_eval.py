"""A fair, complete pandas implementation of DESIGN §6 (the benchmark's pandas peer, issue #17).

It reads the same DuckDB tables `scoring.evaluate` reads (`read`, timed on its own) and computes in
plain pandas (`compute`): the effective catalog, all seven components, the score (weights, null
components left out), the vetoes that need no finding (no_catalog, milestone_missed), the grade,
the competition rank and the missing-item and overdue lists of every unit. Rules (weights, grade
bands, milestone deadlines and values, the policy/interpretation items, the sync window) come from
the same `scoring.rules.Rules` object, so both sides apply the same rules file.

Written the way a competent pandas user would: vectorised merges, groupbys and `.str` methods,
no Python loop over rows. Verified equal to `scoring.evaluate` (bench/peers/verify.py) before timing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from scoring.rules import Rules

ELEMENT_COLUMNS = ("level2", "content", "basis", "time_limit", "subject", "channels", "audience", "method",
                   "disclosure_level")
NAME_PATTERN = r"[《〈]([^《》〈〉]+)[》〉]"
EXTEND_YEARS = 25


@dataclass
class Tables:
    districts: pd.DataFrame
    items: pd.DataFrame
    calendar: pd.DataFrame
    catalogs: pd.DataFrame
    catalog_rows: pd.DataFrame
    disclosures: pd.DataFrame


def read(con: duckdb.DuckDBPyConnection) -> Tables:
    """The tables the evaluation reads, as DataFrames (only the columns it needs)."""
    q = lambda sql: con.execute(sql).df()  # noqa: E731
    return Tables(
        districts=q("SELECT code, name, sort_order FROM districts"),
        items=q("SELECT item_id, seq, level1, level2, level1_key, time_limit_workdays FROM standard_catalog"),
        calendar=q("SELECT day, is_workday, workday_no FROM calendar ORDER BY day"),
        catalogs=q("SELECT catalog_id, district_code AS code, published_on, document_no, load_seq, loaded_at "
                   "FROM district_catalogs"),
        catalog_rows=q(f"SELECT catalog_id, row_no, matched_item_id, {', '.join(ELEMENT_COLUMNS)} "
                       "FROM district_catalog_rows"),
        disclosures=q("SELECT district_code AS code, item_id, level1_key, title, formed_on, published_on "
                      "FROM disclosures"),
    )


def _extended_calendar(cal: pd.DataFrame) -> pd.DataFrame:
    """The calendar table plus Monday–Friday days 25 years each side, workday_no running on."""
    cal = cal.assign(day=pd.to_datetime(cal["day"]))
    lo, hi = cal["day"].min(), cal["day"].max()
    before = pd.DataFrame({"day": pd.date_range(lo - pd.DateOffset(years=EXTEND_YEARS), lo - pd.Timedelta(days=1))})
    before["is_workday"] = before["day"].dt.dayofweek < 5
    later = before["is_workday"][::-1].cumsum()[::-1] - before["is_workday"]  # working days after each, before lo
    before["workday_no"] = -later
    after = pd.DataFrame({"day": pd.date_range(hi + pd.Timedelta(days=1), hi + pd.DateOffset(years=EXTEND_YEARS))})
    after["is_workday"] = after["day"].dt.dayofweek < 5
    after["workday_no"] = int(cal["workday_no"].max()) + after["is_workday"].cumsum()
    return pd.concat([cal, before, after], ignore_index=True)


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """values[key] for each key (NaN/NaT where absent), keeping keys' index."""
    return pd.Series(values.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


def _deadlines(days: pd.Series, n: pd.Series, workday_no: pd.Series, workday_day: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(deadline, its workday_no) of each (day, n): the n-th working day strictly after day."""
    target = _lookup(days, workday_no) + n
    return _lookup(target, workday_day), target


def compute(t: Tables, as_of: dt.date, since: dt.date, rules: Rules) -> pd.DataFrame:
    """One row per unit: code, name, the seven components, weighted score, score, grade, rank,
    missing_items (list of '一级/二级'), overdue (list of (title, item, formed_on, published_on,
    workdays_late)). Ordered by rank, then code."""
    as_of_ts, since_ts = pd.Timestamp(as_of), pd.Timestamp(since)
    items = t.items
    n_items = len(items)
    units = t.districts[["code", "name"]].copy()

    # calendar and deadline(x, N)
    cal = _extended_calendar(t.calendar)
    workday_no = pd.Series(cal["workday_no"].to_numpy(), index=cal["day"])
    work = cal[cal["is_workday"]]
    workday_day = pd.Series(work["day"].to_numpy(), index=work["workday_no"].to_numpy())

    # effective catalog: latest start (publication, else load day) on or before as_of; ties to the later load
    cats = t.catalogs.assign(starts_on=pd.to_datetime(t.catalogs["published_on"]).fillna(
        pd.to_datetime(t.catalogs["loaded_at"]).dt.normalize()))
    cats = cats.sort_values(["code", "starts_on", "load_seq"])
    cats["ends_on"] = cats.groupby("code")["starts_on"].shift(-1)
    effective = cats[cats["starts_on"] <= as_of_ts].groupby("code").tail(1)[["code", "catalog_id"]]

    # catalog rows: blank elements, best row per item (complete = some row with all nine)
    rows = t.catalog_rows
    filled = sum((rows[c].fillna("").astype(str).str.strip(" \u3000") != "").astype(int) for c in ELEMENT_COLUMNS)
    rows = rows.assign(filled=filled)
    city_rows = rows[rows["matched_item_id"].isin(items["item_id"])]
    per_catalog = rows.groupby("catalog_id").agg(catalog_rows=("row_no", "size"), filled=("filled", "sum"))
    item_best = city_rows.groupby(["catalog_id", "matched_item_id"])["filled"].max().reset_index()
    per_catalog = per_catalog.join(item_best.groupby("catalog_id").agg(
        covered=("matched_item_id", "size"), complete=("filled", lambda s: int((s == 9).sum()))), how="left")
    per_catalog = per_catalog.fillna({"covered": 0, "complete": 0})
    eff = effective.merge(per_catalog, left_on="catalog_id", right_index=True, how="left")
    out = units.merge(eff, on="code", how="left")
    out["has_catalog"] = out["catalog_id"].notna()
    out["catalog_coverage"] = out["covered"].fillna(0) / n_items
    denom = out["catalog_rows"].fillna(0) * 9
    out["element_completeness"] = np.where(denom > 0, out["filled"].fillna(0) / denom.where(denom > 0, 1), 0.0)

    # disclosures
    disc = t.disclosures
    published = pd.to_datetime(disc["published_on"])
    formed = pd.to_datetime(disc["formed_on"])
    in_city = disc["item_id"].isin(items["item_id"])
    firsts = (disc[in_city & published.notna()].assign(published=published)
              .groupby(["code", "item_id"])["published"].min().reset_index())
    covered_items = firsts[firsts["published"] <= as_of_ts].groupby("code").size()
    out["disclosure_coverage"] = out["code"].map(covered_items).fillna(0) / n_items

    # timeliness
    limits = items.dropna(subset=["time_limit_workdays"]).set_index("item_id")
    window = (published >= since_ts) & (published <= as_of_ts)
    judged = disc[window & formed.notna() & disc["item_id"].isin(limits.index)].copy()
    judged["formed"], judged["published"] = formed[judged.index], published[judged.index]
    judged["n"] = judged["item_id"].map(limits["time_limit_workdays"]).astype(int)
    judged["deadline"], deadline_no = _deadlines(judged["formed"], judged["n"], workday_no, workday_day)
    judged = judged[judged["deadline"].notna()]
    judged["on_time"] = judged["published"] <= judged["deadline"]
    counts = judged.groupby("code")["on_time"].agg(["size", "sum"])
    out["timeliness"] = out["code"].map(counts["sum"] / counts["size"])

    # interpretation sync
    level = items.set_index("item_id")
    policy_items = level.index[(level["level1"] == rules.policy_level1) & (level["level2"] == rules.policy_level2)]
    interp_items = level.index[level["level1"] == rules.interpretation_level1]
    interp_keys = set(level.loc[level["level1"] == rules.interpretation_level1, "level1_key"])
    has_name = disc["title"].str.contains("《", regex=False) | disc["title"].str.contains("〈", regex=False)
    docs = disc[window & disc["item_id"].isin(policy_items) & has_name].assign(published=published)
    docs["names"] = docs["title"].str.findall(NAME_PATTERN).map(lambda names: list(dict.fromkeys(names)))
    docs = docs[docs["names"].str.len() > 0]
    docs["doc"] = np.arange(len(docs))
    docs["sync_deadline"], _ = _deadlines(docs["published"], pd.Series(rules.interpretation_window_workdays,
                                                                         index=docs.index), workday_no, workday_day)
    interps = disc[published.notna() & has_name
                   & (disc["item_id"].isin(interp_items) | disc["level1_key"].isin(interp_keys))]
    interps = interps.assign(published=published, name=interps["title"].str.findall(NAME_PATTERN))
    interps = interps.explode("name").drop_duplicates(["code", "published", "title", "name"])
    pairs = docs[["doc", "code", "published", "sync_deadline", "names"]].explode("names").rename(
        columns={"names": "name"}).merge(interps[["code", "name", "published"]].rename(
            columns={"published": "interp_on"}), on=["code", "name"])
    pairs = pairs[(pairs["interp_on"] >= pairs["published"]) & (pairs["interp_on"] <= pairs["sync_deadline"])]
    synced_on = pairs.groupby("doc")["interp_on"].min()
    docs["synced"] = docs["doc"].map(synced_on) <= as_of_ts
    sync = docs.groupby("code")["synced"].agg(["size", "sum"])
    out["interpretation_sync"] = out["code"].map(sync["sum"] / sync["size"])

    # milestones
    documented = cats[cats["document_no"].fillna("").str.strip(" \u3000") != ""].groupby("code")["starts_on"].min()
    level1_first = (firsts.merge(items[["item_id", "level1"]], on="item_id")
                    .groupby(["code", "level1"])["published"].min().reset_index())
    n_level1 = items["level1"].nunique()
    all_level1 = level1_first.groupby("code")["published"].agg(["size", "max"])
    covered_on = all_level1.loc[all_level1["size"] == n_level1, "max"]
    full = cats.merge(per_catalog[["complete"]], left_on="catalog_id", right_index=True, how="left")
    full = full[(full["complete"] == n_items) & (full["ends_on"].isna() | (full["ends_on"] > full["starts_on"]))]
    full = full.assign(covered_on=_lookup(full["code"], covered_on)).dropna(subset=["covered_on"])
    full["met"] = full["starts_on"].where(full["starts_on"] >= full["covered_on"], full["covered_on"])
    full = full[full["ends_on"].isna() | (full["met"] < full["ends_on"])]
    m2023 = full.groupby("code")["met"].min()
    for ms, first_met in (("milestone_2020_09", documented), ("milestone_2023_06", m2023)):
        deadline = pd.Timestamp(rules.milestones[ms])
        met = _lookup(out["code"], first_met)
        met = met.where(met <= as_of_ts)
        after = pd.Series(as_of_ts >= deadline, index=out.index)
        status = np.select([met.notna() & (met <= deadline), met.notna(), after],
                           ["on_time", "late", "missed"], default="pending")
        out[f"{ms}_status"] = status
        out[ms] = pd.Series(status, index=out.index).map(rules.milestone_values).astype(float)

    # score, vetoes, grade, rank
    measured = [c for c in rules.component_ids if c in out.columns]
    weights = pd.Series({c: rules.weights[c] for c in measured})
    values = out[measured].astype(float)
    num = values.fillna(0.0).mul(weights, axis=1).sum(axis=1)
    den = values.notna().mul(weights, axis=1).sum(axis=1)
    out["weighted_score"] = pd.Series(np.where(den > 0, 100.0 * num / den.where(den > 0, 1.0), 0.0)).round(2)
    score = out["weighted_score"].clip(upper=100.0)
    names = list(rules.grade_names)
    grade_order = pd.Series(np.select([score >= b.min_score for b in rules.grades],
                                      [names.index(b.name) for b in rules.grades], default=len(names) - 1))
    for v in rules.manual.vetoes:
        if v.condition == "no_catalog":
            flag = ~out["has_catalog"]
        elif v.condition == "milestone_missed":
            flag = out[f"{v.target}_status"] == "missed"
        else:
            continue  # manual_failed needs a finding; the benchmark databases hold none
        if v.score_cap is not None:
            score = score.where(~flag, np.minimum(score, v.score_cap))
        if v.grade_cap is not None:
            grade_order = grade_order.where(~flag, grade_order.clip(lower=names.index(v.grade_cap)))
    out["score"] = score.round(2)
    out["grade"] = grade_order.map(dict(enumerate(names)))
    out["rank"] = out["score"].rank(method="min", ascending=False).astype(int)

    # lists: missing city items (city order) and overdue disclosures
    present = (t.catalog_rows.merge(effective, on="catalog_id")[["code", "matched_item_id"]]
               .dropna().drop_duplicates().rename(columns={"matched_item_id": "item_id"}))
    grid = units[["code"]].merge(items[["item_id", "seq", "level1", "level2"]], how="cross")
    grid = grid.merge(present.assign(present=True), on=["code", "item_id"], how="left")
    missing = grid[grid["present"].isna()].sort_values(["code", "seq"])
    missing_lists = (missing["level1"] + "/" + missing["level2"]).groupby(missing["code"]).agg(list)
    late = judged[~judged["on_time"]].copy()
    late["workdays_late"] = _lookup(late["published"], workday_no) - deadline_no[late.index]
    late["item"] = late["item_id"].map(level["level1"] + "/" + level["level2"])
    late = late.sort_values(["code", "published"])
    overdue_lists = pd.Series(list(zip(late["title"], late["item"], late["formed"].dt.date, late["published"].dt.date,
                                       late["workdays_late"].astype(int))), index=late.index).groupby(late["code"]).agg(list)
    out["missing_items"] = out["code"].map(missing_lists)
    out["overdue"] = out["code"].map(overdue_lists)
    out["missing_items"] = out["missing_items"].map(lambda v: v if isinstance(v, list) else [])
    out["overdue"] = out["overdue"].map(lambda v: v if isinstance(v, list) else [])
    return out.sort_values(["rank", "code"]).reset_index(drop=True)


def evaluate(con: duckdb.DuckDBPyConnection, as_of: dt.date, since: dt.date, rules: Rules) -> pd.DataFrame:
    return compute(read(con), as_of, since, rules)


def summary(frame: pd.DataFrame) -> dict[str, Any]:
    """code -> (score, rank, grade) for the equality check."""
    return {r.code: (r.score, r.rank, r.grade) for r in frame.itertuples()}
