"""Scoring: rules (rules.toml), SQL measures (sql/*.sql), pure decisions, explanations, trend, what-if.

Reads a DuckDB connection passed in; never imports loaders or streamlit. Public API:
`load_rules`, `Rules`, `evaluate`, `Evaluation`, `DistrictResult`, `trend`, `fix_candidates`,
`what_if`, `Fix`, `WhatIf`.
"""
from __future__ import annotations

from scoring.evaluation import DistrictResult, Evaluation, Milestone, UnknownDistrictError, evaluate
from scoring.rules import Rules, RulesError, load_rules

__all__ = ["DistrictResult", "Evaluation", "Milestone", "Rules", "RulesError", "UnknownDistrictError",
           "evaluate", "load_rules"]
