"""Chinese texts of the portal crawl (issue #15): CLI lines of `python -m loaders pull`, drift
event names, item bases, and the 网站抓取 page and its section on 数据管理.
Pure Python, no imports from the rest of the project."""
from __future__ import annotations

SOURCE_LINE = ("{kind}｜{district}｜{source}：{result}（页面 {pages}，文章 新增 {new}、变化 {changed}、未变 {unchanged}、"
               "撤下 {removed}，站外 {off_site}，非本领域 {off_field}，robots 禁止 {blocked}，错误 {errors}）")
EVENT_LINE = "  · {event}：{url}（原：{old}；现：{new}）"
SUMMARY_LINE = ("合计：数据源 {sources} 个，失败 {failed} 个；页面 {pages}，新增 {new}，变化 {changed}，撤下 {removed}，"
                "变动事件 {events}，错误 {errors}")
FAILED_TITLE = "有 {n} 个数据源失败（原因见上），其余数据源已照常处理。"

EVENT_LABELS: dict[str, str] = {
    "added": "新增文章",
    "removed": "文章被撤下",
    "title_changed": "标题被修改",
    "date_changed": "日期被修改",
    "catalog_changed": "目录页面或附件有变化",
}
STATUS_LABELS: dict[str, str] = {
    "active": "已计分", "off_site": "站外链接（不计分）", "off_field": "非本领域（不计分）",
    "removed": "已撤下", "failed": "读取失败", "blocked": "robots.txt 禁止抓取（未抓取）",
}
BASIS_LABELS: dict[str, str] = {
    "entry": "数据源清单指定", "column": "栏目名称匹配", "classifier": "标题自动归类", "confirmed": "人工确认",
}
UNCLASSIFIED = "未归类"

# 网站抓取 page (bureau supervisors) and the confirmation section of 数据管理.
PAGE = {
    "caption": "从区县网站栏目抓取的公开信息：疑似倒签、网站内容变动、站外和非本领域条目、待确认归类。",
    "unit": "单位",
    "all_units": "全部单位",
    "flags": "疑似倒签（网址日期或首次抓取日期晚于显示的发布日期）",
    "flags_none": "没有疑似倒签的文章。",
    "events": "网站内容变动（两次抓取之间）",
    "events_none": "两次抓取之间没有发现变动。",
    "skipped": "站外链接和非本领域条目（已记录，不计分）",
    "skipped_none": "没有站外链接或非本领域条目。",
    "pending": "待确认归类（低于自动归类阈值，列出建议事项）",
    "pending_none": "没有待确认归类的文章。",
    "confirm": "确认归类",
    "confirm_item": "归入事项",
    "confirm_done": "已确认 {n} 篇文章的归类，下次抓取继续沿用。",
    "threshold": "疑似倒签阈值：{days} 天（scoring/rules.toml 的 [crawl]）",
    "confirm_article": "文章",
    "source_done": "已完成：{source}",
    "pull_columns": {"source": "数据源", "result": "结果", "pages": "页面", "new": "新增", "changed": "变化",
                     "unchanged": "未变", "removed": "撤下", "off_site": "站外", "off_field": "非本领域",
                     "blocked": "robots 禁止", "errors": "错误", "events": "变动事件"},
}
COLUMNS: dict[str, str] = {
    "name": "单位", "title": "标题", "url": "网址", "published_on": "显示的发布日期", "list_date": "列表日期",
    "url_date": "网址日期", "first_seen": "首次抓取", "backdated_days": "晚于显示日期（天）", "formed_on": "成文日期",
    "kind": "变动", "old_value": "原内容", "new_value": "现内容", "old_evidence": "原页面存档",
    "new_evidence": "现页面存档", "seen_on": "发现日期", "status": "状态", "suggested_item": "建议事项",
    "confidence": "置信度", "item": "所属事项", "item_basis": "归类依据",
}
CONFIRM_CLI = "已确认：{url} → {item}"
CONFIRM_UNKNOWN_ITEM = "事项「{item}」不在标准目录中，请写成“一级/二级”或二级事项名称。"
CONFIRM_UNKNOWN_URL = "数据库中没有抓取到网址为「{url}」的文章。"
