"""A database built on first use (with a progress bar), and the empty states of a database that
holds reference data but no district data: each says what is missing and how to fix it."""
from __future__ import annotations

from pathlib import Path

from page_helpers import BUREAU, JINSHUI

from ui_text import self_check as SC
from ui_text.pages import DETAIL, NO_DATA_BUREAU, PAGE_TITLES


def test_missing_database_is_built_from_the_sample_on_first_use(make_app, tmp_path: Path) -> None:
    db = tmp_path / "first_use.duckdb"
    assert not db.exists()
    at = make_app(user=BUREAU, db=db)
    assert db.exists()
    assert [t.value for t in at.title] == [PAGE_TITLES["overview"]]
    assert len(at.dataframe[0].value) == 16


def test_overview_on_a_database_without_district_data(make_app, fresh_db: Path) -> None:
    at = make_app(db=fresh_db)
    assert NO_DATA_BUREAU in [i.value for i in at.info]  # a supervisor: the data steward loads files
    table = at.dataframe[0].value
    assert len(table) == 16  # every unit still appears
    assert (table["catalog_coverage"] == 0).all() and (table["disclosure_coverage"] == 0).all()


def test_detail_on_a_database_without_district_data(make_app, fresh_db: Path) -> None:
    at = make_app(db=fresh_db)
    at.session_state["unit"] = JINSHUI
    at.switch_page("pages/district_detail.py")
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    # the bureau's wording: the data steward loads files (a supervisor cannot open 数据管理)
    for message in (DETAIL["no_catalog_bureau"], DETAIL["overdue_empty"], DETAIL["heatmap_empty_bureau"],
                    DETAIL["versions_empty"]):
        assert message in infos


def test_trend_and_milestones_say_nothing_is_loaded(make_app, fresh_db: Path) -> None:
    """Without district data both pages still draw (every unit at zero) but say why and how to fix it."""
    for page in ("pages/trend.py", "pages/milestones.py"):
        at = make_app(db=fresh_db, page=page)
        assert NO_DATA_BUREAU in [i.value for i in at.info], page  # as a supervisor reads it


def test_self_check_of_a_unit_without_data_says_so(make_app, fresh_db: Path) -> None:
    at = make_app(user={"role": "district", "district_code": JINSHUI}, db=fresh_db)
    assert [t.value for t in at.title] == [SC.TITLE]
    assert SC.NO_DATA in [w.value for w in at.warning]


def test_self_check_of_a_unit_with_data_does_not(make_app) -> None:
    at = make_app(user={"role": "district", "district_code": JINSHUI})
    assert SC.NO_DATA not in [w.value for w in at.warning]


def test_a_database_held_by_another_process_is_reported(make_app, sample_db_copy: Path) -> None:
    import subprocess
    import sys

    from ui_text.pages import SIDEBAR

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); "
         "time.sleep(60)", str(sample_db_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"  # the other process holds the write lock
        at = make_app(user=BUREAU, db=sample_db_copy)
        assert [e.value for e in at.error] == [SIDEBAR["db_locked"].format(path=sample_db_copy.resolve())]
        assert len(at.dataframe) == 0
    finally:
        holder.kill()
        holder.wait()
