"""Pages of the preliminary assessment: group workspaces, activities, findings, reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.files import private_file_response
from core.roles import Role, role_required, user_has_role
from reviews.models import Campaign

from ..forms import ActivityForm, FindingForm, HeardForm, ReportBodyForm
from ..models import (
    AssessmentGroup,
    FindingKind,
    InvestigationReport,
    InvestigationReportStatus,
)
from ..selectors import (
    activity_for_user,
    attachment_for_user,
    finding_for_user,
    group_for_user,
    group_subject_for_user,
    groups_visible_to,
    investigation_report_for_user,
    investigation_reports_visible_to,
)
from ..services import (
    activity_attach,
    activity_record,
    finding_add,
    finding_delete,
    is_group_member,
    report_mark_heard,
    report_prefill,
    report_return,
    report_save,
    report_submit,
    subjects_assign,
)


@login_required
def group_list(request):
    groups = (
        groups_visible_to(request.user)
        .annotate(subject_count=Count("subjects"))
        .order_by("campaign__name", "position")
    )
    return render(request, "surveys/group_list.html", {"groups": groups})


def _can_write(user, group: AssessmentGroup) -> bool:
    return user_has_role(user, Role.OFFICE) or is_group_member(user, group)


@login_required
def group_detail(request, pk: int):
    group = group_for_user(user=request.user, pk=pk)
    can_write = _can_write(request.user, group)
    form = None
    if request.method == "POST":
        if not can_write:
            messages.error(request, "只有本组成员可以记录调查活动。")
            return redirect("group_detail", pk=group.pk)
        form = ActivityForm(request.POST, request.FILES, group=group)
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = activity_record(
                    actor=request.user,
                    group=group,
                    subjects=data["subjects"],
                    kind=data["kind"],
                    held_on=data["held_on"],
                    place=data["place"],
                    participant_count=data["participant_count"],
                    participants=data["participants"],
                    notes=data["notes"],
                    attachments=data["attachments"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"已记录{activity.get_kind_display()}。")
                return redirect("group_detail", pk=group.pk)
        else:
            messages.error(request, "请检查活动信息。")
    subjects = (
        group.subjects.select_related("unit")
        .annotate(
            problem_count=Count(
                "findings", filter=Q(findings__kind=FindingKind.PROBLEM), distinct=True
            ),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("position")
    )
    reports = {r.subject_id: r for r in InvestigationReport.objects.filter(group=group)}
    rows = [{"subject": s, "report": reports.get(s.pk)} for s in subjects]
    activities = group.activities.prefetch_related("subjects", "attachments").select_related(
        "created_by"
    )
    return render(
        request,
        "surveys/group_detail.html",
        {
            "group": group,
            "members": group.members.all(),
            "rows": rows,
            "activities": activities,
            "can_write": can_write,
            "form": form or (ActivityForm(group=group) if can_write else None),
        },
        status=400 if form is not None and request.method == "POST" else 200,
    )


@login_required
def group_subject(request, pk: int, subject_pk: int):
    """One subject's findings and investigation report, inside its group."""
    group = group_for_user(user=request.user, pk=pk)
    subject = group_subject_for_user(user=request.user, group=group, subject_pk=subject_pk)
    can_write = _can_write(request.user, group)
    report = InvestigationReport.objects.filter(subject=subject).first()
    finding_form = FindingForm(subject=subject) if can_write else None
    if request.method == "POST" and can_write:
        action = request.POST.get("action")
        try:
            if action == "finding":
                finding_form = FindingForm(request.POST, subject=subject)
                if not finding_form.is_valid():
                    raise ApplicationError("请选择评议内容和类别，并填写内容。")
                data = finding_form.cleaned_data
                finding = finding_add(
                    actor=request.user,
                    subject=subject,
                    content_item=data["content_item"],
                    kind=data["kind"],
                    text=data["text"],
                    activity=data["activity"],
                )
                messages.success(request, f"已记录{finding.get_kind_display()} {finding.code}。")
            elif action in ("save", "submit"):
                body_form = ReportBodyForm(request.POST)
                if not body_form.is_valid():
                    raise ApplicationError("调查报告正文不能为空。")
                report = report_save(
                    actor=request.user, subject=subject, body=body_form.cleaned_data["body"]
                )
                if action == "submit":
                    report_submit(actor=request.user, report=report)
                    messages.success(request, "调查报告已提交。")
                else:
                    messages.success(request, "调查报告草稿已保存。")
            else:
                raise ApplicationError("未知操作。")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            return redirect("group_subject", pk=group.pk, subject_pk=subject.pk)
    else:
        status = 200
        if request.method == "POST":
            messages.error(request, "只有本组成员可以记录。")
            status = 403
    findings = subject.findings.select_related("content_item", "activity").order_by(
        "content_item__position", "number"
    )
    by_item = []
    for item in subject.campaign.content_items.all():
        own = [f for f in findings if f.content_item_id == item.pk]
        if own:
            by_item.append((item, own))
    body = report.body if report else report_prefill(subject)
    return render(
        request,
        "surveys/group_subject.html",
        {
            "group": group,
            "subject": subject,
            "by_item": by_item,
            "report": report,
            "report_form": ReportBodyForm(initial={"body": body}),
            "finding_form": finding_form,
            "can_write": can_write,
            "is_leader": group.leader_id == request.user.pk,
            "frozen": report is not None and report.status != InvestigationReportStatus.DRAFT,
        },
        status=status,
    )


@require_POST
@login_required
def finding_remove(request, pk):
    finding = finding_for_user(user=request.user, pk=pk)
    group = finding.subject.assessment_group
    try:
        finding_delete(actor=request.user, finding=finding)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除。")
    return redirect("group_subject", pk=group.pk, subject_pk=finding.subject_id)


@login_required
def activity_detail(request, pk: int):
    activity = activity_for_user(user=request.user, pk=pk)
    can_write = _can_write(request.user, activity.group)
    if request.method == "POST":
        if not can_write:
            messages.error(request, "只有本组成员可以上传附件。")
        else:
            try:
                activity_attach(
                    actor=request.user, activity=activity, upload=request.FILES.get("file")
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "附件已上传。")
        return redirect("activity_detail", pk=activity.pk)
    return render(
        request,
        "surveys/activity_detail.html",
        {"activity": activity, "can_write": can_write, "attachments": activity.attachments.all()},
    )


@login_required
def attachment_download(request, pk):
    attachment = attachment_for_user(user=request.user, pk=pk)
    return private_file_response(attachment.file, attachment.original_name)


@role_required(Role.OFFICE)
def group_assign(request, pk: int):
    """The office puts each subject in a group: one select per subject, saved at once."""
    campaign = get_object_or_404(Campaign, pk=pk)
    groups = list(AssessmentGroup.objects.filter(campaign=campaign).select_related("leader"))
    subjects = list(
        campaign.subjects.select_related("unit", "assessment_group").order_by("position")
    )
    if request.method == "POST":
        assignments = {}
        for subject in subjects:
            value = request.POST.get(f"subject_{subject.pk}", "")
            try:
                assignments[subject.pk] = int(value) if value else None
            except ValueError:
                messages.error(request, "提交的分组无效，未作任何调整。")
                return redirect("group_assign", pk=campaign.pk)
        try:
            changed = subjects_assign(
                actor=request.user, campaign=campaign, assignments=assignments
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"分组已保存（调整 {changed} 名）。")
        return redirect("group_assign", pk=campaign.pk)
    return render(
        request,
        "surveys/group_assign.html",
        {"campaign": campaign, "groups": groups, "subjects": subjects},
    )


@login_required
def investigation_report_detail(request, pk: int):
    report = investigation_report_for_user(user=request.user, pk=pk)
    can_record_heard = user_has_role(request.user, Role.OFFICE, Role.DIRECTORS_MEETING)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "heard" and can_record_heard:
                form = HeardForm(request.POST)
                if not form.is_valid():
                    raise ApplicationError("请填写主任会议听取日期。")
                report_mark_heard(
                    actor=request.user, report=report, heard_on=form.cleaned_data["heard_on"]
                )
                messages.success(request, "已登记主任会议听取。")
            elif action == "return":
                report_return(
                    actor=request.user, report=report, reason=request.POST.get("reason", "")
                )
                messages.success(request, "调查报告已退回小组修改。")
            else:
                raise ApplicationError("您不能进行此项操作。")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("investigation_report_detail", pk=report.pk)
    return render(
        request,
        "surveys/investigation_report.html",
        {
            "report": report,
            "can_record_heard": can_record_heard
            and report.status == InvestigationReportStatus.SUBMITTED,
            "can_return": user_has_role(request.user, Role.OFFICE)
            and report.status == InvestigationReportStatus.SUBMITTED,
            "heard_form": HeardForm(),
        },
    )


@role_required(Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING)
def investigation_report_list(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    reports = (
        investigation_reports_visible_to(request.user)
        .filter(subject__campaign=campaign)
        .order_by("group__position", "subject__position")
    )
    return render(
        request,
        "surveys/investigation_report_list.html",
        {"campaign": campaign, "reports": reports},
    )
