"""Scoring: rules (rules.toml), SQL measures (sql/*.sql), pure decisions, explanations, trend, what-if.

Reads a DuckDB connection passed in; never imports loaders or streamlit. Public API:
`load_rules`, `Rules`, `evaluate`, `Evaluation`, `DistrictResult`, `trend`, `fix_candidates`,
`what_if`, `Fix`, `WhatIf` (plus `Milestone`, `RulesError`, `UnknownDistrictError`).
"""
from __future__ import annotations

from scoring.districts import UnknownDistrictError
from scoring.evaluation import (
                                DistrictResult,
                                Evaluation,
                                Measured,
                                Milestone,
                                evaluate,
                                measure_point,
)
from scoring.rules import Rules, RulesError, load_rules
from scoring.trend import trend
from scoring.whatif import Fix, WhatIf, fix_candidates, what_if

__all__ = ["DistrictResult", "Evaluation", "Fix", "Measured", "Milestone", "Rules", "RulesError",
           "UnknownDistrictError", "WhatIf", "evaluate", "fix_candidates", "load_rules", "measure_point", "trend",
           "what_if"]
