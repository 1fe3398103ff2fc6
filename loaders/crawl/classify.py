"""The title classifier: which second-level item a crawled title belongs to, with a confidence.

The rules are data (`data/title_rules.toml`, see its header). `classify(title)` returns the
best item path ("一级/二级"), its confidence and whether it reaches the threshold;
`within` restricts the candidates to one first-level item (a column known to be 政策解读).
Titles are compared after NFKC and the synonym expansion of `data/item_synonyms.csv`.
Pure functions; the rules are read once per file.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders.errors import LoadError, LoadProblem, ProblemKind
from loaders.names import DATA_DIR, synonyms

TITLE_RULES = DATA_DIR / "title_rules.toml"


@dataclass(frozen=True)
class Rule:
    item: str                          # "一级/二级"
    patterns: tuple[re.Pattern[str], ...]
    confidence: float


@dataclass(frozen=True)
class TitleRules:
    threshold: float
    ambiguity_margin: float
    rules: tuple[Rule, ...]
    off_field: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Classification:
    item: str | None          # best item path, None when no rule matched
    confidence: float
    accepted: bool            # confidence >= threshold
    off_field: bool = False   # not a housing-security disclosure (no rule reached the threshold)


@lru_cache(maxsize=4)
def load_rules(path: Path = TITLE_RULES) -> TitleRules:
    """Parse and compile a rules file. Raises LoadError(sources_invalid) naming the rule."""
    name = path.name
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoadError([LoadProblem(ProblemKind.SOURCES_INVALID, name, detail=str(exc))]) from None
    problems: list[LoadProblem] = []
    rules: list[Rule] = []

    def compiled(patterns: object, where: str) -> tuple[re.Pattern[str], ...]:
        out = []
        for p in patterns if isinstance(patterns, list) else []:
            try:
                out.append(re.compile(str(p)))
            except re.error as exc:
                problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, column=where, detail=f"{p}: {exc}"))
        return tuple(out)

    for n, raw in enumerate(doc.get("rule", []), start=1):
        item, conf = raw.get("item"), raw.get("confidence")
        if not isinstance(item, str) or "/" not in item or not isinstance(conf, (int, float)) or not 0 < conf <= 1:
            problems.append(LoadProblem(ProblemKind.SOURCES_INVALID, name, row=n, detail=f"[[rule]] #{n}"))
            continue
        rules.append(Rule(item, compiled(raw.get("patterns"), f"[[rule]] #{n}"), float(conf)))
    off = compiled(doc.get("off_field", {}).get("patterns", []), "off_field")
    if problems:
        raise LoadError(problems)
    return TitleRules(float(doc.get("threshold", 0.6)), float(doc.get("ambiguity_margin", 0.15)), tuple(rules), off)


def normalise_title(title: str) -> str:
    text = unicodedata.normalize("NFKC", title or "")
    text = re.sub(r"\s+", "", text)
    for short, long in synonyms():
        text = text.replace(short, long)
    return text


def classify(title: str, within: str | None = None, rules: TitleRules | None = None) -> Classification:
    """The item a title belongs to (see module docstring); `within` is a first-level name."""
    rules = rules or load_rules()
    text = normalise_title(title)
    scores: dict[str, float] = {}
    for rule in rules.rules:
        if within and rule.item.split("/", 1)[0] != within:
            continue
        if rule.confidence > scores.get(rule.item, 0.0) and any(p.search(text) for p in rule.patterns):
            scores[rule.item] = rule.confidence
    off = any(p.search(text) for p in rules.off_field)
    if not scores:
        return Classification(None, 0.0, False, off)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])  # stable: rule order breaks ties
    best, confidence = ranked[0]
    if len(ranked) > 1 and ranked[1][1] > confidence - rules.ambiguity_margin + 1e-9:
        confidence /= 2
    accepted = confidence >= rules.threshold
    return Classification(best, round(confidence, 4), accepted, off and not accepted)
