"""Everything that writes questionnaires, respondent codes and responses."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.services import require_office, validate_or_raise
from reviews.models import Campaign

from .models import (
    AccessMode,
    Answer,
    Deputy,
    DeviceMark,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    RespondentCode,
    Response,
)

DEFAULT_TEXT_QUESTIONS = ["您对以上评议对象的履职情况还有哪些意见和建议？"]
MAX_SHEETS = 2000

# The questionnaire's state machine.
MOVES = {
    (QuestionnaireStatus.DRAFT, QuestionnaireStatus.OPEN),
    (QuestionnaireStatus.OPEN, QuestionnaireStatus.CLOSED),
}


@transaction.atomic
def questionnaire_create(
    *,
    actor,
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
        action="survey.create",
        summary=f"建立征求意见问卷“{questionnaire.title}”（{questionnaire.get_access_mode_display()}，{len(questions)} 题）",
        target=questionnaire,
        campaign=campaign,
    )
    return questionnaire


def _move(*, actor, questionnaire: Questionnaire, to: str) -> Questionnaire:
    require_office(actor)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if (questionnaire.status, to) not in MOVES:
        raise ApplicationError(
            f"问卷{questionnaire.get_status_display()}，不能{QuestionnaireStatus(to).label}。"
        )
    questionnaire.status = to
    return questionnaire


@transaction.atomic
def questionnaire_open(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    questionnaire = _move(actor=actor, questionnaire=questionnaire, to=QuestionnaireStatus.OPEN)
    if questionnaire.needs_code and not questionnaire.codes.exists():
        raise ApplicationError("请先发放答题码，再开始收集。")
    questionnaire.opened_at = timezone.now()
    questionnaire.save(update_fields=["status", "opened_at"])
    audit_log(
        actor=actor,
        action="survey.open",
        summary=f"问卷“{questionnaire.title}”开始收集",
        target=questionnaire,
        campaign=questionnaire.campaign,
    )
    return questionnaire


@transaction.atomic
def questionnaire_close(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    questionnaire = _move(actor=actor, questionnaire=questionnaire, to=QuestionnaireStatus.CLOSED)
    questionnaire.closed_at = timezone.now()
    questionnaire.save(update_fields=["status", "closed_at"])
    audit_log(
        actor=actor,
        action="survey.close",
        summary=f"问卷“{questionnaire.title}”结束收集",
        target=questionnaire,
        campaign=questionnaire.campaign,
    )
    return questionnaire


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
    *, actor, questionnaire: Questionnaire, deputies
) -> list[RespondentCode]:
    require_office(actor)
    if questionnaire.access_mode != AccessMode.PERSONAL:
        raise ApplicationError("该问卷不是面向人大代表的个人答题码方式。")
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        raise ApplicationError("问卷已结束。")
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
        action="survey.codes",
        summary=f"问卷“{questionnaire.title}”向 {len(codes)} 名代表发放答题码",
        target=questionnaire,
        campaign=questionnaire.campaign,
    )
    return codes


@transaction.atomic
def codes_issue_sheets(*, actor, questionnaire: Questionnaire, count: int) -> list[RespondentCode]:
    require_office(actor)
    if questionnaire.access_mode != AccessMode.SHEET:
        raise ApplicationError("该问卷不是按纸质问卷发码的方式。")
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        raise ApplicationError("问卷已结束。")
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
        action="survey.codes",
        summary=f"问卷“{questionnaire.title}”生成 {count} 张纸质问卷答题码",
        target=questionnaire,
        campaign=questionnaire.campaign,
    )
    return codes


def device_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def response_submit(
    *, questionnaire: Questionnaire, answers: dict[int, str], code: str = "", device_token: str = ""
) -> Response:
    """Record one anonymous response, or refuse it whole with the reason."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.status != QuestionnaireStatus.OPEN:
        raise ApplicationError("该问卷目前不在收集期内。")
    questions = list(questionnaire.questions.select_related("subject"))
    missing, cleaned = [], []
    for question in questions:
        value = (answers.get(question.pk) or "").strip()
        if question.kind == QuestionKind.RATING:
            if value and value not in questionnaire.rating_options:
                raise ApplicationError("提交的选项无效，请重新作答。")
            if not value and question.required:
                missing.append(
                    question.subject.person_name if question.subject else str(question.position)
                )
            if value:
                cleaned.append(Answer(question=question, option=value))
        elif value:
            if len(value) > 2000:
                raise ApplicationError("意见建议请控制在 2000 字以内。")
            cleaned.append(Answer(question=question, text=value))
    if missing:
        raise ApplicationError(
            f"还有 {len(missing)} 题未作答：{'、'.join(missing)}。请全部作答后再提交。"
        )

    if questionnaire.needs_code:
        normalized = (code or "").strip().upper().replace(" ", "")
        row = (
            RespondentCode.objects.select_for_update()
            .filter(questionnaire=questionnaire, code=normalized)
            .first()
        )
        if row is None:
            raise ApplicationError("答题码不正确，请核对纸质通知上的答题码。")
        if row.used:
            raise ApplicationError("该答题码已经使用过，每个答题码只能提交一次。")
        row.used = True
        row.save(update_fields=["used"])
    else:
        if not device_token:
            raise ApplicationError("无法识别您的设备，请允许浏览器保存 Cookie 后重试。")
        try:
            with transaction.atomic():
                DeviceMark.objects.create(
                    questionnaire=questionnaire, token_hash=device_hash(device_token)
                )
        except IntegrityError:
            raise ApplicationError("这台设备已经提交过本问卷，谢谢参与。") from None

    response = Response.objects.create(
        questionnaire=questionnaire, submitted_on=timezone.localdate()
    )
    for answer in cleaned:
        answer.response = response
    Answer.objects.bulk_create(cleaned)
    return response


@transaction.atomic
def deputy_create(*, actor, name: str, delegation: str = "", phone: str = "") -> Deputy:
    require_office(actor)
    deputy = Deputy(name=name.strip(), delegation=delegation.strip(), phone=phone.strip())
    validate_or_raise(deputy)
    deputy.save()
    return deputy
