"""The bundled sample with no findings recorded (DESIGN §12): adding the default manual indicators,
veto and bonus to the rules changes no score, grade or rank — manual indicators are null (未核查)
and drop out of the weighted mean. Compared against the same rules file with its manual tables
cut out (the rules as they were before), on the sample's evaluation JSON at 2025-12-31.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from scoring import evaluate, load_rules
from scoring.rules import RULES_TOML

MANUAL_TABLES = ("[[manual]]", "[[veto]]", "[[bonus]]", "[bonus_total]")
NEW_KEYS = {"vetoes", "bonus", "weighted_score", "findings"}


def _measured_only(tmp_path: Path) -> Path:
    """scoring/rules.toml without its [[manual]], [[veto]], [[bonus]] and [bonus_total] tables."""
    kept, skipping = [], False
    for line in RULES_TOML.read_text(encoding="utf-8").splitlines():
        header = line.strip()
        if header.startswith("["):
            skipping = header in MANUAL_TABLES
        if not skipping:
            kept.append(line)
    path = tmp_path / "measured_only.toml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def test_sample_scores_are_unchanged_without_findings(sample_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        old_rules = load_rules(_measured_only(tmp_path))
        assert old_rules.manual.indicators == ()
        as_of = dt.date(2025, 12, 31)
        before = evaluate(con, as_of, rules=old_rules).to_json()
        after = evaluate(con, as_of).to_json()
    finally:
        con.close()
    manual_ids = set(load_rules().manual.indicator_ids)
    assert len(after["districts"]) == len(before["districts"]) == 16
    for b, a in zip(before["districts"], after["districts"]):
        assert (a["district"], a["score"], a["grade"], a["rank"]) == (b["district"], b["score"], b["grade"], b["rank"])
        assert set(a) - set(b) == NEW_KEYS - set(b)
        # every key both have is identical, apart from the manual components (all 未核查) and the
        # veto rows the no_catalog veto adds to the ledger
        for key in set(b) - {"components", "gaps", *NEW_KEYS}:
            assert a[key] == b[key], (a["district"], key)
        assert {k: v for k, v in a["components"].items() if k not in manual_ids} == b["components"]
        assert all(a["components"][k] is None for k in manual_ids)
        assert [g for g in a["gaps"] if g["category"] != "veto"] == b["gaps"]
        assert a["weighted_score"] == a["score"] and a["findings"] == [] and a["bonus"]["points"] == 0
    # the one sample unit without any catalog carries the no_catalog veto (its grade was 不合格 already)
    vetoed = [a for a in after["districts"] if a["vetoes"]]
    assert [(a["district"], [v["id"] for v in a["vetoes"]], a["grade"]) for a in vetoed] == [
        ("郑州航空港经济综合实验区", ["no_catalog"], "不合格")]
