"""scoring.views against scoring.evaluate on the sample: the display queries must tell the same
story as the evaluation (same effective catalog, same coverage), plus the small queries' shapes."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import scoring
from queries import views

DATES = [dt.date(2020, 9, 30), dt.date(2021, 6, 30), dt.date(2023, 6, 30), dt.date(2025, 6, 30)]


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_catalog_diff_agrees_with_catalog_coverage(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    for d in scoring.evaluate(con, as_of).to_json()["districts"]:
        diff = views.catalog_diff(con, d["code"], as_of)
        present = int((diff["status"] == "present").sum())
        assert int((diff["status"] != "local_addition").sum()) == 43  # every city item once
        assert round(present / 43, 4) == d["catalog_coverage"], d["district"]
        if views.effective_catalog(con, d["code"], as_of) is None:
            assert present == 0 and d["catalog_coverage"] == 0


def test_catalog_without_publication_date_counts_from_its_load_day(fresh_db) -> None:
    con = duckdb.connect(str(fresh_db))
    con.execute("INSERT INTO district_catalogs VALUES ('c1', '410105', NULL, NULL, NULL, NULL, 'x.xlsx', 'h', 1,"
                " TIMESTAMP '2024-03-05 10:00:00')")
    assert views.effective_catalog(con, "410105", dt.date(2024, 3, 4)) is None
    assert views.effective_catalog(con, "410105", dt.date(2024, 3, 5))["catalog_id"] == "c1"
    assert views.catalog_filing(con, dt.date(2024, 3, 5)).set_index("code").loc["410105", "name"] == "金水区"
    con.close()


def test_heatmap_grid_counts_every_disclosure_in_the_window(con: duckdb.DuckDBPyConnection) -> None:
    since, as_of = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    grid = views.disclosure_heatmap(con, "410105", since, as_of)
    assert grid["month"].nunique() == 12
    total = con.execute("SELECT count(*) FROM disclosures WHERE district_code = '410105' "
                        "AND published_on BETWEEN ? AND ?", [since, as_of]).fetchone()[0]
    assert int(grid["n"].sum()) == total > 0


def test_search_and_meta(con: duckdb.DuckDBPyConnection) -> None:
    assert len(views.standard_catalog(con)) == 43
    assert len(views.standard_catalog(con, "  ")) == 43  # blank search = everything
    hits = views.standard_catalog(con, "S07")
    assert list(hits["item_id"]) == ["S07"]
    assert views.is_sample(con) is True
    assert views.standard_source(con) == "reconstruction"
    counts = views.data_counts(con)
    assert counts["catalogs"] > 0 and counts["disclosures"] > 0
    assert views.data_version(con).split(":")[0] == str(con.execute("SELECT max(run_id) FROM load_runs").fetchone()[0])
