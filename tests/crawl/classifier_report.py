"""The classifier figures the README reports (accuracy, share accepted, precision of accepted
titles, per-item precision), computed from tests/crawl/data/labelled_titles.tsv. Run
`python tests/crawl/classifier_report.py` to print the README block; test_classifier.py checks
that the README holds exactly this block."""
from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from loaders.crawl.classify import classify, load_rules  # noqa: E402

LABELLED = Path(__file__).resolve().parent / "data" / "labelled_titles.tsv"


def report_block() -> str:
    with LABELLED.open(encoding="utf-8") as f:
        rows = [(r["title"], r["item"]) for r in csv.DictReader(f, delimiter="\t")]
    results = [(classify(t), item) for t, item in rows]
    best = sum(1 for c, item in results if c.item == item)
    accepted = [(c.item, item) for c, item in results if c.accepted]
    right = sum(1 for got, want in accepted if got == want)
    per_item: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for got, want in accepted:
        per_item[str(got)][1] += 1
        per_item[str(got)][0] += got == want
    order = list(dict.fromkeys(item for _, item in rows))
    lines = [f"标注标题 {len(rows)} 条，覆盖 {len(order)} 个二级事项；阈值 {load_rules().threshold:g}。",
             f"- 最可能事项即正确：{best}/{len(rows)}（{best / len(rows):.1%}）",
             (f"- 达到阈值、自动归类：{len(accepted)}/{len(rows)}（{len(accepted) / len(rows):.1%}），"
             f"其中正确 {right}/{len(accepted)}（{right / len(accepted):.1%}）；其余列为未归类并给出建议事项"),
             "", "| 事项（自动归类到该事项的标题） | 正确/归入 | 精确率 |", "|---|---|---|"]
    for item in order:
        ok, total = per_item.get(item, [0, 0])
        lines.append(f"| {item} | {ok}/{total} | {ok / total:.0%} |" if total else f"| {item} | 0/0 | — |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report_block())
