"""What one signed-in account may read: the scope every page, export and download read goes through.

`Scope(username, role, district)` is built from the account file (or the 演示模式 switch), never
from anything a browser sends. Its methods decide, in one place:
- `pages()`: which pages the role may open;
- `unit(requested)`: the unit a page shows — a district scope always gets its own, whatever the
  page, `?unit=`, session state or URL asked for;
- `results(ev, circulated)`: the typed `scoring.Evaluation` cut to the scope — a district sees only
  its own unit, plus the ranking fields of the other units for a circulated round (the ranking
  across units is visible to a district only once circulated);
- `rounds(list)`: the rounds it may open (a district: circulated ones only);
- `view_allowed(name, args)`: the read-only queries (`queries.views`) it may run;
- `evidence_file(owner, path, sha256)`: the bytes of a kept evidence file (a finding's, a task's)
  of unit `owner` — a district its own unit's only, the bureau every unit's.
Pure Python; never imports Streamlit.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # evidence paths kept inside the project are relative to it

# (url_path, roles that may open it), in sidebar order; dashboard.py maps them to files.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "overview": ("admin", "bureau"),
    "trend": ("admin", "bureau"),
    "milestones": ("admin", "bureau"),
    "district_detail": ("admin", "bureau", "district"),
    "self_check": ("admin", "bureau", "district"),
    "report": ("admin", "bureau"),
    "rounds": ("admin", "bureau", "district"),
    "rectification": ("admin", "bureau", "district"),  # 整改跟踪 (issue #13): a district acts on its own tasks
    "catalog": ("admin", "bureau", "district"),
    "data_admin": ("admin",),
    "crawl": ("admin", "bureau"),  # 网站抓取 (issue #15): 疑似倒签, drift, skipped entries
    "findings": ("admin", "bureau"),  # 人工核查 (DESIGN §12)
    "audit": ("admin",),
}
DEFAULT_PAGE = {"admin": "overview", "bureau": "overview", "district": "self_check"}
# queries.views: those whose first argument is a unit code, and those about every unit at once.
UNIT_VIEWS = frozenset({"effective_catalog", "catalog_diff", "disclosure_heatmap", "catalog_versions"})
ALL_UNIT_VIEWS = frozenset({"catalog_filing", "load_history", "rejected_rows",
                            "crawl_backdated", "crawl_events", "crawl_skipped", "crawl_pending"})  # 网站抓取
PUBLIC_VIEWS = frozenset({"districts", "standard_catalog", "is_sample", "standard_source", "meta", "data_counts",
                          "data_version"})


class ScopeError(PermissionError):
    """A read outside the scope (the page shows 无权访问 and stops)."""


class EvidenceUnavailable(LookupError):
    """An evidence file that was never kept, is gone, or no longer has its recorded sha256."""


@dataclass(frozen=True)
class Scope:
    username: str
    role: str                       # admin | bureau | district
    district: str | None = None     # the unit code of a district scope
    demo: bool = False              # 演示模式: no account file

    def __post_init__(self) -> None:
        if self.role not in DEFAULT_PAGE or (self.role == "district") != bool(self.district):
            raise ScopeError(self.role)

    @property
    def every_unit(self) -> bool:
        return self.role in ("admin", "bureau")

    def as_user(self) -> dict[str, Any]:
        """The dict pages receive from `appkit.shell.enter_page` (rebuilt on every run)."""
        return {"username": self.username, "role": self.role, "district_code": self.district, "demo": self.demo}

    def pages(self) -> list[str]:
        return [p for p, roles in PAGE_ROLES.items() if self.role in roles]

    def allows_unit(self, code: str | None) -> bool:
        return self.every_unit or (code is not None and code == self.district)

    def unit(self, requested: str | None) -> str | None:
        """The unit to show: a district's own, always; for the bureau the one requested."""
        return requested if self.every_unit else self.district

    def require_unit(self, code: str | None) -> str | None:
        if code is not None and not self.allows_unit(code):
            raise ScopeError(code)
        return code

    def results(self, ev: Any, circulated: bool = False) -> Any:
        """The typed evaluation (`scoring.Evaluation`) this scope may see: a district its own unit only; for a circulated round also the other units'
        ranking fields (name, kind, rank, score, grade, components, milestones), their findings
        emptied. A shared (cached) evaluation is never changed: a cut is a new object."""
        if self.every_unit:
            return ev
        own = tuple(d for d in ev.districts if d.code == self.district)
        if circulated:
            from scoring.result_rows import Bonus

            blank = {"pending": (), "gaps": (), "vetoes": (), "findings": (), "bonus": Bonus(), "measures": {},
                     "unclassified_count": 0, "calendar_estimated": False, "weighted_score": None}
            return replace(ev, districts=tuple(d if d.code == self.district else replace(d, **blank)
                                               for d in ev.districts))
        return replace(ev, districts=own)

    def rounds(self, found: Iterable[Any]) -> list[Any]:
        """The rounds this scope may open (objects with `.circulated`)."""
        return [r for r in found if self.every_unit or r.circulated]

    def view_allowed(self, name: str, args: Sequence[Any]) -> bool:
        if name in PUBLIC_VIEWS:
            return True
        if name in UNIT_VIEWS:
            return bool(args) and self.allows_unit(args[0])
        if name in ALL_UNIT_VIEWS:
            return self.every_unit
        return False  # an unknown query is refused until it is classified here

    def evidence_file(self, owner: str | None, path: str | None, sha256: str | None) -> bytes:
        """The bytes of the evidence file kept for unit `owner` (a finding's or a task's): the
        bureau and admin read every unit's, a district its own unit's only — ScopeError otherwise,
        before the file is touched. EvidenceUnavailable when no file is recorded, it is gone, or
        its bytes no longer match the recorded sha256 (kept files are never rewritten)."""
        if not self.allows_unit(owner):
            raise ScopeError(owner)
        if not path or not sha256:
            raise EvidenceUnavailable(path or "")
        target = Path(path) if Path(path).is_absolute() else ROOT / path
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise EvidenceUnavailable(path) from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EvidenceUnavailable(path)
        return data
