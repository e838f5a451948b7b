"""Duty reports (述职报告): upload, office review, distribution.

A version moves submitted → accepted | returned, or submitted → superseded when the
subject uploads a newer version of the same kind before it was reviewed. An accepted
final is locked: no further final can be uploaded, and the database refuses a second.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store
from core.formats import cn_date
from core.models import Notification
from core.outbox import Mail, email_queue
from core.services import apply_changes, changed_labels, require_office, validate_or_raise
from core.workflow import transition
from reviews.models import Campaign

from ..audit import AuditAction
from ..models import DutyReportStatus, DutyReportVersion, ReportKind, Subject
from ..selectors import ReportState, campaign_report_rows
from ..workflows import DUTY_REPORT_WORKFLOW


def report_deadlines_suggested(meeting: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Practice: the draft 20 days and the final 10 days before the review meeting."""
    return meeting - datetime.timedelta(days=20), meeting - datetime.timedelta(days=10)


@transaction.atomic
def campaign_report_deadlines_set(
    *,
    actor: Actor,
    campaign: Campaign,
    draft_due: datetime.date | None,
    final_due: datetime.date | None,
) -> Campaign:
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    changed = apply_changes(
        campaign,
        {"report_draft_due": draft_due, "report_final_due": final_due},
        allowed=("report_draft_due", "report_final_due"),
    )
    if not changed:
        return campaign
    validate_or_raise(campaign)
    campaign.save(update_fields=list(changed))
    audit_log(
        actor=actor,
        action=AuditAction.CAMPAIGN_REPORT_DEADLINES,
        summary=f"设定“{campaign.name}”{changed_labels(Campaign, changed)}",
        target=campaign,
        campaign=campaign,
        data=changed,
    )
    return campaign


def _due_for(campaign: Campaign, kind: str) -> datetime.date | None:
    return campaign.report_draft_due if kind == ReportKind.DRAFT else campaign.report_final_due


@transaction.atomic
def duty_report_upload(
    *, actor: Actor, subject: Subject, kind: str, upload: UploadedFile | None
) -> DutyReportVersion:
    """The subject uploads a new version; older versions are kept."""
    if kind not in ReportKind.values:
        raise ApplicationError("请选择上传的是初稿还是定稿。")
    checked = check_upload(upload, allowed=DOCUMENT_KINDS)
    # Lock the subject row: two uploads at once get distinct numbers, one after the other.
    subject = Subject.objects.select_for_update().select_related("campaign").get(pk=subject.pk)
    # The subject itself, while the campaign collects reports and no final is accepted.
    DUTY_REPORT_WORKFLOW.action_check(subject, actor, "upload_duty_report")
    campaign = subject.campaign
    versions = DutyReportVersion.objects.filter(subject=subject)

    due = _due_for(campaign, kind)
    today = timezone.localdate()
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    # A newer upload of the same kind replaces one still waiting for review.
    for waiting in versions.filter(kind=kind, status=DutyReportStatus.SUBMITTED):
        transition(
            obj=waiting,
            to=DutyReportStatus.SUPERSEDED,
            workflow=DUTY_REPORT_WORKFLOW,
            actor=actor,
            summary=f"{subject.person_name}上传新版本，替换待审核的第 {waiting.number} 版",
            campaign=campaign,
            subject=subject,
        )
    version = DutyReportVersion(
        subject=subject,
        kind=kind,
        number=number,
        **DutyReportVersion.checked_fields(checked, actor),
        is_late=due is not None and today > due,
    )
    # No row, no file: the stored copy goes if anything after this rolls back.
    file_store(version.file, checked.original_name, upload)
    version.save()
    late = "（逾期提交）" if version.is_late else ""
    audit_log(
        actor=actor,
        action=AuditAction(f"duty_report.upload.{kind}"),
        summary=f"{subject.person_name}上传述职报告{version.get_kind_display()}第 {number} 版："
        f"{checked.original_name}{late}",
        target=version,
        campaign=campaign,
        subject=subject,
        data={"version": str(version.pk), "late": version.is_late},
    )
    return version


def _locked_version(version: DutyReportVersion) -> DutyReportVersion:
    return (
        DutyReportVersion.objects.select_for_update(of=("self",))
        .select_related("subject__campaign")
        .get(pk=version.pk)
    )


@transaction.atomic
def duty_report_accept(*, actor: Actor, version: DutyReportVersion) -> DutyReportVersion:
    version = _locked_version(version)
    subject = version.subject
    locked = "，定稿已锁定" if version.kind == ReportKind.FINAL else ""
    try:
        with transaction.atomic():
            return transition(
                obj=version,
                to=DutyReportStatus.ACCEPTED,
                workflow=DUTY_REPORT_WORKFLOW,
                actor=actor,
                summary=f"办公室接受{subject.person_name}的述职报告{version.get_kind_display()}第 {version.number} 版{locked}",
                stamp={"reviewed_by": actor, "reviewed_at": timezone.now()},
                campaign=subject.campaign,
                subject=subject,
            )
    except IntegrityError as exc:
        raise ApplicationError("该评议对象已有被接受的定稿。") from exc


@transaction.atomic
def duty_report_return(
    *, actor: Actor, version: DutyReportVersion, reason: str
) -> DutyReportVersion:
    version = _locked_version(version)
    # Who, then when (the table), before what was typed; transition() checks again.
    DUTY_REPORT_WORKFLOW.check_move(version, actor, DutyReportStatus.RETURNED)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("退回述职报告必须写明理由，评议对象将看到这些理由。")
    subject = version.subject
    return transition(
        obj=version,
        to=DutyReportStatus.RETURNED,
        workflow=DUTY_REPORT_WORKFLOW,
        actor=actor,
        summary=f"办公室退回{subject.person_name}的述职报告{version.get_kind_display()}第 {version.number} 版，理由：{reason}",
        stamp={"reviewed_by": actor, "reviewed_at": timezone.now(), "return_reason": reason},
        campaign=subject.campaign,
        subject=subject,
    )


@transaction.atomic
def duty_reports_distribute(*, actor: Actor, campaign: Campaign) -> Campaign:
    """From now on members and the leading group read the campaign's accepted reports."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    # The office, once, and only with an accepted final.
    DUTY_REPORT_WORKFLOW.action_check(campaign, actor, "distribute_duty_reports")
    accepted = DutyReportVersion.objects.filter(
        subject__campaign=campaign, kind=ReportKind.FINAL, status=DutyReportStatus.ACCEPTED
    ).count()
    total = campaign.subjects.count()
    campaign.reports_distributed_at = timezone.now()
    campaign.reports_distributed_by = actor
    campaign.save(update_fields=["reports_distributed_at", "reports_distributed_by"])
    audit_log(
        actor=actor,
        action=AuditAction.DUTY_REPORT_DISTRIBUTE,
        summary=f"分发“{campaign.name}”述职报告（已接受定稿 {accepted}/{total} 份）",
        target=campaign,
        campaign=campaign,
        data={"accepted": accepted, "subjects": total},
    )
    return campaign


REMIND_MAIL_KIND = "duty_report_remind"


@transaction.atomic
def duty_reports_remind(*, actor: Actor, campaign: Campaign, subjects: list[Subject]) -> int:
    """催报: remind each subject whose duty report is still owed — a notification in the
    app and an e-mail queued in the outbox (sent once this commits) — and record it on the
    subject's timeline. Subjects with an accepted final or a final awaiting review are
    skipped. Returns how many were reminded."""
    DUTY_REPORT_WORKFLOW.action_check(campaign, actor, "remind_duty_reports")
    wanted = {s.pk for s in subjects}
    today = timezone.localdate()
    owed = [
        r
        for r in campaign_report_rows(campaign, today=today)
        if r.subject.pk in wanted
        and r.subject.user_id
        and r.state not in (ReportState.ACCEPTED, ReportState.SUBMITTED)
    ]
    if not owed:
        raise ApplicationError(
            "所选评议对象没有需要催报的述职报告（已接受、待审核或没有登录账号）。"
        )
    mails = []
    for row in owed:
        subject = row.subject
        # Nothing in yet and the final's deadline not passed: the draft is what is owed.
        wants_draft = (
            not row.versions
            and campaign.report_draft_due is not None
            and (campaign.report_final_due is None or today <= campaign.report_final_due)
        )
        kind, due = (
            ("初稿", campaign.report_draft_due)
            if wants_draft
            else ("定稿", campaign.report_final_due)
        )
        when = ""
        if due:
            late = (today - due).days
            when = (
                f"（期限 {cn_date(due)}，已逾期 {late} 天）"
                if late > 0
                else f"（期限 {cn_date(due)}）"
            )
        text = f"请尽快提交述职报告{kind}{when}"
        url = reverse("subject_detail", args=[subject.pk])
        Notification.objects.create(user=subject.user, title=f"【催报】{text}"[:200], url=url)
        entry = audit_log(
            actor=actor,
            action=AuditAction.DUTY_REPORT_REMIND,
            summary=f"催报{subject.person_name}的述职报告{kind}{when}",
            target=subject,
            campaign=campaign,
            subject=subject,
        )
        mails.append(
            Mail(
                key=f"{subject.pk}:{entry.pk}",
                recipient=subject.user.email,
                subject=f"【述职评议】{text}",
                body=f"{subject.person_name}：{text}。\n请登录述职评议工作系统上传：{url}",
            )
        )
    email_queue(kind=REMIND_MAIL_KIND, mails=mails)
    return len(owed)
