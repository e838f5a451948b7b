"""Everything that writes the anonymous responses of a questionnaire: the submission, the
sealing under the questionnaire's key and the shuffled batches (see surveys.models
.questionnaires for why)."""

import contextlib
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from core.control_characters import has_control_characters
from core.errors import ApplicationError
from core.keystore import key_destroy, key_exists, key_held, key_wipe, key_write
from core.sealing import seal_fixed, sealing_key_new, unseal_fixed

from ..models import (
    Answer,
    DeviceMark,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    RespondentCode,
    Response,
    SealedResponse,
)

logger = logging.getLogger(__name__)

TEXT_MAX_CHARS = 2000


def device_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def key_name(questionnaire: Questionnaire) -> str:
    return f"questionnaire-{questionnaire.pk}"


def key_create(questionnaire: Questionnaire) -> None:
    key = sealing_key_new()
    try:
        key_write(name=key_name(questionnaire), data=key)
    finally:
        key_wipe(key)


def _sealed_size(questions: list[Question]) -> int:
    """The longest possible encoding: every text answer at its limit in 4-byte characters."""
    return sum(1 if q.kind == QuestionKind.RATING else 2 + 4 * TEXT_MAX_CHARS for q in questions)


def _encode(questionnaire: Questionnaire, questions: list[Question], values: dict) -> bytes:
    """Rating: one byte (0 none, else option index + 1). Text: 2-byte length, UTF-8."""
    out = bytearray()
    for q in questions:
        value = values.get(q.pk, "")
        if q.kind == QuestionKind.RATING:
            out.append(questionnaire.rating_options.index(value) + 1 if value else 0)
        else:
            data = value.encode()
            out += len(data).to_bytes(2, "big") + data
    return bytes(out)


def _decode(questionnaire: Questionnaire, questions: list[Question], data: bytes) -> list[Answer]:
    answers, at = [], 0
    for q in questions:
        if q.kind == QuestionKind.RATING:
            index, at = data[at], at + 1
            if index:
                answers.append(Answer(question=q, option=questionnaire.rating_options[index - 1]))
        else:
            length = int.from_bytes(data[at : at + 2], "big")
            text, at = data[at + 2 : at + 2 + length].decode(), at + 2 + length
            if text:
                answers.append(Answer(question=q, text=text))
    return answers


def _aad(questionnaire: Questionnaire) -> bytes:
    return f"questionnaire:{questionnaire.pk}".encode()


class CodeRefused(ApplicationError):
    """The code is unknown or used. Views count these per client to slow down guessing."""


# pg_advisory_lock's first key for "a submission or the close of questionnaire <id>"
# (issue 22, item 5); ballots use 22 (ballots.services.cast.CAST_LOCK).
SUBMIT_LOCK = 2205

SUBMIT_AGAIN = (
    "问卷未能保存，本次提交没有计入。您的答题码（或这台设备）仍可使用，请重新提交；"
    "如多次失败，请联系人大常委会办公室。"
)
NOT_OPEN = "该问卷目前不在收集期内。"


@contextlib.contextmanager
def submit_lock(questionnaire: Questionnaire, *, exclusive: bool = False):
    """Submissions hold this lock shared across their two transactions (mark, then seal),
    the close exclusively, inside its transaction: the close waits for every submission in
    flight, so a code is never left marked used by a close that slipped between the two.
    (PostgreSQL advisory locks are not WAL-logged; SQLite serialises writers, and the
    seal's transaction checks the status again.)"""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        if exclusive:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SUBMIT_LOCK, questionnaire.pk])
            yield
            return
        cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", [SUBMIT_LOCK, questionnaire.pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock_shared(%s, %s)", [SUBMIT_LOCK, questionnaire.pk]
            )


def response_submit(
    *, questionnaire: Questionnaire, answers: dict[int, str], code: str = "", device_token: str = ""
) -> None:
    """Accept one anonymous response, sealed until its batch is written, or refuse it whole
    with the reason. Nothing of it is readable in the database until then.

    Three steps, each its own transaction (call this outside any transaction, as the
    respond view does: inside one they would be savepoints of a single transaction):
    1. mark the code (or the device) used: a code answers once, however many submit it at
       the same moment (its row is locked, then checked);
    2. seal the answer and store it: its row never shares a transaction id (xmin, and the
       WAL's commit record) with the code's;
    3. write a batch if enough wait (responses_flush), again apart from both.
    Both 1 and 2 run under submit_lock, shared, which the close takes exclusively, so a
    close never falls between them. If step 2 fails, the mark is removed in a compensating
    transaction and the respondent is told to submit again: no answer is lost silently.
    Only a crash of the worker between 1 and 2 can leave a code used without its answer."""
    questionnaire = Questionnaire.objects.get(pk=questionnaire.pk)
    if questionnaire.status != QuestionnaireStatus.OPEN:
        raise ApplicationError(NOT_OPEN)
    questions = list(questionnaire.questions.select_related("subject").order_by("position"))
    plaintext = _encode(
        questionnaire, questions, _answers_checked(questionnaire, questions, answers, code)
    )
    if not questionnaire.needs_code and not device_token:
        raise ApplicationError("无法识别您的设备，请允许浏览器保存 Cookie 后重试。")
    with submit_lock(questionnaire):
        with transaction.atomic():
            unmark = _respondent_mark(questionnaire, code=code, device_token=device_token)
        try:
            with transaction.atomic():
                _sealed_store(questionnaire, questions, plaintext)
        except Exception as exc:
            with transaction.atomic():
                unmark()
            if isinstance(exc, ApplicationError) and exc.message == NOT_OPEN:
                raise
            logger.exception(
                "questionnaire %s: sealing failed, the mark was removed", questionnaire.pk
            )
            raise ApplicationError(SUBMIT_AGAIN) from exc
    try:
        responses_flush(questionnaire=questionnaire)
    except Exception:
        # The answer is stored sealed; the next submission or the close writes it.
        logger.exception("questionnaire %s: batch not written this time", questionnaire.pk)


def _answers_checked(
    questionnaire: Questionnaire, questions: list[Question], answers: dict[int, str], code: str
) -> dict[int, str]:
    # PostgreSQL refuses a NUL in the code lookup with a 500. The respond view leaves this
    # check to the service (core.control_characters), so that the page keeps the answers.
    if any(has_control_characters(v or "") for v in [code, *answers.values()]):
        raise ApplicationError(
            "答题码或意见中含有无法识别的控制字符（通常是复制粘贴带进来的），问卷未提交。"
            "请检查后重新提交。"
        )
    missing, cleaned = [], {}
    for question in questions:
        value = (answers.get(question.pk) or "").strip()
        if question.kind == QuestionKind.RATING:
            if value and value not in questionnaire.rating_options:
                raise ApplicationError("提交的选项无效，请重新作答。")
            if not value and question.required:
                missing.append(
                    question.subject.person_name if question.subject else str(question.position)
                )
        elif len(value) > TEXT_MAX_CHARS:
            raise ApplicationError(f"意见建议请控制在 {TEXT_MAX_CHARS} 字以内。")
        if value:
            cleaned[question.pk] = value
    if missing:
        raise ApplicationError(
            f"还有 {len(missing)} 题未作答：{'、'.join(missing)}。请全部作答后再提交。"
        )
    return cleaned


def _respondent_mark(questionnaire: Questionnaire, *, code: str, device_token: str):
    """Step 1: mark the code (or device) used. Returns how to undo it (step 2 failed)."""
    status = Questionnaire.objects.values_list("status", flat=True).get(pk=questionnaire.pk)
    if status != QuestionnaireStatus.OPEN:
        raise ApplicationError(NOT_OPEN)
    if questionnaire.needs_code:
        normalized = (code or "").strip().upper().replace(" ", "")
        row = (
            RespondentCode.objects.select_for_update()
            .filter(questionnaire=questionnaire, code=normalized)
            .first()
        )
        if row is None:
            raise CodeRefused("答题码不正确，请核对纸质通知上的答题码。")
        if row.used:
            raise CodeRefused("该答题码已经使用过，每个答题码只能提交一次。")
        row.used = True
        row.save(update_fields=["used"])
        return lambda: RespondentCode.objects.filter(pk=row.pk).update(used=False)
    try:
        with transaction.atomic():
            mark = DeviceMark.objects.create(
                questionnaire=questionnaire, token_hash=device_hash(device_token)
            )
    except IntegrityError:
        raise ApplicationError("这台设备已经提交过本问卷，谢谢参与。") from None
    return lambda: DeviceMark.objects.filter(pk=mark.pk).delete()


def _sealed_store(
    questionnaire: Questionnaire, questions: list[Question], plaintext: bytes
) -> None:
    """Step 2: seal the answer under the questionnaire's key and store it."""
    status = Questionnaire.objects.values_list("status", flat=True).get(pk=questionnaire.pk)
    if status != QuestionnaireStatus.OPEN:  # only possible without the advisory lock (SQLite)
        raise ApplicationError(NOT_OPEN)
    name = key_name(questionnaire)
    if not key_exists(name=name):  # opened before sealing existed: make its key now, once
        Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not key_exists(name=name):
            key_create(questionnaire)
    with key_held(name=name) as key:
        ciphertext = seal_fixed(
            key=key, plaintext=plaintext, size=_sealed_size(questions), aad=_aad(questionnaire)
        )
    SealedResponse.objects.create(questionnaire=questionnaire, ciphertext=ciphertext)


def _flush(questionnaire: Questionnaire, *, closing: bool) -> int:
    """Open, shuffle and write waiting responses as one batch of at least k
    (QUESTIONNAIRE_BATCH_SIZE). While open: only once 2k wait, and then all but k of them,
    drawn at random; the k held back join the next batch. So no batch written while open
    is smaller than k, and at close the rest (at least the k held back, whenever any batch
    was written before) is one batch of at least k. Why hold back rather than re-open the
    last written batch at close: its earlier rows stay readable (the results page while
    open, dead tuples, WAL, backups), so the difference would name the small remainder."""
    k = settings.QUESTIONNAIRE_BATCH_SIZE
    pending = list(SealedResponse.objects.filter(questionnaire=questionnaire))
    if closing:
        batch = pending
    elif len(pending) >= 2 * k:
        batch = secrets.SystemRandom().sample(pending, len(pending) - k)
    else:
        return 0
    if not batch:
        return 0
    questions = list(questionnaire.questions.order_by("position"))
    with key_held(name=key_name(questionnaire)) as key:
        opened = [
            _decode(
                questionnaire,
                questions,
                unseal_fixed(key=key, sealed=p.ciphertext, aad=_aad(questionnaire)),
            )
            for p in batch
        ]
    secrets.SystemRandom().shuffle(opened)
    responses = Response.objects.bulk_create(Response(questionnaire=questionnaire) for _ in opened)
    rows = []
    for response, answers in zip(responses, opened, strict=True):
        for answer in answers:
            answer.response = response
            rows.append(answer)
    Answer.objects.bulk_create(rows)
    SealedResponse.objects.filter(pk__in=[p.pk for p in batch]).delete()
    return len(batch)


def flush_for_close(questionnaire: Questionnaire) -> int:
    """The close's last batch: every waiting response, then the key destroyed once the
    close commits. Call under submit_lock(exclusive=True), inside the close's transaction."""
    written = _flush(questionnaire, closing=True)
    name = key_name(questionnaire)
    transaction.on_commit(lambda: key_destroy(name=name))
    return written


@transaction.atomic
def responses_flush(*, questionnaire: Questionnaire) -> int:
    """Write a shuffled batch if 2 × QUESTIONNAIRE_BATCH_SIZE responses wait (all but k of
    them; see _flush), in a transaction of its own. Returns how many were written."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.status != QuestionnaireStatus.OPEN:
        return 0
    return _flush(questionnaire, closing=False)
