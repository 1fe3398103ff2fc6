"""Chinese texts of the load guards, resource limits, history/undo and backup (issue #16).

`GUARD_TEMPLATES` extends `ui_text.errors.PROBLEM_TEMPLATES` (kind -> (what is wrong, what to
do)); the rest are CLI lines of `python -m loaders history|undo|backup|restore`.
Pure Python, no imports from the rest of the project.
"""
from __future__ import annotations

CONFIRM_FIX = ("数据库未做修改；如确认要替换，请在命令后加 --confirm-replace"
               "（数据管理页面勾选「确认替换」）后重新导入")

GUARD_TEMPLATES: dict[str, tuple[str, str]] = {
    "replace_shrinks": ("该来源已导入 {detail} 条公开记录，新文件只有 {value} 条，导入将删除其余记录", CONFIRM_FIX),
    "catalog_shrinks": ("本单位当前目录对应市级事项 {detail} 项，新目录只对应 {value} 项，导入后将取代当前目录",
                        CONFIRM_FIX),
    "catalog_unmatched": ("目录只有 {value} 个事项能对应到市级标准目录（共 {detail} 项），可能不是本单位的标准目录",
                          "请核对文件；" + CONFIRM_FIX),
    "standard_implausible": ("该表有 {value}，不像正式印发的标准目录（应有 {detail}）", CONFIRM_FIX),
    "other_unit": ("{detail}写的是「{value}」而不是本单位，可能选错了单位", "请核对单位；" + CONFIRM_FIX),
    "date_out_of_range": ("日期「{value}」不在合理范围（{detail}）内", "请核对年份后更正"),
    "repeated_row": ("与第 {value} 行完全相同，本行未导入", "请删除重复行"),
    "reexport": ("{detail}的记录与已导入的「{value}」相同，按该来源的重新导出处理（替换该来源，而不是并列导入）",
                 "如确实是另一个来源，请检查文件内容"),
    "sample_over_real": ("数据库中已有正式导入的数据（{detail}），不能向其中导入示例数据",
                         "请用 --db 指定一个新的数据库文件后重试"),
    "db_incomplete": ("数据库不完整或未初始化（{detail}）",
                      "请运行 python -m loaders init，或删除该文件后由督导台重新生成示例数据库"),
    "db_locked": ("数据库正被其他程序写入（{detail}）", "请等待其他导入完成后重试"),
    "too_many_cells": ("「{value}」的单元格数量超过上限（{detail}）",
                       "请删除多余的空白行列（如远处带格式的空单元格）后另存，再导入"),
    "zip_bomb": ("压缩包中的「{value}」解压后过大（{detail}）", "文件可能已损坏或被恶意构造，请重新导出后再导入"),
    "span_too_large": ("合并单元格跨度超出表格范围（{detail}）", "请检查表格的合并单元格，或另存为 xlsx 后再导入"),
    "too_many_rows": ("表格行数超过上限（{detail}）", "请把文件拆分为多个较小的文件后分别导入"),
    "too_costly": ("解析该文件所需的内存或时间超过上限（{detail}），已停止解析", "文件可能已损坏或被恶意构造；请另存为 xlsx 或 csv 后再导入"),
}

# Details built by loaders/guards.py and loaders/store.py.
DATE_COLUMNS: dict[str, str] = {"formed_on": "成文日期", "published_on": "发布日期"}
DATE_RANGE = "{start} 至 {end}"
OTHER_UNIT_SHARE = "共 {total} 条中有 {count} 条"
STANDARD_SHAPE = "{level1} 个一级事项、{items} 个二级事项"
STANDARD_EXPECTED = "{level1} 个一级事项、{low}–{high} 个二级事项"
REEXPORT_SHARE = "新文件 {total} 条中有 {count} 条"

# Why a database is unusable (loaders.db.missing_parts keys).
DB_STATE: dict[str, str] = {
    "no_schema": "缺少数据库结构",
    "building": "上次建库被中断，尚未完成",
    "empty_districts": "缺少 16 个单位的参考数据",
    "empty_standard_catalog": "缺少市级标准目录",
    "empty_calendar": "缺少工作日历",
}
DB_STATE_SEP = "；"

# Details of the resource-limit refusals (loaders/limits.py).
LIMIT_CELLS = "约 {extent:,} 个，上限 {limit:,} 个；实际有内容的单元格 {cells:,} 个"
LIMIT_EXPANDED = "展开后超过 {limit:,} 个单元格，表格只有 {rows:,} 行"
LIMIT_ROWSPAN = "rowspan={span:,}，表格只有 {rows:,} 行"

HISTORY_HEADER = "批次号｜时间｜类型｜单位｜来源｜结果｜导入行数｜替换行数｜状态"
HISTORY_LINE = "{run_id}｜{started_at}｜{kind}｜{district}｜{source}｜{result}｜{loaded}｜{replaced}｜{state}"
HISTORY_EMPTY = "没有导入记录。"
STATE_UNDONE = "已撤销"
STATE_ACTIVE = "有效"
STATE_NONE = "-"
UNDO_DONE = "已撤销第 {run_id} 批导入，数据已恢复到该次导入之前。"
UNDO_ALSO = "同时撤销了依赖它的后续导入：{runs}。"
UNDO_UNKNOWN = "没有第 {run_id} 批导入的记录。请用 python -m loaders history 查看批次号。"
UNDO_NOTHING = "第 {run_id} 批导入没有修改数据（{result}），无需撤销。"
UNDO_ALREADY = "第 {run_id} 批导入已于 {at} 撤销。"
UNDO_DEPENDS = ("第 {run_id} 批导入之后，第 {later} 批导入又修改了同一数据；撤销会一并撤销这些后续导入。"
                "如确认，请加 --force 后重试。")
BACKUP_DONE = "已备份到 {path}（{tables} 张表，{rows} 行）。"
RESTORE_DONE = "已从 {src} 恢复到 {path}（{tables} 张表，{rows} 行，逐表核对一致）。"
BACKUP_NOT_EMPTY = "备份目录「{path}」已存在且不为空。请指定一个新的目录。"
RESTORE_MISSING = "「{path}」不是有效的备份目录（缺少 {file}）。"
RESTORE_MISMATCH = "恢复后「{table}」表与备份不一致（备份 {expected} 行，恢复 {actual} 行），原数据库未被替换。"
DB_MISSING = "数据库文件「{path}」不存在。"

CLI_HELP: dict[str, str] = {
    "history": "列出导入记录（每批导入替换了什么、是否已撤销）",
    "undo": "撤销一批导入，把数据恢复到该次导入之前",
    "backup": "把整个数据库备份到一个新目录",
    "restore": "从备份目录恢复整个数据库（逐表核对）",
    "run_id": "批次号（见 history）",
    "force": "同时撤销依赖该批的后续导入",
    "confirm_replace": "确认替换：即使新文件会使本单位已有数据大幅减少，或内容看起来不属于本单位，也照样导入",
    "dir": "备份目录",
    "history_district": "只列出该单位的导入（名称、简称或区划代码）",
}

# 数据管理 page (appkit/uploads.py, pages/data_admin.py).
PAGE: dict[str, str] = {
    "confirm": "确认替换",
    "confirm_help": "新文件会使本单位已有数据大幅减少，或内容看起来不属于本单位时，导入会被拒绝；"
                    "核对无误后勾选此项再导入。被替换的数据会保留，可在“导入记录”中撤销。",
    "confirm_hint": "如核对无误、确实要替换，请勾选“确认替换”后重新导入。",
    "undo_title": "撤销导入",
    "undo_none": "没有可以撤销的导入。",
    "undo_run": "选择要撤销的批次",
    "undo_placeholder": "请选择批次",
    "undo_option": "第 {run_id} 批：{source}（导入 {loaded} 行）",
    "undo_force": "同时撤销依赖它的后续导入",
    "undo_button": "撤销该批导入",
    "undone": "已撤销",
    "active": "有效",
}
