"""Chinese texts of sign-in, accounts, roles, scope, evaluation rounds (考评轮次), the Word notice
(通报) and the audit trail. Keys are English ids used in code."""
from __future__ import annotations

ROLE_NAMES: dict[str, str] = {"admin": "数据管理员", "bureau": "督导", "district": "区县"}
ROUND_STATUS: dict[str, str] = {"draft": "草稿", "circulated": "已通报"}
CLI_ACTOR = "命令行:{user}"

# ── rounds: command line and errors ──
ROUND_CLI_HELP: dict[str, str] = {
    "round": "考评轮次：创建、重新计算、通报、删除、列出、查看",
    "create": "按评估日创建考评轮次（草稿），输出轮次编号",
    "recompute": "用当前数据和规则重新计算草稿轮次",
    "circulate": "通报轮次（填写通报文号和日期），通报后不可再修改",
    "delete": "删除草稿轮次",
    "list": "列出全部考评轮次",
    "show": "查看轮次存档的评估结果，可导出 JSON、Excel、Word 通报",
    "id": "轮次编号",
    "name": "轮次名称，例如 2026年第三季度",
    "document_no": "通报文号，例如 郑房保〔2026〕12号",
    "on": "通报日期（YYYY-MM-DD），默认今天",
    "revision": "修订号，0 为通报原件，默认最新修订",
    "docx": "写出 Word 通报到此路径",
}
ROUND_ERRORS: dict[str, str] = {
    "unknown": "考评轮次 {id} 不存在，请用 round list 查看已有轮次。",
    "bad_id": "轮次编号「{value}」无效，应为整数，请用 round list 查看已有轮次。",
    "circulated_recompute": "考评轮次 {id}（{name}）已于 {on} 以 {document_no} 通报，不能重新计算；"
                            "如需更正，请通过申诉复核产生修订。",
    "circulated_delete": "考评轮次 {id}（{name}）已于 {on} 以 {document_no} 通报，不能删除。",
    "circulated_again": "考评轮次 {id}（{name}）已于 {on} 以 {document_no} 通报，不能再次通报。",
    "no_document_no": "通报文号不能为空，请用 --document-no 填写，例如 郑房保〔2026〕12号。",
    "no_name": "轮次名称不能为空，请用 --name 填写，例如 2026年第三季度。",
    "db_locked": "数据库 {path} 正被另一个程序（例如正在运行的督导台）写入，请关闭后重试：{error}",
    "bad_revision": "修订号「{value}」无效，应为整数（0 为通报原件）。",
    "unknown_revision": "考评轮次 {id} 没有修订 {revision}，现有修订：{revisions}。",
    "circulated_before_as_of": "通报日期 {on} 早于评估日 {as_of}，请检查 --on。",
}
ROUND_WROTE: dict[str, str] = {
    "created": "已创建考评轮次（草稿）：{name}，评估日 {as_of}，编号 {id}",
    "recomputed": "已重新计算考评轮次 {id}（{name}）",
    "circulated": "已通报考评轮次 {id}（{name}）：{document_no}，{on}",
    "deleted": "已删除考评轮次 {id}（{name}）",
    "docx": "已写出 Word 通报：{path}",
    "none": "还没有考评轮次。",
}
ROUND_LIST_HEADER = "编号\t名称\t评估日\t状态\t通报文号\t通报日期\t修订"
