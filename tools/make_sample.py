"""Deterministic generator of the bundled sample data in `data/sample/` (issue #2).

Reads the scenarios (`data/sample/scenarios.toml`), the words it writes
(`data/sample/vocabulary.toml`), the city standard catalog and the working-day calendar, and
writes for each of the 16 units its catalog versions (`sample_catalogs`) and disclosure logs
(`sample_logs`) in the formats districts publish (DESIGN §5), plus `sources.toml` and the
scenario table of `README.md`. Fixed seed, fixed workbook timestamps and fixed zip entry
times: re-running produces byte-identical files.

Usage: `python tools/make_sample.py [--out DIR]`.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tomllib
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
for folder in (TOOLS.parent, TOOLS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from sample_catalogs import catalog_rows, write_catalog_csv, write_catalog_html, write_catalog_xlsx  # noqa: E402
from sample_logs import assign_ids, generate_disclosures, write_log  # noqa: E402
from sample_model import PROGRESS, SAMPLE_DIR, SEED, START, CatalogRow, Unit, WorkCalendar  # noqa: E402

from loaders import reference  # noqa: E402
from loaders.names import name_key  # noqa: E402


def load_inputs() -> tuple[dict, dict, list[dict], dict[str, tuple[str, str, list[str]]]]:
    scen = tomllib.loads((SAMPLE_DIR / "scenarios.toml").read_text(encoding="utf-8"))
    vocab = tomllib.loads((SAMPLE_DIR / "vocabulary.toml").read_text(encoding="utf-8"))
    with reference.STANDARD_TSV.open(encoding="utf-8") as f:
        standard = list(csv.DictReader(f, delimiter="\t"))
    units = {d.name: (d.code, d.name, list(d.aliases)) for d in reference.districts()}
    return scen, vocab, standard, units


def summarise(unit: Unit, versions: list[tuple[dict, list[CatalogRow]]], standard: list[dict],
              cal: WorkCalendar) -> dict:
    """What the sample promises for a unit, computed from what was written (for the README)."""
    city = {name_key(r["level2"]) for r in standard}
    catalogs = []
    for version, rows in versions:
        held = [row for row in rows if name_key(row.level2) in city]
        items = len({name_key(row.level2) for row in held})
        full = all(all(row.values.values()) and all(any(t) for t in row.ticks.values()) for row in held)
        catalogs.append((version["published_on"], version.get("document_no"), items, items == len(city) and full))
    filed = [c[0] for c in catalogs if c[1]]
    complete_from = next((c[0] for c in catalogs if c[3]), None)  # versions never lose items here
    level1_first: dict[str, dt.date] = {}
    for r in unit.rows:
        if r.seq and r.published:
            key = standard[r.seq - 1]["level1"]
            level1_first[key] = min(level1_first.get(key, r.published), r.published)
    m2023 = None
    if complete_from and len(level1_first) == len({r["level1"] for r in standard}):
        m2023 = max(complete_from, *level1_first.values())
    judged = [r for r in unit.rows if r.seq not in (None, PROGRESS) and r.published and r.formed]
    late = sum(1 for r in judged if r.published > cal.add(r.formed, 20))
    return {"catalogs": catalogs, "m2020": min(filed) if filed else None, "m2023": m2023,
            "total": len(unit.rows), "late": late,
            "pending": sum(1 for r in unit.rows if r.published is None),
            "unclassified": sum(1 for r in unit.rows if r.seq is None)}


def milestone_text(day: dt.date | None, due: dt.date, words: dict) -> str:
    if day is None:
        return words["missed"]
    return (words["on_time"] if day <= due else words["late"]).format(date=day.isoformat())


def readme_table(summaries: list[tuple[str, dict]], vocab: dict) -> str:
    words = vocab["readme"]
    lines = ["| " + " | ".join(words["columns"]) + " |", "|" + "---|" * len(words["columns"])]
    for name, s in summaries:
        cats = "<br>".join(
            f"{p.isoformat()} / {d or words['no_docno']} / {n}{words['complete'] if full else ''}"
            for p, d, n, full in s["catalogs"]) or words["none"]
        lines.append(f"| {name} | {cats} | {milestone_text(s['m2020'], dt.date(2020, 9, 30), words)} | "
                     f"{milestone_text(s['m2023'], dt.date(2023, 6, 30), words)} | {s['total']} | "
                     f"{s['late']} | {s['pending']} | {s['unclassified']} |")
    return "\n".join(lines)


def toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sources_entry(kind: str, name: str, rel: str, extra: dict[str, object]) -> str:
    lines = [f"[[{kind}]]", f"district = {toml_str(name)}", f"source = {toml_str(rel)}"]
    for key, value in extra.items():
        if value:
            lines.append(f"{key} = {value.isoformat() if isinstance(value, dt.date) else toml_str(str(value))}")
    return "\n".join(lines) + "\n"


def build(out: Path) -> list[tuple[str, dict]]:
    scen, vocab, standard, units = load_inputs()
    cal = WorkCalendar()
    entries = ["# 示例数据的来源清单 (generated by tools/make_sample.py; do not edit by hand).\n"
               "# Paths are relative to this file; entries load in file order.\n"]
    summaries = []
    for cfg in scen["unit"]:
        code, name, _ = units[cfg["name"]]
        unit = Unit(cfg, random.Random(f"{SEED}:{cfg['slug']}"), cfg.get("label", name), code)
        folder = out / cfg["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        portal = f"https://zwgk.{cfg['slug']}.example/jczwgk/bzxzf/"
        versions = []
        for version in cfg.get("catalog", []):
            rows = catalog_rows(unit, version, standard, vocab)
            path = folder / version["file"]
            if path.suffix == ".xlsx":
                write_catalog_xlsx(path, unit, version, rows, vocab)
            elif path.suffix == ".csv":
                write_catalog_csv(path, unit, rows, vocab)
            else:
                write_catalog_html(path, unit, version, rows, vocab)
            versions.append((version, rows))
            pub = version["published_on"]
            url = portal + f"{pub:%Y%m}/t{pub:%Y%m%d}_catalog.html" if path.suffix == ".html" else portal
            entries.append(sources_entry("catalog", name, f"{cfg['slug']}/{path.name}", {
                "published_on": pub, "document_no": version.get("document_no"), "url": url,
                "filed_on": version.get("filed_on")}))
        generate_disclosures(unit, cal, standard, vocab)
        ids = assign_ids(unit)
        remaining = list(unit.rows)
        for spec in cfg["logs"]:
            mine = [r for r in remaining if (r.published or r.formed or START).year <= spec["until"]]
            remaining = [r for r in remaining if r not in mine]
            write_log(folder / spec["file"], unit, spec, mine, vocab, ids)
            entries.append(sources_entry("disclosures", name, f"{cfg['slug']}/{spec['file']}", {}))
        summaries.append((name, summarise(unit, versions, standard, cal)))
    (out / "sources.toml").write_text("\n".join(entries), encoding="utf-8")
    readme = out / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- scenarios:start -->", "<!-- scenarios:end -->"
        if start in text and end in text:
            head, rest = text.split(start, 1)
            text = head + start + "\n" + readme_table(summaries, vocab) + "\n" + end + rest.split(end, 1)[1]
            readme.write_text(text, encoding="utf-8")
    return summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    args = parser.parse_args(argv)
    for name, s in build(args.out):
        print(name, s["m2020"], s["m2023"], s["total"], s["late"], s["pending"], s["unclassified"],
              [(c[0].isoformat(), c[2], c[3]) for c in s["catalogs"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
