"""延期: moving a started rectification deadline. Due dates are fixed when they start (the
delivery of the review opinions, or an order to continue rectification); only this
explicit office action moves them, with a reason the subject and the liaison committee
see."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.errors import ApplicationError
from core.formats import cn_date

from ..audit import AuditAction
from ..models import (
    DeadlineExtension,
    RectificationKind,
    RectificationPlan,
    RectificationReport,
)
from ..workflows import PLAN_WORKFLOW, REPORT_WORKFLOW
from .common import _log


@transaction.atomic
def rectification_deadline_extend(
    *, actor: Actor, subject, kind: str, new_due_on: datetime.date, reason: str
) -> DeadlineExtension:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("延期必须写明理由。")
    if kind == RectificationKind.PLAN:
        target = RectificationPlan.objects.select_for_update().filter(subject=subject).first()
        if target is None:
            raise ApplicationError("整改方案尚未开始，不能延期。")
        PLAN_WORKFLOW.action_check(target, actor, "extend_plan")
        round_ = None
    elif kind == RectificationKind.REPORT:
        target = (
            RectificationReport.objects.select_for_update()
            .filter(subject=subject)
            .order_by("-round")
            .first()
        )
        if target is None:
            raise ApplicationError("整改情况报告尚未开始，不能延期。")
        REPORT_WORKFLOW.action_check(target, actor, "extend_report")
        round_ = target.round
    else:
        raise ApplicationError("请选择要延期的事项。")
    previous = target.due_on
    if new_due_on <= previous:
        raise ApplicationError(f"新期限须晚于原期限 {cn_date(previous)}。")
    if new_due_on <= timezone.localdate():
        raise ApplicationError("新期限须晚于今天。")
    target.due_on = new_due_on
    target.save(update_fields=["due_on"])
    extension = DeadlineExtension.objects.create(
        subject=subject,
        kind=kind,
        report_round=round_,
        previous_due=previous,
        new_due=new_due_on,
        reason=reason,
        extended_by=actor,
    )
    _log(
        actor,
        AuditAction.RECTIFICATION_EXTEND,
        f"{subject.person_name}的{extension.get_kind_display()}期限由 {cn_date(previous)} "
        f"延至 {cn_date(new_due_on)}，理由：{reason}",
        subject,
        extension,
    )
    return extension
