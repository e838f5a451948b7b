"""Preliminary assessment: groups, assignments, investigation activities, findings, reports.

Group members write only for their own group's subjects; the office may act for any.
A subject's findings are frozen once its investigation report is submitted.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload
from core.roles import Role, user_has_role
from core.services import require_office, validate_or_raise
from core.workflow import transition
from reviews.models import Campaign, ContentItem
from subjects.models import Subject

from ..models import (
    INVESTIGATION_REPORT_WORKFLOW,
    ActivityAttachment,
    AssessmentGroup,
    Finding,
    FindingKind,
    InvestigationActivity,
    InvestigationReport,
    InvestigationReportStatus,
)
from ..selectors import INVESTIGATION_REPORT_REFUSALS, investigation_report_may

# Attachments also take photos of signed sheets and spreadsheets of questionnaire tallies.
ATTACHMENT_KINDS = DOCUMENT_KINDS
MAX_ATTACHMENTS = 10


def is_group_member(user, group: AssessmentGroup) -> bool:
    return group.leader_id == user.pk or group.members.filter(pk=user.pk).exists()


def _require_group_writer(user, group: AssessmentGroup) -> None:
    if not (user_has_role(user, Role.OFFICE) or is_group_member(user, group)):
        raise ApplicationError(f"您不是{group.name}的成员，不能记录该组的调查工作。")


def _require_not_frozen(subject) -> None:
    report = InvestigationReport.objects.filter(subject=subject).first()
    if report and report.status != InvestigationReportStatus.DRAFT:
        raise ApplicationError(f"关于{subject.person_name}的调查报告已提交，调查发现不能再修改。")


@transaction.atomic
def group_create(
    *, actor, campaign: Campaign, name: str, leader, members=(), position: int = 0
) -> AssessmentGroup:
    require_office(actor)
    group = AssessmentGroup(campaign=campaign, name=name.strip(), leader=leader, position=position)
    validate_or_raise(group)
    group.save()
    group.members.set(members)
    audit_log(
        actor=actor,
        action="group.create",
        summary=f"“{campaign.name}”成立{group.name}，组长 {leader.get_full_name() or leader.username}",
        target=group,
        campaign=campaign,
    )
    return group


@transaction.atomic
def subjects_assign(*, actor, campaign: Campaign, assignments: dict[int, int | None]) -> int:
    """Put each subject of the campaign in one group (or none). Returns how many changed."""
    require_office(actor)
    groups = {g.pk: g for g in AssessmentGroup.objects.filter(campaign=campaign)}
    subjects = {s.pk: s for s in Subject.objects.select_for_update().filter(campaign=campaign)}
    unknown = [sid for sid in assignments if sid not in subjects]
    if unknown:
        raise ApplicationError("有评议对象不属于本次评议活动，未作任何调整。")
    changed = []
    for subject_id, group_id in assignments.items():
        if group_id is not None and group_id not in groups:
            raise ApplicationError("所选小组不属于本次评议活动，未作任何调整。")
        subject = subjects[subject_id]
        if subject.assessment_group_id == group_id:
            continue
        if (
            InvestigationReport.objects.filter(subject=subject)
            .exclude(status=InvestigationReportStatus.DRAFT)
            .exists()
        ):
            raise ApplicationError(f"{subject.person_name}的调查报告已提交，不能再调整所在小组。")
        subject.assessment_group_id = group_id
        subject.save(update_fields=["assessment_group"])
        changed.append(f"{subject.person_name}→{groups[group_id].name if group_id else '未分组'}")
    if changed:
        audit_log(
            actor=actor,
            action="group.assign",
            summary=f"调整“{campaign.name}”评议对象分组：{'；'.join(changed)}",
            target=campaign,
            campaign=campaign,
            data={"changes": changed},
        )
    return len(changed)


def _store_attachments(
    *, actor, activity: InvestigationActivity, uploads: list[UploadedFile]
) -> list[ActivityAttachment]:
    stored = []
    try:
        for upload in uploads:
            checked = check_upload(upload, allowed=ATTACHMENT_KINDS)
            attachment = ActivityAttachment(
                activity=activity,
                original_name=checked.original_name,
                size=checked.size,
                content_kind=checked.kind,
                uploaded_by=actor,
            )
            attachment.file.save(checked.original_name, upload, save=False)
            stored.append(attachment)
            attachment.save()
    except Exception:
        # All or nothing: files already written for this request go too.
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


@transaction.atomic
def activity_record(
    *,
    actor,
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
    _require_group_writer(actor, group)
    subjects = list(subjects)
    if not subjects:
        raise ApplicationError("请选择本次活动涉及的评议对象。")
    outside = [s.person_name for s in subjects if s.assessment_group_id != group.pk]
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
        action="activity.record",
        summary=f"{group.name}记录{activity.get_kind_display()}（{held_on:%Y-%m-%d}，{activity.place}，{participant_count} 人）",
        target=activity,
        campaign=group.campaign,
    )
    return activity


@transaction.atomic
def activity_attach(
    *, actor, activity: InvestigationActivity, upload: UploadedFile
) -> ActivityAttachment:
    _require_group_writer(actor, activity.group)
    if activity.attachments.count() >= MAX_ATTACHMENTS:
        raise ApplicationError(f"每次活动最多 {MAX_ATTACHMENTS} 个附件。")
    (attachment,) = _store_attachments(actor=actor, activity=activity, uploads=[upload])
    audit_log(
        actor=actor,
        action="activity.attach",
        summary=f"{activity.group.name}为{activity}上传附件 {attachment.original_name}",
        target=attachment,
        campaign=activity.group.campaign,
    )
    return attachment


@transaction.atomic
def finding_add(
    *,
    actor,
    subject,
    content_item: ContentItem,
    kind: str,
    text: str,
    activity: InvestigationActivity | None = None,
    survey_answer=None,
) -> Finding:
    subject = (
        Subject.objects.select_for_update(of=("self",))
        .select_related("assessment_group", "campaign")
        .get(pk=subject.pk)
    )
    group = subject.assessment_group
    if group is None:
        raise ApplicationError(f"{subject.person_name}尚未分配到履职初评小组。")
    _require_group_writer(actor, group)
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
        survey_answer=survey_answer,
        created_by=actor,
    )
    validate_or_raise(finding)
    finding.save()
    audit_log(
        actor=actor,
        action=f"finding.add.{kind}",
        summary=f"{group.name}记录{subject.person_name}的{finding.get_kind_display()} {finding.code}（{content_item.title[:20]}）",
        target=finding,
        campaign=subject.campaign,
    )
    return finding


@transaction.atomic
def finding_delete(*, actor, finding: Finding) -> None:
    finding = Finding.objects.select_related("subject__assessment_group").get(pk=finding.pk)
    _require_group_writer(actor, finding.subject.assessment_group)
    _require_not_frozen(finding.subject)
    audit_log(
        actor=actor,
        action="finding.delete",
        summary=f"删除{finding.subject.person_name}的{finding.get_kind_display()} {finding.code}",
        campaign=finding.subject.campaign,
        data={"finding": str(finding.pk), "text": finding.text},
    )
    finding.delete()


def investigation_report_prefill(subject) -> str:
    """A first draft from the findings, grouped by content item as the seeds' reports are."""
    numerals = "一二三四五六七八九十"
    lines = [f"关于{subject.unit.name}{subject.post}{subject.person_name}履职情况的调查报告", ""]
    findings = list(
        subject.findings.select_related("content_item").order_by("content_item__position", "number")
    )
    items = subject.campaign.content_items.all()
    index = 0
    for item in items:
        own = [f for f in findings if f.content_item_id == item.pk]
        if not own:
            continue
        lines.append(f"{numerals[index] if index < len(numerals) else index + 1}、{item.title}")
        index += 1
        for kind in FindingKind:
            of_kind = [f for f in own if f.kind == kind]
            if of_kind:
                lines.append(f"{kind.label}：")
                lines.extend(f"  {n}. {f.text}" for n, f in enumerate(of_kind, start=1))
        lines.append("")
    if index == 0:
        lines.append("（尚未记录调查发现。）")
    return "\n".join(lines).strip() + "\n"


@transaction.atomic
def investigation_report_save(*, actor, subject, body: str) -> InvestigationReport:
    subject = (
        Subject.objects.select_for_update(of=("self",))
        .select_related("assessment_group")
        .get(pk=subject.pk)
    )
    group = subject.assessment_group
    if group is None:
        raise ApplicationError(f"{subject.person_name}尚未分配到履职初评小组。")
    _require_group_writer(actor, group)
    body = (body or "").strip()
    if not body:
        raise ApplicationError("调查报告正文不能为空。")
    report = InvestigationReport.objects.filter(subject=subject).first()
    if report is None:
        report = InvestigationReport(subject=subject, group=group, body=body, updated_by=actor)
    elif report.status != InvestigationReportStatus.DRAFT:
        raise ApplicationError("调查报告已提交，不能再修改。")
    else:
        report.body, report.updated_by = body, actor
    report.save()
    audit_log(
        actor=actor,
        action="investigation_report.save",
        summary=f"{group.name}保存关于{subject.person_name}的调查报告草稿",
        target=report,
        campaign=subject.campaign,
    )
    return report


def _move_report(*, actor, report: InvestigationReport, to: str) -> InvestigationReport:
    report = (
        InvestigationReport.objects.select_for_update(of=("self",))
        .select_related("group", "subject__campaign")
        .get(pk=report.pk)
    )
    INVESTIGATION_REPORT_WORKFLOW.require(report.status, to)
    if not investigation_report_may(actor, report, to):
        raise ApplicationError(INVESTIGATION_REPORT_REFUSALS[to].format(group=report.group.name))
    return report


def _report_transition(report, *, to: str, actor, summary: str, stamp: dict):
    return transition(
        obj=report,
        to=to,
        workflow=INVESTIGATION_REPORT_WORKFLOW,
        actor=actor,
        summary=summary,
        stamp=stamp,
        campaign=report.subject.campaign,
        subject=report.subject,
        check_roles=False,  # _move_report checked this actor for this group
    )


@transaction.atomic
def investigation_report_submit(*, actor, report: InvestigationReport) -> InvestigationReport:
    report = _move_report(actor=actor, report=report, to=InvestigationReportStatus.SUBMITTED)
    return _report_transition(
        report,
        to=InvestigationReportStatus.SUBMITTED,
        actor=actor,
        summary=f"{report.group.name}组长提交关于{report.subject.person_name}的调查报告",
        stamp={"submitted_by": actor, "submitted_at": timezone.now()},
    )


@transaction.atomic
def investigation_report_return(
    *, actor, report: InvestigationReport, reason: str
) -> InvestigationReport:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("退回调查报告必须写明理由。")
    report = _move_report(actor=actor, report=report, to=InvestigationReportStatus.DRAFT)
    return _report_transition(
        report,
        to=InvestigationReportStatus.DRAFT,
        actor=actor,
        summary=f"退回关于{report.subject.person_name}的调查报告，理由：{reason}",
        stamp={"submitted_by": None, "submitted_at": None},
    )


@transaction.atomic
def investigation_report_mark_heard(
    *, actor, report: InvestigationReport, heard_on: datetime.date, backdated: bool = False
) -> InvestigationReport:
    """Record the director's meeting's hearing. A date before the report's submission here
    is accepted only as the office's 补录 of a past campaign (`backdated`), and marked."""
    report = _move_report(actor=actor, report=report, to=InvestigationReportStatus.HEARD)
    if heard_on > timezone.localdate():
        raise ApplicationError("听取日期不能晚于今天。")
    submitted_on = timezone.localtime(report.submitted_at).date() if report.submitted_at else None
    early = submitted_on is not None and heard_on < submitted_on
    if early and not backdated:
        raise ApplicationError(
            "听取日期早于报告在本系统的提交日期。如是补录以往的听取情况，请勾选“补录”。"
        )
    if early and not user_has_role(actor, Role.OFFICE):
        raise ApplicationError("只有评议办公室可以补录以往的听取情况。")
    mark = "（补录）" if early else ""
    return _report_transition(
        report,
        to=InvestigationReportStatus.HEARD,
        actor=actor,
        summary=f"主任会议于 {heard_on:%Y-%m-%d} 听取关于{report.subject.person_name}的调查报告{mark}",
        stamp={"heard_on": heard_on, "heard_recorded_by": actor, "heard_backdated": early},
    )


@transaction.atomic
def group_update(
    *, actor, group: AssessmentGroup, name: str, leader, members, position: int = 0
) -> AssessmentGroup:
    require_office(actor)
    group = AssessmentGroup.objects.select_for_update().get(pk=group.pk)
    group.name, group.leader, group.position = name.strip(), leader, position
    validate_or_raise(group)
    group.save()
    group.members.set(members)
    audit_log(
        actor=actor,
        action="group.update",
        summary=f"修改{group.name}：组长 {leader.get_full_name() or leader.username}，组员 {len(members)} 名",
        target=group,
        campaign=group.campaign,
    )
    return group
