"""Preliminary assessment (评议调查): the deputies, the assessment groups with their forum
and questionnaire activities and findings, the groups' investigation reports (submitted,
and heard by the office), and the deputies' opinion questionnaire with its answers."""

import random

from django.utils import timezone

from reviews.models import Campaign
from surveys.groups import subject_group
from surveys.models import (
    AccessMode,
    ActivityKind,
    FindingKind,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
)
from surveys.services import (
    activity_record,
    codes_issue_to_deputies,
    finding_add,
    group_create,
    investigation_report_mark_heard,
    investigation_report_prefill,
    investigation_report_save,
    investigation_report_submit,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
    response_submit,
    subjects_assign,
)

from . import files
from .preparation import batch_campaign_name

DEPUTIES = [
    ("张玉芬", "城关镇代表组"),
    ("李永生", "城关镇代表组"),
    ("王德明", "马坝镇代表组"),
    ("刘春兰", "马坝镇代表组"),
    ("陈国富", "官滩镇代表组"),
    ("杨桂英", "官滩镇代表组"),
    ("赵振华", "旧铺镇代表组"),
    ("周海燕", "旧铺镇代表组"),
    ("吴建军", "桂五镇代表组"),
    ("徐丽萍", "桂五镇代表组"),
    ("孙志勇", "河桥镇代表组"),
    ("马晓东", "河桥镇代表组"),
]

# What groups found, by content item index: (kind, text). {unit} is the subject's unit.
FINDINGS = [
    (0, FindingKind.ACHIEVEMENT, "依法行政意识较强，重大决策履行了合法性审查程序。"),
    (1, FindingKind.PROBLEM, "{unit}窗口服务效率不高，群众反映办事环节多、时限长。"),
    (2, FindingKind.PROBLEM, "对常委会审议意见的办理反馈不够及时，部分代表建议答复后落实不到位。"),
    (4, FindingKind.SUGGESTION, "建立群众来信来访台账，定期向联系委室通报办理情况。"),
]
TEXT_OPINIONS = [
    "希望进一步提高办事效率。",
    "多深入基层听取群众意见。",
    "对企业的服务要更主动。",
    "",
]


def assessment(
    campaign: Campaign,
    subjects: list,
    plan: list,
    *,
    office,
    users: dict,
    held_on,
    submit: bool,
    heard: bool,
):
    """Groups per `plan` [(name, leader, members, subject indexes)], one forum each, findings, reports."""
    items = list(campaign.content_items.all())
    groups = []
    for position, (name, leader, members, indexes) in enumerate(plan, start=1):
        group = group_create(
            actor=office,
            campaign=campaign,
            name=name,
            leader=users[leader],
            members=[users[m] for m in members],
            position=position,
        )
        subjects_assign(
            actor=office, campaign=campaign, assignments={subjects[i].pk: group.pk for i in indexes}
        )
        groups.append((group, [subjects[i] for i in indexes]))
    for group, own in groups:
        for subject in own:
            subject.refresh_from_db()
        writer = group.leader
        activity = activity_record(
            actor=writer,
            group=group,
            subjects=own,
            kind=ActivityKind.FORUM,
            held_on=held_on,
            place=f"{own[0].unit.name}会议室",
            participant_count=12,
            participants="服务对象代表、基层干部、企业代表",
            notes="听取意见，查阅相关台账。",
            attachments=[
                files.demo_pdf("座谈会记录.pdf", "座谈会记录", [group.name, "（演示数据）"])
            ],
        )
        activity_record(
            actor=writer,
            group=group,
            subjects=own,
            kind=ActivityKind.QUESTIONNAIRE,
            held_on=held_on,
            place="线上及纸质",
            participant_count=60,
            participants="服务对象、企业",
        )
        for subject in own:
            if subject.user and subject.user.username == "subject":
                continue  # left for the member's own journey in the demo
            for index, kind, text in FINDINGS:
                finding_add(
                    actor=writer,
                    subject=subject,
                    content_item=items[index],
                    kind=kind,
                    text=text.format(unit=subject.unit.name),
                    activity=activity,
                )
            if submit:
                report = investigation_report_save(
                    actor=writer, subject=subject, body=investigation_report_prefill(subject)
                )
                investigation_report_submit(actor=group.leader, report=report)
                if heard:
                    investigation_report_mark_heard(
                        actor=office, report=report, heard_on=timezone.localdate()
                    )
    return [g for g, _ in groups]


def questionnaire(campaign: Campaign, *, office, deputies, answered: int, close: bool, seed: int):
    """A deputies' questionnaire with `answered` of its codes used."""

    rng = random.Random(seed)
    q = questionnaire_create(
        actor=office,
        campaign=campaign,
        title=f"{campaign.name}人大代表征求意见表",
        access_mode=AccessMode.PERSONAL,
        intro="请对评议对象的履职情况作出评价，并提出意见和建议。",
    )
    codes = codes_issue_to_deputies(actor=office, questionnaire=q, deputies=deputies)
    questionnaire_open(actor=office, questionnaire=q)
    questions = list(q.questions.all())
    for code in codes[:answered]:
        answers = {}
        for question in questions:
            if question.kind == QuestionKind.RATING:
                answers[question.pk] = rng.choices(q.rating_options, weights=[6, 3, 1])[0]
            else:
                answers[question.pk] = rng.choice(TEXT_OPINIONS)
        response_submit(questionnaire=q, answers=answers, code=code.code)
    if close:
        questionnaire_close(actor=office, questionnaire=q)
    return q, codes[answered:]


def investigation_reports_submit(subjects: list) -> None:
    """Each subject's group leader writes the investigation report and submits it."""
    for subject in subjects:
        group = subject_group(subject)
        report = investigation_report_save(
            actor=group.leader, subject=subject, body=investigation_report_prefill(subject)
        )
        investigation_report_submit(actor=group.leader, report=report)


def demo_questionnaire_codes(year: int) -> tuple[str, list[str]] | None:
    """The second batch's open deputies' questionnaire: its link path and two unused codes."""

    q = Questionnaire.objects.filter(
        campaign__name=batch_campaign_name(year), status=QuestionnaireStatus.OPEN
    ).first()
    if q is None:
        return None
    codes = list(q.codes.filter(used=False).values_list("code", flat=True)[:2])
    return f"/q/{q.public_token}/", codes
