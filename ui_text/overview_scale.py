"""督导总览 at scale (issue #17): the wording of the score distribution drawn instead of one bar per
unit when there are too many units to read, and of the ranking table's scrolling note."""
from __future__ import annotations

HISTOGRAM = {
    "title": "得分分布（共{n}个单位，每{step}分一档）",
    "x_axis": "得分区间",
    "y_axis": "单位数",
    "bin": "{low}–{high}分",
}
RANKING_SCROLL = "共{n}个单位，表格内可上下滚动查看全部。"
