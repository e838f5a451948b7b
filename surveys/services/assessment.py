"""Preliminary assessment: groups, assignments, investigation activities, findings, reports.

Group members write only for their own group's subjects; the office may act for any.
A subject's findings are frozen once its investigation report is submitted.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store
from core.formats import cn_date
from core.services import require_office, validate_or_raise
from reviews.models import Campaign, ContentItem
from subjects.models import Subject

from ..audit import AuditAction
from ..groups import group_writer, subject_group
from ..models import (
    ActivityAttachment,
    AssessmentGroup,
    Finding,
    FindingKind,
    GroupAssignment,
    InvestigationActivity,
    InvestigationReport,
)
from ..workflows import FINDINGS_FROZEN, findings_frozen

# PDF and Word, checked like duty reports (README, "Preliminary assessment").
ATTACHMENT_KINDS = DOCUMENT_KINDS
MAX_ATTACHMENTS = 10


def require_group_writer(user, group: AssessmentGroup) -> None:
    if not group_writer(user, group):
        raise ApplicationError(f"您不是{group.name}的成员，不能记录该组的调查工作。")


def subject_group_required(subject) -> AssessmentGroup:
    group = subject_group(subject)
    if group is None:
        raise ApplicationError(f"{subject.person_name}尚未分配到履职初评小组。")
    return group


def _require_not_frozen(subject) -> None:
    if findings_frozen(InvestigationReport.objects.filter(subject=subject).first()):
        raise ApplicationError(f"关于{subject.person_name}的调查报告已提交，调查发现不能再修改。")


@transaction.atomic
def group_create(
    *, actor: Actor, campaign: Campaign, name: str, leader, members=(), position: int = 0
) -> AssessmentGroup:
    require_office(actor)
    group = AssessmentGroup(campaign=campaign, name=name.strip(), leader=leader, position=position)
    validate_or_raise(group)
    group.save()
    group.members.set(members)
    audit_log(
        actor=actor,
        action=AuditAction.GROUP_CREATE,
        summary=f"“{campaign.name}”成立{group.name}，组长 {leader.get_full_name() or leader.username}",
        target=group,
        campaign=campaign,
    )
    return group


@transaction.atomic
def subjects_assign(*, actor: Actor, campaign: Campaign, assignments: dict[int, int | None]) -> int:
    """Put each subject of the campaign in one group (or none). Returns how many changed."""
    require_office(actor)
    groups = {g.pk: g for g in AssessmentGroup.objects.filter(campaign=campaign)}
    subjects = {s.pk: s for s in Subject.objects.select_for_update().filter(campaign=campaign)}
    current = dict(
        GroupAssignment.objects.select_for_update()
        .filter(subject__campaign=campaign)
        .values_list("subject_id", "group_id")
    )
    unknown = [sid for sid in assignments if sid not in subjects]
    if unknown:
        raise ApplicationError("有评议对象不属于本次评议活动，未作任何调整。")
    frozen = set(
        InvestigationReport.objects.filter(
            subject__campaign=campaign, status__in=FINDINGS_FROZEN
        ).values_list("subject_id", flat=True)
    )
    changed = []
    for subject_id, group_id in assignments.items():
        if group_id is not None and group_id not in groups:
            raise ApplicationError("所选小组不属于本次评议活动，未作任何调整。")
        subject = subjects[subject_id]
        if current.get(subject_id) == group_id:
            continue
        if subject_id in frozen:
            raise ApplicationError(f"{subject.person_name}的调查报告已提交，不能再调整所在小组。")
        if group_id is None:
            GroupAssignment.objects.filter(subject=subject).delete()
        else:
            GroupAssignment.objects.update_or_create(
                subject=subject, defaults={"group_id": group_id}
            )
        changed.append(f"{subject.person_name}→{groups[group_id].name if group_id else '未分组'}")
    if changed:
        audit_log(
            actor=actor,
            action=AuditAction.GROUP_ASSIGN,
            summary=f"调整“{campaign.name}”评议对象分组：{'；'.join(changed)}",
            target=campaign,
            campaign=campaign,
            data={"changes": changed},
        )
    return len(changed)


def _store_attachments(
    *, actor: Actor, activity: InvestigationActivity, uploads: list[UploadedFile]
) -> list[ActivityAttachment]:
    stored = []
    for upload in uploads:
        checked = check_upload(upload, allowed=ATTACHMENT_KINDS)
        attachment = ActivityAttachment(
            activity=activity,
            original_name=checked.original_name,
            size=checked.size,
            content_kind=checked.kind,
            uploaded_by=actor,
        )
        # All or nothing: a later refusal rolls back, and the files written go with it.
        file_store(attachment.file, checked.original_name, upload)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def activity_record(
    *,
    actor: Actor,
    group: AssessmentGroup,
    subjects,
    kind: str,
    held_on: datetime.date,
    place: str,
    participant_count: int,
    participants: str,
    notes: str = "",
    attachments: list[UploadedFile] = (),
) -> InvestigationActivity:
    require_group_writer(actor, group)
    subjects = list(subjects)
    if not subjects:
        raise ApplicationError("请选择本次活动涉及的评议对象。")
    own = set(group.assignments.values_list("subject_id", flat=True))
    outside = [s.person_name for s in subjects if s.pk not in own]
    if outside:
        raise ApplicationError(f"{'、'.join(outside)}不在{group.name}，不能记入本组的调查活动。")
    if held_on > timezone.localdate():
        raise ApplicationError("活动日期不能晚于今天。")
    if len(attachments) > MAX_ATTACHMENTS:
        raise ApplicationError(f"一次最多上传 {MAX_ATTACHMENTS} 个附件。")
    for upload in attachments:
        check_upload(upload, allowed=ATTACHMENT_KINDS)  # refuse before anything is written
    activity = InvestigationActivity(
        group=group,
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        participant_count=participant_count,
        participants=participants.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    validate_or_raise(activity)
    activity.save()
    activity.subjects.set(subjects)
    _store_attachments(actor=actor, activity=activity, uploads=list(attachments))
    audit_log(
        actor=actor,
        action=AuditAction.ACTIVITY_RECORD,
        summary=f"{group.name}记录{activity.get_kind_display()}（{cn_date(held_on)}，{activity.place}，{participant_count} 人）",
        target=activity,
        campaign=group.campaign,
    )
    return activity


@transaction.atomic
def activity_attach(
    *, actor: Actor, activity: InvestigationActivity, upload: UploadedFile
) -> ActivityAttachment:
    require_group_writer(actor, activity.group)
    if activity.attachments.count() >= MAX_ATTACHMENTS:
        raise ApplicationError(f"每次活动最多 {MAX_ATTACHMENTS} 个附件。")
    (attachment,) = _store_attachments(actor=actor, activity=activity, uploads=[upload])
    audit_log(
        actor=actor,
        action=AuditAction.ACTIVITY_ATTACH,
        summary=f"{activity.group.name}为{activity}上传附件 {attachment.original_name}",
        target=attachment,
        campaign=activity.group.campaign,
    )
    return attachment


@transaction.atomic
def finding_add(
    *,
    actor: Actor,
    subject,
    content_item: ContentItem,
    kind: str,
    text: str,
    activity: InvestigationActivity | None = None,
    questionnaire_answer=None,
) -> Finding:
    subject = (
        Subject.objects.select_for_update(of=("self",))
        .select_related("group_assignment__group", "campaign")
        .get(pk=subject.pk)
    )
    group = subject_group_required(subject)
    require_group_writer(actor, group)
    _require_not_frozen(subject)
    if content_item.campaign_id != subject.campaign_id:
        raise ApplicationError("评议内容不属于本次评议活动。")
    if kind not in FindingKind.values:
        raise ApplicationError("请选择类别：成绩、问题或建议。")
    if activity is not None and (
        activity.group_id != group.pk or not activity.subjects.filter(pk=subject.pk).exists()
    ):
        raise ApplicationError("来源活动不是本组针对该评议对象的调查活动。")
    number = (Finding.objects.filter(subject=subject).aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding(
        subject=subject,
        number=number,
        content_item=content_item,
        kind=kind,
        text=(text or "").strip(),
        activity=activity,
        questionnaire_answer=questionnaire_answer,
        created_by=actor,
    )
    validate_or_raise(finding)
    finding.save()
    audit_log(
        actor=actor,
        action=AuditAction(f"finding.add.{kind}"),
        summary=f"{group.name}记录{subject.person_name}的{finding.get_kind_display()} {finding.code}（{content_item.title[:20]}）",
        target=finding,
        campaign=subject.campaign,
    )
    return finding


@transaction.atomic
def finding_delete(*, actor: Actor, finding: Finding) -> None:
    finding = Finding.objects.select_related("subject__group_assignment__group").get(pk=finding.pk)
    require_group_writer(actor, subject_group_required(finding.subject))
    _require_not_frozen(finding.subject)
    audit_log(
        actor=actor,
        action=AuditAction.FINDING_DELETE,
        summary=f"删除{finding.subject.person_name}的{finding.get_kind_display()} {finding.code}",
        campaign=finding.subject.campaign,
        data={"finding": str(finding.pk), "text": finding.text},
    )
    finding.delete()


@transaction.atomic
def group_update(
    *, actor: Actor, group: AssessmentGroup, name: str, leader, members, position: int = 0
) -> AssessmentGroup:
    require_office(actor)
    group = AssessmentGroup.objects.select_for_update().get(pk=group.pk)
    group.name, group.leader, group.position = name.strip(), leader, position
    validate_or_raise(group)
    group.save()
    group.members.set(members)
    audit_log(
        actor=actor,
        action=AuditAction.GROUP_UPDATE,
        summary=f"修改{group.name}：组长 {leader.get_full_name() or leader.username}，组员 {len(members)} 名",
        target=group,
        campaign=group.campaign,
    )
    return group
