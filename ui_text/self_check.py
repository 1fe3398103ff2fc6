"""Texts of the 区县自查 (self-check) and 评估通报 (report) pages, keyed by English identifiers.

Component labels and rule definitions live in `ui_text.scoring`; this module holds the
page words, the checklist column headers and the sentences that describe unmet milestones.
"""
from __future__ import annotations

# --- 区县自查 ---------------------------------------------------------------------------------
TITLE = "区县自查"
CAPTION = "本单位的得分、缺项、逾期与待公开事项，以及提分最多的整改建议。"
PICK_UNIT = "单位"
CALENDAR_ESTIMATED = "评估期内有日期超出已知节假日安排，工作日按周一至周五估算。"

METRIC_SCORE = "得分"
METRIC_GRADE = "等级"
METRIC_RANK_OF = "排名（共 {total} 个单位）"
RANK_VALUE = "第 {rank} 名"

SECTION_COMPONENTS = "分项得分"
SECTION_CHECKLIST = "标准目录事项逐项自查"
SECTION_OVERDUE = "逾期公开"
SECTION_PENDING = "待公开事项与期限"
SECTION_PLANNER = "整改建议（按提分多少排序）"
SECTION_GAPS = "问题清单"
SECTION_MILESTONES = "时间节点"

COMPONENT_COLUMNS: dict[str, str] = {
    "label": "分项",
    "value": "得分率",
    "weight": "权重",
    "points": "得分",
    "rule": "评分规则",
}
from ui_text.scoring import NOT_EVALUATED  # noqa: E402  (one wording everywhere)

CHECKLIST_COLUMNS: dict[str, str] = {
    "seq": "序号",
    "level1": "一级事项",
    "level2": "二级事项",
    "in_catalog": "已列入目录",
    "elements_complete": "九要素齐全",
    "missing_elements": "缺少要素",
    "disclosed": "已公开",
    "disclosure_count": "公开条数",
    "last_published_on": "最近公开日期",
}
ONLY_PROBLEMS = "只看有问题的事项"
NO_DATA = ("截至评估日期，本单位的目录中没有任何标准事项，也没有公开信息记录，各项均按零分计。"
           "如已发布目录或公开信息，请把目录文件和公开台账交市住房保障局在“数据管理”中导入。")
CHECKLIST_SUMMARY = "目录覆盖 {in_catalog}/{total} 项，要素齐全 {complete} 项，已公开 {disclosed} 项。"
YES = "是"
NO = "否"
NOT_APPLICABLE = "—"
ELEMENT_SEPARATOR = "、"

OVERDUE_COLUMNS: dict[str, str] = {
    "title": "标题",
    "item": "所属事项",
    "formed_on": "成文日期",
    "deadline": "公开期限",
    "published_on": "发布日期",
    "workdays_late": "逾期工作日",
}
NO_OVERDUE = "评估期内没有逾期公开的信息。"

PENDING_COLUMNS: dict[str, str] = {
    "title": "标题",
    "item": "所属事项",
    "formed_on": "成文日期",
    "deadline": "公开期限",
    "workdays_left": "剩余工作日",
    "status": "状态",
}
PENDING_OVERDUE = "已逾期"
PENDING_OVERDUE_DAYS = "已逾期{n}个工作日"  # the 状态 of an overdue row; its 剩余工作日 stays blank
PENDING_DUE = "未到期"
PENDING_NO_LIMIT = "无工作日时限"
PENDING_SUMMARY = "共 {total} 条已形成、尚未公开，其中 {overdue} 条已超过公开期限（红色）。"
NO_PENDING = "没有已形成但尚未公开的信息。"

PLANNER_COLUMNS: dict[str, str] = {
    "rank": "序号",
    "action": "整改事项",
    "gain": "预计提分",
}
PLANNER_NOTE = ("每项的预计提分按评估日当天单独完成该项计算；同时完成多项时，"
                "得分和排名以下方“完成前 N 项”的结果为准。")
GAIN_TEXT = "+{gain:.2f} 分"
PLANNER_TOP_N = "完成前 N 项整改"
PLANNER_RESULT = "完成前 {n} 项后：得分 {score:.2f}（{grade}），排名第 {rank} 名（当前第 {current_rank} 名）。"
NO_FIXES = "没有可提分的整改项。"

NO_GAPS = "未发现扣分问题。"
# 问题清单 on screen, one table per category (the download keeps one row per gap with every column)
GAP_GROUP_HEADING = "**{category}**（{n}条，影响指标：{rule}）"
GAP_GROUP_REMEDY = "　建议整改措施：{remedy}"
DOWNLOAD_GAPS = "下载{as_of}问题清单（Excel）"
GAP_FILE_NAME = "{district}_问题清单_{as_of}.xlsx"

# Milestone names are ui_text.scoring.COMPONENT_LABELS (one wording on every page).
MILESTONE_STATUS: dict[str, str] = {
    "on_time": "按时完成（{date}）",
    "late": "逾期完成（{date}，晚 {days_late} 天）",
    "missed": "未完成",
    "pending": "未到期，尚未完成",
}
MILESTONE_LINE = "**{label}**：{status}"
MILESTONE_REASON = "- {reason}"
UNMET_NO_NUMBERED_CATALOG = "尚无带文号的目录（发布日期不晚于评估日期）。"
UNMET_NO_CATALOG = "尚未发布目录。"
UNMET_MISSING_ITEMS = "目录缺少 {count} 个标准事项：{items}。"
UNMET_BLANK_ELEMENTS = "{count} 个事项要素不全：{items}。"
UNMET_LEVEL1_UNDISCLOSED = "以下一级事项尚无公开信息：{items}。"
LIST_SEPARATOR = "、"

# --- 评估通报 ---------------------------------------------------------------------------------
REPORT_TITLE = "评估通报"
REPORT_CAPTION = "按评估日期生成全市通报（Excel），可选择单位与是否附各单位明细。"
REPORT_UNITS = "参与通报的单位"
REPORT_PER_DISTRICT = "附各单位明细工作表"
REPORT_PREVIEW = "排名预览"
REPORT_DOWNLOAD = "下载{as_of}评估通报（Excel）"
REPORT_FILE_NAME = "评估通报_{as_of}.xlsx"
REPORT_NO_UNITS = "请至少选择一个单位。"
RANKING_COLUMNS: dict[str, str] = {
    "rank": "排名",
    "name": "单位",
    "score": "得分",
    "grade": "等级",
}
