"""The rules registry is the one home of weights, grade bands and milestone dates: a copied
rules file with a changed weight, band and deadline (named by $COMPLIANCE_RULES) moves the
overview cards, the ranking, the milestone chart's deadline lines and both workbooks with it."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from page_helpers import TODAY

import scoring
from queries import self_check as sc
from reports.excel import build_gap_workbook, build_report_workbook, report_context
from scoring.rules import RULES_ENV, RULES_TOML
from ui_text import excel as X
from ui_text.pages import OVERVIEW

# The changes: timeliness 25 → 15 and catalog_coverage 20 → 30 (still 100 in all), the 良好 band
# from 80 → 85, the 2023 milestone's deadline 2023-06-30 → 2023-12-31.
NEW_DEADLINE = dt.date(2023, 12, 31)


@pytest.fixture
def changed_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> scoring.Rules:
    text = RULES_TOML.read_text(encoding="utf-8")
    for old, new in (("timeliness = 25", "timeliness = 15"), ("catalog_coverage = 20", "catalog_coverage = 30"),
                     ('name = "良好"\nmin_score = 80', 'name = "良好"\nmin_score = 85'),
                     ("milestone_2023_06 = 2023-06-30", f"milestone_2023_06 = {NEW_DEADLINE.isoformat()}")):
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(RULES_ENV, str(path))
    rules = scoring.load_rules()  # no path: the environment's file, as the app and the CLI read it
    assert rules.path == str(path)
    return rules


def _by_code(evaluation: scoring.Evaluation) -> dict[str, dict]:
    return {d["code"]: d for d in evaluation.to_json()["districts"]}


def test_the_copied_rules_change_the_scores(changed_rules: scoring.Rules, con) -> None:
    assert changed_rules.weights["timeliness"] == 15 and changed_rules.band("good").min_score == 85
    assert changed_rules.milestones["milestone_2023_06"] == NEW_DEADLINE
    new = _by_code(scoring.evaluate(con, TODAY))
    old = _by_code(scoring.evaluate(con, TODAY, rules=scoring.load_rules(RULES_TOML)))
    assert any(new[c]["score"] != old[c]["score"] for c in new)
    for d in new.values():
        # score = 100 × Σ w·v / Σ w over the non-null components, with the new weights
        values = {c: v for c, v in d["components"].items() if v is not None}
        weights = changed_rules.weights
        expected = round(100 * sum(weights[c] * v for c, v in values.items()) / sum(weights[c] for c in values), 2)
        assert d["score"] == pytest.approx(expected, abs=0.006)
        band = next(g for g in changed_rules.grades if d["score"] >= g.min_score)
        assert d["grade"] == band.name
    # on the sample two units score in [80, 85) with these weights (84.92, 81.02): 合格 now, 良好 before
    moved = [c for c in new if 80 <= new[c]["score"] < 85]
    assert len(moved) == 2 and all(new[c]["grade"] == "合格" for c in moved)


def test_overview_cards_and_ranking_follow(changed_rules: scoring.Rules, make_app, con) -> None:
    at = make_app()
    expected = scoring.evaluate(con, TODAY).to_json()["districts"]
    cards = {m.label: m.value for m in at.metric}
    label = OVERVIEW["good_units"].format(min_score=85)
    assert label == "优良单位（≥85分）"
    assert cards[label] == str(sum(d["score"] >= 85 for d in expected)) == "13"  # 12 优秀 + 89.86
    assert cards[OVERVIEW["failing_units"].format(name="不合格")] == str(sum(d["grade"] == "不合格" for d in expected))
    table = at.dataframe[0].value
    assert list(table["score"]) == [d["score"] for d in expected]
    assert list(table["grade"]) == [d["grade"] for d in expected]


def test_milestone_chart_draws_the_new_deadline(changed_rules: scoring.Rules, make_app) -> None:
    at = make_app(page="pages/milestones.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = sorted(a["text"] for a in spec["layout"]["annotations"])
    assert "截止日 2023-12-31" in lines and "截止日 2023-06-30" not in lines
    assert "截止日 2020-09-30" in lines


def _sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    ws = load_workbook(io.BytesIO(data), read_only=True)[sheet]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_workbooks_follow(changed_rules: scoring.Rules, con) -> None:
    evaluation = scoring.evaluate(con, TODAY).to_json()
    report = build_report_workbook(scoring.Evaluation.from_json(evaluation), report_context(con, rules=scoring.load_rules()))
    about = _sheet_rows(report, X.SHEETS["about"])
    weights = {r[0]: r[1] for r in about if r and r[0] in X.COMPONENT_LABELS.values()}
    assert weights[X.COMPONENT_LABELS["timeliness"]] == 15
    assert weights[X.COMPONENT_LABELS["catalog_coverage"]] == 30
    assert any(r[1] == X.ABOUT["grade_band"].format(name="良好", min_score=85.0) for r in about if r and r[0] == "良好")
    ranking = _sheet_rows(report, X.SHEETS["ranking"])
    header = next(i for i, r in enumerate(ranking) if r and r[0] == X.HEADERS["rank"])
    scores = [r[3] for r in ranking[header + 1:] if r[0] is not None]
    assert scores == [d["score"] for d in sorted(evaluation["districts"], key=lambda d: (d["rank"], d["code"]))]
    # the 区县自查 download: its context carries no rules, so the exporter reads the registry
    check = sc.build_self_check(con, scoring.Evaluation.from_json(evaluation), evaluation["districts"][0]["code"])
    gap = build_gap_workbook(check.district, sc.gap_context(check, is_sample=True))
    rows = _sheet_rows(gap, X.SHEETS["gaps"])
    component_weights = {r[0]: r[2] for r in rows if r and r[0] in X.COMPONENT_LABELS.values()}
    assert component_weights[X.COMPONENT_LABELS["timeliness"]] == 15
