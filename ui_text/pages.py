"""Texts of the app shell and the bureau pages: titles, widget labels, column labels, empty states.

Keyed by English identifiers that the pages and `appkit` use; no Streamlit here. Component
labels and definitions are re-exported from `ui_text.scoring` so every screen uses one wording. The self-check
and report pages keep their own texts in `ui_text.self_check`.
"""
from __future__ import annotations

# Component names, definitions and milestone statuses are the scoring package's words (re-exported).
from ui_text.scoring import COMPONENT_DEFINITIONS as COMPONENT_HELP  # noqa: F401
from ui_text.scoring import COMPONENT_LABELS  # noqa: F401
from ui_text.scoring import MILESTONE_STATUS_LABELS as MILESTONE_STATUS  # noqa: F401

APP_TITLE = "公开督导台"
APP_SUBTITLE = "郑州市保障性住房领域基层政务公开督导"

# Page titles, keyed by the page's url_path.
PAGE_TITLES: dict[str, str] = {
    "overview": "督导总览",
    "trend": "趋势",
    "milestones": "里程碑",
    "district_detail": "区县详情",
    "catalog": "标准目录",
    "data_admin": "数据管理",
    "crawl": "网站抓取",
    "self_check": "区县自查",
    "report": "评估通报",
    "findings": "人工核查",
    "rectification": "整改跟踪",
    "sign_in": "登录",
}

# Sign-in gate (an identity choice on the internal network, not authentication).
SIGN_IN = {
    "heading": "选择身份进入督导台",
    "role": "身份",
    "district": "所属单位",
    "submit": "进入",
    "need_district": "区县住房保障部门请选择所属单位。",
    "note": ("这里选择的是使用身份，不是身份认证：督导台部署在住房保障局内部网络，"
             "按所选身份显示相应页面。"),
}
ROLE_LABELS: dict[str, str] = {
    "bureau": "市住房保障局督导人员",
    "district": "区县住房保障部门",
}
SIDEBAR = {
    "signed_in_as": "当前身份：{role}",
    "signed_in_unit": "单位：{unit}",
    "sign_out": "退出",
    "sample_badge": "示例数据",
    "sample_note": "当前数据库载入的是内置示例数据，仅供演示，不代表各单位实际情况。",
    "building": "首次启动：正在用内置示例数据建立数据库……",
    "db_locked": ("无法打开数据库 {path}：另一个程序正在长时间写入（例如整库恢复）。"
                  "请等该程序结束后刷新页面。"),
}
NO_ACCESS = "当前账户无权查看该内容。"
# Shown in an empty picker instead of Streamlit's "Choose an option" / "Choose options".
PLACEHOLDERS = {
    "unit": "请选择单位",
    "units": "请选择一个或多个单位",
    "kinds": "请选择单位类型",
}
NO_DATA = "尚未导入任何区县的目录或公开信息，所有单位均按零分计。请到“数据管理”页上传目录和公开记录。"
# the same as a bureau supervisor reads it (only the data steward opens 数据管理)
NO_DATA_BUREAU = "尚未导入任何区县的目录或公开信息，所有单位均按零分计。目录和公开记录由数据管理员在“数据管理”页导入。"

# Shared period pickers.
PERIOD = {
    "as_of": "评估日期",
    "as_of_help": "按该日期评估：只计入此日及之前发布的目录和公开信息。",
    "since": "统计区间起点",
    "since_help": "及时率和政策解读同步率只统计该日期至评估日期之间发布的信息。",
    "since_after_as_of": "统计区间起点不能晚于评估日期，已按当年1月1日计算。",
    # the dates count only after 确定: typing alone changes nothing on the page or in a download
    "submit": "确定",
    "current": "当前按 {as_of} 评估（统计区间 {since} 至 {as_of}）。修改日期后请点击“确定”。",
    "current_no_since": "当前按 {as_of} 评估。修改日期后请点击“确定”。",
}

KIND_LABELS: dict[str, str] = {"区": "区", "县级市": "县级市", "县": "县", "功能区": "功能区"}

# Milestone names: the long form is COMPONENT_LABELS (ui_text.scoring); this short form is only
# for narrow table headers and chart legends.
MILESTONE_SHORT: dict[str, str] = {
    "milestone_2020_09": "2020年节点",
    "milestone_2023_06": "2023年节点",
}
MILESTONE_CELL = {
    "on_time": "按时（{date}）",
    "late": "逾期{days}天（{date}）",
    "missed": "未完成",
    "pending": "未到期",
}

from ui_text.scoring import NOT_EVALUATED  # noqa: E402  (one wording everywhere)

EMPTY_CELL = "—"  # what a table shows for a blank cell (never 'None')

# Milestone status without the completion date, for the narrow ranking table ("since when" = days late).
MILESTONE_CELL_SHORT = {
    "on_time": "按时",
    "late": "逾期{days}天",
    "missed": "未完成",
    "pending": "未到期",
}
# Component names short enough for a narrow column header; the full name is the column's tooltip.
COMPONENT_SHORT: dict[str, str] = {
    "catalog_coverage": "目录覆盖",
    "element_completeness": "要素完整",
    "disclosure_coverage": "公开覆盖",
    "timeliness": "公开及时",
    "interpretation_sync": "解读同步",
}

# Column labels of the tables the pages show, keyed by frame column.
COLUMNS: dict[str, str] = {
    "rank": "排名",
    "name": "单位",
    "code": "代码",
    "kind": "类型",
    "score": "得分",
    "grade": "等级",
    "component": "指标",
    "value": "完成度",
    "weight": "权重",
    "explanation": "说明",
    "title": "标题",
    "item": "所属事项",
    "formed_on": "成文日期",
    "published_on": "发布日期",
    "workdays_late": "逾期工作日",
    "deadline": "公开期限",
    "status": "状态",
    "level1": "一级事项",
    "level2": "二级事项",
    "blank_elements": "空白要素",
    "document_no": "文号",
    "filed_on": "备案日期",
    "filing": "备案情况",
    "url": "网址",
    "source": "来源",
    "loaded_at": "导入时间",
    "rows": "行数",
    "matched_rows": "对应标准事项行数",
    "milestone_date": "完成日期",
    "days_late": "逾期天数",
    "change": "变化",
    "first_score": "起始得分",
    "last_score": "最新得分",
    "quarter_end": "季度末",
    "run_id": "批次",
    "started_at": "时间",
    "load_kind": "类别",
    "result": "结果",
    "rows_read": "读取行数",
    "rows_loaded": "导入行数",
    "rows_rejected": "拒绝行数",
    "message": "说明",
    "file": "文件",
    "sheet": "工作表",
    "row": "行",
    "column": "列",
    "problem_value": "内容",
    "confidence": "可信度",
    "sources": "依据来源",
    "notes": "备注",
    "time_limit_workdays": "时限（工作日）",
    "item_id": "编号",
    "month": "月份",
    "count": "公开条数",
}

OVERVIEW = {
    "caption": "各单位按评估日期的得分、排名与时间节点完成情况。",
    "click_hint": "点击排名表中某个单位所在行的任意位置，即可打开该单位的详情。",
    "units": "参评单位",
    "mean_score": "平均得分",
    "good_units": "优良单位（≥{min_score:g}分）",     # min_score: the 'good' band of rules.toml
    "failing_units": "{name}单位",                    # name: the lowest band of rules.toml
    "kind_filter": "单位类型",
    "ranking": "排名表",
    "chart": "得分分布",
    "open_detail": "查看单位详情",
    "open_button": "打开详情",
    "no_data": NO_DATA,
    "filter_empty": "没有符合筛选条件的单位，请在“单位类型”中至少选择一类。",
}

TREND = {
    "caption": "自2020年9月30日起每季度末的得分。",
    "units": "选择单位",
    "chart": "季度得分",
    "risers": "近四个季度升幅最大",
    "fallers": "近四个季度降幅最大",
    "empty": "评估日期早于2020年9月30日，暂无季度得分。请把评估日期调到之后。",
    "no_units": "请至少选择一个单位。",
    "window": "比较区间：{start} 至 {end}",
    "hover": "%{fullData.name}：%{y:.2f}<extra></extra>",
    "no_risers": "比较区间内没有得分上升的单位。",
    "no_fallers": "比较区间内没有得分下降的单位。",
}

MILESTONES = {
    "caption": "两个时间节点：2020年9月30日前印发带文号的目录；2023年6月30日前目录完整且十个一级事项均有公开信息。",
    "chart": "时间节点完成情况",
    "deadline": "截止日 {date}",
    "as_of": "评估日 {date}（未完成的节点画在此处）",
    "table": "明细",
    "x_axis": "日期",
    "legend": "{milestone}：{status}",
    "milestone": "节点",
    "cell": "完成情况",
    "filed": "已备案（{date}）",
    "not_filed": "未备案",
    "no_catalog": "无目录",
}

DETAIL = {
    "unit": "单位",
    "no_unit": "请选择一个单位。",
    "summary": "得分 {score}，等级 {grade}，排名 第{rank}名（共{total}个单位）",
    "components": "各项指标",
    "catalog_diff": "目录对照（与市级标准目录）",
    "present": "已有",
    "missing": "缺少",
    "local": "本地新增",
    "blank": "要素不全",
    "keeps_all": "只增不减：标准目录的{n}个事项全部保留。",
    "drops_some": "不符合“只增不减”：缺少{n}个标准事项。",
    "no_catalog": "该单位在评估日期前没有已发布的目录。请到“数据管理”上传目录（需填写发布日期）。",
    "diff_status": {"present": "已有", "missing": "缺少", "local_addition": "本地新增"},
    "overdue": "逾期公开",
    "overdue_empty": "统计区间内没有逾期公开的信息。",
    "unpublished_overdue": "已超过公开时限、尚未公开",
    "workdays_past_deadline": "已超期工作日",
    "heatmap": "按月、按一级事项的公开条数",
    "heatmap_empty": "统计区间内该单位没有公开信息。请到“数据管理”上传公开记录。",
    # the same empty states as a bureau supervisor reads them (only the data steward opens 数据管理)
    "no_catalog_bureau": "该单位在评估日期前没有已发布的目录。如该单位已印发目录，请数据管理员在“数据管理”页上传（需填写发布日期）。",
    "heatmap_empty_bureau": "统计区间内该单位没有公开信息。如该单位已发布，请数据管理员在“数据管理”页上传公开记录。",
    # the same empty states as a district office reads them (it cannot open 数据管理)
    "no_catalog_district": "本单位在评估日期前没有已发布的目录。如已印发，请将目录文件（注明发布日期和文号）报送市住房保障局导入。",
    "heatmap_empty_district": "统计区间内本单位没有公开信息。如已发布，请将公开台账报送市住房保障局导入。",
    "versions_empty_district": "尚未导入本单位的任何目录版本。如已印发，请将目录文件报送市住房保障局导入。",
    "versions": "目录版本",
    "versions_empty": "该单位尚未导入任何目录版本。",
    "unclassified": "未归类",
    "month": "{year}年{month}月",
    "district_level2": "本单位目录中的名称",
    "list_sep": "、",
    "calendar_estimated": "评估区间有日期超出已知节假日日历，工作日按周一至周五估算。",
}

CATALOG = {
    "caption": "市级标准目录：{l1}个一级事项、{l2}个二级事项，每个事项九个要素。",
    "search": "搜索（事项名称、公开内容、依据等）",
    "reconstruction_note": ("本目录是根据公开资料重建的版本，每行标有可信度和依据来源。"
                            "正式印发的标准目录到手后将完全替换本表：请在“数据管理”页的“上传标准目录”中上传正式文件。"),
    "official_note": "当前使用的是正式印发的标准目录。",
    "reconstruction_note_bureau": ("本目录是根据公开资料重建的版本，每行标有可信度和依据来源。"
                                   "正式印发的标准目录到手后，由数据管理员在“数据管理”页的“上传标准目录”中上传，完全替换本表。"),
    "reconstruction_note_district": ("本目录是根据公开资料重建的版本，每行标有可信度和依据来源。"
                                     "市住房保障局取得正式印发的标准目录后将完全替换本表，各单位得分随之按正式目录重新计算。"),
    "no_match": "没有符合搜索条件的事项。",
    "confidence": {"high": "高", "medium": "中", "low": "低", "official": "正式"},
    "count": "共 {n} 项",
    "click_hint": "点击某一事项所在行，下方显示该事项九要素、依据来源和备注的全文。",
    "detail": "事项全文：{item}",
    "field": "项目",
    "text": "内容",
}

DATA_ADMIN = {
    "tabs": ["上传目录", "上传公开记录", "上传标准目录", "批量拉取", "导入记录", "被拒与提示"],
    "unit": "单位",
    "file": "选择文件（xlsx、xls、csv、html、docx）",
    "published_on": "发布日期",
    "document_no": "文号",
    "url": "网址",
    "filed_on": "备案日期",
    "partial": "仅导入有效行",
    "partial_help": "勾选后，有问题的行被跳过并记录原因，其余行照常导入。",
    "submit_catalog": "导入目录",
    "submit_disclosures": "导入公开记录",
    "submit_standard": "替换标准目录",
    "standard_note": "上传正式印发的标准目录后，将替换当前标准目录，各单位目录和公开信息会重新对应。",
    "need_file": "请先选择文件。",
    "refused": "导入失败：文件有 {n} 处问题，数据库未作任何改动。",
    "loaded": "导入成功：读取 {read} 行，导入 {loaded} 行。",
    "unchanged": "该文件与已导入的内容相同，无需重复导入。",
    "partial_done": "部分导入：读取 {read} 行，导入 {loaded} 行，跳过 {rejected} 行（原因见下表）。",
    "warnings": "以下提示不影响导入：",
    "pull": "拉取全部登记来源",
    "pull_note": "按已登记的各单位数据来源（目录和公开记录的网址）逐一拉取并导入。",
    "pull_missing": "尚未登记任何数据来源。请数据管理员登记各单位目录和公开记录的网址后再拉取。",
    # for the data steward only (数据管理 is bureau-only): where the files are, in plain words
    "tech": "数据文件位置（供数据管理员维护）",
    "tech_db": "数据库文件：{path}",
    "tech_sources": "数据来源登记文件：{path}",
    "pull_done": "拉取完成：共 {n} 个来源。",
    "pull_progress": "正在拉取：{msg}",
    "history_empty": "还没有任何导入记录。",
    "history_hint": "点击表中一行，在下方查看该批导入的完整说明。",
    "history_detail": "第 {run_id} 批的说明",
    "rows": "读取/导入/拒绝行数",
    "rows_value": "{read} / {loaded} / {rejected}",
    "rejected_empty": "没有被拒绝或需要提示的行。",
    "rejected_caption": "“未导入”的行被拒绝；“已导入（提示）”的行已导入，但有需要更正的地方（如无法对应标准目录的所属事项）。",
    "handling": "处理",
    "handling_values": {"refused": "未导入", "warning": "已导入（提示）"},
    "rejected_run": "选择批次",
    "all_runs": "全部批次",
    "result": {"loaded": "已导入", "unchanged": "无变化", "refused": "被拒绝", "partial": "部分导入"},
    "kind": {"standard": "标准目录", "catalog": "目录", "disclosures": "公开记录"},
    # Streamlit's file uploader speaks English ("Upload", "… per file"); the page overlays these
    "upload_button": "选择文件",
    "upload_limit": "单个文件不超过 {mb}MB",
}

# The project's own table downloads (Streamlit's toolbar CSV is switched off: English headers).
TABLE_DOWNLOAD = {
    "label": "下载本表（Excel）",
    "ranking_title": "各单位得分与排名（截至{as_of}）",
    "ranking_file": "督导总览_排名_{as_of}.xlsx",
    "milestones_title": "时间节点完成情况（截至{as_of}）",
    "milestones_file": "里程碑_{as_of}.xlsx",
    "catalog_title": "市级标准目录",
    "catalog_file": "标准目录.xlsx",
}

# d3 time format of year ticks on date axes: numbers only, never English month names.
CHART_YEAR_TICKS = "%Y年"
# d3 time format of a date in chart hovers: 2023年6月30日
CHART_DATE_HOVER = "%Y年%-m月%-d日"
