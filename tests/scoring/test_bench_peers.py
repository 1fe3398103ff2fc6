"""The benchmark's evaluation peers (bench/peers) compute what scoring.evaluate computes: on the
bundled sample at three dates (no catalog yet, estimated days, pending rows, policy documents with
and without interpretations) every unit's score, rank, grade and seven components agree, and the
pandas peer's missing-item and overdue lists too. bench/run.py runs the same check before timing."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

import scoring
from bench import peers
from bench.peers import pandas_eval


@pytest.mark.parametrize("as_of", [dt.date(2020, 12, 31), dt.date(2023, 6, 30), dt.date(2025, 12, 31)])
def test_peers_agree_with_evaluate_on_the_sample(sample_db: Path, as_of: dt.date) -> None:
    since = dt.date(as_of.year, 1, 1)
    rules = scoring.load_rules()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        ours = scoring.evaluate(con, as_of, since=since, rules=rules).to_json()
        assert peers.verify(ours, peers.one_query(con, as_of, since, rules), "one_query") == 16
        frame = pandas_eval.evaluate(con, as_of, since, rules)
        assert peers.verify(ours, frame, "pandas", lists=True) == 16
        assert sum(len(v) for v in frame["overdue"]) == sum(len(d["overdue"]) for d in ours["districts"])
    finally:
        con.close()


def test_verify_notices_a_different_score(sample_db: Path) -> None:
    as_of, since, rules = dt.date(2023, 6, 30), dt.date(2023, 1, 1), scoring.load_rules()
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        ours = scoring.evaluate(con, as_of, since=since, rules=rules).to_json()
        frame = peers.one_query(con, as_of, since, rules)
    finally:
        con.close()
    frame.loc[0, "score"] = frame.loc[0, "score"] - 0.01
    with pytest.raises(AssertionError, match="score/rank/grade"):
        peers.verify(ours, frame, "one_query")
