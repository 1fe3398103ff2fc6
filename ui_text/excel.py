"""Chinese text of the Excel exports: sheet names, headers, the 说明 sheet, remedies per gap category.

Used only by `reports.excel`. Component labels and definitions, gap-category and
milestone-status labels are re-exported from `ui_text.scoring` so each is written once; grade
names are data in scoring/rules.toml.
"""
from __future__ import annotations

from ui_text import manual as _manual
from ui_text.scoring import COMPONENT_DEFINITIONS as DEFINITIONS
from ui_text.scoring import COMPONENT_LABELS, ELEMENT_SEPARATOR, NOT_EVALUATED
from ui_text.scoring import GAP_CATEGORY_LABELS as CATEGORY_LABELS
from ui_text.scoring import MILESTONE_STATUS_LABELS as STATUS_LABELS
from ui_text.self_check import PENDING_DUE, PENDING_OVERDUE, PENDING_OVERDUE_DAYS

__all__ = ["CATEGORY_LABELS", "COMPONENT_LABELS", "DEFINITIONS", "ELEMENT_SEPARATOR", "PENDING_DUE",
           "PENDING_OVERDUE", "PENDING_OVERDUE_DAYS", "STATUS_LABELS"]

REPORT_TITLE = "郑州市保障性住房领域基层政务公开评估结果"
GAP_TITLE = "保障性住房领域基层政务公开问题清单"
CREATOR = "公开督导台"
# The workbook font (East Asian; Excel, WPS and LibreOffice all know 等线 or substitute a CJK face).
FONT_NAME = "等线"
REPORT_SHEET_TITLE = "{title}（截至{as_of}）"  # as_of printed as 2026年12月1日
UNIT_TITLE = "{district} {title}"

SHEETS: dict[str, str] = {
    "about": "说明",
    "ranking": "排名",
    "components": "分项得分",
    "gaps": "问题清单",
    "milestones": "里程碑",
    "pending": "待公开事项",
    "sources": "附件：数据来源",  # the internal annex, always the last sheet
    "manual": "人工核查与加减分",  # DESIGN §12: findings in force, vetoes, bonus items
}
# 人工核查与加减分 sheet: headers and the kind of each row.
MANUAL_HEADERS: dict[str, str] = {"district": "单位", "kind": "类别", "label": "事项", "value": "结果或分值",
                                  "applies_from": "适用日期", "reason": "原因或说明", "evidence": "佐证"}
MANUAL_KINDS: dict[str, str] = {"finding": "人工核查", "veto": "单项否决", "bonus": "加分"}

# 说明 sheet: label of each line of the header block.
ABOUT: dict[str, str] = {
    "as_of": "评估截止日期",
    "window": "统计区间",
    "window_value": "{since}至{as_of}",
    "rules_version": "评分规则版本",
    "unit_count": "参评单位数",
    "sample_warning": "【示例数据】本结果基于系统内置的示例数据生成，仅用于演示，不代表各单位真实情况，请勿印发。",
    "calendar_estimated": "注：部分日期超出已知节假日安排，工作日按周一至周五估算。",
    "weights": "评分权重",
    "sources": "数据来源",
    "definitions": "指标说明",
    "grades": "等级划分",
    "grade_band": "{name}：{min_score:g} 分及以上",
    "grade_band_below": "{name}：低于 {upper:g} 分",
    "ties_text": "得分相同名次并列，下一名次顺延（如 1、2、2、4）；并列单位按单位代码排列。",
    "score_text": "总分 = 100 × Σ(权重 × 得分率) ÷ Σ权重，仅计入有数据的指标（无可评判数据的指标不参与计分），保留两位小数。",
    "no_sources": "（未载入任何数据）",
    "none_text": "排名表中“—”表示该单位此项指标无可评判数据，不参与计分。",
    "points_text": ("折算得分 = 100 × 权重 × 得分率 ÷ 该单位参评指标的权重之和。有指标不参评时，其余指标按参评权重之和"
                    "重新折算（例如权重合计为95时，权重20、得分率100%的指标折算为21.05分），因此折算得分可能高于权重；"
                    "各项折算得分之和即总分。"),
    "sources_title": "附件：数据来源（内部留存，不随通报印发）",
    "sources_note": "仅列出评估截止日期当日及以前发布的目录；此后发布的目录不属于本次评估的依据。",
}

HEADERS: dict[str, str] = {
    "rank": "排名",
    "district": "单位",
    "kind": "类型",
    "code": "代码",
    "score": "得分",
    "grade": "等级",
    "component": "指标",
    "value": "得分率",
    "weight": "权重",
    "points": "折算得分",
    "note": "备注",
    "definition": "说明",
    "category": "问题类别",
    "item": "事项",
    "title": "信息标题",
    "detail": "问题说明",
    "missing_elements": "缺失要素",
    "workdays_late": "逾期工作日",
    "deadline": "公开期限",
    "rule": "影响指标",
    "remedy": "建议整改措施",
    "milestone": "时间节点",
    "status": "完成情况",
    "date": "完成日期",
    "days_late": "逾期天数",
    "source_kind": "数据类别",
    "source": "来源文件或网址",
    "loaded_at": "载入时间",
    "published_on": "发布日期",
    "document_no": "文号",
    "formed_on": "成文日期",
    "workdays_left": "剩余工作日",
    "pending_status": "状态",
    "as_of": "评估截止日期",
}

SOURCE_KINDS: dict[str, str] = {
    "standard": "标准目录",
    "catalog": "事项目录",
    "disclosures": "公开信息台账",
}

NOT_SCORED = NOT_EVALUATED  # one wording everywhere
NONE_MARK = "—"
RANK_OF = "第 {rank} 名（共 {total} 个单位）"
# per-unit sheets: the header block on one line, above the tables
UNIT_HEADER = "单位：{district}　　评估日期：{as_of}　　得分：{score}　　等级：{grade}　　排名：{rank}"
RANK_ONLY = "第 {rank} 名"
NO_GAPS = "未发现扣分问题。"
TRUNCATED = "本表共 {total} 行，超过 Excel 单表行数上限，仅列出前 {shown} 行；完整结果请导出 JSON。"
MILESTONE_WITH_DATE = "{status}（{date}）"
FOOTER = "第 &P 页 / 共 &N 页"

# 建议整改措施: one sentence per gap category (self-check download and 问题清单).
REMEDIES: dict[str, str] = {
    "missing_item": "对照市级标准目录，将该事项补充进本单位目录并重新印发、在政务公开专题公布。",
    "blank_elements": "补齐该事项缺失的目录要素，修订后的目录重新印发并更新网上公布版本。",
    "no_disclosure": "梳理该事项已形成的信息，按目录要求在政务公开专题及时发布，并登记公开台账。",
    "overdue": "核查逾期原因，落实信息形成后按时限发布的工作机制，今后在规定工作日内公开。",
    "pending_overdue": "该信息已形成但尚未公开，请立即发布，并在台账中登记发布日期。",
    "unsynced_interpretation": "政策文件发布后3个工作日内同步发布政策解读，标题注明所解读文件的《》名称。",
    "milestone_2020_09": "尽快以正式文号印发本单位基层政务公开标准目录，并在政务公开专题公布。",
    "milestone_2023_06": "补齐目录事项和要素，确保十个一级事项均有公开信息，全面完成标准化规范化任务。",
}
REMEDIES.update(_manual.REMEDIES)  # manual indicators and vetoes (ui_text/manual.py)

STANDARD_SOURCES: dict[str, str] = {
    "reconstruction": "市级标准目录（据公开资料整理，待以正式印发文本替换）",
    "official": "市级标准目录（正式印发文本）",
}
CITY = "全市"
