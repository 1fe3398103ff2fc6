"""Chinese text of rectification (整改), disputes (申诉) and round comparison (复评对比).

Pure data: statuses and categories keyed by their English ids, error templates keyed by kind,
command-line help, page labels, Excel headers. No Streamlit, no imports from the product.
"""
from __future__ import annotations

TASK_STATUS: dict[str, str] = {
    "open": "待整改",
    "reported": "已整改（待核验）",
    "fixed": "已整改",
    "fixed_late": "逾期整改",
    "overdue": "逾期未整改",
}
DISPUTE_STATUS: dict[str, str] = {"pending": "待裁定", "accepted": "申诉成立", "rejected": "申诉不成立"}
CLOSED_BY: dict[str, str] = {"system": "系统核验", "bureau": "督导确认", "dispute": "申诉成立"}

# Gap categories (the `category` of a gap row) as a supervisor names them.
CATEGORY_LABELS: dict[str, str] = {
    "missing_item": "目录缺项",
    "blank_elements": "要素不全",
    "no_disclosure": "事项无公开信息",
    "overdue": "逾期公开",
    "pending_overdue": "超期未公开",
    "unsynced_interpretation": "政策解读未同步",
    "milestone_2020_09": "2020年9月底时间节点",
    "milestone_2023_06": "2023年6月底时间节点",
    "manual": "人工核查未达标",
    "veto": "单项否决",
}

EVENT_ACTIONS: dict[str, str] = {
    "created": "下发整改任务", "fixed": "系统核验已整改", "overdue": "逾期未整改", "reopened": "问题再次出现，重新打开",
    "reported": "区县报告已整改", "confirmed": "督导确认整改", "rejected": "督导退回整改报告",
    "dispute_accepted": "申诉成立，扣分撤销",
}

# Evidence sentences (evidence["text"]).
EVIDENCE: dict[str, str] = {
    "catalog": "目录版本：{source}（发布日期 {published_on}，文号 {document_no}）",
    "disclosure": "公开信息：「{title}」（发布日期 {published_on}）{url}",
    "evaluation": "{as_of} 系统核验时该问题已不再出现",
    "milestone": "时间节点于 {date} 达成（{status}）",
    "url": "区县提交的链接：{url}",
    "file": "区县提交的文件：{name}（sha256 {sha256}）",
    "dispute": "申诉 {dispute_id} 成立，该项扣分已在修订版 {revision} 中撤销",
    "bureau": "督导 {actor} 确认整改：{note}",
}
NONE_TEXT = "无"
DETAIL_SEPARATOR = "；"

ERRORS: dict[str, str] = {
    "unknown_task": "整改任务 {id} 不存在，请用 python -m scoring tasks 查看任务编号。",
    "unknown_dispute": "申诉 {id} 不存在。",
    "bad_id": "编号 {value} 不是整数。",
    "not_circulated": "轮次 {id}（{name}）尚未印发，不能生成整改任务或受理申诉。",
    "other_unit": "无权操作：整改任务 {id} 属于{unit}，当前账号只能操作本单位的任务。",
    "other_unit_dispute": "无权操作：申诉 {id} 属于{unit}，当前账号只能查看本单位的申诉。",
    "bureau_only": "只有督导（市住房保障局）可以{what}。",
    "not_reportable": "整改任务 {id} 当前状态为「{status}」，只有待整改或逾期未整改的任务可以报告已整改。",
    "not_reported": "整改任务 {id} 当前状态为「{status}」，只有「已整改（待核验）」的任务可以确认或退回。",
    "need_evidence": "报告已整改须附证明材料：填写链接（http/https）或上传文件。",
    "no_reason": "请填写理由。",
    "task_round": "整改任务 {task} 不属于轮次 {round}（它属于轮次 {actual}）。",
    "dispute_exists": "整改任务 {task} 已有申诉 {dispute}（{status}），同一扣分只能申诉一次。",
    "dispute_closed_task": "整改任务 {task} 已关闭（{status}），不能再申诉。",
    "decided": "申诉 {id} 已裁定（{status}），不能再次裁定。",
    "evidence_missing": "证明文件 {path} 不存在或无法读取。",
    "accept_or_reject": "请指定 --accept 或 --reject 之一。",
    "bad_status": "状态 {value} 无效，可选：open、reported、fixed、fixed_late、overdue。",
    "no_measures": "轮次 {id} 创建时未保存各单位的测算数据，无法重算修订版；请重新创建该轮次。",
    "bad_rules": "规则文件 {file} 中 [rectification] 的 {key} 应为正整数，实际为 {value}。",
    "unknown_round": "轮次 {id} 不存在，请用 python -m scoring round list 查看轮次编号。",
}

CLI_HELP: dict[str, str] = {
    "tasks": "整改任务：列出（可按轮次、单位、状态筛选）、核验、报告、确认或退回",
    "round": "轮次编号",
    "district": "单位名称、简称或代码",
    "status": "状态：open、reported、fixed、fixed_late、overdue",
    "verify": "系统核验：用当前数据检查每项未关闭的整改任务（每次导入和抓取后也会自动运行）",
    "as_of": "核验日期（YYYY-MM-DD，默认今天）",
    "report": "区县报告已整改（待核验），须附链接或文件",
    "confirm": "督导确认区县报告的整改",
    "reject": "督导退回区县报告的整改",
    "task_id": "整改任务编号",
    "note": "说明",
    "evidence": "证明材料：链接（http/https）或文件路径",
    "dispute": "申诉：区县对某一扣分提出申诉，督导裁定",
    "file": "提出申诉（输出的最后一个词是申诉编号）",
    "decide": "裁定申诉：成立（撤销该项扣分并生成修订版）或不成立",
    "dispute_id": "申诉编号",
    "task": "被申诉扣分对应的整改任务编号",
    "reason": "理由",
    "accept": "申诉成立：撤销该项扣分，重算得分、等次和排名，生成新修订版",
    "reject_dispute": "申诉不成立",
    "list": "列出申诉",
    "compare": "复评对比：比较两个轮次各单位的得分、等次、排名变化和问题整改情况",
    "round_a": "基准轮次编号（如首评）",
    "round_b": "对比轮次编号（如复评）",
    "raw_dir": "证明文件保存目录（默认 data/raw/）",
    "json": "JSON 输出路径；“-” 表示输出到标准输出（不指定时输出文字列表）",
}

CLI_WROTE: dict[str, str] = {
    "verified": "系统核验（{as_of}）：核验 {checked} 项，新整改 {fixed} 项（其中逾期整改 {fixed_late} 项），"
                "逾期未整改 {overdue} 项，重新打开 {reopened} 项。",
    "reported": "整改任务 {id} 已报告整改，等待督导核验。",
    "confirmed": "整改任务 {id} 已确认：{status}。",
    "rejected": "整改任务 {id} 的整改报告已退回：{status}。",
    "filed": "已提出申诉（轮次 {round}，整改任务 {task}），申诉编号 {id}",
    "accepted": "申诉 {id} 成立：已生成轮次 {round} 的修订版 {revision}。",
    "dispute_rejected": "申诉 {id} 不成立。",
    "tasks_created": "已生成整改任务 {count} 项，整改期限 {deadline}。",
    "no_tasks": "没有符合条件的整改任务。",
    "no_disputes": "没有申诉。",
}
TASK_LIST_HEADER = "编号\t轮次\t单位\t类别\t问题\t期限\t状态\t整改日期"
DISPUTE_LIST_HEADER = "编号\t轮次\t任务\t单位\t状态\t理由"
LOADERS_VERIFY_LINE = "整改任务系统核验：新整改 {fixed} 项，逾期未整改 {overdue} 项，重新打开 {reopened} 项。"

REVISION_NOTE = "申诉 {ids} 成立：撤销「{detail}」的扣分"

# Comparison (复评对比).
COMPARE_SHEET = "复评对比"
COMPARE_GAPS_SHEET = "问题整改明细"
COMPARE_TITLE = "复评对比：{a}（修订版 {rev_a}） → {b}（修订版 {rev_b}）"
COMPARE_HEADERS: dict[str, str] = {
    "district": "单位", "score_a": "首评得分", "score_b": "复评得分", "score_change": "得分变化",
    "grade_a": "首评等次", "grade_b": "复评等次", "rank_a": "首评排名", "rank_b": "复评排名",
    "rank_change": "排名变化（正数为上升）", "fixed": "已整改问题数", "still_open": "仍存在问题数", "new": "新增问题数",
}
GAP_CHANGE_HEADERS: dict[str, str] = {"district": "单位", "change": "变化", "category": "类别", "item": "事项",
                                      "title": "标题", "detail": "问题说明"}
GAP_CHANGE: dict[str, str] = {"fixed": "已整改", "still_open": "仍存在", "new": "新增"}

# Page 整改跟踪.
PAGE: dict[str, str] = {
    "task_hint": "点击表中一行，在下方查看该任务的完整问题说明和整改证明。",
    "task_detail": "任务 {id}：{name}",
    "title": "整改跟踪",
    "caption": "印发的通报问题清单转为整改任务；每次导入或抓取数据后系统自动核验，问题消失即记为已整改。",
    "waiting": "待办事项",
    "due_soon": "5个工作日内到期的任务：{n} 项",
    "overdue": "逾期未整改的任务：{n} 项",
    "disputes_pending": "待裁定的申诉：{n} 项",
    "reported_pending": "待核验的整改报告：{n} 项",
    "nothing_waiting": "当前没有需要处理的事项。",
    "no_rounds": "还没有印发的评估轮次。印发通报后，问题清单会自动转为整改任务。",
    "no_tasks": "没有符合筛选条件的整改任务。",
    "unit": "单位", "status": "状态", "category": "类别", "deadline_before": "期限不晚于",
    "round": "轮次", "all": "全部",
    "tasks": "整改任务",
    "act": "处理整改任务",
    "pick_task": "选择任务",
    "report_heading": "报告已整改",
    "report_note": "整改说明",
    "report_url": "证明链接（http/https）",
    "report_file": "或上传证明文件",
    "report_submit": "提交整改报告",
    "dispute_heading": "对该项扣分提出申诉",
    "dispute_reason": "申诉理由",
    "dispute_url": "证明链接（可选）",
    "dispute_submit": "提交申诉",
    "done_reported": "已提交整改报告，等待督导核验。",
    "done_filed": "已提交申诉，申诉编号 {id}。",
    "disputes": "申诉",
    "no_disputes": "没有申诉。",
    "decide_heading": "裁定申诉",
    "pick_dispute": "选择申诉",
    "decision_reason": "裁定理由",
    "accept": "申诉成立",
    "reject": "申诉不成立",
    "done_accepted": "申诉 {id} 成立，已生成修订版 {revision}。",
    "done_rejected": "申诉 {id} 不成立。",
    "review_heading": "核验区县整改报告",
    "pick_report": "选择整改报告",
    "review_note": "核验意见",
    "confirm": "确认整改",
    "reject_report": "退回",
    "done_confirmed": "已确认整改任务 {id}。",
    "done_report_rejected": "已退回整改任务 {id} 的报告。",
    "verify": "立即系统核验",
    "verified": "系统核验完成：新整改 {fixed} 项，逾期未整改 {overdue} 项，重新打开 {reopened} 项。",
    "compare": "复评对比",
    "compare_a": "基准轮次",
    "compare_b": "对比轮次",
    "compare_download": "下载复评对比（Excel）",
    "compare_need_two": "至少需要两个轮次才能对比。",
    "gap_changes": "问题整改明细",
}
TASK_COLUMNS: dict[str, str] = {
    "id": "编号", "round_id": "轮次", "name": "单位", "category": "类别", "item": "事项", "title": "标题",
    "detail": "问题", "deadline": "整改期限", "status": "状态", "fixed_on": "整改日期", "evidence": "证明",
    "workdays_left": "剩余工作日",
}
DISPUTE_COLUMNS: dict[str, str] = {
    "id": "编号", "round_id": "轮次", "task_id": "任务", "name": "单位", "detail": "被申诉扣分",
    "reason": "理由", "status": "状态", "decision_reason": "裁定理由", "revision": "修订版",
}
ROUND_LABEL = "{id}. {name}（{document_no}）"
PICK_LABEL = "{id}. {district}：{detail}"
TASK_LABEL = "{id}. {detail}"
COMPARE_FILE = "复评对比_{a}_{b}_{day:%Y%m%d}.xlsx"
