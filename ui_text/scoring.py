"""Chinese texts of the scoring package: component and rule labels, statuses, gap and fix sentences,
rules-file errors and CLI messages. Keys are the English ids used in scoring/rules.toml and code.

Grade names (优秀/良好/合格/不合格) are data and live in scoring/rules.toml with their bands.
"""
from __future__ import annotations

from ui_text import manual as _manual

# Every scoring component: a short label and a plain-Chinese definition.
COMPONENT_LABELS: dict[str, str] = {
    "catalog_coverage": "目录覆盖率",
    "element_completeness": "要素完整率",
    "disclosure_coverage": "公开覆盖率",
    "timeliness": "公开及时率",
    "interpretation_sync": "政策解读同步率",
    "milestone_2020_09": "2020年9月底目录编制节点",
    "milestone_2023_06": "2023年6月底全面完成节点",
}

COMPONENT_DEFINITIONS: dict[str, str] = {
    "catalog_coverage": "现行目录中包含的市级标准二级事项数 ÷ 标准事项总数（未发布目录记为0）。",
    "element_completeness": "现行目录每一行九项要素中已填写的比例的平均值（未发布目录记为0）。",
    "disclosure_coverage": "截至评估日至少发布过一条公开信息的标准二级事项数 ÷ 标准事项总数。",
    "timeliness": "评估期内发布、有工作日时限且成文日期已知的公开信息中，在时限内发布的比例；没有可判定的信息时不参评。",
    "interpretation_sync": "评估期内标题含《》的政策文件中，在文件发布后3个工作日内（含当天）发布同名政策解读的比例；没有政策文件时不参评。",
    "milestone_2020_09": "2020年9月30日前以正式文件（带文号）印发目录记为按时（1分），之后印发记为逾期（0.5分），评估日仍未印发记为未完成（0分）。",
    "milestone_2023_06": "2023年6月30日前目录包含全部标准事项且九要素齐全、十个一级事项均有公开信息记为按时，之后达到记为逾期，仍未达到记为未完成。",
}
# The [[manual]] indicators are components too (ui_text/manual.py holds their texts).
COMPONENT_LABELS.update(_manual.MANUAL_LABELS)
COMPONENT_DEFINITIONS.update(_manual.MANUAL_DEFINITIONS)

# Every other key of rules.toml (dotted path): label and definition.
RULE_LABELS: dict[str, str] = {
    "version": "规则版本",
    "weights": "权重",
    "grades": "等次划分",
    "milestones": "时间节点",
    "milestone_values": "节点得分",
    "milestone_values.on_time": "按时完成得分",
    "milestone_values.late": "逾期完成得分",
    "milestone_values.missed": "未完成得分",
    "interpretation": "政策解读同步",
    "interpretation.window_workdays": "解读同步时限（工作日）",
    "interpretation.policy_level1": "政策文件所属一级事项",
    "interpretation.policy_level2": "政策文件所属二级事项",
    "interpretation.interpretation_level1": "政策解读所属一级事项",
    "interpretation.interpretation_level2": "本单位政策解读所属二级事项",
    "evaluation": "评估期",
    "evaluation.default_since": "评估期默认起点",
    "evaluation.trend_start": "趋势起始季度末",
    "crawl": "网站抓取",
    "crawl.backdate_threshold_days": "疑似倒签阈值（天）",
    "crawl.timeliness_uses_latest_credible_date": "及时性采用最晚可信日期",
    "rectification": "整改",
    "rectification.deadline_workdays": "整改期限（工作日）",
    "rectification.due_soon_workdays": "即将到期提醒（工作日）",
}
RULE_LABELS.update({"manual": "人工核查项", "veto": "单项否决", "bonus": "加分项", "bonus_total": "加分合计",
                    "bonus_total.cap": "加分合计上限"})

RULE_DEFINITIONS: dict[str, str] = {
    "version": "规则文件的版本号；评估结果同时记录版本号和文件指纹。",
    "weights": "各项指标在总分中的权重，合计100；不参评的指标不计入，其余按权重折算。",
    "grades": "按总分划分等次：不低于下限即得该等次。",
    "milestones": "两个时间节点的截止日期。",
    "milestone_values": "时间节点按时、逾期、未完成分别折算的分值（0～1）。",
    "milestone_values.on_time": "在截止日期当天或之前完成。",
    "milestone_values.late": "在截止日期之后完成。",
    "milestone_values.missed": "截至评估日仍未完成且截止日期已过。",
    "interpretation": "政策文件与政策解读同步发布的判定参数。",
    "interpretation.window_workdays": "政策解读须在政策文件发布当天至其后第几个工作日内发布。",
    "interpretation.policy_level1": "作为政策文件统计的公开信息所属一级事项。",
    "interpretation.policy_level2": "作为政策文件统计的公开信息所属二级事项。",
    "interpretation.interpretation_level1": "作为政策解读统计的公开信息所属一级事项。",
    "interpretation.interpretation_level2": "测算整改效果时，补发的政策解读归入的二级事项。",
    "evaluation": "评估期的默认设置。",
    "evaluation.default_since": "未指定起点时，评估期从评估日所在年度的1月1日开始。",
    "evaluation.trend_start": "趋势图从这一季度末开始，逐季度评估到评估日。",
    "crawl": "从区县网站栏目抓取的公开信息如何判定日期。",
    "crawl.backdate_threshold_days": "网址中的日期或首次抓取到的日期比页面显示的发布日期晚超过这么多天时，标记为疑似倒签。",
    "crawl.timeliness_uses_latest_credible_date": "为 true 时，及时性按显示日期、网址日期和可信的首次抓取日期中最晚的一个判定；为 false 时只按显示的发布日期。",
    "rectification": "通报印发后，问题清单中的每项问题转为整改任务。",
    "rectification.deadline_workdays": "整改期限为通报印发之日后的第N个工作日。",
    "rectification.due_soon_workdays": "整改期限在N个工作日内的任务在登录时提醒。",
}
RULE_DEFINITIONS.update({
    "manual": "由市住房保障局人工核查、凭佐证材料认定的指标（是/否或0～满分），与测量指标一同按权重计分；未核查的不参与计分。",
    "veto": "单项否决：条件成立时，在加权得分和加分之后限定等次或得分的上限。",
    "bonus": "加分项：经认定后在加权得分之上加分，每项不超过其上限。",
    "bonus_total": "全部加分项合计的限制。",
    "bonus_total.cap": "加分合计不超过该分值；加分后总分不超过100分。",
})

# The one wording, on every screen, workbook and notice, of a component that is not evaluated.
NOT_EVALUATED = "不参评"

MILESTONE_STATUS_LABELS: dict[str, str] = {
    "on_time": "按时完成",
    "late": "逾期完成",
    "missed": "未完成",
    "pending": "未到期",
}

GAP_CATEGORY_LABELS: dict[str, str] = {
    "missing_item": "目录缺少事项",
    "blank_elements": "要素不全",
    "no_disclosure": "事项无公开信息",
    "overdue": "逾期公开",
    "pending_overdue": "待公开已超期",
    "unsynced_interpretation": "政策解读未同步",
    "milestone_2020_09": COMPONENT_LABELS["milestone_2020_09"],
    "milestone_2023_06": COMPONENT_LABELS["milestone_2023_06"],
}
GAP_CATEGORY_LABELS.update(_manual.GAP_CATEGORY_LABELS)

# Gap sentences; {item} is 一级/二级.
GAP_DETAILS: dict[str, str] = {
    "missing_item": "现行目录缺少标准事项「{item}」。",
    "blank_elements": "目录第{row_no}行「{item}」缺少要素：{elements}。",
    "no_disclosure": "事项「{item}」截至{as_of}没有任何公开信息。",
    "overdue": "「{title}」成文于{formed_on}，最迟应于{deadline}公开，实际{published_on}公开，逾期{workdays_late}个工作日。",
    "pending_overdue": "「{title}」成文于{formed_on}，最迟应于{deadline}公开，截至{as_of}尚未公开，已超期{workdays_late}个工作日。",
    "unsynced_interpretation": "政策文件「{title}」于{published_on}发布，最迟应于{deadline}同步发布政策解读，截至评估日未发布。",
}
ELEMENT_SEPARATOR = "、"
ITEM_SEPARATOR = "/"

# Milestone condition sentences.
MILESTONE_CONDITIONS: dict[str, str] = {
    "m2020_met": "已于{date}以文号「{document_no}」印发目录。",
    "m2020_unmet": "截至{as_of}尚无带文号印发的目录。",
    "m2023_met_catalog": "{date}发布的目录包含全部{n}项标准事项且九要素齐全（最后满足的条件），十个一级事项此前均已有公开信息。",
    "m2023_met_disclosure": "{date}一级事项「{level1}」首次有公开信息（最后满足的条件），此时现行目录已包含全部标准事项且九要素齐全。",
    "m2023_unmet": "截至{as_of}尚未满足：{reasons}。",
    "m2023_reason_missing": "目录缺少{count}项标准事项",
    "m2023_reason_blank": "{count}项事项要素不全",
    "m2023_reason_level1": "一级事项{names}没有公开信息",
    "m2023_reason_catalog_history": "在现行目录之前没有同时满足条件的日期",
}
REASON_SEPARATOR = "；"
MILESTONE_GAP = "{label}{status}：{condition}"
NAME_SEPARATOR = "、"
NAME_QUOTE = "「{name}」"

# What-if fixes: kind labels and the sentence for one fix.
FIX_KIND_LABELS: dict[str, str] = {
    "publish_catalog": "编制并印发目录",
    "add_item": "补充目录事项",
    "fill_elements": "补全要素",
    "publish_item": "发布事项公开信息",
    "publish_pending": "按时发布待公开信息",
    "publish_overdue": "发布已超期的待公开信息",
    "publish_interpretation": "同步发布政策解读",
    "issue_catalog": "以正式文件印发目录",
}
FIX_DESCRIPTIONS: dict[str, str] = {
    "publish_catalog": "以带文号的正式文件印发本单位目录（含全部{n}个标准事项及九要素）",
    "add_item": "补充「{item}」事项",
    "fill_elements": "补全「{item}」的要素：{elements}",
    "publish_item": "发布「{item}」的公开信息",
    "publish_pending": "最迟于{deadline}发布「{title}」",
    "publish_overdue": "尽快发布已超期的「{title}」",
    "publish_interpretation": "最迟于{deadline}发布《{name}》的政策解读",
    "issue_catalog": "以带文号的正式文件印发目录",
}

FIX_KIND_LABELS["provide_evidence"] = _manual.FIX_KIND_LABEL
FIX_DESCRIPTIONS["provide_evidence"] = _manual.FIX_DESCRIPTION

# Rules-file problems: each names the key and the file.
RULES_ERRORS: dict[str, str] = {
    "unreadable": "规则文件 {file} 无法读取（{value}），请检查路径。",
    "toml_syntax": "规则文件 {file} 不是有效的 TOML：{value}。",
    "missing_key": "规则文件 {file} 缺少键 {key}，请补充。",
    "unknown_key": "规则文件 {file} 中的键 {key} 无法识别，请删除或改正拼写。",
    "unknown_rule": "规则文件 {file} 中的规则 {key} 不存在，请使用已定义的指标编号。",
    "not_a_table": "规则文件 {file} 中 {key} 应为表（[...]），实际为 {value}。",
    "not_a_number": "规则文件 {file} 中 {key} 应为数字，实际为 {value}。",
    "not_positive": "规则文件 {file} 中权重 {key} 必须大于0，实际为 {value}。",
    "weights_sum": "规则文件 {file} 中 {key} 各项合计应为100，实际为 {value}。",
    "bad_min_score": "规则文件 {file} 中 {key} 应为0～100之间的数字，实际为 {value}。",
    "bands_order": "规则文件 {file} 中等次下限 {key}（{value}）必须低于上一等次，请按分数从高到低排列。",
    "bands_floor": "规则文件 {file} 中最低等次的下限 {key} 应为0，实际为 {value}。",
    "band_duplicate": "规则文件 {file} 中 {key} 出现重复的等次名称「{value}」。",
    "bad_date": "规则文件 {file} 中 {key} 不是有效日期：{value}（应为 YYYY-MM-DD）。",
    "not_a_ratio": "规则文件 {file} 中 {key} 应为0～1之间的数字，实际为 {value}。",
    "not_workdays": "规则文件 {file} 中 {key} 应为不小于0的整数（工作日数），实际为 {value}。",
    "not_text": "规则文件 {file} 中 {key} 应为非空文字，实际为 {value}。",
    "bad_choice": "规则文件 {file} 中 {key} 的取值 {value} 无效，可选：year_start。",
}

# Command line (python -m scoring).
CLI_DESCRIPTION = "公开督导台评估：按评估日计算各单位得分、等次和排名。"
CLI_HELP: dict[str, str] = {
    "evaluate": "按评估日评估全部单位，输出 JSON 或 Excel 通报",
    "as_of": "评估日（YYYY-MM-DD）",
    "since": "评估期起点（YYYY-MM-DD），默认评估日所在年度1月1日",
    "district": "只输出这一单位（名称、简称或代码）；排名仍在全部单位中计算",
    "json": "JSON 输出路径；“-” 表示输出到标准输出（未指定 --excel 时默认）",
    "excel": "Excel 通报输出路径",
    "db": "数据库文件路径，默认 data/compliance.duckdb 或环境变量 COMPLIANCE_DB",
    "rules": "规则文件路径，默认 scoring/rules.toml",
}
CLI_ERRORS: dict[str, str] = {
    "bad_date": "参数 {option} 的日期「{value}」无效，请使用 YYYY-MM-DD 格式，例如 2023-06-30。",
    "since_after_as_of": "评估期起点 {since} 晚于评估日 {as_of}，请检查 --since。",
    "unknown_district": "未知单位「{value}」，请使用以下名称之一：{names}。",
    "unknown_district_many": "未知单位「{value}」，请使用单位名称、简称或代码（共{count}个单位，例如：{names}）。",
    "db_missing": "数据库文件 {path} 不存在。",
    "rules": "规则文件有误：\n{message}",
}
CLI_WROTE: dict[str, str] = {
    "json": "已写出 JSON：{path}",
    "excel": "已写出 Excel 通报：{path}",
}
