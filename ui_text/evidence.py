"""Chinese texts of the evidence downloads (佐证材料): the file a finding (人工核查) or a
rectification task's self-report kept, offered to the bureau and to the unit it belongs to."""
from __future__ import annotations

EVIDENCE = {
    "finding": "下载佐证：{label}（{name}）",
    "task": "下载佐证：任务 {id}（{name}）",
    "unavailable": "佐证文件「{name}」已不在原处或内容已改变，无法下载，请联系数据管理员。",
}
