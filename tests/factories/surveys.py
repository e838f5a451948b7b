"""Factories for surveys: assessment groups and what they record, questionnaires and answers."""

import uuid

import factory
from django.utils import timezone

from core.roles import Role
from surveys.models import (
    AccessMode,
    ActivityAttachment,
    ActivityKind,
    Answer,
    AssessmentGroup,
    Deputy,
    DeviceMark,
    Finding,
    FindingKind,
    GroupAssignment,
    InvestigationActivity,
    InvestigationReport,
    InvestigationReportStatus,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    RespondentCode,
    Response,
    SealedResponse,
)
from surveys.services import (
    activity_attach,
    activity_record,
    codes_issue_sheets,
    codes_issue_to_deputies,
    deputy_create,
    device_hash,
    finding_add,
    group_create,
    investigation_report_mark_heard,
    investigation_report_save,
    investigation_report_submit,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
    response_submit,
    subjects_assign,
)

from .base import ServiceFactory, UserFactory, default_office, pdf_upload
from .reviews import CampaignFactory
from .subjects import SubjectFactory


# --- The preliminary assessment ------------------------------------------------------------
class AssessmentGroupFactory(ServiceFactory):
    """group_create, then subjects_assign. `members` and `subjects` take a list, or a number
    of new member users / new subjects of the campaign."""

    class Meta:
        model = AssessmentGroup

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"第{n}组")
    leader = factory.SubFactory(UserFactory, role=Role.MEMBER)
    members = ()
    subjects = ()
    position = 0
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, members, subjects, actor, **fields):
        actor = actor or default_office()
        if isinstance(members, int):
            members = UserFactory.create_batch(members, role=Role.MEMBER)
        if isinstance(subjects, int):
            subjects = SubjectFactory.create_batch(subjects, campaign=campaign)
        group = group_create(actor=actor, campaign=campaign, members=list(members), **fields)
        if subjects:
            subjects_assign(
                actor=actor, campaign=campaign, assignments={s.pk: group.pk for s in subjects}
            )
            for s in subjects:
                s.refresh_from_db()
        return group


def make_group(campaign, *, name: str, leader=None, members=(), subjects=(), actor=None):
    """A group of `campaign` with its subjects assigned (AssessmentGroupFactory's old name)."""
    leader = {"leader": leader} if leader is not None else {}
    return AssessmentGroupFactory(
        campaign=campaign, name=name, members=members, subjects=subjects, actor=actor, **leader
    )


def group_of(subject) -> AssessmentGroup:
    """The subject's assessment group; a new one when it has none yet."""
    if not GroupAssignment.objects.filter(subject=subject).exists():
        AssessmentGroupFactory(campaign=subject.campaign, subjects=[subject])
    return AssessmentGroup.objects.get(assignments__subject=subject)


class GroupAssignmentFactory(ServiceFactory):
    """The subject put in a new group of its campaign by the office (subjects_assign)."""

    class Meta:
        model = GroupAssignment

    subject = factory.SubFactory(SubjectFactory)

    @classmethod
    def _create(cls, model_class, *, subject):
        AssessmentGroupFactory(campaign=subject.campaign, subjects=[subject])
        return GroupAssignment.objects.get(subject=subject)


class InvestigationActivityFactory(ServiceFactory):
    """Recorded by the group's leader (activity_record) about its subjects (all by default)."""

    class Meta:
        model = InvestigationActivity

    group = factory.SubFactory(AssessmentGroupFactory, subjects=1)
    subjects = None
    kind = ActivityKind.FORUM
    held_on = factory.LazyFunction(timezone.localdate)
    place = "县发改委会议室"
    participant_count = 12
    participants = "服务对象代表 8 人、基层干部 4 人"
    notes = "听取服务对象意见"
    attachments = ()
    actor = None

    @classmethod
    def _create(cls, model_class, *, group, subjects, actor, **fields):
        return activity_record(
            actor=actor or group.leader,
            group=group,
            subjects=group.subjects.all() if subjects is None else subjects,
            **fields,
        )


class ActivityAttachmentFactory(ServiceFactory):
    class Meta:
        model = ActivityAttachment

    activity = factory.SubFactory(InvestigationActivityFactory)
    upload = factory.LazyFunction(lambda: pdf_upload("座谈记录.pdf"))
    actor = None

    @classmethod
    def _create(cls, model_class, *, activity, upload, actor):
        return activity_attach(
            actor=actor or activity.group.leader, activity=activity, upload=upload
        )


class FindingFactory(ServiceFactory):
    """Recorded by the leader of the subject's group (a new group when it has none), against
    the campaign's first content item unless told otherwise."""

    class Meta:
        model = Finding

    subject = factory.SubFactory(SubjectFactory)
    content_item = None
    kind = FindingKind.PROBLEM
    text = factory.Sequence(lambda n: f"项目审批环节多、时限长（{n}）")
    activity = None
    questionnaire_answer = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, subject, content_item, actor, **fields):
        group = group_of(subject)
        return finding_add(
            actor=actor or group.leader,
            subject=subject,
            content_item=content_item or subject.campaign.content_items.first(),
            **fields,
        )


class InvestigationReportFactory(ServiceFactory):
    """Saved and submitted by the leader of the subject's group; heard as recorded by
    `heard_recorded_by` (an office user by default) on `heard_on` (today)."""

    class Meta:
        model = InvestigationReport

    subject = factory.SubFactory(SubjectFactory)
    body = "关于履职情况的调查报告正文"
    status = InvestigationReportStatus.DRAFT
    heard_on = None
    heard_recorded_by = None

    @classmethod
    def _create(cls, model_class, *, subject, body, status, heard_on, heard_recorded_by):
        leader = group_of(subject).leader
        report = investigation_report_save(actor=leader, subject=subject, body=body)
        if status == InvestigationReportStatus.DRAFT:
            return report
        report = investigation_report_submit(actor=leader, report=report)
        if status == InvestigationReportStatus.HEARD:
            report = investigation_report_mark_heard(
                actor=heard_recorded_by or default_office(),
                report=report,
                heard_on=heard_on or timezone.localdate(),
            )
        return report


# --- Questionnaires ------------------------------------------------------------------------
class DeputyFactory(ServiceFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"代表{n}")
    delegation = "城关镇代表团"
    phone = ""

    @classmethod
    def _create(cls, model_class, **fields):
        return deputy_create(actor=default_office(), **fields)


def codes_issue(questionnaire: Questionnaire, count: int, *, actor=None) -> list[RespondentCode]:
    """`count` codes the questionnaire's way: one per new deputy, or one per paper sheet."""
    actor = actor or default_office()
    if questionnaire.access_mode == AccessMode.PERSONAL:
        deputies = DeputyFactory.create_batch(count)
        return codes_issue_to_deputies(actor=actor, questionnaire=questionnaire, deputies=deputies)
    return codes_issue_sheets(actor=actor, questionnaire=questionnaire, count=count)


def questionnaire_respond(questionnaire: Questionnaire, answers: dict | None = None) -> str:
    """Submit one response: every rating question the first option unless `answers`
    ({question or its pk: value}) says otherwise; with the next unused code, or from a new
    device. Returns the code or the device token used."""
    values = {
        q.pk: questionnaire.rating_options[0]
        for q in questionnaire.questions.all()
        if q.kind == QuestionKind.RATING
    }
    values.update({getattr(q, "pk", q): v for q, v in (answers or {}).items()})
    if questionnaire.needs_code:
        used = questionnaire.codes.filter(used=False).order_by("pk").first().code
        response_submit(questionnaire=questionnaire, answers=values, code=used)
    else:
        used = uuid.uuid4().hex
        response_submit(questionnaire=questionnaire, answers=values, device_token=used)
    return used


class QuestionnaireFactory(ServiceFactory):
    """questionnaire_create (the campaign gets a subject when it has none), codes, then
    opened, answered `responses` times and closed, as far as `status` says. A questionnaire
    that needs codes gets one per response (at least one) before it opens."""

    class Meta:
        model = Questionnaire

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"征求意见问卷{n}")
    access_mode = AccessMode.DEVICE
    intro = ""
    subjects = None
    text_questions = None
    codes = 0
    status = QuestionnaireStatus.DRAFT
    responses = 0
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, codes, status, responses, actor, **fields):
        actor = actor or default_office()
        if fields["subjects"] is None and not campaign.subjects.exists():
            SubjectFactory(campaign=campaign)
        questionnaire = questionnaire_create(actor=actor, campaign=campaign, **fields)
        if questionnaire.needs_code and status != QuestionnaireStatus.DRAFT:
            codes = max(codes, responses, 1)
        if codes:
            codes_issue(questionnaire, codes, actor=actor)
        if status == QuestionnaireStatus.DRAFT:
            return questionnaire
        questionnaire = questionnaire_open(actor=actor, questionnaire=questionnaire)
        for _ in range(responses):
            questionnaire_respond(questionnaire)
        if status == QuestionnaireStatus.CLOSED:
            questionnaire = questionnaire_close(actor=actor, questionnaire=questionnaire)
        return questionnaire


class QuestionFactory(ServiceFactory):
    """A question of a new questionnaire (questions are written by questionnaire_create)."""

    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    kind = QuestionKind.RATING

    @classmethod
    def _create(cls, model_class, *, questionnaire, kind):
        return questionnaire.questions.filter(kind=kind).order_by("position").first()


class RespondentCodeFactory(ServiceFactory):
    """A paper sheet's code, or (personal mode) a new deputy's."""

    class Meta:
        model = RespondentCode

    questionnaire = factory.SubFactory(QuestionnaireFactory, access_mode=AccessMode.SHEET)

    @classmethod
    def _create(cls, model_class, *, questionnaire):
        (code,) = codes_issue(questionnaire, 1)
        return code


class DeviceMarkFactory(ServiceFactory):
    """The mark of a device that answered an open questionnaire."""

    class Meta:
        model = DeviceMark

    questionnaire = factory.SubFactory(QuestionnaireFactory, status=QuestionnaireStatus.OPEN)

    @classmethod
    def _create(cls, model_class, *, questionnaire):
        token = questionnaire_respond(questionnaire)
        return DeviceMark.objects.get(questionnaire=questionnaire, token_hash=device_hash(token))


class SealedResponseFactory(ServiceFactory):
    """A submitted response still waiting for its batch."""

    class Meta:
        model = SealedResponse

    questionnaire = factory.SubFactory(QuestionnaireFactory, status=QuestionnaireStatus.OPEN)
    answers = None

    @classmethod
    def _create(cls, model_class, *, questionnaire, answers):
        before = set(SealedResponse.objects.values_list("pk", flat=True))
        questionnaire_respond(questionnaire, answers)
        return SealedResponse.objects.exclude(pk__in=before).get(questionnaire=questionnaire)


class ResponseFactory(ServiceFactory):
    """A response submitted and written out: the questionnaire is then closed, which writes
    every waiting response (no batch is written early, whatever its size)."""

    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory, status=QuestionnaireStatus.OPEN)
    answers = None

    @classmethod
    def _create(cls, model_class, *, questionnaire, answers):
        before = set(Response.objects.values_list("pk", flat=True))
        questionnaire_respond(questionnaire, answers)
        questionnaire_close(actor=default_office(), questionnaire=questionnaire)
        return Response.objects.exclude(pk__in=before).filter(questionnaire=questionnaire).first()


class AnswerFactory(ServiceFactory):
    """One answer of a written-out response: a rating (`option`, the first by default), or
    with `text` the answer to the first free-text question."""

    class Meta:
        model = Answer

    questionnaire = factory.SubFactory(QuestionnaireFactory, status=QuestionnaireStatus.OPEN)
    option = None
    text = ""

    @classmethod
    def _create(cls, model_class, *, questionnaire, option, text):
        kind = QuestionKind.TEXT if text else QuestionKind.RATING
        question = questionnaire.questions.filter(kind=kind).order_by("position").first()
        value = text or option or questionnaire.rating_options[0]
        response = ResponseFactory(questionnaire=questionnaire, answers={question: value})
        return response.answers.get(question=question)


def questionnaire_with_comments(*, office, comments: int, subjects: int = 12) -> Questionnaire:
    """A questionnaire on `subjects` subjects with `comments` free-text answers (one
    response each). The answers are written in bulk, not through response_submit: for the
    exports' memory test and benchmark, which need tens of thousands."""
    campaign = CampaignFactory(actor=office)
    for position in range(1, subjects + 1):
        SubjectFactory(campaign=campaign, position=position)
    questionnaire = QuestionnaireFactory(campaign=campaign, actor=office, title="征求意见")
    question = questionnaire.questions.filter(kind=QuestionKind.TEXT).first()
    responses = Response.objects.bulk_create(
        [Response(questionnaire=questionnaire) for _ in range(comments)], batch_size=2000
    )
    Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=question,
                text=f"第{i}条：窗口服务要改进，审批时限过长，群众反映办事难，建议推行并联审批。",
            )
            for i, response in enumerate(responses)
        ],
        batch_size=2000,
    )
    return questionnaire
