"""Everything that writes questionnaires and their respondent codes: create, open, close,
issue codes. The responses themselves are written by surveys.services.responses."""

from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.services import require_office, validate_or_raise
from core.workflow import transition
from reviews.models import Campaign

from ..audit import AuditAction
from ..models import (
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    RespondentCode,
)
from ..workflows import QUESTIONNAIRE_WORKFLOW
from .responses import flush_for_close, key_create, submit_lock

DEFAULT_TEXT_QUESTIONS = ["您对以上评议对象的履职情况还有哪些意见和建议？"]
MAX_SHEETS = 2000


@transaction.atomic
def questionnaire_create(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    access_mode: str,
    intro: str = "",
    subjects=None,
    text_questions: list[str] | None = None,
) -> Questionnaire:
    """A satisfaction question per subject (the campaign's options), then free-text questions."""
    require_office(actor)
    subjects = list(
        subjects
        if subjects is not None
        else campaign.subjects.select_related("unit").order_by("position")
    )
    if not subjects:
        raise ApplicationError("本次评议活动还没有评议对象，无法生成问卷。")
    if any(s.campaign_id != campaign.pk for s in subjects):
        raise ApplicationError("所选评议对象不属于本次评议活动。")
    questionnaire = Questionnaire(
        campaign=campaign,
        title=title.strip(),
        intro=intro.strip(),
        access_mode=access_mode,
        rating_options=list(campaign.rating_options),
    )
    validate_or_raise(questionnaire)
    questionnaire.save()
    texts = [
        t.strip()
        for t in (text_questions if text_questions is not None else DEFAULT_TEXT_QUESTIONS)
        if t.strip()
    ]
    questions = []
    for s in subjects:
        who = f"{s.unit.name}{s.post}{s.person_name}"
        questions.append(
            Question(kind=QuestionKind.RATING, subject=s, text=f"您对{who}的履职情况是否满意？")
        )
        questions.append(
            Question(
                kind=QuestionKind.TEXT,
                subject=s,
                text=f"对{who}的意见和建议（选填）",
                required=False,
            )
        )
    questions += [Question(kind=QuestionKind.TEXT, text=t, required=False) for t in texts]
    for position, question in enumerate(questions, start=1):
        question.questionnaire, question.position = questionnaire, position
    Question.objects.bulk_create(questions)
    audit_log(
        actor=actor,
        action=AuditAction.QUESTIONNAIRE_CREATE,
        summary=f"建立征求意见问卷“{questionnaire.title}”（{questionnaire.get_access_mode_display()}，{len(questions)} 题）",
        target=questionnaire,
        campaign=campaign,
    )
    return questionnaire


def _locked(*, actor: Actor, questionnaire: Questionnaire, to: str) -> Questionnaire:
    """Lock and fail fast before the move's work (its table's rule); transition() checks
    again."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    QUESTIONNAIRE_WORKFLOW.check_move(questionnaire, actor, to)
    return questionnaire


@transaction.atomic
def questionnaire_open(*, actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    questionnaire = _locked(actor=actor, questionnaire=questionnaire, to=QuestionnaireStatus.OPEN)
    # Not a guard of the table: the button stays, and says why when pressed.
    if questionnaire.needs_code and not questionnaire.codes.exists():
        raise ApplicationError("请先发放答题码，再开始收集。")
    key_create(questionnaire)
    return transition(
        obj=questionnaire,
        to=QuestionnaireStatus.OPEN,
        workflow=QUESTIONNAIRE_WORKFLOW,
        actor=actor,
        summary=f"问卷“{questionnaire.title}”开始收集",
        stamp={"opened_at": timezone.now()},
        campaign=questionnaire.campaign,
    )


@transaction.atomic
def questionnaire_close(*, actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    """Wait for every submission in flight (submit_lock, exclusively), write every waiting
    response as the last batch, then destroy the key once committed: what the database
    kept can no longer be opened.

    The last batch is never smaller than QUESTIONNAIRE_BATCH_SIZE when at least that many
    answered: while open, the flush always holds the last k sealed responses back, so at
    close they are shuffled together with the remainder. When fewer than k answered in
    all, they are written as the one batch of the questionnaire (no smaller group exists
    to hide in) and the results stay hidden (selectors.questionnaire_results_shown)."""
    # Refused before the lock, so that no one else makes the submissions wait.
    current = Questionnaire.objects.get(pk=questionnaire.pk)
    QUESTIONNAIRE_WORKFLOW.check_move(current, actor, QuestionnaireStatus.CLOSED)
    with submit_lock(questionnaire, exclusive=True):
        questionnaire = _locked(
            actor=actor, questionnaire=questionnaire, to=QuestionnaireStatus.CLOSED
        )
        flush_for_close(questionnaire)
    return transition(
        obj=questionnaire,
        to=QuestionnaireStatus.CLOSED,
        workflow=QUESTIONNAIRE_WORKFLOW,
        actor=actor,
        summary=f"问卷“{questionnaire.title}”结束收集",
        stamp={"closed_at": timezone.now()},
        campaign=questionnaire.campaign,
    )


def _new_codes(questionnaire: Questionnaire, rows: list[RespondentCode]) -> list[RespondentCode]:
    # Random codes may collide; draw again for any that do.
    taken = set(questionnaire.codes.values_list("code", flat=True))
    for row in rows:
        while row.code in taken:
            row.code = RespondentCode._meta.get_field("code").default()
        taken.add(row.code)
    return RespondentCode.objects.bulk_create(rows)


@transaction.atomic
def codes_issue_to_deputies(
    *, actor: Actor, questionnaire: Questionnaire, deputies
) -> list[RespondentCode]:
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    QUESTIONNAIRE_WORKFLOW.action_check(questionnaire, actor, "issue_deputy_codes")
    have = set(questionnaire.codes.exclude(deputy=None).values_list("deputy_id", flat=True))
    new = [d for d in deputies if d.pk not in have]
    if not new:
        raise ApplicationError("所选代表都已有答题码。")
    codes = _new_codes(
        questionnaire,
        [RespondentCode(questionnaire=questionnaire, deputy=d, label=d.name) for d in new],
    )
    audit_log(
        actor=actor,
        action=AuditAction.QUESTIONNAIRE_CODES,
        summary=f"问卷“{questionnaire.title}”向 {len(codes)} 名代表发放答题码",
        target=questionnaire,
        campaign=questionnaire.campaign,
    )
    return codes


@transaction.atomic
def codes_issue_sheets(
    *, actor: Actor, questionnaire: Questionnaire, count: int
) -> list[RespondentCode]:
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    QUESTIONNAIRE_WORKFLOW.action_check(questionnaire, actor, "issue_sheet_codes")
    if not 1 <= count <= MAX_SHEETS:
        raise ApplicationError(f"一次可生成 1 至 {MAX_SHEETS} 张问卷的答题码。")
    start = questionnaire.codes.count()
    codes = _new_codes(
        questionnaire,
        [
            RespondentCode(questionnaire=questionnaire, label=f"第 {start + i} 号问卷")
            for i in range(1, count + 1)
        ],
    )
    audit_log(
        actor=actor,
        action=AuditAction.QUESTIONNAIRE_CODES,
        summary=f"问卷“{questionnaire.title}”生成 {count} 张纸质问卷答题码",
        target=questionnaire,
        campaign=questionnaire.campaign,
    )
    return codes
