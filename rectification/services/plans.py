"""Rectification plans (整改方案): the subject fills one ledger row per problem and
submits it; the liaison committee (or the office) approves or returns it. Who may, and in
which state, is the plan's table (rectification.workflows.PLAN_WORKFLOW)."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store

from ..audit import AuditAction
from ..models import (
    PlanRow,
    PlanStatus,
    RectificationKind,
    RectificationPlan,
    VersionStatus,
)
from ..selectors import rectification_plan_due
from ..workflows import PLAN_WORKFLOW
from .common import _log, _move
from .versions import plan_version_record, version_decide


def _plan(subject) -> RectificationPlan:
    plan = RectificationPlan.objects.select_for_update().filter(subject=subject).first()
    if plan is None:
        raise ApplicationError("评议意见尚未送达，还不能填写整改方案。")
    return plan


@transaction.atomic
def rectification_plan_save(
    *, actor: Actor, subject, rows: dict[int, dict], document: UploadedFile | None = None
) -> RectificationPlan:
    """Save the ledger rows the subject has filled in so far (a row needs all four fields)."""
    plan = _plan(subject)
    PLAN_WORKFLOW.edit_check(plan, actor)
    problems = {p.pk: p for p in subject.opinion.problems.all()}
    problems_text = []
    for problem_id, values in rows.items():
        if problem_id not in problems:
            raise ApplicationError("问题不属于本评议意见。")
        filled = {k: (values.get(k) or "") for k in ("measures", "responsible", "target")}
        limit = values.get("time_limit")
        if not any(filled.values()) and not limit:
            PlanRow.objects.filter(plan=plan, problem_id=problem_id).delete()
            continue
        if not all(v.strip() for v in filled.values()) or not isinstance(limit, datetime.date):
            problems_text.append(f"问题 {problems[problem_id].position}")
            continue
        PlanRow.objects.update_or_create(
            plan=plan,
            problem_id=problem_id,
            defaults={
                "measures": filled["measures"].strip(),
                "responsible": filled["responsible"].strip()[:80],
                "target": filled["target"].strip()[:300],
                "time_limit": limit,
            },
        )
    if problems_text:
        raise ApplicationError(
            f"{'、'.join(problems_text)}的整改措施、责任人、完成时限、整改目标须填写完整。"
        )
    if document is not None:
        checked = check_upload(document, allowed=DOCUMENT_KINDS)
        file_store(plan.document, checked.original_name, document)
        plan.document_name = checked.original_name
        plan.save(update_fields=["document", "document_name"])
    _log(
        actor,
        AuditAction.RECTIFICATION_PLAN_SAVE,
        f"{subject.person_name}保存整改方案",
        subject,
        plan,
    )
    return plan


@transaction.atomic
def rectification_plan_submit(
    *,
    actor: Actor,
    subject,
    rows: dict[int, dict] | None = None,
    document: UploadedFile | None = None,
) -> RectificationPlan:
    """Submit the plan, saving `rows` (and `document`) first when given: all or nothing."""
    if rows is not None:
        rectification_plan_save(actor=actor, subject=subject, rows=rows, document=document)
    plan = _plan(subject)
    PLAN_WORKFLOW.check_move(plan, actor, PlanStatus.SUBMITTED)
    covered = set(plan.rows.values_list("problem_id", flat=True))
    missing = [p for p in subject.opinion.problems.all() if p.pk not in covered]
    if missing:
        named = "；".join(f"问题 {p.position}：{p.text[:30]}" for p in missing)
        raise ApplicationError(f"以下问题还没有整改措施，每个问题都要有一行：{named}。")
    today = timezone.localdate()
    due = rectification_plan_due(subject)
    late = "（逾期）" if due and today > due else ""
    plan = _move(
        plan,
        to=PlanStatus.SUBMITTED,
        workflow=PLAN_WORKFLOW,
        actor=actor,
        summary=f"{subject.person_name}向{subject.liaison_committee.name}报送整改方案{late}",
        subject=subject,
        stamp={"submitted_on": today, "return_reason": ""},
    )
    plan_version_record(plan=plan, actor=actor, is_late=bool(late))
    return plan


@transaction.atomic
def rectification_plan_approve(*, actor: Actor, subject) -> RectificationPlan:
    plan = _plan(subject)
    PLAN_WORKFLOW.check_move(plan, actor, PlanStatus.APPROVED)
    version_decide(
        actor=actor, subject=subject, kind=RectificationKind.PLAN, status=VersionStatus.APPROVED
    )
    return _move(
        plan,
        to=PlanStatus.APPROVED,
        workflow=PLAN_WORKFLOW,
        actor=actor,
        summary=f"{subject.liaison_committee.name}通过{subject.person_name}的整改方案",
        subject=subject,
        stamp={"decided_on": timezone.localdate()},
    )


@transaction.atomic
def rectification_plan_return(*, actor: Actor, subject, reason: str) -> RectificationPlan:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("退回整改方案必须写明理由。")
    plan = _plan(subject)
    PLAN_WORKFLOW.check_move(plan, actor, PlanStatus.RETURNED)
    version_decide(
        actor=actor,
        subject=subject,
        kind=RectificationKind.PLAN,
        status=VersionStatus.RETURNED,
        reason=reason,
    )
    return _move(
        plan,
        to=PlanStatus.RETURNED,
        workflow=PLAN_WORKFLOW,
        actor=actor,
        summary=f"{subject.liaison_committee.name}退回{subject.person_name}的整改方案，理由：{reason}",
        subject=subject,
        stamp={"decided_on": timezone.localdate(), "return_reason": reason},
    )
