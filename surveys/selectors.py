"""Reads of the preliminary assessment: who sees which group's work, tallies of
questionnaires and who may read which answers."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from core.roles import SUPERVISORS, Role, user_has_role
from subjects.models import Subject

from .groups import groups_of_user, subjects_in_groups
from .models import (
    ActivityAttachment,
    Answer,
    AssessmentGroup,
    Finding,
    InvestigationActivity,
    InvestigationReport,
    InvestigationReportStatus,
    QuestionKind,
    Questionnaire,
    SealedResponse,
)


@dataclass
class RatingTally:
    question_id: int
    subject: object
    counts: list[tuple[str, int, float]]  # option, count, percent of answers
    total: int

    @property
    def satisfied_rate(self) -> float | None:
        """Share of every option but the last (e.g. 满意 + 基本满意), as the seeds count it."""
        if not self.total:
            return None
        return sum(c for _, c, _ in self.counts[:-1]) / self.total * 100


def questionnaire_results_shown(questionnaire: Questionnaire) -> bool:
    """Results are shown once at least QUESTIONNAIRE_BATCH_SIZE responses are written.
    While open that is after the first batch; a questionnaire closed with fewer answers in
    all keeps them (counted, in one batch) but shows neither tallies nor opinions: with
    so few respondents, whose codes are listed as used, an answer would name its author."""
    return questionnaire.responses.count() >= settings.QUESTIONNAIRE_BATCH_SIZE


def questionnaire_tallies(questionnaire: Questionnaire) -> list[RatingTally]:
    """Counts per subject and option in one query (none while results are not shown)."""
    if not questionnaire_results_shown(questionnaire):
        return []
    options = questionnaire.rating_options
    questions = list(
        questionnaire.questions.filter(kind=QuestionKind.RATING)
        .select_related("subject__unit")
        .annotate(
            **{
                f"n{i}": Count("answers", filter=Q(answers__option=o))
                for i, o in enumerate(options)
            }
        )
        .order_by("position")
    )
    tallies = []
    for q in questions:
        raw = [getattr(q, f"n{i}") for i in range(len(options))]
        total = sum(raw)
        counts = [
            (o, n, (n / total * 100) if total else 0.0) for o, n in zip(options, raw, strict=True)
        ]
        tallies.append(RatingTally(q.pk, q.subject, counts, total))
    return tallies


def text_answers_visible_to(user, questionnaire: Questionnaire) -> QuerySet[Answer]:
    """Free-text answers: all for office and leading group; a group member sees only answers
    to questions about their group's subjects. None while results are not shown."""
    if not questionnaire_results_shown(questionnaire):
        return Answer.objects.none()
    qs = (
        Answer.objects.filter(
            response__questionnaire=questionnaire, question__kind=QuestionKind.TEXT
        )
        .select_related("question__subject")
        .order_by("question__position", "id")
    )
    if user_has_role(user, *SUPERVISORS):
        return qs
    return qs.filter(question__subject__in=subjects_in_groups(groups_of_user(user)))


def questionnaires_of_campaign(campaign) -> QuerySet[Questionnaire]:
    return campaign.questionnaires.annotate(
        response_count=Count("responses", distinct=True),
        code_count=Count("codes", distinct=True),
        used_count=Count("codes", filter=Q(codes__used=True), distinct=True),
    )


def responses_waiting(questionnaire: Questionnaire) -> int:
    """Submitted responses still sealed, waiting for their batch (counts only, no content)."""
    return SealedResponse.objects.filter(questionnaire=questionnaire).count()


# --- Preliminary assessment: who sees which group's work -------------------------------
# The office and the leading group see every group; anyone else only the groups they lead
# or sit in (surveys.groups). The director's meeting hears submitted investigation reports.


def groups_visible_to(user) -> QuerySet[AssessmentGroup]:
    qs = AssessmentGroup.objects.select_related("campaign", "leader")
    if user_has_role(user, *SUPERVISORS):
        return qs
    return qs.filter(pk__in=groups_of_user(user).values("pk"))


def group_for_user(*, user, pk: int) -> AssessmentGroup:
    group = groups_visible_to(user).filter(pk=pk).first()
    if group is None:
        raise Http404("没有找到该小组。")
    return group


def group_subject_for_user(*, user, group: AssessmentGroup, subject_pk: int):
    subject = (
        Subject.objects.select_related("campaign", "unit", "group_assignment__group")
        .filter(pk=subject_pk, group_assignment__group=group)
        .first()
    )
    if subject is None:
        raise Http404("该评议对象不在本小组。")
    return subject


def workspace_subject_for_user(*, user, pk: int):
    """A subject in a group `user` sees (the workspace's POSTs act on it); else 404."""
    subject = (
        Subject.objects.select_related("campaign", "unit", "group_assignment__group")
        .filter(pk=pk, group_assignment__group__in=groups_visible_to(user))
        .first()
    )
    if subject is None:
        raise Http404("该评议对象不在本小组。")
    return subject


def activities_visible_to(user) -> QuerySet[InvestigationActivity]:
    return InvestigationActivity.objects.select_related("group__campaign", "created_by").filter(
        group__in=groups_visible_to(user)
    )


def activity_for_user(*, user, pk: int) -> InvestigationActivity:
    activity = activities_visible_to(user).filter(pk=pk).first()
    if activity is None:
        raise Http404("没有找到该调查活动。")
    return activity


def attachment_for_user(*, user, pk) -> ActivityAttachment:
    attachment = (
        ActivityAttachment.objects.select_related("activity__group")
        .filter(pk=pk, activity__group__in=groups_visible_to(user))
        .first()
    )
    if attachment is None:
        raise Http404("没有找到该文件。")
    return attachment


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.select_related(
        "subject__group_assignment__group", "content_item", "activity"
    ).filter(subject__in=subjects_in_groups(groups_visible_to(user)))


def finding_for_user(*, user, pk) -> Finding:
    finding = findings_visible_to(user).filter(pk=pk).first()
    if finding is None:
        raise Http404("没有找到该调查发现。")
    return finding


def investigation_reports_visible_to(user) -> QuerySet[InvestigationReport]:
    qs = InvestigationReport.objects.select_related("subject__unit", "subject__campaign", "group")
    if user_has_role(user, *SUPERVISORS):
        return qs
    visible = Q(group__in=groups_of_user(user))
    if user_has_role(user, Role.DIRECTORS_MEETING):
        visible |= Q(
            status__in=[InvestigationReportStatus.SUBMITTED, InvestigationReportStatus.HEARD]
        )
    return qs.filter(visible)


def investigation_report_for_user(*, user, pk: int) -> InvestigationReport:
    report = investigation_reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该调查报告。")
    return report
