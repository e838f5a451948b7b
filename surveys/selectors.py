"""Tallies of questionnaires and who may read which answers."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from core.roles import Role, user_has_role
from reviews.selectors import groups_of_user

from .models import Answer, QuestionKind, Questionnaire


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


def questionnaire_tallies(questionnaire: Questionnaire) -> list[RatingTally]:
    """Counts per subject and option in one query."""
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
    to questions about their group's subjects."""
    qs = (
        Answer.objects.filter(
            response__questionnaire=questionnaire, question__kind=QuestionKind.TEXT
        )
        .select_related("question__subject")
        .order_by("question__position", "id")
    )
    if user_has_role(user, Role.OFFICE, Role.LEADING_GROUP):
        return qs
    return qs.filter(question__subject__assessment_group__in=groups_of_user(user))


def questionnaires_of_campaign(campaign) -> QuerySet[Questionnaire]:
    return campaign.questionnaires.annotate(
        response_count=Count("responses", distinct=True),
        code_count=Count("codes", distinct=True),
        used_count=Count("codes", filter=Q(codes__used=True), distinct=True),
    )


def responses_waiting(questionnaire: Questionnaire) -> int:
    """Submitted responses still sealed, waiting for their batch (counts only, no content)."""
    from .models import SealedResponse

    return SealedResponse.objects.filter(questionnaire=questionnaire).count()
