"""Rectification concluded by the director's meeting (主任会议决定) instead of a ballot,
and the assessment groups' checks it hears first (seed 000: "整改期间，履职初评小组将负责
对整改情况进行检查督促，并将整改检查情况向主任会议报告"; "经主任会议决定通过或进一步整改")."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store
from core.formats import cn_date
from surveys.groups import subject_group

from ..audit import AuditAction
from ..models import (
    RectificationCheck,
    RectificationKind,
    RectificationReport,
    RectificationReportStatus,
    VersionStatus,
)
from ..selectors import rectification_group_for
from ..workflows import REPORT_WORKFLOW
from .common import _log, _move
from .reports import _current_report, report_continue
from .versions import version_decide

SATISFIED, CONTINUED = "satisfied", "continued"
OUTCOMES = {SATISFIED: "满意", CONTINUED: "继续整改"}


@transaction.atomic
def rectification_check_record(*, actor: Actor, subject, text: str) -> RectificationCheck:
    """The subject's assessment group records its check of the submitted report (one per
    group and round; it may be rewritten until the director's meeting decides)."""
    report = _current_report(subject)
    REPORT_WORKFLOW.action_check(report, actor, "check")
    group = rectification_group_for(actor, subject)
    text = (text or "").strip()
    if not text:
        raise ApplicationError("请写明整改检查意见。")
    check, created = RectificationCheck.objects.update_or_create(
        report=report,
        group=group,
        defaults={"text": text, "recorded_on": timezone.localdate(), "recorded_by": actor},
    )
    check.full_clean()
    _log(
        actor,
        AuditAction.RECTIFICATION_CHECK,
        f"{group.name}{'提出' if created else '修改'}对{subject.person_name}第 {report.round} 轮"
        f"整改情况的检查意见：{text[:80]}",
        subject,
        check,
    )
    return check


def _checks_heard(report: RectificationReport, subject, decided_on: datetime.date) -> list:
    checks = list(report.checks.select_for_update())
    group = subject_group(subject)
    if (
        subject.campaign.groups_oversee_rectification
        and group is not None
        and not any(c.group_id == group.pk for c in checks)
    ):
        raise ApplicationError(
            f"{group.name}尚未提出整改检查意见：主任会议听取检查意见后再作决定。"
        )
    for check in checks:
        check.heard_on = decided_on
        check.save(update_fields=["heard_on"])
    return checks


@transaction.atomic
def rectification_meeting_decide(
    *,
    actor: Actor,
    subject,
    decided_on: datetime.date,
    minutes: UploadedFile | None,
    outcome: str,
    new_due_on: datetime.date | None = None,
) -> RectificationReport:
    """The director's meeting concludes the submitted report without a ballot: 满意 ends
    rectification; 继续整改 orders a new round due on `new_due_on`. Its date and minutes
    (PDF or Word) are kept with the report."""
    report = _current_report(subject)
    REPORT_WORKFLOW.action_check(report, actor, "decide")
    if outcome not in OUTCOMES:
        raise ApplicationError("请选择主任会议的决定：满意或继续整改。")
    if decided_on is None or decided_on > timezone.localdate():
        raise ApplicationError("请填写主任会议日期（不晚于今天）。")
    if report.submitted_on and decided_on < report.submitted_on:
        raise ApplicationError("主任会议日期不能早于整改情况报告报送日期。")
    if minutes is None:
        raise ApplicationError("请上传主任会议纪要（PDF 或 Word）。")
    checked = check_upload(minutes, allowed=DOCUMENT_KINDS)
    _checks_heard(report, subject, decided_on)
    report.minutes_name = checked.original_name
    file_store(report.minutes, checked.original_name, minutes)
    report.decided_on = decided_on
    report.save(update_fields=["minutes", "minutes_name", "decided_on"])
    version_decide(
        actor=actor,
        subject=subject,
        kind=RectificationKind.REPORT,
        round_=report.round,
        status=VersionStatus.SATISFIED if outcome == SATISFIED else VersionStatus.CONTINUED,
    )
    _log(
        actor,
        AuditAction.RECTIFICATION_MEETING_DECISION,
        f"主任会议（{cn_date(decided_on)}）决定{subject.person_name}第 {report.round} 轮整改情况"
        f"{OUTCOMES[outcome]}，纪要：{checked.original_name}",
        subject,
        report,
    )
    if outcome == SATISFIED:
        return _move(
            report,
            to=RectificationReportStatus.SATISFIED,
            workflow=REPORT_WORKFLOW,
            actor=actor,
            summary=f"主任会议决定{subject.person_name}第 {report.round} 轮整改情况满意，整改完成",
            subject=subject,
        )
    return report_continue(
        actor=actor, subject=subject, report=report, new_due_on=new_due_on, why="主任会议决定"
    )
