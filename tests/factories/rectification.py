"""Factories for rectification: opinions, plans and reports in every state, their rows, the
reporting steps and escalations. The subject's own user writes and submits; an office user
(`actor`) approves, delivers, decides and records."""

import datetime

import factory
from django.utils import timezone

from ballots.models import BallotStatus
from rectification.models import (
    OpinionProblem,
    OpinionStatus,
    PlanRow,
    PlanStatus,
    ProblemSource,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    ReportRow,
    ReviewOpinion,
    RowStatus,
)
from rectification.services import (
    rectification_assessment_conclude,
    rectification_assessment_open,
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_save,
    rectification_report_submit,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from subjects.models import Subject

from .ballots import ballot_advance, voters_ensure
from .base import ServiceFactory, default_office
from .subjects import SubjectFactory

PLAN_RETURN_REASON = "措施不具体，请明确时间节点"


# --- Review opinions -----------------------------------------------------------------------
class ReviewOpinionFactory(ServiceFactory):
    """opinion_draft (which brings in the problems the investigation found); when it found
    none, `problems` are added as raised in the meeting's deliberation. Then approved and
    delivered on `approved_on` / `delivered_on` (today) as far as `status` says."""

    class Meta:
        model = ReviewOpinion

    subject = factory.SubFactory(SubjectFactory)
    summary = "总体评价较好"
    problems = ("项目审批环节多、时限长",)
    status = OpinionStatus.DRAFT
    approved_on = None
    delivered_on = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, subject, summary, problems, status, actor, **dates):
        actor = actor or default_office()
        today = timezone.localdate()
        opinion = review_opinion_draft(actor=actor, subject=subject, summary=summary)
        if not opinion.problems.exists():
            item = subject.campaign.content_items.first()
            for text in problems:
                review_opinion_problem_add(
                    actor=actor,
                    opinion=opinion,
                    content_item=item,
                    text=text,
                    source=ProblemSource.DELIBERATION,
                )
        if status == OpinionStatus.DRAFT:
            return opinion
        opinion = review_opinion_approve(
            actor=actor, opinion=opinion, approved_on=dates["approved_on"] or today
        )
        if status == OpinionStatus.DELIVERED:
            opinion = review_opinion_deliver(
                actor=actor, opinion=opinion, delivered_on=dates["delivered_on"] or today
            )
        return opinion


class OpinionProblemFactory(ServiceFactory):
    """A problem added to a draft opinion (opinion_problem_add)."""

    class Meta:
        model = OpinionProblem

    opinion = factory.SubFactory(ReviewOpinionFactory)
    content_item = None
    text = factory.Sequence(lambda n: f"群众反映的问题{n}")
    source = ProblemSource.DELIBERATION
    inquiry = None

    @classmethod
    def _create(cls, model_class, *, opinion, content_item, **fields):
        return review_opinion_problem_add(
            actor=default_office(),
            opinion=opinion,
            content_item=content_item or opinion.subject.campaign.content_items.first(),
            **fields,
        )


def _delivered(subject) -> Subject:
    """The subject, fresh, with its opinion delivered (a new one when it has none)."""
    if not ReviewOpinion.objects.filter(subject=subject).exists():
        ReviewOpinionFactory(subject=subject, status=OpinionStatus.DELIVERED)
    return Subject.objects.select_related("campaign", "liaison_committee").get(pk=subject.pk)


# --- Plans ---------------------------------------------------------------------------------
def plan_rows(subject, problems=None) -> dict:
    """A filled ledger row for each problem of the subject's opinion (or those given)."""
    problems = subject.opinion.problems.all() if problems is None else problems
    return {
        p.pk: {
            "measures": "梳理审批流程，推行并联审批",
            "responsible": subject.person_name,
            "time_limit": timezone.localdate() + datetime.timedelta(days=90),
            "target": "办理时限压缩一半",
        }
        for p in problems
    }


def plan_advance(
    subject, *, to: str, actor=None, return_reason: str = PLAN_RETURN_REASON, document=None
) -> RectificationPlan:
    """Fill in (with `document` attached, if given) and submit the subject's plan as the
    subject, then approve or return it."""
    subject = _delivered(subject)
    plan = RectificationPlan.objects.get(subject=subject)
    if plan.status == to:
        return plan
    if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        rectification_plan_save(
            actor=subject.user, subject=subject, rows=plan_rows(subject), document=document
        )
        plan = rectification_plan_submit(actor=subject.user, subject=subject)
    actor = actor or default_office()
    if to == PlanStatus.APPROVED:
        plan = rectification_plan_approve(actor=actor, subject=subject)
    elif to == PlanStatus.RETURNED:
        plan = rectification_plan_return(actor=actor, subject=subject, reason=return_reason)
    if plan.status != to:
        raise ValueError(f"the plan is {plan.status}, not {to}")
    return plan


class RectificationPlanFactory(ServiceFactory):
    """The plan that delivery opens (the subject's opinion is delivered first when it has
    none), moved by plan_advance to `status`."""

    class Meta:
        model = RectificationPlan

    subject = factory.SubFactory(SubjectFactory)
    status = PlanStatus.DRAFT
    actor = None
    return_reason = PLAN_RETURN_REASON

    @classmethod
    def _create(cls, model_class, *, subject, status, actor, return_reason):
        subject = _delivered(subject)
        if status == PlanStatus.DRAFT:
            return RectificationPlan.objects.get(subject=subject)
        return plan_advance(subject, to=status, actor=actor, return_reason=return_reason)


class PlanRowFactory(ServiceFactory):
    """The ledger row of the plan's first problem, saved by the subject (plan_save)."""

    class Meta:
        model = PlanRow

    plan = factory.SubFactory(RectificationPlanFactory)

    @classmethod
    def _create(cls, model_class, *, plan):
        subject = _delivered(plan.subject)
        problem = subject.opinion.problems.order_by("position").first()
        rectification_plan_save(
            actor=subject.user, subject=subject, rows=plan_rows(subject, [problem])
        )
        return PlanRow.objects.get(plan=plan, problem=problem)


# --- Reports -------------------------------------------------------------------------------
def report_rows(subject, problems=None, *, status: str = RowStatus.DONE) -> dict:
    problems = subject.opinion.problems.all() if problems is None else problems
    return {
        p.pk: {"status": status, "done": "并联审批已上线，平均时限由 20 天减至 8 天"}
        for p in problems
    }


class RectificationReportFactory(ServiceFactory):
    """The first round's report, which delivery opens. Beyond the draft: the plan approved,
    the report filled in and submitted by the subject, then (satisfied / continued) the
    assessment ballot opened, voted by more than half of the composition (members are
    added when too few may vote) all 满意 or all 不满意, published and concluded; continued
    rectification is due `new_due_on` (in three months)."""

    class Meta:
        model = RectificationReport

    subject = factory.SubFactory(SubjectFactory)
    status = RectificationReportStatus.DRAFT
    text = "按照评议意见逐条整改，情况如下。"
    new_due_on = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, subject, status, text, new_due_on, actor):
        subject = _delivered(subject)
        report = RectificationReport.objects.get(subject=subject, round=1)
        if status == RectificationReportStatus.DRAFT:
            return report
        actor = actor or default_office()
        plan_advance(subject, to=PlanStatus.APPROVED, actor=actor)
        rectification_report_save(
            actor=subject.user, subject=subject, text=text, rows=report_rows(subject)
        )
        report = rectification_report_submit(actor=subject.user, subject=subject)
        if status == RectificationReportStatus.SUBMITTED:
            return report
        voters = subject.campaign.composition_size // 2 + 1
        voters_ensure(voters)
        ballot = rectification_assessment_open(actor=actor, subject=subject)
        option = (
            ballot.options[0]
            if status == RectificationReportStatus.SATISFIED
            else ballot.options[-1]
        )
        ballot_advance(ballot, to=BallotStatus.PUBLISHED, votes=[option] * voters, actor=actor)
        due = new_due_on or timezone.localdate() + datetime.timedelta(days=90)
        rectification_assessment_conclude(actor=actor, subject=subject, new_due_on=due)
        report.refresh_from_db()
        return report


class ReportRowFactory(ServiceFactory):
    """The row of the report's first problem, saved by the subject (report_save); the plan
    is approved first when it is not yet."""

    class Meta:
        model = ReportRow

    report = factory.SubFactory(RectificationReportFactory)
    status = RowStatus.DONE

    @classmethod
    def _create(cls, model_class, *, report, status):
        subject = _delivered(report.subject)
        plan_advance(subject, to=PlanStatus.APPROVED)
        problem = subject.opinion.problems.order_by("position").first()
        rectification_report_save(
            actor=subject.user,
            subject=subject,
            text=report.text,
            rows=report_rows(subject, [problem], status=status),
        )
        return ReportRow.objects.get(report=report, problem=problem)


# --- Reporting the results, escalation ------------------------------------------------------
