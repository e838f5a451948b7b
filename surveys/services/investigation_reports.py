"""Investigation reports (调查报告): prefilled from the findings, saved by the group,
submitted by its leader, returned by the office or heard by the director's meeting.
Who may move a report, and when, is its table's (surveys.workflows)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.formats import cn_date
from core.roles import Role, user_has_role
from core.workflow import transition
from subjects.models import Subject

from ..audit import AuditAction
from ..models import FindingKind, InvestigationReport, InvestigationReportStatus
from ..workflows import INVESTIGATION_REPORT_WORKFLOW
from .assessment import require_group_writer, subject_group_required


def investigation_report_prefill(subject) -> str:
    """A first draft from the findings, grouped by content item as the seeds' reports are."""
    numerals = "一二三四五六七八九十"
    lines = [f"关于{subject.unit.name}{subject.post}{subject.person_name}履职情况的调查报告", ""]
    findings = list(
        subject.findings.select_related("content_item").order_by("content_item__position", "number")
    )
    items = subject.campaign.content_items.all()
    index = 0
    for item in items:
        own = [f for f in findings if f.content_item_id == item.pk]
        if not own:
            continue
        lines.append(f"{numerals[index] if index < len(numerals) else index + 1}、{item.title}")
        index += 1
        for kind in FindingKind:
            of_kind = [f for f in own if f.kind == kind]
            if of_kind:
                lines.append(f"{kind.label}：")
                lines.extend(f"  {n}. {f.text}" for n, f in enumerate(of_kind, start=1))
        lines.append("")
    if index == 0:
        lines.append("（尚未记录调查发现。）")
    return "\n".join(lines).strip() + "\n"


@transaction.atomic
def investigation_report_save(*, actor: Actor, subject, body: str) -> InvestigationReport:
    subject = (
        Subject.objects.select_for_update(of=("self",))
        .select_related("group_assignment__group")
        .get(pk=subject.pk)
    )
    group = subject_group_required(subject)
    report = InvestigationReport.objects.filter(subject=subject).first()
    if report is None:
        require_group_writer(actor, group)
    else:
        INVESTIGATION_REPORT_WORKFLOW.edit_check(report, actor)
    body = (body or "").strip()
    if not body:
        raise ApplicationError("调查报告正文不能为空。")
    if report is None:
        report = InvestigationReport(subject=subject, group=group, body=body, updated_by=actor)
    else:
        report.body, report.updated_by = body, actor
    report.save()
    audit_log(
        actor=actor,
        action=AuditAction.INVESTIGATION_REPORT_SAVE,
        summary=f"{group.name}保存关于{subject.person_name}的调查报告草稿",
        target=report,
        campaign=subject.campaign,
    )
    return report


def _locked(report: InvestigationReport, *, actor: Actor, to: str) -> InvestigationReport:
    """Lock, and fail fast before the move's work (transition() checks again)."""
    report = (
        InvestigationReport.objects.select_for_update(of=("self",))
        .select_related("group", "subject__campaign")
        .get(pk=report.pk)
    )
    INVESTIGATION_REPORT_WORKFLOW.check_move(report, actor, to)
    return report


def _report_transition(report, *, to: str, actor: Actor, summary: str, stamp: dict):
    return transition(
        obj=report,
        to=to,
        workflow=INVESTIGATION_REPORT_WORKFLOW,
        actor=actor,
        summary=summary,
        stamp=stamp,
        campaign=report.subject.campaign,
        subject=report.subject,
    )


@transaction.atomic
def investigation_report_submit(
    *, actor: Actor, report: InvestigationReport, body: str | None = None
) -> InvestigationReport:
    """The leader submits the report, with the body as typed (`body`) saved first."""
    to = InvestigationReportStatus.SUBMITTED
    report = _locked(report, actor=actor, to=to)
    if body is not None:
        report.body = investigation_report_save(actor=actor, subject=report.subject, body=body).body
    return _report_transition(
        report,
        to=to,
        actor=actor,
        summary=f"{report.group.name}组长提交关于{report.subject.person_name}的调查报告",
        stamp={"submitted_by": actor, "submitted_at": timezone.now()},
    )


@transaction.atomic
def investigation_report_return(
    *, actor: Actor, report: InvestigationReport, reason: str
) -> InvestigationReport:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("退回调查报告必须写明理由。")
    to = InvestigationReportStatus.DRAFT
    report = _locked(report, actor=actor, to=to)
    return _report_transition(
        report,
        to=to,
        actor=actor,
        summary=f"退回关于{report.subject.person_name}的调查报告，理由：{reason}",
        stamp={"submitted_by": None, "submitted_at": None},
    )


@transaction.atomic
def investigation_report_mark_heard(
    *, actor: Actor, report: InvestigationReport, heard_on: datetime.date, backdated: bool = False
) -> InvestigationReport:
    """Record the director's meeting's hearing. A date before the report's submission here
    is accepted only as the office's 补录 of a past campaign (`backdated`), and marked."""
    to = InvestigationReportStatus.HEARD
    report = _locked(report, actor=actor, to=to)
    if heard_on > timezone.localdate():
        raise ApplicationError("听取日期不能晚于今天。")
    submitted_on = timezone.localtime(report.submitted_at).date() if report.submitted_at else None
    early = submitted_on is not None and heard_on < submitted_on
    if early and not backdated:
        raise ApplicationError(
            "听取日期早于报告在本系统的提交日期。如是补录以往的听取情况，请勾选“补录”。"
        )
    if early and not user_has_role(actor, Role.OFFICE):
        raise ApplicationError("只有评议办公室可以补录以往的听取情况。")
    mark = "（补录）" if early else ""
    return _report_transition(
        report,
        to=to,
        actor=actor,
        summary=f"主任会议于 {cn_date(heard_on)} 听取关于{report.subject.person_name}的调查报告{mark}",
        stamp={"heard_on": heard_on, "heard_recorded_by": actor, "heard_backdated": early},
    )
