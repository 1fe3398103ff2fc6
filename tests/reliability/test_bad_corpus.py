"""Every input of tests/data/bad/ produces the Chinese message its .expect.toml names, and a
refused input leaves every data table exactly as it was (see tests/data/bad/make_bad.py for
the expectation format; other lanes add inputs by adding files)."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import duckdb
import pytest

from loaders import LoadError, api
from loaders.model import LoadResult
from tests.reliability.helpers import BAD, snapshot

EXPECTATIONS = sorted(BAD.glob("*.expect.toml"))


def run(con: duckdb.DuckDBPyConnection, spec: dict[str, Any], data: bytes, filename: str,
        confirm: bool = False) -> LoadResult:
    command = spec["command"]
    if command == "catalog":
        return api.load_catalog(con, spec["district"], data, filename=filename,
                                published_on=spec.get("published_on"), confirm_replace=confirm)
    if command == "disclosures":
        return api.load_disclosures(con, spec["district"], data, filename=filename, confirm_replace=confirm)
    assert command == "standard", command
    return api.load_standard(con, data, filename=filename, confirm_replace=confirm)


def test_the_corpus_has_at_least_60_inputs_each_with_its_file() -> None:
    assert len(EXPECTATIONS) >= 60
    for path in EXPECTATIONS:
        assert path.with_name(path.name.removesuffix(".expect.toml")).is_file(), path.name


@pytest.mark.parametrize("expect_path", EXPECTATIONS, ids=lambda p: p.name.removesuffix(".expect.toml"))
def test_bad_input(expect_path: Path, rcon: duckdb.DuckDBPyConnection) -> None:
    spec = tomllib.loads(expect_path.read_text(encoding="utf-8"))
    name = expect_path.name.removesuffix(".expect.toml")
    data = (BAD / name).read_bytes()
    filename = spec.get("filename", name)
    for step in spec.get("setup", []):
        assert run(rcon, step, (BAD / step["source"]).read_bytes(), step["filename"]).result == "loaded"
    before = snapshot(rcon)
    runs_before = rcon.execute("SELECT count(*) FROM load_runs").fetchone()[0]
    outcome = spec.get("outcome", "refused")
    if outcome == "refused":
        with pytest.raises(LoadError) as info:
            run(rcon, spec, data, filename)
        messages = [p.message for p in info.value.problems if p.kind.value == spec["kind"]]
        assert messages, [p.message for p in info.value.problems]
        assert any(spec["message"] in m for m in messages), messages
        assert snapshot(rcon) == before
        last = rcon.execute("SELECT result, message FROM load_runs ORDER BY run_id DESC LIMIT 1").fetchone()
        assert last[0] == "refused" and rcon.execute("SELECT count(*) FROM load_runs").fetchone()[0] == runs_before + 1
        if spec.get("confirm"):
            # The same input goes in once the user confirms.
            assert run(rcon, spec, data, filename, confirm=True).result in ("loaded", "partial")
            assert snapshot(rcon) != before
    elif outcome == "warned":
        result = run(rcon, spec, data, filename)
        assert result.result == "loaded"
        messages = [p.message for p in result.problems if p.kind.value == spec["kind"]]
        assert any(spec["message"] in m for m in messages), [p.message for p in result.problems]
        code = result.district_code
        assert rcon.execute("SELECT count(*) FROM disclosures WHERE district_code = ?", [code]
                            ).fetchone()[0] == spec["disclosures"]
    else:
        assert outcome == "unchanged"
        assert run(rcon, spec, data, filename).result == "unchanged"
        assert snapshot(rcon) == before
