"""The scope object (accounts.scope) on its own, and the rule that every page read goes through it:
no page imports appkit.cache or queries/scoring read functions directly, every page starts with
enter_page, every queries.views function is classified, and PAGE_ROLES names exactly pages/*.py."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from accounts.scope import ALL_UNIT_VIEWS, PAGE_ROLES, PUBLIC_VIEWS, UNIT_VIEWS, Scope, ScopeError

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "pages").glob("*.py"))


def test_bureau_and_admin_see_everything() -> None:
    for role in ("bureau", "admin"):
        s = Scope("x", role)
        assert s.results(_typed()).districts[2].code == "410183"
        assert s.unit("410103") == "410103" and s.view_allowed("catalog_diff", ("410103",))


def test_district_unit_is_its_own_whatever_is_asked() -> None:
    s = Scope("jinshui", "district", "410105")
    assert s.unit("410103") == "410105" and s.unit(None) == "410105"
    with pytest.raises(ScopeError):
        s.require_unit("410103")
    assert not s.view_allowed("catalog_diff", ("410103",)) and s.view_allowed("catalog_diff", ("410105",))
    assert not s.view_allowed("load_history", ()) and not s.view_allowed("no_such_view", ())
    assert s.pages() == ["district_detail", "self_check", "rounds", "rectification", "catalog"]


def test_a_scope_needs_a_consistent_role_and_unit() -> None:
    with pytest.raises(ScopeError):
        Scope("x", "district")          # a district account without a unit
    with pytest.raises(ScopeError):
        Scope("x", "root")


def test_every_view_is_classified() -> None:
    from queries import views

    public = {n for n, f in inspect.getmembers(views, inspect.isfunction)
              if not n.startswith("_") and f.__module__ == views.__name__}
    assert public == UNIT_VIEWS | ALL_UNIT_VIEWS | PUBLIC_VIEWS


def test_bureau_page_admits_the_bureau_only() -> None:
    from appkit import shell

    source = inspect.getsource(shell.bureau_page)
    assert "enter_page(bureau_only=True)" in source


def test_page_roles_name_exactly_the_page_files() -> None:
    assert set(PAGE_ROLES) == {p.stem for p in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_read_only_through_the_scope(page: Path) -> None:
    tree = ast.parse(page.read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | \
               {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "scoring"
             for a in n.names}
    plain = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert "appkit.cache" not in imported and "queries.views" not in imported and "scoring" not in plain
    assert names <= {"load_rules", "rounds"}  # rules and round writes; every read goes through appkit.scope
    # every page enters through the sign-in gate: enter_page itself, or bureau_page, the bureau pages' head
    text = page.read_text(encoding="utf-8")
    assert "enter_page(" in text or "bureau_page(" in text
    cursors = page.read_text(encoding="utf-8").count("db.cursor()")
    # only the loads of 数据管理 and the round writes of 考评轮次 touch the connection themselves; 网站抓取
    # (issue 15) still reads its crawl report directly — a bureau/admin-only page (enter_page(bureau_only=True)),
    # listed here until it reads through appkit.scope
    assert cursors == 0 or page.stem in ("data_admin", "rounds", "crawl")


def _typed():  # noqa: ANN202
    """A real evaluation of three units, typed (read from JSON as a stored round is)."""
    from scoring import Evaluation

    units = [("410105", "金水区", 1), ("410103", "二七区", 2), ("410183", "新密市", 3)]
    gap = {"category": "missing_item", "item": "一级/二级", "title": None, "missing_elements": [],
           "workdays_late": None, "deadline": None, "rule": "catalog_coverage"}
    return Evaluation.from_json({
        "as_of": "2026-09-30", "since": "2026-01-01", "rules_version": "v",
        "districts": [{"district": n, "code": c, "kind": "区", "rank": r, "score": 90.0 - r, "grade": "优秀",
                       "components": {"catalog_coverage": 0.9}, "missing_items": ["一级/二级"], "overdue": [],
                       "pending": [], "gaps": [{**gap, "detail": f"{n}的问题"}], "calendar_estimated": False,
                       "unclassified_count": 2, "weighted_score": 90.0 - r, "vetoes": [],
                       "bonus": {"points": 0.0, "items": []}, "findings": []}
                      for c, n, r in units]})


def test_the_typed_evaluation_is_cut_like_the_json() -> None:
    ev = _typed()
    district = Scope("jinshui", "district", "410105")
    live = district.results(ev)
    assert [d.code for d in live.districts] == ["410105"] and live.districts[0] is ev.districts[0]
    circulated = district.results(ev, circulated=True)
    own, other = circulated.districts[0], circulated.districts[1]
    assert [d.code for d in circulated.districts] == ["410105", "410103", "410183"]
    assert own.gaps and own.missing_items == ("一级/二级",)
    assert other.gaps == () and other.missing_items == () and other.unclassified_count == 0
    assert (other.rank, other.score, other.components) == (2, 88.0, {"catalog_coverage": 0.9})
    assert "二七区的问题" not in repr(circulated)
    # the shared object is never changed by a cut
    assert [len(d.gaps) for d in ev.districts] == [1, 1, 1]
    for role in ("bureau", "admin"):
        assert Scope("x", role).results(ev) is ev
