"""The manual part of the rules file (DESIGN §12): the bundled defaults, and every bad
[[manual]]/[[veto]]/[[bonus]]/[bonus_total] declaration under tests/data/rules/manual/ refused with
all its problems at once, each message Chinese and naming the key and the file. No database here.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.rules import MEASURABLE, ComponentKind, RulesError, load_rules
from tests.manual.helpers import RULES_DIR
from ui_text import manual as text
from ui_text import scoring as scoring_text

BAD_FILES = {
    "manual_bad.toml": [("max_points_needed", "manual[1].max_points"), ("bad_scale", "manual[2].scale"),
                        ("not_positive", "manual[3].weight"), ("duplicate_id", "manual[4].id"),
                        ("max_points_unused", "manual[4].max_points"),
                        ("not_boolean", "manual[4].evidence_required")],
    "veto_bad.toml": [("bad_condition", "veto[1].condition"), ("bad_condition", "veto[2].condition"),
                      ("unknown_grade", "veto[3].grade_cap"), ("bad_score_cap", "veto[4].score_cap"),
                      ("no_effect", "veto[5]")],
    "bonus_bad.toml": [("bad_points", "bonus[1].max_points"), ("id_clash", "bonus[2].id"),
                       ("missing_key", "bonus_total.cap")],
    "bonus_total_bad.toml": [("bad_points", "bonus_total.cap"), ("unknown_key", "bonus_total.limit")],
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in RULES_DIR.glob("*.toml") if not p.name.startswith("valid_")) == sorted(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_declaration_is_refused_naming_key_and_file(name: str) -> None:
    path = RULES_DIR / name
    with pytest.raises(RulesError) as info:
        load_rules(path)
    problems = info.value.problems
    assert sorted((p.kind, p.key) for p in problems) == sorted(BAD_FILES[name])
    for p in problems:
        assert str(path) in p.message and p.key in p.message and CJK.search(p.message)
    assert str(info.value) == "\n".join(p.message for p in problems)


def test_bad_condition_names_the_closed_set() -> None:
    with pytest.raises(RulesError) as info:
        load_rules(RULES_DIR / "veto_bad.toml")
    message = next(p.message for p in info.value.problems if p.key == "veto[1].condition")
    assert "no_website" in message and "no_catalog" in message and "manual_failed:" in message


def test_default_manual_part_is_design_12() -> None:
    rules = load_rules()
    m = rules.manual
    assert m.indicator_ids == ("staffing", "training", "service_hall", "portal_column", "participation",
                               "village_extension")
    assert [i.scale for i in m.indicators] == ["yes_no"] * 4 + ["points", "yes_no"]
    assert m.indicator("participation").max_points == 4 and all(i.evidence_required for i in m.indicators)
    assert [(v.id, v.condition, v.grade_cap, v.score_cap) for v in m.vetoes] == [("no_catalog", "no_catalog", "不合格", None)]
    assert [(b.id, b.max_points) for b in m.bonuses] == [("demonstration", 3.0)] and m.bonus_cap == 5
    # The manual indicators are components of kind manual, after the measured ones; the measured
    # weights still sum to 100 and the manual pool is separate (20 by default).
    assert rules.ids(ComponentKind.MANUAL) == m.indicator_ids
    assert rules.component_ids[:len(MEASURABLE)] == tuple(MEASURABLE)
    assert sum(rules.weights[c] for c in MEASURABLE) == 100
    assert sum(rules.weights[c] for c in m.indicator_ids) == 20
    assert rules.to_dict()["veto"] == [{"id": "no_catalog", "condition": "no_catalog", "grade_cap": "不合格",
                                        "score_cap": None}]


def test_a_rules_file_without_the_manual_tables_has_none(tmp_path: Path) -> None:
    measured_only = tmp_path / "measured.toml"
    source = (RULES_DIR / "valid_two_bonuses.toml").read_text(encoding="utf-8")
    measured_only.write_text(source[:source.index("[[manual]]")], encoding="utf-8")
    rules = load_rules(measured_only)
    assert rules.manual.indicators == () and rules.manual.vetoes == () and rules.manual.bonuses == ()
    assert rules.component_ids == tuple(MEASURABLE)


def test_every_default_id_has_chinese_texts() -> None:
    rules = load_rules()
    for iid in rules.manual.indicator_ids:
        assert CJK.search(text.MANUAL_LABELS[iid]) and CJK.search(text.MANUAL_DEFINITIONS[iid])
        assert scoring_text.COMPONENT_LABELS[iid] == text.MANUAL_LABELS[iid]
    for b in rules.manual.bonuses:
        assert CJK.search(text.BONUS_LABELS[b.id]) and CJK.search(text.BONUS_DEFINITIONS[b.id])
    for v in rules.manual.vetoes:
        assert CJK.search(text.VETO_LABELS[v.id])
    for key in ("manual", "veto", "bonus", "bonus_total", "bonus_total.cap"):
        assert scoring_text.RULE_LABELS[key] and scoring_text.RULE_DEFINITIONS[key]


def test_every_problem_kind_has_a_template() -> None:
    source = (Path(__file__).resolve().parents[2] / "scoring" / "manual_rules.py").read_text(encoding="utf-8")
    kinds = set(re.findall(r'c\.add\("(\w+)"', source)) | set(re.findall(r'c, "(\w+)"\)', source))
    kinds |= set(re.findall(r'"(duplicate_id|id_clash)"', source))
    assert kinds and kinds <= set(text.RULES_ERRORS) | set(scoring_text.RULES_ERRORS)
