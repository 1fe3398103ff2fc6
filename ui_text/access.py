"""Chinese texts of sign-in, accounts, roles, scope, evaluation rounds (考评轮次), the Word notice
(通报) and the audit trail. Keys are English ids used in code."""
from __future__ import annotations

from ui_text.pages import NO_ACCESS as PAGE_NO_ACCESS
from ui_text.scoring import NOT_EVALUATED

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

# ── the circulated notice (通报), reports/notice.py ──
NOTICE: dict[str, str] = {
    "title": "关于{name}保障性住房领域基层政务公开工作评估情况的通报",
    "draft_no": "（草稿，未通报）",
    "issuer": "郑州市住房保障局",
    "addressees": "各县（市、区）住房保障部门，郑东新区、郑州经济技术开发区、郑州高新技术产业开发区、郑州航空港经济综合实验区住房保障部门：",
    "opening": "按照《郑州市保障性住房领域基层政务公开标准目录指引》要求，市住房保障局以{as_of}为评估日、"
               "{since}至{as_of}为评估期，对各单位保障性住房领域基层政务公开工作进行了评估。现将评估情况通报如下。",
    "h_overall": "一、总体情况",
    "overall": "本次共评估{units}个单位，平均得分{mean}分。其中{grades}。",
    "grade_count": "{grade}{count}个",
    "milestone": "{label}：按时完成{on_time}个，逾期完成{late}个，未完成{missed}个{pending}。",
    "milestone_pending": "，未到期{count}个",
    "top_units": "得分前三名的单位是{names}；{failing}",
    "failing": "得分低于60分的单位有{names}。",
    "no_failing": "没有得分低于60分的单位。",
    "h_problems": "二、主要问题",
    "problems_intro": "评估共发现问题{total}个，主要集中在以下方面：",
    "problem": "（{no}）{label}。共{count}个，涉及{units}个单位。如{unit}：{example}",
    "no_problems": "本次评估未发现扣分问题。",
    "h_requirements": "三、下一步要求",
    "requirement_1": "（一）抓好问题整改。各单位要对照附件2所列问题逐项整改，于{deadline}前完成，"
                     "并将整改情况书面报送市住房保障局。",
    "requirement_2": "（二）落实“只增不减”。各单位现行目录须完整包含市级标准目录全部事项，九项要素逐项填写，"
                     "目录调整后及时以正式文件印发并在基层政务公开专题公布。",
    "requirement_3": "（三）严格公开时限。对已形成的信息按标准目录规定的时限公开，政策文件发布后同步发布解读，"
                     "逾期未公开的信息立即补充公开。",
    "annex_list": "附件：1. {name}评估排名表\n      2. 各单位问题清单",
    "annex1": "附件1",
    "annex1_title": "{name}评估排名表",
    "annex2": "附件2",
    "annex2_title": "各单位问题清单",
    "unit_heading": "{rank}. {unit}（{score}分，{grade}）",
    "unit_no_problems": "未发现扣分问题。",
    "page_number": "— {page} —",
    "creator": "公开督导台",
}
NOTICE_RANKING_HEADERS = ("名次", "单位", "得分", "等次", "目录覆盖率", "要素完整率", "公开覆盖率", "公开及时率")
NOTICE_PROBLEM_HEADERS = ("序号", "问题类别", "事项", "问题说明")
NOTICE_LIST_SEPARATOR = "、"
NOTICE_NOT_EVALUATED = NOT_EVALUATED  # one wording everywhere
NOTICE_DATE = "{year}年{month}月{day}日"
NOTICE_NUMERALS = "零一二三四五六七八九十"
# East Asian fonts of the notice (official-document conventions) and what to fall back to where
# the GB2312/方正 fonts are not installed.
NOTICE_FONTS: dict[str, str] = {"body": "仿宋_GB2312", "heading": "黑体", "title": "方正小标宋简体", "table": "宋体"}
NOTICE_FONT_FALLBACK: dict[str, str] = {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体"}

# ── accounts: file, command line ──
ACCOUNTS_FILE_HEADER = ("# 公开督导台账户文件（由 python -m accounts 维护，请勿手工填写密码）。\n"
                        "# password 为加盐的 argon2id 摘要；identities 为可用单点登录的邮箱或 subject。\n")
ACCOUNT_ERRORS: dict[str, str] = {
    "bad_file": "账户文件 {path} 中账户「{user}」不完整（需要 role 和 password），请用 python -m accounts 重新添加。",
    "bad_toml": "账户文件 {path} 不是有效的 TOML：{error}",
    "short_password": "密码至少需要8个字符，请从标准输入重新输入。",
    "bad_username": "用户名「{username}」无效：不能为空、不能含空格，最长64个字符。",
    "bad_role": "角色「{role}」无效，应为 admin（数据管理员）、bureau（督导）或 district（区县）。",
    "need_district": "区县账户必须用 --district 指定所属单位，例如 --district 金水区。",
    "district_not_allowed": "角色 {role} 不绑定单位，请去掉 --district。",
    "unknown_district": "未知单位「{value}」，请使用16个单位的名称、简称或代码之一。",
    "exists": "账户「{username}」已存在；如需改密码请用 reset。",
    "unknown_user": "账户「{username}」不存在，请用 list 查看已有账户。",
    "no_password": "没有从标准输入读到密码：请用 echo 或管道输入一行密码。",
}
ACCOUNT_CLI_HELP: dict[str, str] = {
    "description": "公开督导台账户管理：密码从标准输入读取（一行），不接受命令行参数。",
    "commands": "命令",
    "add": "添加账户（密码从标准输入读取）",
    "disable": "停用账户",
    "enable": "启用账户（同时解除锁定）",
    "reset": "重设密码（新密码从标准输入读取，同时解除锁定）",
    "list": "列出账户（不显示密码）",
    "username": "用户名",
    "role": "角色：admin（数据管理员）、bureau（督导）、district（区县）",
    "district": "区县账户所属单位（名称、简称或代码）",
    "identity": "可用单点登录的邮箱或 subject（可重复）",
    "users": "账户文件，默认环境变量 COMPLIANCE_USERS 或 data/users.toml",
}
ACCOUNT_CLI_DONE: dict[str, str] = {
    "add": "已添加账户 {username}（{role}{unit}），账户文件：{path}",
    "disable": "已停用账户 {username}",
    "enable": "已启用账户 {username}",
    "reset": "已重设账户 {username} 的密码",
    "none": "账户文件 {path} 中没有账户（督导台以演示模式运行）。",
    "header": "用户名\t角色\t单位\t状态\t锁定至",
    "active": "启用",
    "inactive": "停用",
    "unit": "，{unit}",
}

# ── sign-in, demo mode, sidebar (appkit.widgets / appkit.scope) ──
PAGE_TITLES: dict[str, str] = {"rounds": "考评轮次", "audit": "审计日志"}
ROLE_LABELS: dict[str, str] = {"admin": "数据管理员", "bureau": "市住房保障局督导人员", "district": "区县住房保障部门"}
SIGN_IN: dict[str, str] = {
    "heading": "登录",
    "username": "用户名",
    "password": "密码",
    "submit": "登录",
    "bad": "用户名或密码不正确。",
    "remaining": "用户名或密码不正确，再错 {n} 次将锁定15分钟。",
    "locked": "该账户因连续5次密码错误已锁定，请于 {until} 后再试，或请数据管理员用 reset 重设密码。",
    "disabled": "该账户已停用，请联系数据管理员。",
    "expired": "超过30分钟未操作，已自动退出，请重新登录。",
    "gone": "账户已停用或已删除，已退出。",
    "sso": "使用单位统一身份认证登录",
    "sso_unmapped": "统一身份认证账户 {who} 未在账户文件中登记，无权访问。请联系数据管理员添加。",
    "broken_file": "账户文件有误，督导台暂停登录：{error}",
    "note": "账户由数据管理员用 python -m accounts 添加；连续5次输错密码锁定15分钟，30分钟未操作自动退出。",
}
DEMO: dict[str, str] = {
    "banner": "演示模式：未配置账户文件（或没有启用的账户），任何人都可以用任意身份查看。"
              "正式使用前请用 python -m accounts add 添加账户。",
    "switch": "演示：以此身份查看",
    "unit": "演示：所属单位",
    "user": "演示用户",
}
SIDEBAR: dict[str, str] = {
    "signed_in_as": "当前用户：{user}（{role}）",
    "source": "查看结果",
    "live": "实时评估",
    "round_option": "{name}（评估日 {as_of}，{status}）",
    "viewing_round": "正在查看考评轮次「{name}」：评估日 {as_of}，评估期 {since} 至 {as_of}，{status}{document}。",
    "document": "，{document_no}",
}
NO_ACCESS = PAGE_NO_ACCESS  # one wording for every refusal (ui_text.pages)

# ── 考评轮次 page ──
ROUNDS_PAGE: dict[str, str] = {
    "caption": "创建考评轮次会把当时的全部评估结果存档；草稿可重新计算或删除，通报后永久冻结。",
    "none": "还没有考评轮次。",
    "none_district": "还没有已通报的考评轮次。",
    "create": "新建考评轮次",
    "name": "轮次名称",
    "name_help": "例如 2026年第三季度",
    "as_of": "评估日",
    "since": "评估期起点",
    "create_button": "创建",
    "created": "已创建考评轮次「{name}」（编号 {id}）。",
    "pick": "选择轮次",
    "ranking": "本轮次排名",
    "recompute": "用当前数据重新计算",
    "recomputed": "已重新计算。",
    "delete": "删除草稿",
    "confirm_delete": "确认删除该草稿轮次",
    "deleted": "已删除考评轮次「{name}」。",
    "circulate": "通报",
    "document_no": "通报文号",
    "circulated_on": "通报日期",
    "circulate_button": "确认通报（通报后不可修改）",
    "circulated": "已以 {document_no} 通报。",
    "frozen": "本轮次已于 {on} 以 {document_no} 通报，结果已冻结。",
    "view": "在各页面查看本轮次结果",
    "viewing": "各页面正在显示本轮次的存档结果。",
    "provenance": "规则版本 {rules_version}；数据指纹 {fingerprint}；{created_by} 创建于 {created_at}；修订 {revision}",
}
ROUNDS_COLUMNS: dict[str, str] = {"id": "编号", "name": "名称", "as_of": "评估日", "since": "评估期起点",
                                  "status": "状态", "document_no": "通报文号", "circulated_on": "通报日期",
                                  "revision": "修订", "created_by": "创建人", "created_at": "创建时间"}
REPORT_ROUND: dict[str, str] = {
    "pick": "考评轮次",
    "excel": "下载「{name}」评估通报 Excel（评估日 {as_of}）",
    "word": "下载「{name}」通报 Word（评估日 {as_of}）",
    "excel_file": "评估通报_{name}_{as_of}.xlsx",
    "word_file": "通报_{name}_{as_of}.docx",
    "no_rounds": "还没有考评轮次：请先到“考评轮次”页创建并通报。下面可下载按当前日期实时计算的结果（未存档）。",
}

# ── 审计日志 page ──
AUDIT_PAGE: dict[str, str] = {"caption": "登录、导入、考评轮次操作、导出和下载的记录，只追加、不可修改。",
                              "action": "操作", "actor": "用户", "all": "全部", "none": "暂无记录。",
                              "hint": "点击表中一行，在下方查看该条记录的完整详情。",
                              "detail": "第 {seq} 条记录的详情"}
AUDIT_ACTIONS: dict[str, str] = {
    "sign_in": "登录", "sign_in_failed": "登录失败", "lockout": "账户锁定", "sign_out": "退出",
    "load": "导入数据", "round_create": "创建考评轮次", "round_recompute": "重新计算考评轮次",
    "round_circulate": "通报考评轮次", "round_delete": "删除考评轮次", "export": "导出", "download": "下载",
    "finding_set": "录入人工核查结果",
    "task_report": "报告已整改", "task_review": "核验整改报告", "dispute_file": "提出申诉", "dispute_decide": "裁定申诉",
}
AUDIT_COLUMNS: dict[str, str] = {"seq": "序号", "at_time": "时间", "actor": "用户", "action": "操作",
                                 "target": "对象", "detail": "详情"}
