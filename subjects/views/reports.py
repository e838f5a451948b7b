"""The duty report's pages and POSTs: the subject's page with its versions and the upload,
the campaign's list with the office's review, distribution and reminders (催报).

Every POST goes through the one POST path (core.object_views): the upload, distribution
and reminders are thin views that read the form and call the service; the office's review
of a version is the generic move view, by its row in subjects.workflows. A refusal shows
the page again with the message and what was typed (400), and nothing is written. What a
page offers comes from the table (`duty_report_may`, `duty_report_moves`)."""

import os
import tempfile
import zipfile
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.files import private_file_response
from core.forms import form_errors_text
from core.models import AuditEntry
from core.object_views import move_view, object_post
from core.roles import Role, role_required, user_has_role
from reviews.models import Campaign
from reviews.selectors import campaign_stage_rows
from reviews.views import office_campaign

from ..audit import AuditAction as SubjectAuditAction
from ..forms import DutyReportUploadForm
from ..models import DutyReportStatus, DutyReportVersion, ReportKind
from ..selectors import (
    REPORT_READERS,
    ReportState,
    campaign_report_rows,
    report_overdue,
    report_state_counts,
    report_version_for_user,
    reports_distribute_confirm,
    subject_deadlines,
    subject_for_user,
    subject_rectification_visible,
    subject_report_state,
)
from ..services import duty_report_upload, duty_reports_distribute, duty_reports_remind
from ..workflows import (
    DUTY_REPORT_WORKFLOW,
    duty_report_capabilities,
    duty_report_may,
    duty_report_moves,
)


# --- The subject's page ------------------------------------------------------------------
def _subject_page(request, subject, *, status=200, upload_form=None):
    """The subject's page: its duty-report versions, deadlines and timeline; the upload
    form when the table lets this user upload now. After a refused upload it is shown again
    with what was chosen (`upload_form`) and status 400."""
    user = request.user
    versions = list(subject.report_versions.select_related("reviewed_by").order_by("-number"))
    reports = subject_report_state(
        subject, versions, subject.campaign.report_final_due, timezone.localdate()
    )
    is_owner = subject.user_id == user.pk
    can_upload = duty_report_may(user, subject, "upload_duty_report")
    context = {
        "subject": subject,
        "stages": campaign_stage_rows(subject.campaign),
        "timeline": AuditEntry.objects.filter(subject=subject).select_related("actor")[:50],
        "reports": reports,
        "latest_caps": duty_report_capabilities(user, reports.latest),
        "deadlines": subject_deadlines(reports),
        "is_owner": is_owner,
        "can_upload": can_upload,
        "upload_form": upload_form or (DutyReportUploadForm() if can_upload else None),
        # Versions are listed to the owner and office; others reach reports through the campaign list.
        "show_versions": is_owner or user_has_role(user, Role.OFFICE),
        "can_see_rectification": subject_rectification_visible(user, subject),
    }
    return render(request, "subjects/subject_detail.html", context, status=status)


@login_required
def subject_detail(request, pk: int):
    return _subject_page(request, subject_for_user(user=request.user, pk=pk))


@object_post(lookup=subject_for_user, page=_subject_page, detail="subject_detail")
def duty_report_upload_view(request, subject, forms):
    """The subject uploads a new version (初稿 or 定稿); older versions are kept."""
    DUTY_REPORT_WORKFLOW.action_check(subject, request.user, "upload_duty_report")
    form = forms["upload_form"] = DutyReportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        # The field's own reason (提交的文件为空。, 没有提交文件 …), not a generic one.
        raise ApplicationError(f"未保存，请修改后再提交：{form_errors_text(form)}")
    version = duty_report_upload(
        actor=request.user,
        subject=subject,
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
    )
    late = "（已逾期，系统已标注为逾期提交）" if version.is_late else ""
    return (
        f"已上传述职报告{version.get_kind_display()}第 {version.number} 版，等待办公室审核{late}。"
    )


@login_required
def duty_report_download(request, pk):
    version = report_version_for_user(user=request.user, pk=pk)
    return private_file_response(version.file, version.original_name)


# --- The campaign's list -----------------------------------------------------------------
def _campaign_page(request, campaign, *, status=200, refused=None):
    """Office: every subject's report status with review actions. Readers: distributed
    reports. After a refused POST it is shown again with status 400 (and, for a refused
    return, the reason typed: `refused`)."""
    campaign = Campaign.objects.prefetch_related("stages").get(pk=campaign.pk)
    user = request.user
    today = timezone.localdate()
    rows = campaign_report_rows(campaign, today=today)
    is_office = user_has_role(user, Role.OFFICE)
    reminded = _reminders_by_subject(campaign) if is_office else {}
    may_remind = is_office and duty_report_may(user, campaign, "remind_duty_reports")
    for row in rows:
        row.overdue = report_overdue(row, today)
        row.state_badge = "danger" if row.overdue else row.badge
        row.may_remind = (
            may_remind
            and row.subject.user_id is not None
            and row.state not in (ReportState.ACCEPTED, ReportState.SUBMITTED)
        )
        row.reminded = reminded.get(row.subject.pk)
        row.caps = duty_report_moves(user, row.pending)
    accepted = sum(1 for r in rows if r.accepted_final)
    # The count chips filter the table: a state, or every overdue report.
    chosen = request.GET.get("state", "")
    overdue = [r for r in rows if r.overdue]
    shown = (
        overdue
        if chosen == "overdue"
        else [r for r in rows if r.state == chosen]
        if chosen in ReportState.values
        else rows
    )
    context = {
        "campaign": campaign,
        "rows": rows,
        "shown": shown,
        "chosen": chosen if shown is not rows else "",
        "overdue_count": len(overdue),
        "remindable": [r for r in overdue if r.may_remind],
        "counts": report_state_counts(rows),
        "is_office": is_office,
        "accepted_count": accepted,
        "distribute_confirm": reports_distribute_confirm(accepted, len(rows)),
        "refused": refused,
    }
    return render(request, "subjects/campaign_reports.html", context, status=status)


@role_required(Role.OFFICE, *REPORT_READERS)
def campaign_duty_reports(request, pk: int):
    return _campaign_page(request, get_object_or_404(Campaign, pk=pk))


def _campaign_list(request, campaign) -> str:
    """Back to the campaign's list, keeping its filter (the POST's `back`, a query string)."""
    back = request.POST.get("back", "")
    url = reverse("campaign_duty_reports", args=[campaign.pk])
    return f"{url}{back if back.startswith('?') else ''}"


def _reminders_by_subject(campaign) -> dict[int, dict]:
    """How often, and when last, each subject was reminded (催报), from the audit log."""
    return {
        row["subject_id"]: row
        for row in AuditEntry.objects.filter(
            campaign=campaign, action=SubjectAuditAction.DUTY_REPORT_REMIND
        )
        .values("subject_id")
        .annotate(times=Count("pk"), last=Max("at"))
    }


@object_post(lookup=office_campaign, page=_campaign_page, detail=_campaign_list)
def duty_reports_remind_view(request, campaign, forms):
    """催报: one subject (subject=<id>) or every overdue one (subject=overdue)."""
    wanted = request.POST.get("subject", "")
    today = timezone.localdate()
    if wanted == "overdue":
        subjects = [
            r.subject
            for r in campaign_report_rows(campaign, today=today)
            if report_overdue(r, today)
        ]
    elif wanted.isdigit() and len(wanted) < 12:
        subjects = list(campaign.subjects.filter(pk=int(wanted)))
    else:
        raise ApplicationError("请选择要催报的评议对象。")
    n = duty_reports_remind(actor=request.user, campaign=campaign, subjects=subjects)
    return f"已催报 {n} 名评议对象：站内通知已发出，有电子邮箱的将收到邮件（见管理后台的“邮件发送队列”）。"


@object_post(lookup=office_campaign, page=_campaign_page, detail="campaign_duty_reports")
def duty_reports_distribute_view(request, campaign, forms):
    duty_reports_distribute(actor=request.user, campaign=campaign)
    return "述职报告已分发，常委会组成人员和领导小组现在可以阅读已接受的定稿。"


# --- The office's review of a version: one URL per move -----------------------------------
def _version_page(request, version, *, status=200, form=None):
    """A refused move on a version: the campaign's list for those who read it, else the
    subject's page."""
    if user_has_role(request.user, Role.OFFICE, *REPORT_READERS):
        typed = form.data.get("reason", "") if form is not None else ""
        refused = {"pk": version.pk, "reason": typed}
        return _campaign_page(request, version.subject.campaign, status=status, refused=refused)
    subject = subject_for_user(user=request.user, pk=version.subject_id)
    return _subject_page(request, subject, status=status)


duty_report_move = move_view(
    workflow=DUTY_REPORT_WORKFLOW,
    lookup=report_version_for_user,
    page=_version_page,
    detail=lambda request, version: reverse(
        "campaign_duty_reports", args=[version.subject.campaign_id]
    ),
    entity=lambda version: (version, {"version": version}),
)


@role_required(Role.OFFICE)
def duty_reports_zip(request, pk: int):
    """All accepted finals of a campaign in one zip, each file named by its subject."""
    campaign = get_object_or_404(Campaign, pk=pk)
    finals = (
        DutyReportVersion.objects.filter(
            subject__campaign=campaign, kind=ReportKind.FINAL, status=DutyReportStatus.ACCEPTED
        )
        .select_related("subject__unit")
        .order_by("subject__position", "subject__id")
    )
    if not finals:
        raise Http404("还没有已接受的述职报告定稿。")
    # Spooled to disk past 10 MB: twelve 20 MB reports should not sit in memory.
    buffer = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, version in enumerate(finals, start=1):
            subject = version.subject
            extension = os.path.splitext(version.file.name)[1]
            name = f"{index:02d}_{subject.unit.name}{subject.post}_{subject.person_name}_述职报告{extension}"
            with version.file.open("rb") as handle:
                archive.writestr(name, handle.read())
    buffer.seek(0)
    filename = f"{campaign.name}_述职报告.zip"
    response = FileResponse(buffer, as_attachment=True, content_type="application/zip")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
