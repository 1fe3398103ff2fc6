"""Hints match the reader (issue 11 items 7 and 9): a district office is never sent to 数据管理 (a
bureau page); developer details (database path, the sources file, shell commands) appear only on
数据管理 in plain words; upload problem tables show — not None; a refused file's problems are all
未导入, never 已导入（提示）."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from page_helpers import ADMIN

from appkit.uploads import with_handling
from loaders.errors import WARNING_KINDS
from ui_text.pages import CATALOG, DATA_ADMIN, DETAIL, NO_DATA, SIDEBAR

ZHONGYUAN = "410102"


def _texts(at) -> list[str]:  # noqa: ANN001
    return [e.value for kind in ("info", "warning", "error", "caption", "markdown", "success")
            for e in getattr(at, kind)]


def test_a_district_office_is_not_sent_to_a_bureau_page(make_app, fresh_db: Path) -> None:
    at = make_app(user={"role": "district", "district_code": ZHONGYUAN}, db=fresh_db,
                  page="pages/district_detail.py")
    infos = [i.value for i in at.info]
    for key in ("no_catalog", "heatmap_empty", "versions_empty"):
        assert DETAIL[f"{key}_district"] in infos
        assert DETAIL[key] not in infos
    assert not any("数据管理" in t for t in _texts(at))


def test_the_bureau_gets_the_bureau_hints(make_app, fresh_db: Path) -> None:
    at = make_app(db=fresh_db)
    at.session_state["unit"] = ZHONGYUAN
    at.switch_page("pages/district_detail.py")
    at.run()
    infos = [i.value for i in at.info]
    # a supervisor cannot open 数据管理 either: told that the data steward uploads, not to go there
    assert DETAIL["no_catalog_bureau"] in infos
    assert DETAIL["no_catalog"] not in infos and DETAIL["no_catalog_district"] not in infos
    assert "请到" not in " ".join(i for i in infos if "数据管理" in i)


def test_the_data_steward_is_sent_to_data_admin(make_app, fresh_db: Path) -> None:
    at = make_app(user=ADMIN, db=fresh_db)
    at.session_state["unit"] = ZHONGYUAN
    at.switch_page("pages/district_detail.py")
    at.run()
    infos = [i.value for i in at.info]
    assert DETAIL["no_catalog"] in infos and DETAIL["heatmap_empty"] in infos
    assert DETAIL["no_catalog_bureau"] not in infos


def test_no_developer_details_outside_data_admin(make_app, pages_db: Path) -> None:
    at = make_app()
    shown = " ".join(_texts(at))
    assert str(pages_db) not in shown and "duckdb" not in shown
    assert "python -m" not in NO_DATA and "python -m" not in CATALOG["reconstruction_note"]
    assert "sources.toml" not in DATA_ADMIN["pull_note"] + DATA_ADMIN["pull_missing"]
    assert "db_path" not in SIDEBAR
    at = make_app(user=ADMIN, page="pages/data_admin.py")  # the data steward
    assert str(pages_db) not in " ".join(c.value for c in at.sidebar.caption)
    assert DATA_ADMIN["tech"] in [e.label for e in at.expander]
    assert DATA_ADMIN["tech_db"].format(path=pages_db) in [c.value for c in at.caption]


def test_a_refused_files_problems_are_all_not_loaded() -> None:
    warning = next(iter(WARNING_KINDS)).value
    rejected = pd.DataFrame({"problem": [warning, warning, "bad_date"],
                             "run_result": ["loaded", "refused", "refused"]})
    handling = list(with_handling(rejected)["handling"])
    values = DATA_ADMIN["handling_values"]
    assert handling == [values["warning"], values["refused"], values["refused"]]
