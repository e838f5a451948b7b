"""Review opinions (评议意见): drafted from the findings, approved by the director's
meeting, delivered to the subject — the day from which rectification is due."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.errors import ApplicationError
from core.formats import cn_date
from core.services import require_office
from reviews.models import ContentItem
from surveys.models import FindingKind

from ..audit import AuditAction
from ..dates import rectification_due_dates
from ..models import (
    OpinionProblem,
    OpinionStatus,
    ProblemSource,
    RectificationPlan,
    RectificationReport,
    ReviewOpinion,
)
from ..workflows import OPINION_WORKFLOW
from .common import _log, _move


@transaction.atomic
def review_opinion_draft(*, actor: Actor, subject, summary: str = "") -> ReviewOpinion:
    """Start the opinion, prefilled with the problems the investigation found."""
    require_office(actor)
    if ReviewOpinion.objects.filter(subject=subject).exists():
        raise ApplicationError(f"已有对{subject.person_name}的评议意见。")
    opinion = ReviewOpinion.objects.create(subject=subject, summary=summary.strip())
    problems = (
        subject.findings.filter(kind=FindingKind.PROBLEM)
        .select_related("content_item")
        .order_by("content_item__position", "number")
    )
    OpinionProblem.objects.bulk_create(
        OpinionProblem(
            opinion=opinion,
            position=i,
            content_item=f.content_item,
            text=f.text,
            source=ProblemSource.FINDING,
            finding=f,
        )
        for i, f in enumerate(problems, start=1)
    )
    _log(
        actor,
        AuditAction.OPINION_DRAFT,
        f"起草对{subject.person_name}的评议意见（{problems.count()} 个问题来自调查发现）",
        subject,
        opinion,
    )
    return opinion


@transaction.atomic
def review_opinion_problem_add(
    *,
    actor: Actor,
    opinion: ReviewOpinion,
    content_item: ContentItem,
    text: str,
    source: str,
    inquiry=None,
) -> OpinionProblem:
    opinion = ReviewOpinion.objects.select_for_update().select_related("subject").get(pk=opinion.pk)
    OPINION_WORKFLOW.edit_check(opinion, actor)
    if content_item.campaign_id != opinion.subject.campaign_id:
        raise ApplicationError("类别不属于本次评议活动。")
    if source not in ProblemSource.values or source == ProblemSource.FINDING:
        raise ApplicationError(
            "来自调查发现的问题在起草时已带入；请选择会议询问、征求意见或会议审议。"
        )
    if not (text or "").strip():
        raise ApplicationError("请填写问题。")
    if inquiry is not None and inquiry.subject_id != opinion.subject_id:
        raise ApplicationError("该询问不是向本评议对象提出的。")
    position = (
        opinion.problems.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    problem = OpinionProblem.objects.create(
        opinion=opinion,
        position=position,
        content_item=content_item,
        text=text.strip(),
        source=source,
        inquiry=inquiry,
    )
    _log(
        actor,
        AuditAction.OPINION_PROBLEM,
        f"评议意见增加问题 {position}（{problem.get_source_display()}）",
        opinion.subject,
        problem,
    )
    return problem


@transaction.atomic
def review_opinion_approve(
    *, actor: Actor, opinion: ReviewOpinion, approved_on: datetime.date
) -> ReviewOpinion:
    opinion = (
        ReviewOpinion.objects.select_for_update()
        .select_related("subject__campaign")
        .get(pk=opinion.pk)
    )
    OPINION_WORKFLOW.check_move(opinion, actor, OpinionStatus.APPROVED)
    if not opinion.problems.exists():
        raise ApplicationError("评议意见还没有列出问题。")
    if approved_on > timezone.localdate():
        raise ApplicationError("通过日期不能晚于今天。")
    return _move(
        opinion,
        to=OpinionStatus.APPROVED,
        workflow=OPINION_WORKFLOW,
        actor=actor,
        summary=f"主任会议于 {cn_date(approved_on)} 通过对{opinion.subject.person_name}的评议意见",
        subject=opinion.subject,
        stamp={"approved_on": approved_on, "updated_at": timezone.now()},
    )


@transaction.atomic
def review_opinion_deliver(
    *, actor: Actor, opinion: ReviewOpinion, delivered_on: datetime.date
) -> ReviewOpinion:
    """Record delivery; the plan and the first report are due from this day."""
    opinion = (
        ReviewOpinion.objects.select_for_update()
        .select_related("subject__campaign")
        .get(pk=opinion.pk)
    )
    OPINION_WORKFLOW.check_move(opinion, actor, OpinionStatus.DELIVERED)
    if delivered_on > timezone.localdate() or delivered_on < opinion.approved_on:
        raise ApplicationError("送达日期应在通过日期之后、今天之前。")
    subject = opinion.subject
    opinion = _move(
        opinion,
        to=OpinionStatus.DELIVERED,
        workflow=OPINION_WORKFLOW,
        actor=actor,
        summary=f"评议意见于 {cn_date(delivered_on)} 送达{subject.person_name}",
        subject=subject,
        stamp={"delivered_on": delivered_on, "updated_at": timezone.now()},
    )
    plan_due, report_due = rectification_due_dates(subject.campaign, delivered_on)
    RectificationPlan.objects.create(subject=subject, due_on=plan_due)
    RectificationReport.objects.create(subject=subject, round=1, due_on=report_due)
    _log(
        actor,
        AuditAction.RECTIFICATION_DEADLINES,
        f"{subject.person_name}：整改方案 {cn_date(plan_due)} 前、整改情况报告 {cn_date(report_due)} 前报送",
        subject,
        opinion,
    )
    return opinion
