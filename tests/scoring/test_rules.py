"""The rules file: the bundled scoring/rules.toml loads into the DESIGN §6 defaults; every bad file under
tests/data/rules/ is refused with messages naming the key and the file (all problems at once); every
rule id has a Chinese label and definition. No database here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path

import pytest

from scoring.rules import MEASURABLE, RULES_TOML, RulesError, load_rules
from ui_text import scoring as text

RULES_DIR = Path(__file__).resolve().parent.parent / "data" / "rules"

# file -> (problem kind, key the message must name) for every problem the file holds.
BAD_FILES = {
    "weight_negative.toml": [("not_positive", "weights.timeliness")],
    "weights_sum.toml": [("weights_sum", "weights")],
    "unknown_rule.toml": [("unknown_rule", "weights.timelines"), ("missing_key", "weights.timeliness")],
    "bands_unordered.toml": [("bands_order", "grades[2].min_score")],
    "bad_date.toml": [("bad_date", "milestones.milestone_2023_06")],
    "unknown_key.toml": [("unknown_key", "scale")],
    "missing_window.toml": [("missing_key", "interpretation.window_workdays")],
    "syntax_error.toml": [("toml_syntax", "-")],
    "several_problems.toml": [("not_positive", "weights.timeliness"),
                              ("bands_order", "grades[2].min_score"),
                              ("bands_floor", "grades[2].min_score"),
                              ("bad_date", "milestones.milestone_2020_09")],
}


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in RULES_DIR.glob("*.toml")) == sorted(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_rules_file_is_refused_naming_key_and_file(name: str) -> None:
    path = RULES_DIR / name
    with pytest.raises(RulesError) as info:
        load_rules(path)
    problems = info.value.problems
    assert sorted((p.kind, p.key) for p in problems) == sorted(BAD_FILES[name])
    for p in problems:
        assert str(path) in p.message
        if p.key != "-":
            assert p.key in p.message
        assert re.search(r"[\u4e00-\u9fff]", p.message)
    assert str(info.value) == "\n".join(p.message for p in problems)


def test_fixed_file_loads(tmp_path: Path) -> None:
    # weight_negative.toml with the sign fixed is a valid rules file.
    fixed = tmp_path / "fixed.toml"
    fixed.write_text((RULES_DIR / "weight_negative.toml").read_text(encoding="utf-8")
                     .replace("timeliness = -25", "timeliness = 25"), encoding="utf-8")
    rules = load_rules(fixed)
    assert rules.weights["timeliness"] == 25
    assert [g.name for g in rules.grades] == ["合格", "不合格"]


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path / "nope.toml")
    assert str(tmp_path / "nope.toml") in str(info.value)


def test_default_rules_are_design_defaults() -> None:
    rules = load_rules()
    assert rules.weights == {"catalog_coverage": 20, "element_completeness": 10, "disclosure_coverage": 20,
                             "timeliness": 25, "interpretation_sync": 5, "milestone_2020_09": 10,
                             "milestone_2023_06": 10,
                             # DESIGN §12: the [[manual]] indicators join as a separate pool (README)
                             "staffing": 3, "training": 3, "service_hall": 3, "portal_column": 4,
                             "participation": 4, "village_extension": 3}
    assert sum(w for c, w in rules.weights.items() if c in MEASURABLE) == 100
    assert [(g.name, g.min_score) for g in rules.grades] == [("优秀", 90), ("良好", 80), ("合格", 60),
                                                             ("不合格", 0)]
    assert rules.milestones == {"milestone_2020_09": dt.date(2020, 9, 30),
                                "milestone_2023_06": dt.date(2023, 6, 30)}
    assert rules.milestone_values == {"on_time": 1.0, "late": 0.5, "missed": 0.0}
    assert rules.interpretation_window_workdays == 3
    assert rules.since_for(dt.date(2023, 6, 30)) == dt.date(2023, 1, 1)


def test_rules_version_is_file_version_plus_short_sha256() -> None:
    raw = RULES_TOML.read_bytes()
    expected = f"{tomllib.loads(raw.decode())['version']}+{hashlib.sha256(raw).hexdigest()[:8]}"
    assert load_rules().version == expected


def test_version_changes_with_the_bytes(tmp_path: Path) -> None:
    copy = tmp_path / "rules.toml"
    copy.write_bytes(RULES_TOML.read_bytes() + b"\n# a comment changes the fingerprint\n")
    assert load_rules(copy).version != load_rules().version
    assert load_rules(copy).version.split("+")[0] == load_rules().version.split("+")[0]


def test_every_rule_id_has_a_label_and_definition() -> None:
    data = tomllib.loads(RULES_TOML.read_text(encoding="utf-8"))
    keys = set()
    for top, value in data.items():
        keys.add(top)
        if isinstance(value, dict):
            keys.update(f"{top}.{k}" for k in value)
    component_keys = {f"weights.{c}" for c in MEASURABLE} | {f"milestones.{m}" for m in load_rules().milestone_ids}
    for key in sorted(keys - component_keys):
        assert text.RULE_LABELS.get(key), key
        assert text.RULE_DEFINITIONS.get(key), key
    for c in MEASURABLE:
        assert text.COMPONENT_LABELS.get(c) and text.COMPONENT_DEFINITIONS.get(c), c
    assert component_keys <= keys


def test_every_problem_kind_has_a_template() -> None:
    source = (Path(__file__).resolve().parents[2] / "scoring" / "rules.py").read_text(encoding="utf-8")
    kinds = set(re.findall(r'c\.add\("(\w+)"', source)) | set(re.findall(r'unknown_kind="(\w+)"', source))
    assert kinds and kinds <= set(text.RULES_ERRORS)


def test_every_rule_is_found_by_its_id_and_an_unknown_id_is_a_key_error() -> None:
    # one lookup (scoring.manual_rules.by_id) behind components, grade bands, manual indicators, bonuses
    rules = load_rules()
    assert rules.component("timeliness").weight == rules.weights["timeliness"]
    assert rules.band("good").name == "良好"
    manual = rules.manual
    assert [manual.indicator(i).id for i in manual.indicator_ids] == list(manual.indicator_ids)
    assert [manual.bonus(b).id for b in manual.bonus_ids] == list(manual.bonus_ids)
    for lookup in (rules.component, rules.band, manual.indicator, manual.bonus):
        with pytest.raises(KeyError):
            lookup("no_such_id")
