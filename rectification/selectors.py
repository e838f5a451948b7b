"""Who may see a subject's rectification, and the statuses derived from dates."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.forms import version_of
from core.roles import user_roles
from subjects.access import subject_acts_for
from subjects.models import Subject
from subjects.selectors import RECTIFICATION_READERS, subjects_visible_to
from surveys.groups import is_group_member, subject_group, subjects_of_group_members_q

from .models import (
    OpinionProblem,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    RectificationVersion,
)


def rectification_subjects_for(user) -> QuerySet[Subject]:
    """Office, leading group, director's meeting: all. A liaison committee: only the
    subjects it liaises with. A subject: only themselves. An assessment group, where the
    campaign gives the groups rectification oversight: only the subjects it assessed.
    Members as such: none."""
    visible = subjects_visible_to(user, see_all=RECTIFICATION_READERS)
    if user_roles(user) & RECTIFICATION_READERS or not user.is_authenticated:
        return visible
    overseen = Q(campaign__groups_oversee_rectification=True) & subjects_of_group_members_q(user)
    return (
        Subject.objects.select_related("campaign", "unit", "liaison_committee", "user")
        .filter(Q(pk__in=visible.values("pk")) | overseen)
        .distinct()
    )


def rectification_group_for(user, subject: Subject):
    """The assessment group as which `user` checks this subject's rectification (its
    leader or a member, when the campaign gives the groups oversight), else None."""
    group = subject_group(subject)
    if group is None or not subject.campaign.groups_oversee_rectification:
        return None
    return group if is_group_member(user, group) else None


def rectification_subject_for_user(*, user, pk: int) -> Subject:
    subject = rectification_subjects_for(user).filter(pk=pk).first()
    if subject is None:
        raise Http404("没有找到该评议对象。")
    return subject


def rectification_edit_version(subject: Subject) -> str:
    """The version of what the subject's plan and report form edits: the opinion's
    problems, the plan and the current report with their rows (core.forms.version_of)."""
    plans = RectificationPlan.objects.filter(subject=subject)
    reports = RectificationReport.objects.filter(subject=subject)
    return version_of(
        OpinionProblem.objects.filter(opinion__subject=subject),
        plans,
        [plan.rows.all() for plan in plans],
        reports,
        [report.rows.all() for report in reports],
    )


def rectification_plan_due(subject) -> datetime.date | None:
    """The plan's due date, fixed at delivery of the review opinions (None before)."""
    return (
        RectificationPlan.objects.filter(subject=subject).values_list("due_on", flat=True).first()
    )


# The one rule for who may make a move on a subject's opinion, plan or report (the office
# and the director's meeting on every subject, a review subject only on their own, a
# liaison committee only on the subjects it liaises with): the access rule of every table
# in rectification.workflows, defined once in subjects.access.
rectification_acts_for = subject_acts_for


@dataclass
class RectificationRow:
    subject: Subject
    opinion: object
    plan: object
    report: RectificationReport | None
    plan_due: datetime.date | None
    today: datetime.date
    versions: list = field(default_factory=list)

    @property
    def current_versions(self) -> list:
        """The latest submitted version of the plan and of the current report."""
        latest = {}
        for v in self.versions:
            latest[v.kind] = v
        return [latest[k] for k in ("plan", "report") if k in latest]

    @property
    def plan_state(self) -> str:
        if self.plan is None:
            return (
                "评议意见未送达" if self.opinion is None or not self.opinion.delivered_on else "—"
            )
        if self.plan.status == PlanStatus.APPROVED:
            return "已通过"
        if self.plan.status == PlanStatus.SUBMITTED:
            return "待联系委室审核"
        if self.plan_overdue:
            return (
                "已退回，逾期未重新报送"
                if self.plan.status == PlanStatus.RETURNED
                else "逾期未报送"
            )
        return self.plan.get_status_display()

    @property
    def plan_overdue(self) -> bool:
        return (
            self.plan is not None
            and self.plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
            and self.plan_due is not None
            and self.today > self.plan_due
        )

    @property
    def report_overdue(self) -> bool:
        return (
            self.report is not None
            and self.report.status == RectificationReportStatus.DRAFT
            and self.today > self.report.due_on
        )

    @property
    def report_state(self) -> str:
        if self.report is None:
            return "—"
        if self.report_overdue:
            return f"第 {self.report.round} 轮逾期未报送"
        return f"第 {self.report.round} 轮{self.report.get_status_display()}"

    @property
    def overdue(self) -> bool:
        return self.plan_overdue or self.report_overdue


def rectification_overdue_q(today: datetime.date) -> Q:
    """Subjects whose plan or a report may be overdue on `today`: every subject whose
    RectificationRow is plan_overdue or report_overdue matches (a few more may), so a page
    that lists only those reads the rows of these, not of all."""
    return Q(
        rectification_plan__status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED],
        rectification_plan__due_on__lt=today,
    ) | Q(
        rectification_reports__status=RectificationReportStatus.DRAFT,
        rectification_reports__due_on__lt=today,
    )


def rectification_waiting_q() -> Q:
    """Subjects with a plan or a report submitted and awaiting a decision."""
    return Q(rectification_plan__status=PlanStatus.SUBMITTED) | Q(
        rectification_reports__status=RectificationReportStatus.SUBMITTED
    )


def subjects_matching(subjects: QuerySet[Subject], condition: Q) -> QuerySet[Subject]:
    """`subjects` narrowed to those matching `condition`, each once however many of its
    reports the condition joins."""
    return subjects.filter(pk__in=subjects.filter(condition).values("pk"))


def rectification_rows(
    subjects: QuerySet[Subject], today: datetime.date | None = None
) -> list[RectificationRow]:
    """One row per subject with its opinion, plan, latest report and versions, in a fixed
    number of queries however many subjects (each opinion's problems counted in the same
    query: `opinion.problem_count`)."""
    today = today or timezone.localdate()
    subjects = (
        subjects.select_related("unit", "liaison_committee", "opinion", "rectification_plan")
        .annotate(
            opinion_problem_count=Coalesce(
                Subquery(
                    OpinionProblem.objects.filter(opinion__subject=OuterRef("pk"))
                    .order_by()
                    .values("opinion__subject")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        .prefetch_related(
            Prefetch(
                "rectification_reports", queryset=RectificationReport.objects.order_by("-round")
            ),
            Prefetch(
                "rectification_versions",
                queryset=RectificationVersion.objects.order_by("kind", "round", "number"),
            ),
        )
    )
    rows = []
    for s in subjects.order_by("campaign__name", "position"):
        opinion = getattr(s, "opinion", None)  # a missing one-to-one reads as None
        plan = getattr(s, "rectification_plan", None)
        reports = list(s.rectification_reports.all())
        rows.append(
            RectificationRow(
                s,
                opinion,
                plan,
                reports[0] if reports else None,
                plan.due_on if plan is not None else None,
                today,
                list(s.rectification_versions.all()),
            )
        )
    return rows


def ledger_rows(subjects: QuerySet[Subject]) -> Iterator[list]:
    """整改台账: one row per problem of each subject's review opinion, with the plan's
    measures and the latest report's status (the columns are the view's LEDGER_COLUMNS). Read in chunks with a fixed number of
    queries per chunk, so a long ledger is streamed, not held."""
    subjects = (
        subjects.filter(opinion__isnull=False)
        .select_related("unit", "opinion", "rectification_plan")
        .prefetch_related(
            Prefetch(
                "opinion__problems",
                queryset=OpinionProblem.objects.select_related("content_item").order_by("position"),
            ),
            "rectification_plan__rows",
            Prefetch(
                "rectification_reports",
                queryset=RectificationReport.objects.order_by("-round").prefetch_related("rows"),
            ),
        )
        .order_by("position")
    )
    number = 0
    for subject in subjects.iterator(chunk_size=200):
        plan = getattr(subject, "rectification_plan", None)
        plan_rows = {r.problem_id: r for r in plan.rows.all()} if plan else {}
        reports = list(subject.rectification_reports.all())
        report_rows = {r.problem_id: r for r in reports[0].rows.all()} if reports else {}
        for problem in subject.opinion.problems.all():
            number += 1
            pr, rr = plan_rows.get(problem.pk), report_rows.get(problem.pk)
            yield [
                number,
                subject.person_name,
                f"{subject.unit.name}{subject.post}",
                problem.text,
                problem.content_item.title,
                problem.get_source_display(),
                pr.measures if pr else "",
                pr.responsible if pr else "",
                pr.time_limit if pr else "",
                pr.target if pr else "",
                rr.get_status_display() if rr else "未报送",
                rr.evidence_name if rr else "",
            ]
