"""Chinese texts of the loaders: problem templates (one per `loaders.errors.ProblemKind`),
the location phrase, result summaries and the `python -m loaders` help texts.

Each template says what is wrong and what to do; `{value}` is the offending value and
`{detail}` extra detail. `format_problem` puts the location (文件/工作表/行/列) in front.
Pure Python, no imports from the rest of the project.
"""
from __future__ import annotations

# kind -> (what is wrong, what to do). Keys must match loaders.errors.ProblemKind values.
PROBLEM_TEMPLATES: dict[str, tuple[str, str]] = {
    "empty_file": ("文件为空", "请确认上传的是完整的目录或台账文件后重试"),
    "unreadable_file": ("文件无法读取（{detail}）", "请用办公软件打开检查，另存为 xlsx 或 UTF-8 编码的 csv 后重试"),
    "bad_zip": ("文件已损坏或不完整（压缩包无法打开）", "请重新下载或重新导出该文件后重试"),
    "format_mismatch": ("文件扩展名是「{value}」，但内容是 {detail} 格式",
                        "请把文件改为正确的扩展名，或重新导出为扩展名所示的格式"),
    "unknown_format": ("无法识别文件格式", "请提供 xlsx、xls、csv、docx 或含表格的 HTML 网页"),
    "encoding": ("无法识别文本编码", "请另存为 UTF-8 编码，或选择 GB18030 编码后重试"),
    "no_table": ("文件中没有找到{detail}表格（需要含「{value}」等列的表头）",
                 "请检查表头是否完整，或确认上传的是正确的文件"),
    "missing_column": ("表头缺少「{value}」列", "请在表头中补上该列后重试"),
    "unknown_district": ("单位「{value}」不在本市 16 个单位之中",
                         "请使用单位全称或简称（如 金水区、经开区）或区划代码"),
    "missing_item_name": ("该行有内容但二级事项名称为空", "请补全二级事项名称，或删除该行"),
    "missing_level1": ("该行一级事项为空", "标准目录的每一行都要有一级事项，请补全后重试"),
    "duplicate_row": ("与第 {value} 行的事项重复，本行未导入", "请删除重复行或更正事项名称"),
    "missing_title": ("标题为空", "请补全标题，或删除该行"),
    "unclassified_item": ("所属事项「{value}」无法对应到标准目录，已按「未归类」导入",
                          "请把所属事项改为标准目录中的二级事项名称（或“一级/二级”）"),
    "bad_date": ("日期「{value}」无法识别", "请写成 2023-06-01、2023/6/1、2023.6.1 或 2023年6月1日"),
    "impossible_date": ("日期「{value}」不存在", "请核对年月日后更正"),
    "missing_dates": ("成文日期和发布日期都为空", "至少填写成文日期；已发布的还要填写发布日期"),
    "published_before_formed": ("发布日期早于成文日期（{value}）", "请核对两个日期，发布日期不应早于成文日期"),
    "source_not_found": ("找不到文件「{value}」", "请检查路径是否正确"),
    "fetch_failed": ("下载失败（{detail}）", "请检查网址是否可以在浏览器中打开，稍后重试"),
    "fetch_timeout": ("下载超时（{detail}）", "网站响应过慢，请稍后重试"),
    "too_large": ("文件超过大小上限 {detail}", "请确认网址指向的是目录或台账本身"),
    "sources_invalid": ("数据源清单格式错误：{detail}", "请按 docs/ARCHITECTURE.md 中 sources.toml 的格式修改"),
    "bad_option": ("参数「{value}」无效：{detail}", "请按帮助（-h）中的格式填写"),
    "database_error": ("写入数据库时出错（{detail}）", "数据库未做任何修改；请确认没有其他程序正在写入该数据库后重试"),
    # ── crawl (issue #15) and a pull that never aborts (issue #16 item 6) ──
    "fetch_bad_reply": ("网站的应答不是有效的 HTTP 应答（{detail}）",
                        "请确认网址指向的是网站页面；该数据源已跳过，其他数据源照常导入"),
    "fetch_truncated": ("下载不完整：只收到 {value} 字节，应答声明为 {detail} 字节",
                        "网络中断或网站异常，请稍后重试；不完整的内容未导入"),
    "fetch_deadline": ("该数据源超过总时限仍未下载完成", "网站响应过慢，已放弃该数据源；请稍后重试"),
    "bad_url": ("网址「{value}」格式不正确", "请填写以 http:// 或 https:// 开头的完整网址"),
    "redirect_refused": ("网站把请求转向了「{value}」，不是本站的 http(s) 网址，已拒绝跟随",
                         "请核对网址；确需跟随其他网站时，请把该网站加入数据源清单的 allow_hosts"),
    "robots_disallowed": ("网站的 robots.txt 不允许抓取该网址", "已遵守网站规定未抓取；如需该内容请联系网站或手工导入"),
    "scanned_pdf": ("PDF 附件是扫描图片，没有可读取的文字", "扫描件无法自动识别，请手工录入该目录或向单位索取 Excel 版本"),
    "no_catalog_attachment": ("页面中既没有目录表格，也没有可读取的目录附件（{detail}）",
                              "请确认网址指向目录文章，或直接导入目录文件"),
    "mixed_encoding": ("文件混用了两种文本编码：前面各行是 UTF-8，从本行起不是（{detail}）",
                       "请用同一种编码（UTF-8 或 GB18030）重新导出整个文件后重试"),
    "control_characters": ("有 {value} 个单元格含不可见的控制字符（如 NUL），已删除这些字符后导入",
                           "如内容显示不对，请在原文件中检查这些单元格"),
    "encrypted": ("文件已加密（设置了打开密码），无法读取", "请在 Excel 中取消密码保护（文件→信息→保护工作簿）后另存并重试"),
    "formula_not_cached": ("单元格 {value} 是公式「{detail}」，但文件中没有保存计算结果",
                           "请在 Excel 中打开并保存后重试"),
}

LOCATION_PARTS: dict[str, str] = {
    "file": "文件「{}」",
    "sheet": "工作表「{}」",
    "row": "第 {} 行",
    "column": "「{}」列",
}
LOCATION_SEP = "，"
MESSAGE_FORMAT = "{location}：{what}。{fix}。"
NO_LOCATION = "输入"

# Names of the formats, used in format_mismatch details.
FORMAT_NAMES: dict[str, str] = {
    "xlsx": "Excel（xlsx）", "xls": "Excel 97-2003（xls）", "csv": "CSV 文本",
    "html": "HTML 网页", "docx": "Word（docx）", "pdf": "PDF", "zip": "其他压缩包", "ole": "其他 Office 文件",
}

# The "sheet" of a table read from a PDF attachment.
PDF_PAGE_SHEET = "第{n}页"

# What the table was supposed to be, in no_table messages.
TABLE_NAMES: dict[str, str] = {"catalog": "目录", "disclosures": "公开台账", "standard": "标准目录"}


def format_location(file: str | None, sheet: str | None, row: int | None, column: str | None) -> str:
    parts = [LOCATION_PARTS[key].format(val) for key, val in
             (("file", file), ("sheet", sheet), ("row", row), ("column", column)) if val not in (None, "")]
    return LOCATION_SEP.join(parts) or NO_LOCATION


def format_problem(kind: str, file: str | None = None, sheet: str | None = None, row: int | None = None,
                   column: str | None = None, value: str | None = None, detail: str | None = None) -> str:
    """The full Chinese message for one problem: where, what, what to do."""
    what, fix = PROBLEM_TEMPLATES[kind]
    if kind == "no_table" and detail in TABLE_NAMES:
        detail = TABLE_NAMES[detail]
    fields = {"value": value if value is not None else "", "detail": detail if detail is not None else ""}
    return MESSAGE_FORMAT.format(location=format_location(file, sheet, row, column),
                                 what=what.format(**fields), fix=fix)


# --- results, shown by the CLI and the data-management page ---------------------------------
RESULT_LABELS: dict[str, str] = {
    "loaded": "已导入", "unchanged": "内容未变化，未重复导入", "partial": "部分导入", "refused": "拒绝导入",
}
KIND_LABELS: dict[str, str] = {"standard": "标准目录", "catalog": "目录", "disclosures": "公开台账",
                               "column": "网站栏目"}
RESULT_LINE = "{kind}｜{district}｜{source}：{result}（读取 {read} 行，导入 {loaded} 行，拒绝 {rejected} 行）"
INIT_DONE = "数据库已初始化：{path}"
SAMPLE_DONE = "示例数据已导入：{path}（{count} 个文件）"
PROGRESS_LINE = "[{percent:>4}] 正在处理：{message}"
REFUSED_TITLE = "导入被拒绝，数据库未做任何修改："
PARTIAL_NOTE = "已导入有效行；被拒绝的行及原因记录在「rejected_rows」中。"

# --- python -m loaders help texts ---------------------------------------------------------
CLI_HELP: dict[str, str] = {
    "prog": "公开督导台数据导入工具",
    "usage": "用法：",
    "help": "显示本帮助并退出",
    "positionals": "位置参数",
    "options": "选项",
    "commands": "子命令",
    "arg_error": "{prog}：参数错误：{message}",
    "description": "解析区县发布的目录和公开台账（xlsx、xls、csv、HTML、docx），校验后写入数据库。"
                   "成功返回 0；输入有误返回 2，并逐条说明问题所在的文件、工作表、行和列，数据库保持不变。",
    "db": "数据库文件路径（默认：环境变量 COMPLIANCE_DB 或 data/compliance.duckdb）",
    "init": "建立数据库结构并写入标准目录、16 个单位和工作日历",
    "sample": "初始化数据库并导入 data/sample/ 中的示例数据",
    "standard": "用正式印发的标准目录替换当前的市级标准目录",
    "catalog": "导入一个区县的目录",
    "disclosures": "导入一个区县的公开台账（公开信息列表）",
    "pull": "按数据源清单抓取各区县网站栏目、目录文章和台账并导入（礼貌抓取、可中断续抓）",
    "source": "文件路径或 http(s) 网址",
    "district": "单位名称、简称或区划代码，如 金水区、经开区",
    "published_on": "目录发布日期，如 2020-09-18",
    "document_no": "目录印发文号，如 金房保〔2020〕15号",
    "url": "目录所在的政务公开专栏网址",
    "filed_on": "目录备案日期，如 2020-09-25",
    "allow_partial": "只导入有效行，被拒绝的行逐条记录原因（默认：任何一行有误则整个文件不导入）",
    "sources": "数据源清单文件（默认：data/sources.toml）",
    "raw_dir": "下载文件的存档目录（默认：data/raw/）",
    "confirm": "确认抓取到的文章所属事项（抓取时未能自动归类或归类有误），下次抓取继续沿用",
    "confirm_url": "文章网址（见 网站抓取 页面“待确认归类”）",
    "confirm_item": "所属事项：“一级/二级”或二级事项名称，如 配给管理/配租结果",
    "pull_district": "只处理该单位的数据源（名称、简称或区划代码）",
    "delay": "同一网站两次请求之间的间隔秒数（覆盖数据源清单中每项的 delay_s，默认 1 秒）",
}

# ── reliab: texts of the load guards, limits and database checks (ui_text/reliability.py) ──
from ui_text.reliability import GUARD_TEMPLATES as _GUARD_TEMPLATES  # noqa: E402

PROBLEM_TEMPLATES.update(_GUARD_TEMPLATES)
