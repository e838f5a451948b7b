"""After the review: reporting the results within a week of the meeting, and the
follow-up the director's meeting records (explanations due, inquiries, removal motions)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.formats import cn_date
from core.roles import Role, user_has_role
from core.services import require_office

from ..audit import AuditAction
from ..models import Escalation, EscalationKind, ReportingStep, StepKind
from .common import _log


@transaction.atomic
def reporting_steps_follow(*, actor, campaign) -> list[ReportingStep]:
    """The three steps due after the review meeting (report to the party committee, copies
    to 一府一委两院, publication): created as soon as the meeting is recorded, due
    `reporting_days` after its date, and moved with it until the first step is done. Called
    when the meeting record or the campaign's settings change."""
    steps = list(ReportingStep.objects.select_for_update().filter(campaign=campaign))
    if any(step.done_on for step in steps):
        return steps  # the office has started: the dates are what it worked to
    meeting = campaign.meetings.order_by("held_on", "pk").first()
    if meeting is None:
        ReportingStep.objects.filter(campaign=campaign).delete()
        return []
    due = meeting.held_on + datetime.timedelta(days=campaign.reporting_days)
    existing = {step.kind: step for step in steps}
    if existing.keys() == set(StepKind.values) and all(s.due_on == due for s in steps):
        return steps
    result = []
    for kind in StepKind:
        step = existing.get(kind) or ReportingStep(campaign=campaign, kind=kind)
        step.due_on = due
        step.save()
        result.append(step)
    audit_log(
        actor=actor,
        action=AuditAction.REPORTING_STEPS,
        summary=f"“{campaign.name}”评议结果须于 {cn_date(due)} 前报送、抄送和公开"
        f"（评议会议 {cn_date(meeting.held_on)} 后 {campaign.reporting_days} 日内）",
        campaign=campaign,
    )
    return result


@transaction.atomic
def reporting_step_done(
    *, actor, step: ReportingStep, done_on: datetime.date, note: str = ""
) -> ReportingStep:
    require_office(actor)
    if done_on > timezone.localdate():
        raise ApplicationError("完成日期不能晚于今天。")
    step.done_on, step.note = done_on, note.strip()[:300]
    step.save(update_fields=["done_on", "note"])
    audit_log(
        actor=actor,
        action=AuditAction.REPORTING_DONE,
        summary=f"{step.get_kind_display()}：{cn_date(done_on)} 完成",
        campaign=step.campaign,
    )
    return step


@transaction.atomic
def escalation_record(
    *, actor, subject, kind: str, text: str, due_on: datetime.date | None = None
) -> Escalation:
    if not user_has_role(actor, Role.OFFICE, Role.DIRECTORS_MEETING):
        raise ApplicationError("只有评议办公室或主任会议成员可以登记。")
    if kind not in EscalationKind.values or not (text or "").strip():
        raise ApplicationError("请选择事项并写明内容。")
    if kind == EscalationKind.EXPLANATION_DUE and not due_on:
        raise ApplicationError("责成说明情况须写明期限。")
    record = Escalation.objects.create(
        subject=subject,
        kind=kind,
        text=text.strip(),
        due_on=due_on,
        recorded_on=timezone.localdate(),
        recorded_by=actor,
    )
    _log(
        actor,
        AuditAction(f"escalation.{kind}"),
        f"{record.get_kind_display()}：{text.strip()[:80]}",
        subject,
        record,
    )
    return record
