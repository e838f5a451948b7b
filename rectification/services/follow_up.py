"""After the review: reporting the results within a week of the meeting, and the
follow-up the director's meeting records (explanations due, inquiries, removal motions)."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.formats import cn_date
from core.roles import Role, user_has_role
from core.services import require_office

from ..audit import AuditAction
from ..models import DEFAULT_STEPS, Escalation, EscalationKind, ReportingStep, StepRecipient
from .common import _log


def _steps_dated(campaign, steps: list[ReportingStep]) -> datetime.date | None:
    meeting = campaign.meetings.order_by("held_on", "pk").first()
    held_on = meeting.held_on if meeting is not None else None
    for step in steps:
        if step.done_on:
            continue
        due = held_on + datetime.timedelta(days=step.due_days) if held_on else None
        if step.due_on != due:
            step.due_on = due
            step.save(update_fields=["due_on"])
    return held_on


@transaction.atomic
def reporting_steps_follow(*, actor: Actor, campaign, changed=None) -> list[ReportingStep]:
    """The campaign's reporting steps (报送、抄送、公开) after the review meeting: the
    seeds' default list is written when the meeting is first recorded and the campaign has
    none; each is due `due_days` after the meeting and moves with its date until the first
    step is done. A change of the campaign's `reporting_days` sets every step's days (the
    office then adjusts single steps on the campaign's rectification settings page)."""
    steps = list(
        ReportingStep.objects.select_for_update().filter(campaign=campaign).order_by("position")
    )
    if any(step.done_on for step in steps):
        return steps  # the office has started: the dates are what it worked to
    if changed and "reporting_days" in changed:
        for step in steps:
            step.due_days = campaign.reporting_days
            step.save(update_fields=["due_days"])
    meeting = campaign.meetings.order_by("held_on", "pk").first()
    if not steps and meeting is not None:
        steps = [
            ReportingStep.objects.create(
                campaign=campaign,
                name=name,
                recipient=recipient,
                due_days=campaign.reporting_days,
                position=i,
            )
            for i, (name, recipient) in enumerate(DEFAULT_STEPS, start=1)
        ]
    before = [s.due_on for s in steps]
    held_on = _steps_dated(campaign, steps)
    if held_on and before != [s.due_on for s in steps]:
        audit_log(
            actor=actor,
            action=AuditAction.REPORTING_STEPS,
            summary=f"“{campaign.name}”评议结果报送事项的期限按评议会议（{cn_date(held_on)}）确定："
            + "；".join(f"{s.name} {cn_date(s.due_on)} 前" for s in steps),
            campaign=campaign,
        )
    return steps


def _step_fields(name: str, recipient: str, due_days: int) -> tuple[str, str, int]:
    name = (name or "").strip()
    if not name or recipient not in StepRecipient.values:
        raise ApplicationError("请写明报送事项并选择报送对象。")
    if not 0 <= due_days <= 366:
        raise ApplicationError("报送期限应为评议会议后 0 到 366 天。")
    return name[:100], recipient, due_days


@transaction.atomic
def reporting_step_add(
    *, actor: Actor, campaign, name: str, recipient: str, due_days: int
) -> ReportingStep:
    """The office adds a reporting step to the campaign's list (e.g. 新闻媒体公开)."""
    require_office(actor)
    name, recipient, due_days = _step_fields(name, recipient, due_days)
    steps = ReportingStep.objects.select_for_update().filter(campaign=campaign)
    if steps.filter(name=name).exists():
        raise ApplicationError(f"报送事项“{name}”已在清单中。")
    last = max((s.position for s in steps), default=0)
    step = ReportingStep(
        campaign=campaign, name=name, recipient=recipient, due_days=due_days, position=last + 1
    )
    step.full_clean()
    step.save()
    _steps_dated(campaign, [step])
    audit_log(
        actor=actor,
        action=AuditAction.REPORTING_STEP_ADD,
        summary=f"增加评议结果报送事项“{name}”（{step.get_recipient_display()}，"
        f"评议会议后 {due_days} 日内）",
        target=step,
        campaign=campaign,
    )
    return step


@transaction.atomic
def reporting_step_update(
    *, actor: Actor, step: ReportingStep, name: str, recipient: str, due_days: int
) -> ReportingStep:
    require_office(actor)
    step = ReportingStep.objects.select_for_update().get(pk=step.pk)
    if step.done_on:
        raise ApplicationError(f"“{step.name}”已登记完成，不能再修改。")
    name, recipient, due_days = _step_fields(name, recipient, due_days)
    others = ReportingStep.objects.filter(campaign=step.campaign, name=name).exclude(pk=step.pk)
    if others.exists():
        raise ApplicationError(f"报送事项“{name}”已在清单中。")
    step.name, step.recipient, step.due_days = name, recipient, due_days
    step.save(update_fields=["name", "recipient", "due_days"])
    _steps_dated(step.campaign, [step])
    audit_log(
        actor=actor,
        action=AuditAction.REPORTING_STEP_UPDATE,
        summary=f"修改评议结果报送事项“{name}”（{step.get_recipient_display()}，"
        f"评议会议后 {due_days} 日内）",
        target=step,
        campaign=step.campaign,
    )
    return step


@transaction.atomic
def reporting_step_delete(*, actor: Actor, step: ReportingStep) -> None:
    require_office(actor)
    step = ReportingStep.objects.select_for_update().get(pk=step.pk)
    if step.done_on:
        raise ApplicationError(f"“{step.name}”已登记完成，不能删除。")
    if not ReportingStep.objects.filter(campaign=step.campaign).exclude(pk=step.pk).exists():
        raise ApplicationError("至少保留一项评议结果报送事项（例如向党委报送）。")
    campaign, name = step.campaign, step.name
    step.delete()
    audit_log(
        actor=actor,
        action=AuditAction.REPORTING_STEP_DELETE,
        summary=f"删除评议结果报送事项“{name}”",
        campaign=campaign,
    )


@transaction.atomic
def reporting_step_done(
    *, actor: Actor, step: ReportingStep, done_on: datetime.date, note: str = ""
) -> ReportingStep:
    require_office(actor)
    step = ReportingStep.objects.select_for_update().get(pk=step.pk)
    if step.due_on is None:
        raise ApplicationError("评议会议登记后才能登记报送完成。")
    if done_on > timezone.localdate():
        raise ApplicationError("完成日期不能晚于今天。")
    step.done_on, step.note = done_on, note.strip()[:300]
    step.save(update_fields=["done_on", "note"])
    audit_log(
        actor=actor,
        action=AuditAction.REPORTING_DONE,
        summary=f"{step.name}：{cn_date(done_on)} 完成",
        campaign=step.campaign,
    )
    return step


@transaction.atomic
def escalation_record(
    *, actor: Actor, subject, kind: str, text: str, due_on: datetime.date | None = None
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
