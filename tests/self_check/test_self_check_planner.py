"""The fix planner's promise: a fix's predicted gain is the score change the unit really gets
when the fix is done, and what_if(top N) is the score, grade and rank after doing all N.

"Done" is `tests.scoring.helpers.apply_fix`, the one what-if oracle (the scoring tests use it too),
on a copy of the sample: catalog fixes publish a new catalog version on as_of (a copy of the
effective catalog with the rows added or filled, 文号 kept or issued); disclosure fixes publish
that day. Then scoring.evaluate runs again on the copy.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from sc_helpers import TODAY

from scoring import evaluate, fix_candidates, what_if
from tests.scoring.helpers import apply_fix

APPLIED_KINDS = ("add_item", "fill_elements", "publish_item", "publish_pending", "issue_catalog",
                 "publish_interpretation")


def _score(con: duckdb.DuckDBPyConnection, code: str, as_of: dt.date) -> dict:
    return evaluate(con, as_of, unit=code).to_json()["districts"][0]


@pytest.fixture(scope="module")
def first_fixes(sc_db: Path) -> dict[str, tuple]:
    """kind -> (code, fix) of the lowest-ranked unit with a fix of that kind (read once from
    our copy of the sample; each test then applies it to its own fresh copy)."""
    con = duckdb.connect(str(sc_db), read_only=True)
    found: dict[str, tuple] = {}
    try:
        for d in reversed(evaluate(con, TODAY).districts):
            for fix in fix_candidates(con, TODAY, d.code):
                if fix.kind in APPLIED_KINDS:
                    found.setdefault(fix.kind, (d.code, fix))
            if all(k in found for k in APPLIED_KINDS):
                break
    finally:
        con.close()
    return found


def test_predicted_gain_is_the_real_gain(sc_db: Path, tmp_path: Path, first_fixes: dict) -> None:
    """Every kind of fix the sample offers (at least the three catalog/disclosure basics)."""
    assert {"add_item", "fill_elements", "publish_item"} <= set(first_fixes)
    for kind, (code, fix) in first_fixes.items():
        copy = tmp_path / f"{kind}.duckdb"
        shutil.copy(sc_db, copy)
        con = duckdb.connect(str(copy))
        before = _score(con, code, TODAY)["score"]
        apply_fix(con, code, TODAY, [fix])
        after = _score(con, code, TODAY)["score"]
        con.close()
        assert fix.gain > 0, kind
        assert round(after - before, 2) == pytest.approx(fix.gain, abs=0.005), (kind, code, fix)


def test_what_if_top_n_is_the_result_of_doing_them(sample_db_copy: Path) -> None:
    con = duckdb.connect(str(sample_db_copy))
    worst = evaluate(con, TODAY).districts[-1].code
    fixes = [f for f in fix_candidates(con, TODAY, worst) if f.kind in APPLIED_KINDS][:3]
    assert len(fixes) == 3
    predicted = what_if(con, TODAY, worst, fixes)
    apply_fix(con, worst, TODAY, fixes)
    done = _score(con, worst, TODAY)
    con.close()
    assert (predicted.score, predicted.grade, predicted.rank) == (done["score"], done["grade"], done["rank"])


def test_self_check_measures_once(sc_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """build_self_check measures the point once and hands it on: the fixes and the page's what-if
    reuse it (counted on the real measuring function), with the same result as measuring anew."""
    import scoring.evaluation as evaluation_module
    import scoring.whatif as whatif_module
    from loaders.db import connect_read_only
    from queries import self_check as sc

    # read-only, as the app reads (a page test earlier in this process may hold the file attached)
    con = connect_read_only(sc_db)
    try:
        ev = evaluate(con, TODAY)
        worst = ev.districts[-1].code
        real, calls = evaluation_module.measured_with_details, []

        def counting(*args, **kwargs):
            calls.append(args[1:3])
            return real(*args, **kwargs)

        for module in (evaluation_module, whatif_module):  # whatif holds its own reference
            monkeypatch.setattr(module, "measured_with_details", counting)
        check = sc.build_self_check(con, ev, worst)
        reused = what_if(con, TODAY, worst, check.fixes[:2], since=check.since, measured=check.measured)
        assert len(calls) == 1
        monkeypatch.undo()
        fresh = what_if(con, TODAY, worst, check.fixes[:2], since=check.since)
        assert (reused.score, reused.grade, reused.rank) == (fresh.score, fresh.grade, fresh.rank)
        assert check.fixes == fix_candidates(con, TODAY, worst, since=check.since)
    finally:
        con.close()
