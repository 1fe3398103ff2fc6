"""Chinese texts of the manual part of the evaluation (DESIGN §12): evaluator-checked indicators
(人工核查项), veto items (单项否决), bonus points (加分), their findings (核查记录), the `finding`
CLI and the 人工核查 page. Keys are the English ids of scoring/rules.toml and code.
"""
from __future__ import annotations

# Every [[manual]] id of the default rules: a short label and what the evaluator checks.
MANUAL_LABELS: dict[str, str] = {
    "staffing": "政务公开机构和专人负责",
    "training": "培训纳入标准目录",
    "service_hall": "政务服务大厅信息公开专区",
    "portal_column": "门户网站基层政务公开专题",
    "participation": "公众参与和解读回应机制",
    "village_extension": "向村（居）务公开延伸",
}
MANUAL_DEFINITIONS: dict[str, str] = {
    "staffing": "明确政务公开工作机构，并指定专人负责（是/否，人工核查）。",
    "training": "政务公开培训内容包含本领域标准目录（是/否，人工核查）。",
    "service_hall": "政务服务大厅设置信息公开专区，提供查阅服务（是/否，人工核查）。",
    "portal_column": "县级政府门户网站设置基层政务公开专题并持续更新（是/否，人工核查）。",
    "participation": "座谈会、听证会、征求意见和解读回应等公众参与机制，每建立一项得1分，按满分折算（人工核查）。",
    "village_extension": "编制村（居）务公开事项清单，向村（居）务公开延伸（是/否，人工核查）。",
}
BONUS_LABELS: dict[str, str] = {
    "demonstration": "示范先行",
}
BONUS_DEFINITIONS: dict[str, str] = {
    "demonstration": "经市住房保障局认定的示范先行工作，按认定加分。",
}
VETO_LABELS: dict[str, str] = {
    "no_catalog": "未发布公开目录",
}
# What each veto condition means (the closed set of scoring.manual.VETO_CONDITIONS).
VETO_CONDITION_TEXT: dict[str, str] = {
    "no_catalog": "截至评估日没有现行有效的公开目录",
    "milestone_missed": "时间节点「{label}」截至评估日未完成",
    "manual_failed": "人工核查项「{label}」核查结果为不达标",
}
VETO_EFFECT_TEXT: dict[str, str] = {
    "grade_cap": "等次最高为{grade}",
    "score_cap": "得分最高为{score}分",
}
VETO_REASON = "单项否决「{label}」：{condition}，{effects}。"
VETO_EVIDENCE = "核查依据：{evidence}。"
EFFECT_SEPARATOR = "，"

POINTS = "{n}分"
CHOICE = "{id}（{label}）"
CHOICE_SEPARATOR = "、"
ADJUSTMENT_COLUMNS: dict[str, str] = {"kind": "类别", "label": "事项", "points": "分值", "reason": "原因"}
SCALE_LABELS: dict[str, str] = {"yes_no": "是/否", "points": "0～{max}分"}
YES, NO = "是", "否"
UNCHECKED = "未核查"
BONUS_REASON = "{label}：加{points}分（{on}起）。"
BONUS_REASON_CLIPPED = "{label}：认定{value}分，超过该项上限，按{points}分计（{on}起）。"
BONUS_CAPPED = "加分合计{total}分，超过上限，按{cap}分计。"
NOTE_PART = "说明：{note}。"
EVIDENCE_PART = "佐证：{evidence}。"
EVIDENCE_FILE = "{path}（sha256 {sha}）"

# Gap rows (things that cost points) for manual indicators and vetoes.
GAP_CATEGORY_LABELS: dict[str, str] = {
    "manual": "人工核查未达标",
    "veto": "单项否决",
}
GAP_MANUAL = "人工核查项「{label}」核查结果为{value}（{on}起，满分{full}）。"
REMEDIES: dict[str, str] = {
    "manual": "按要求整改后，向市住房保障局提供佐证材料申请重新核查。",
    "veto": "消除否决情形（如印发公开目录）后重新评估。",
}

# Word notice (reports/notice.py): vetoes and bonuses with their reasons.
NOTICE_ADJUSTMENTS = "单项否决和加分情况如下："
NOTICE_LINE = "{unit}：{reason}"
NOTICE_UNIT_BONUS = "加分：{reason}"

# Fix planner.
FIX_KIND_LABEL = "提供佐证材料"
FIX_DESCRIPTION = "为指标「{label}」提供佐证材料"

# Rules-file problems of [[manual]], [[veto]], [[bonus]] and [bonus_total]; each names key and file.
RULES_ERRORS: dict[str, str] = {
    "duplicate_id": "规则文件 {file} 中 {key} 的编号「{value}」重复，请保持唯一。",
    "bad_scale": "规则文件 {file} 中 {key} 的取值 {value} 无效，可选：yes_no（是/否）、points（0～满分）。",
    "max_points_needed": "规则文件 {file} 中 {key} 缺少或无效：scale 为 points 时须给出大于0的满分，实际为 {value}。",
    "max_points_unused": "规则文件 {file} 中 {key} 仅在 scale = \"points\" 时使用，请删除。",
    "not_boolean": "规则文件 {file} 中 {key} 应为 true 或 false，实际为 {value}。",
    "bad_condition": "规则文件 {file} 中 {key} 的条件 {value} 无效，可选：no_catalog、milestone_missed:<时间节点编号>、manual_failed:<人工核查项编号>。",
    "unknown_grade": "规则文件 {file} 中 {key} 的等次 {value} 不在 [[grades]] 中。",
    "bad_score_cap": "规则文件 {file} 中 {key} 应为0～100之间的数字，实际为 {value}。",
    "no_effect": "规则文件 {file} 中 {key} 须至少给出 grade_cap（等次上限）或 score_cap（得分上限）之一。",
    "bad_points": "规则文件 {file} 中 {key} 应为大于0的数字，实际为 {value}。",
    "id_clash": "规则文件 {file} 中 {key} 的编号「{value}」与其他指标或加分项重复。",
}

# Findings (核查记录): refusals, shared by the CLI and the page.
FINDING_ERRORS: dict[str, str] = {
    "unknown_indicator": "未知的核查指标「{value}」，可选：{choices}。",
    "bad_yes_no": "指标「{label}」的核查结果「{value}」无效，请填写 是 或 否（也可用 yes/no、1/0）。",
    "bad_points": "指标「{label}」的核查结果「{value}」无效，请填写0～{max}之间的数字。",
    "bad_bonus": "加分项「{label}」的分值「{value}」无效，请填写0～{max}之间的数字。",
    "evidence_required": "指标「{label}」的达标结论须提供佐证材料（网址或文件），请使用 --evidence。",
    "evidence_missing": "佐证文件 {path} 不存在或无法读取。",
    "evidence_bad_url": "佐证「{value}」既不是 http(s) 网址，也不是存在的文件。",
    "blank_actor": "未记录核查人，请先登录。",
}

# CLI (python -m scoring finding …).
FINDING_CLI_HELP: dict[str, str] = {
    "finding": "人工核查记录：录入或查看人工核查项、加分项的核查结果",
    "set": "录入一条核查结果（同一单位、同一指标的新结果自其适用日起取代旧结果）",
    "list": "列出核查结果",
    "district": "单位名称、简称或代码",
    "indicator": "指标编号（如 staffing、participation、demonstration）",
    "value": "核查结果：是/否（yes/no、1/0），或分值",
    "on": "结果适用日期（YYYY-MM-DD）",
    "note": "核查说明",
    "evidence": "佐证材料：网址，或文件路径（文件复制到 data/raw/findings/ 并记录 sha256）",
    "raw_dir": "佐证文件保存目录，默认 data/raw",
    "by": "核查人，默认为命令行用户",
}
FINDING_SAVED = "已记录核查结果 #{id}：{district}「{label}」= {value}（{on}起）"
FINDING_LIST_HEADER = ("编号", "单位", "指标", "结果", "适用日期", "说明", "佐证", "核查人", "录入时间")
FINDING_NONE = "暂无核查记录。"
FINDING_ACTOR = "命令行:{user}"

# 人工核查 page.
PAGE_TITLE = "人工核查"
PAGE = {
    "intro": "录入和查看人工核查项、加分项的核查结果。同一单位、同一指标的新结果自其适用日起取代旧结果；"
             "适用日期晚于评估日的结果不计入该次评估。",
    "record": "录入核查结果",
    "district": "单位",
    "indicator": "指标",
    "value": "核查结果",
    "value_points": "分值（0～{max}）",
    "on": "适用日期",
    "note": "核查说明",
    "evidence_url": "佐证网址",
    "evidence_file": "佐证文件",
    "submit": "保存",
    "saved": "已保存核查结果 #{id}。",
    "overview": "核查情况（截至{as_of}）",
    "history": "全部核查记录",
    "none": "暂无核查记录。",
    "actor": "市住房保障局督导",
}
# Column headers of the findings tables (page and self-check).
FINDING_COLUMNS: dict[str, str] = {
    "finding_id": "编号",
    "district": "单位",
    "indicator": "指标",
    "value": "结果",
    "applies_from": "适用日期",
    "note": "说明",
    "evidence": "佐证",
    "recorded_by": "核查人",
    "recorded_at": "录入时间",
}
SELF_CHECK = {
    "section": "人工核查与加减分",
    "none": "本单位暂无人工核查结果（人工核查项未核查的不参与计分）。",
    "weighted": "加权得分 {weighted}，加分 {bonus}，最终得分 {score}。",
    "vetoes": "单项否决",
    "bonus": "加分",
}
