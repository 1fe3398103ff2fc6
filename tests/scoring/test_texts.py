"""Completeness of the scoring texts in ui_text/scoring.py: every gap category of docs/ARCHITECTURE.md,
every milestone status, every fix kind and every CLI option has its Chinese text, and the public API
named by the brief is exported. No database here.
"""
from __future__ import annotations

import re

import scoring
from scoring.__main__ import _parser
from scoring.rules import load_rules
from scoring.vocabulary import FixKind, GapCategory, MilestoneStatus
from scoring.whatif import FIX_KINDS
from ui_text import scoring as text

# The per-row categories (each has a sentence template); the others are the milestones'.
# manual and veto gaps carry their indicator's own sentence (scoring.manual)
ROW_CATEGORIES = [c for c in GapCategory if c.value not in load_rules().milestone_ids
                  and c not in (GapCategory.MANUAL, GapCategory.VETO)]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_gap_category_has_label_and_every_row_category_a_sentence() -> None:
    assert set(text.GAP_CATEGORY_LABELS) == set(GapCategory)
    for c in GapCategory:
        assert CJK.search(text.GAP_CATEGORY_LABELS[c]), c
    assert len(ROW_CATEGORIES) == 6
    for c in ROW_CATEGORIES:
        assert CJK.search(text.GAP_DETAILS[c]), c
    # every milestone of the rules is a gap category of its own
    assert set(load_rules().milestone_ids) <= set(GapCategory)


def test_every_status_and_fix_kind_has_text() -> None:
    assert set(text.MILESTONE_STATUS_LABELS) == set(MilestoneStatus)
    assert set(text.FIX_KIND_LABELS) == set(FixKind) == set(FIX_KINDS) == set(text.FIX_DESCRIPTIONS)


def test_every_cli_option_has_chinese_help() -> None:
    sub = next(a for a in _parser()._actions if a.dest == "command")
    evaluate = sub.choices["evaluate"]
    options = [a for a in evaluate._actions if a.dest != "help"]
    assert {a.dest for a in options} == {"as_of", "since", "district", "json", "excel", "db", "rules"}
    for a in options:
        assert a.help and CJK.search(a.help), a.dest


def test_public_api() -> None:
    for name in ("load_rules", "Rules", "evaluate", "Evaluation", "DistrictResult", "trend",
                 "fix_candidates", "what_if", "Fix", "WhatIf"):
        assert name in scoring.__all__ and hasattr(scoring, name), name
