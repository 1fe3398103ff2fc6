"""Glossary and shared labels: one English spelling per domain word, one Chinese label each."""
from __future__ import annotations

# The project's vocabulary: code uses the key, screens use the value.
GLOSSARY: dict[str, str] = {
    "catalog": "目录",
    "standard_catalog": "标准目录",
    "district": "单位",
    "item": "事项",
    "level1": "一级事项",
    "level2": "二级事项",
    "element": "要素",
    "disclosure": "公开信息",
    "coverage": "覆盖率",
    "completeness": "完整率",
    "timeliness": "及时率",
    "interpretation": "政策解读",
    "milestone": "时间节点",
    "document_no": "文号",
    "filed_on": "备案日期",
    "local_addition": "本地新增",
    "unclassified": "未归类",
    "workday": "工作日",
    "estimated": "估算",
}

# The nine elements every catalog row carries, keyed by schema column.
ELEMENT_LABELS: dict[str, str] = {
    "level2": "事项名称",
    "content": "公开内容",
    "basis": "公开依据",
    "time_limit": "公开时限",
    "subject": "公开主体",
    "channels": "公开渠道",
    "audience": "公开对象",
    "method": "公开方式",
    "disclosure_level": "公开层级",
}

SAMPLE_BADGE = "示例数据"

# Holiday names as the chinese_calendar package spells them (English) -> Chinese.
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
ADJUSTED_WORKDAY = "{holiday}调休上班"

# A date as printed for readers (通报, button labels): 2026年12月1日, never 2026-12-01.
DATE_TEXT = "{year}年{month}月{day}日"


def date_text(day) -> str:
    """2026-12-01 -> '2026年12月1日' (no leading zeros)."""
    return DATE_TEXT.format(year=day.year, month=day.month, day=day.day)
