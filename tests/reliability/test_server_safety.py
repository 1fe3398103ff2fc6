"""Server hardening and rendering (issue #16 item 7): loopback by default, no tracebacks for
users, no built-in CSV export, file text never rendered as markdown/HTML, downloads formula-safe."""
from __future__ import annotations

import json
import re
import tomllib

import pandas as pd
import plotly.express as px

from appkit.safe_text import escape_figure, plain_md
from reports.safe import csv_download, formula_safe_frame, formula_safe_text
from tests.reliability.helpers import ROOT

HOSTILE = ["![x](http://evil.example/p.png)", "[点我](http://evil.example/)", '<a href="http://evil.example">配租</a>',
           "**粗体** _斜体_ `代码` # 标题 :smile: $x$ | 表格 |", "正常名称"]


def test_streamlit_listens_on_loopback_without_error_details_or_builtin_export() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True
    run = (ROOT / "run.sh").read_text(encoding="utf-8")
    assert '--server.address "${COMPLIANCE_ADDRESS:-127.0.0.1}"' in run


def test_plain_md_escapes_every_markdown_and_html_character() -> None:
    for text in HOSTILE:
        escaped = plain_md(text)
        # Every special character is preceded by a backslash: nothing can open a link, an
        # image, emphasis, code, a heading, an emoji shortcode, maths or a tag.
        for i, ch in enumerate(escaped):
            if ch in "`*_{}[]()<>#+-.!|~:$&" and (i == 0 or escaped[i - 1] != "\\"):
                raise AssertionError(f"unescaped {ch!r} in {escaped!r}")
        assert re.sub(r"\\(.)", r"\1", escaped) == text  # and it still reads the same
    assert plain_md("正常名称") == "正常名称"


def test_escape_figure_shows_links_and_tags_as_text() -> None:
    frame = pd.DataFrame({"item": HOSTILE, "n": [1, 2, 3, 4, 5], "group": HOSTILE})
    fig = escape_figure(px.bar(frame, x="item", y="n", color="group", text="item", hover_data=["group"]))
    shown = fig.to_json()
    assert "<a href" not in json.loads(shown).__repr__()
    assert '&lt;a href="http://evil.example"&gt;配租&lt;/a&gt;' in list(fig.data[2].x)
    assert all("<a" not in str(trace.name) for trace in fig.data)
    assert list(fig.data[4].x) == ["正常名称"]  # ordinary names are untouched


def test_downloads_are_formula_safe_and_chinese_headed() -> None:
    frame = pd.DataFrame({"title": ['=HYPERLINK("http://evil.example","点我")', "+1", "-2", "@SUM(A1)", "\t=1",
                                    "正常标题"], "n": [1, 2, 3, 4, 5, 6]})
    assert formula_safe_text("=1+1") == "'=1+1" and formula_safe_text("1") == "1" and formula_safe_text(3) == 3
    safe = formula_safe_frame(frame)
    assert safe["title"].tolist() == ["'=HYPERLINK(\"http://evil.example\",\"点我\")", "'+1", "'-2", "'@SUM(A1)",
                                      "'\t=1", "正常标题"]
    assert frame["title"][0].startswith("=")  # the input is not modified
    data = csv_download(frame, {"title": "标题", "n": "序号"})
    assert data.startswith("\ufeff标题,序号\n".encode("utf-8"))
    assert "\n=" not in data.decode("utf-8-sig") and "'=HYPERLINK" in data.decode("utf-8-sig")
