"""The audit log: one entry per step, inside the step's transaction.

Every action is a code `area.verb` from an enum with Chinese labels: each app declares
its own (`<app>/audit.py`, a TextChoices named AuditAction) and registers it from its
AppConfig.ready; workflows register their moves (`ballot.open` → 开始投票（测评）) and
document kinds their rendering. `audit_log` refuses a code nobody registered, so the log
never holds an action the 操作记录 page cannot name."""

from typing import Any

from django.db import models

from .actors import Actor
from .models import AuditEntry

_LABELS: dict[str, str] = {}


def audit_actions_register(choices) -> None:
    """Register a TextChoices of action codes (or an iterable of (code, label) pairs)."""
    for code, label in getattr(choices, "choices", choices):
        _LABELS[str(code)] = label


def audit_action_label(action: str) -> str:
    """The Chinese name of an action code; the code itself if it is unknown (old entries)."""
    return str(_LABELS.get(action, action))


def audit_action_known(action: str) -> bool:
    return action in _LABELS


class AuditAction(models.TextChoices):
    """core's own actions."""

    USER_CREATE = "user.create", "新建账号"
    USER_UPDATE = "user.update", "修改账号"
    USER_PASSWORD = "user.password", "重设密码"
    EMAIL_RETRY = "email.retry", "邮件立即重试"
    LOGIN_UNLOCK = "login.unlock", "解除登录锁定"
    IMPORT_RESULT_DOWNLOAD = "import.result_download", "下载初始密码名单"


audit_actions_register(AuditAction)


def audit_log(
    *,
    actor: Actor | None,
    action: str,
    summary: str,
    target: models.Model | None = None,
    campaign=None,
    subject=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one step. Call inside the service's transaction so a failed step leaves no entry."""
    if not audit_action_known(action):
        raise ValueError(f"unregistered audit action {action!r}: add it to its app's audit.py")
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=str(action),
        summary=summary[:500],
        campaign=campaign,
        subject=subject,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


# What each area (the first part of a code) is called, for the 操作记录 page's filter.
AUDIT_AREAS: dict[str, str] = {
    "campaign": "评议活动",
    "stage": "评议活动",
    "content_item": "评议活动",
    "subject": "评议对象",
    "unit": "单位和联系委室",
    "liaison": "单位和联系委室",
    "member": "组成人员",
    "user": "账号",
    "import": "账号",
    "login": "账号",
    "duty_report": "述职报告",
    "group": "初评小组与调查",
    "activity": "初评小组与调查",
    "finding": "初评小组与调查",
    "investigation": "调查报告",
    "investigation_report": "调查报告",
    "deputy": "征求意见问卷",
    "questionnaire": "征求意见问卷",
    "meeting": "评议会议与询问",
    "agenda": "评议会议与询问",
    "inquiry": "评议会议与询问",
    "ballot": "满意度测评",
    "ballot_paper": "满意度测评",
    "opinion": "评议意见",
    "review_opinion": "评议意见",
    "reporting": "评议意见",
    "rectification": "整改",
    "rectification_plan": "整改",
    "rectification_report": "整改",
    "rectification_version": "整改",
    "escalation": "整改",
    "briefing": "情况简报",
    "term_record": "届内履职评议档案",
    "email": "邮件",
}


def audit_action_areas() -> dict[str, list[str]]:
    """Area name → the code prefixes it covers, in a stable order, for a filter. Areas
    without a name here are listed under their prefix."""
    areas: dict[str, list[str]] = {}
    prefixes = {code.split(".")[0] for code in _LABELS} | set(AUDIT_AREAS)
    for prefix in sorted(
        prefixes, key=lambda p: (list(AUDIT_AREAS).index(p) if p in AUDIT_AREAS else 999, p)
    ):
        areas.setdefault(AUDIT_AREAS.get(prefix, prefix), []).append(prefix)
    return areas
