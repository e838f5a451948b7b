import os
import tempfile
import zipfile
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.files import private_file_response
from core.forms import ReasonForm, form_data, form_refused, version_of
from core.models import AuditEntry
from core.roles import Role, role_required, user_has_role
from core.xlsx import ImportRejected
from reviews.models import Campaign, CampaignStage
from reviews.selectors import campaign_stage_rows

from .audit import AuditAction as SubjectAuditAction
from .forms import DutyReportUploadForm, SubjectsPasteForm, SubjectsPasteSaveForm
from .imports import SUBJECT_COLUMNS, subjects_paste_check, subjects_paste_create
from .models import (
    DUTY_REPORT_WORKFLOW,
    DutyReportStatus,
    DutyReportVersion,
    LiaisonCommittee,
    ReportKind,
    Unit,
)
from .selectors import (
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
from .services import (
    UPLOAD_STAGES,
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    duty_reports_distribute,
    duty_reports_remind,
)


def _subject_context(request, subject, upload_form=None) -> dict:
    versions = list(subject.report_versions.select_related("reviewed_by").order_by("-number"))
    reports = subject_report_state(
        subject, versions, subject.campaign.report_final_due, timezone.localdate()
    )
    is_owner = subject.user_id == request.user.pk
    can_upload = (
        is_owner and subject.campaign.stage in UPLOAD_STAGES and reports.accepted_final is None
    )
    return {
        "subject": subject,
        "stages": campaign_stage_rows(subject.campaign),
        "timeline": AuditEntry.objects.filter(subject=subject).select_related("actor")[:50],
        "reports": reports,
        "deadlines": subject_deadlines(reports),
        "is_owner": is_owner,
        "can_upload": can_upload,
        "upload_form": upload_form or (DutyReportUploadForm() if can_upload else None),
        # Versions are listed to the owner and office; others reach reports through the campaign list.
        "show_versions": is_owner or user_has_role(request.user, Role.OFFICE),
        "can_see_rectification": subject_rectification_visible(request.user, subject),
    }


@login_required
def subject_detail(request, pk: int):
    subject = subject_for_user(user=request.user, pk=pk)
    return render(request, "subjects/subject_detail.html", _subject_context(request, subject))


@require_POST
@login_required
def report_upload(request, pk: int):
    subject = subject_for_user(user=request.user, pk=pk)
    if subject.user_id != request.user.pk:
        raise PermissionDenied("只有评议对象本人可以上传述职报告。")
    form = DutyReportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = duty_report_upload(
                actor=request.user,
                subject=subject,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            late = "（已逾期，系统已标注为逾期提交）" if version.is_late else ""
            messages.success(
                request,
                f"已上传述职报告{version.get_kind_display()}第 {version.number} 版，等待办公室审核{late}。",
            )
            return redirect("subject_detail", pk=subject.pk)
    else:
        # The field's own reason (提交的文件为空。, 没有提交文件 …), not a generic one.
        form_refused(request, form)
    return render(
        request,
        "subjects/subject_detail.html",
        _subject_context(request, subject, form),
        status=400,
    )


@login_required
def report_download(request, pk):
    version = report_version_for_user(user=request.user, pk=pk)
    return private_file_response(version.file, version.original_name)


def _campaign_for_reports(request, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.prefetch_related("stages"), pk=pk)
    return campaign


@role_required(Role.OFFICE, *REPORT_READERS)
def campaign_reports(request, pk: int):
    """Office: every subject's report status with review actions. Readers: distributed reports."""
    campaign = _campaign_for_reports(request, pk)
    today = timezone.localdate()
    rows = campaign_report_rows(campaign, today=today)
    is_office = user_has_role(request.user, Role.OFFICE)
    reminded = _reminders_by_subject(campaign) if is_office else {}
    for row in rows:
        row.overdue = report_overdue(row, today)
        row.may_remind = (
            is_office
            and campaign.stage in UPLOAD_STAGES
            and row.subject.user_id is not None
            and row.state not in (ReportState.ACCEPTED, ReportState.SUBMITTED)
        )
        row.reminded = reminded.get(row.subject.pk)
        row.moves = (
            [
                m
                for m in DUTY_REPORT_WORKFLOW.moves_for(row.pending, request.user)
                if m.target in (DutyReportStatus.ACCEPTED, DutyReportStatus.RETURNED)
            ]
            if row.pending
            else []
        )
    accepted = sum(1 for r in rows if r.accepted_final)
    counts = report_state_counts(rows)
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
    return render(
        request,
        "subjects/campaign_reports.html",
        {
            "campaign": campaign,
            "rows": rows,
            "shown": shown,
            "chosen": chosen if shown is not rows else "",
            "overdue_count": len(overdue),
            "remindable": [r for r in overdue if r.may_remind],
            "counts": counts,
            "is_office": is_office,
            "accepted_count": accepted,
            "distribute_confirm": reports_distribute_confirm(accepted, len(rows)),
        },
    )


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


@require_POST
@role_required(Role.OFFICE)
def reports_remind(request, pk: int):
    """催报: one subject (subject=<id>) or every overdue one (subject=overdue)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    wanted = request.POST.get("subject", "")
    today = timezone.localdate()
    try:
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
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已催报 {n} 名评议对象：站内通知已发出，有电子邮箱的将收到邮件（见管理后台的“邮件发送队列”）。",
        )
    back = request.POST.get("back", "")
    return redirect(
        f"{reverse('campaign_duty_reports', args=[campaign.pk])}{back if back.startswith('?') else ''}"
    )


@require_POST
@role_required(Role.OFFICE)
def duty_report_move(request, pk, to: str):
    """One URL per move of a duty-report version: accepted, or returned with a reason."""
    version = get_object_or_404(
        DutyReportVersion.objects.select_related("subject__campaign"), pk=pk
    )
    name = f"{version.subject.person_name}的述职报告{version.get_kind_display()}"
    try:
        if to == DutyReportStatus.ACCEPTED:
            duty_report_accept(actor=request.user, version=version)
            messages.success(request, f"已接受{name}。")
        elif to == DutyReportStatus.RETURNED:
            reason = form_data(ReasonForm(request.POST))["reason"]
            duty_report_return(actor=request.user, version=version, reason=reason)
            messages.success(request, f"已退回{name}。")
        else:
            raise ApplicationError("未知操作。")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("campaign_duty_reports", pk=version.subject.campaign_id)


@require_POST
@role_required(Role.OFFICE)
def reports_distribute(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        duty_reports_distribute(actor=request.user, campaign=campaign)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "述职报告已分发，常委会组成人员和领导小组现在可以阅读已接受的定稿。"
        )
    return redirect("campaign_duty_reports", pk=campaign.pk)


@role_required(Role.OFFICE)
def reports_zip(request, pk: int):
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


def _setup_context(campaign, **extra) -> dict:
    subjects = list(
        campaign.subjects.select_related("unit", "liaison_committee", "user").order_by(
            "position", "id"
        )
    )
    return {
        "campaign": campaign,
        "subjects": subjects,
        "columns": SUBJECT_COLUMNS,
        "editable": campaign.stage == CampaignStage.PREPARATION,
        "unit_names": list(
            Unit.objects.order_by("organ_type", "name").values_list("name", flat=True)
        ),
        "committee_names": list(
            LiaisonCommittee.objects.order_by("name").values_list("name", flat=True)
        ),
        **extra,
    }


def _subjects_version(campaign) -> str:
    return version_of(campaign.subjects.all())


@role_required(Role.OFFICE)
def subjects_setup(request, pk: int):
    """评议对象: the campaign's subjects in order, and the paste box to add more."""
    campaign = get_object_or_404(Campaign, pk=pk)
    return render(
        request,
        "subjects/subjects_setup.html",
        _setup_context(campaign, paste_form=SubjectsPasteForm()),
    )


@require_POST
@role_required(Role.OFFICE)
def subjects_paste_preview(request, pk: int):
    """Check the pasted rows and show them, or every error by row and column; writes nothing."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = SubjectsPasteForm(request.POST)
    context = _setup_context(campaign, paste_form=form)
    if not form.is_valid():
        status = form_refused(request, form)
        return render(request, "subjects/subjects_setup.html", context, status=status)
    try:
        rows = subjects_paste_check(
            actor=request.user, campaign=campaign, text=form.cleaned_data["rows"]
        )
    except ImportRejected as exc:
        messages.error(
            request, exc.message.replace("导入文件", "粘贴的内容").replace("上传", "粘贴")
        )
        context["errors"] = exc.errors
        return render(request, "subjects/subjects_setup.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render(request, "subjects/subjects_setup.html", context, status=400)
    context["preview"] = rows
    context["save_form"] = SubjectsPasteSaveForm(
        initial={"rows": form.cleaned_data["rows"]}, version=_subjects_version(campaign)
    )
    return render(request, "subjects/subjects_setup.html", context)


@require_POST
@role_required(Role.OFFICE)
def subjects_paste(request, pk: int):
    """确认添加: save the previewed rows, all or none."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = SubjectsPasteSaveForm(request.POST, version=_subjects_version(campaign))
    if not form.is_valid():
        form_refused(request, form)
        return redirect("subjects_setup", pk=campaign.pk)
    try:
        result = subjects_paste_create(
            actor=request.user, campaign=campaign, text=form.cleaned_data["rows"]
        )
    except ImportRejected as exc:
        messages.error(
            request, exc.message.replace("导入文件", "粘贴的内容").replace("上传", "粘贴")
        )
        context = _setup_context(
            campaign, paste_form=SubjectsPasteForm(initial=form.cleaned_data), errors=exc.errors
        )
        return render(request, "subjects/subjects_setup.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("subjects_setup", pk=campaign.pk)
    messages.success(request, f"已添加评议对象 {len(result.created)} 名。")
    if result.new_accounts:  # shown once, on this answer only
        context = _setup_context(
            campaign, paste_form=SubjectsPasteForm(), new_accounts=result.new_accounts
        )
        return render(request, "subjects/subjects_setup.html", context)
    return redirect("subjects_setup", pk=campaign.pk)
