"""Pages of the preliminary assessment: group workspaces, activities, findings, reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.files import private_file_response
from core.forms import ReasonForm, form_data, form_errors_text, form_refused, version_of
from core.object_views import move_view, object_post
from core.roles import LEADERSHIP, Role, role_required
from core.workflow import capabilities
from reviews.models import Campaign

from ..forms import (
    ActivityForm,
    AttachmentForm,
    FindingForm,
    GroupAssignForm,
    HeardForm,
    ReportBodyForm,
)
from ..groups import group_writer, subject_group
from ..models import AssessmentGroup, FindingKind, GroupAssignment, InvestigationReport
from ..selectors import (
    activity_for_user,
    attachment_for_user,
    finding_for_user,
    group_for_user,
    group_subject_for_user,
    groups_visible_to,
    investigation_report_for_user,
    investigation_reports_visible_to,
    workspace_subject_for_user,
)
from ..services import (
    activity_attach,
    activity_record,
    finding_add,
    finding_delete,
    investigation_report_prefill,
    investigation_report_save,
    subjects_assign,
)
from ..workflows import INVESTIGATION_REPORT_WORKFLOW, report_version


@login_required
def group_list(request):
    groups = (
        groups_visible_to(request.user)
        .annotate(subject_count=Count("subjects"))
        .order_by("campaign__name", "position")
    )
    return render(request, "surveys/group_list.html", {"groups": groups})


@login_required
def group_detail(request, pk: int):
    group = group_for_user(user=request.user, pk=pk)
    can_write = group_writer(request.user, group)
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
            form_refused(request, form)
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
            "members": group.members.order_by("username"),
            "rows": rows,
            "activities": activities,
            "can_write": can_write,
            "form": form or (ActivityForm(group=group) if can_write else None),
        },
        status=400 if form is not None and request.method == "POST" else 200,
    )


def _group_subject_page(
    request, group, subject, *, status=None, finding_form=None, report_form=None
):
    can_write = group_writer(request.user, group)
    report = InvestigationReport.objects.filter(subject=subject).first()
    caps = capabilities(report, request.user, INVESTIGATION_REPORT_WORKFLOW)
    findings = subject.findings.select_related("content_item", "activity").order_by(
        "content_item__position", "number"
    )
    by_item = []
    for item in subject.campaign.content_items.all():
        own = [f for f in findings if f.content_item_id == item.pk]
        if own:
            by_item.append((item, own))
    body = report.body if report else investigation_report_prefill(subject)
    return render(
        request,
        "surveys/group_subject.html",
        {
            "group": group,
            "subject": subject,
            "by_item": by_item,
            "report": report,
            "report_form": report_form or ReportBodyForm(initial={"body": body}, version=""),
            "report_version": report_version(subject),
            "finding_form": finding_form or (FindingForm(subject=subject) if can_write else None),
            "can_write": can_write,
            "is_leader": group.leader_id == request.user.pk,
            "caps": caps,
        },
        status=status or (400 if (finding_form or report_form) is not None else 200),
    )


@login_required
def group_subject(request, pk: int, subject_pk: int):
    """One subject's findings and investigation report, inside its group."""
    group = group_for_user(user=request.user, pk=pk)
    subject = group_subject_for_user(user=request.user, group=group, subject_pk=subject_pk)
    return _group_subject_page(request, group, subject)


def _workspace_page(request, subject, *, status=400, **forms):
    return _group_subject_page(request, subject_group(subject), subject, status=status, **forms)


def _workspace_url(request, subject) -> str:
    return reverse("group_subject", args=[subject_group(subject).pk, subject.pk])


# A POST in a group's subject workspace (groups/<group_pk>/subjects/<pk>/…): only the group
# (or the office) writes; a refusal shows the page again with what was typed, and nothing
# is written.
_workspace_post = object_post(
    lookup=workspace_subject_for_user, page=_workspace_page, detail=_workspace_url
)


def _writer_of(request, subject, group_pk: int):
    group = subject_group(subject)
    if group.pk != group_pk:
        raise Http404("该评议对象不在本小组。")
    if not group_writer(request.user, group):
        raise PermissionDenied("只有本组成员可以记录。")


@_workspace_post
def finding_add_view(request, subject, forms, group_pk: int):
    _writer_of(request, subject, group_pk)
    form = forms["finding_form"] = FindingForm(request.POST, subject=subject)
    data = form_data(form)
    finding = finding_add(
        actor=request.user,
        subject=subject,
        content_item=data["content_item"],
        kind=data["kind"],
        text=data["text"],
        activity=data["activity"],
    )
    return f"已记录{finding.get_kind_display()} {finding.code}。"


@_workspace_post
def investigation_report_save_view(request, subject, forms, group_pk: int):
    _writer_of(request, subject, group_pk)
    form = forms["report_form"] = ReportBodyForm(request.POST, version=report_version(subject))
    investigation_report_save(actor=request.user, subject=subject, body=form_data(form)["body"])
    return "调查报告草稿已保存。"


@require_POST
@login_required
def finding_remove(request, pk):
    finding = finding_for_user(user=request.user, pk=pk)
    group = subject_group(finding.subject)
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
    can_write = group_writer(request.user, activity.group)
    if request.method == "POST":
        if not can_write:
            messages.error(request, "只有本组成员可以上传附件。")
        else:
            try:
                upload = form_data(AttachmentForm(request.POST, request.FILES))["file"]
                activity_attach(actor=request.user, activity=activity, upload=upload)
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
    subjects = list(campaign.subjects.select_related("unit").order_by("position"))
    assigned = dict(
        GroupAssignment.objects.filter(subject__campaign=campaign).values_list(
            "subject_id", "group_id"
        )
    )
    for s in subjects:
        s.group_id = assigned.get(s.pk)
    version = version_of([(s.pk, s.group_id) for s in subjects])
    if request.method == "POST":
        form = GroupAssignForm(request.POST, subjects=subjects, groups=groups, version=version)
        if not form.is_valid():
            messages.error(request, f"分组未保存：{form_errors_text(form)}")
            return redirect("group_assign", pk=campaign.pk)
        assignments = form.assignments()
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
        {"campaign": campaign, "groups": groups, "subjects": subjects, "version": version},
    )


def _report_page(request, report, *, status=200, form=None):
    return render(
        request,
        "surveys/investigation_report.html",
        {
            "report": report,
            "caps": capabilities(report, request.user),
            "heard_form": form if isinstance(form, HeardForm) else HeardForm(),
            "reason_form": form if isinstance(form, ReasonForm) else None,
        },
        status=status,
    )


@login_required
def investigation_report_detail(request, pk: int):
    return _report_page(request, investigation_report_for_user(user=request.user, pk=pk))


def _submit_page(request, report, *, status=400, form=None):
    """A refused submission: the workspace again, with the body as the leader typed it."""
    typed = form if form is not None else ReportBodyForm(request.POST, version="")
    return _group_subject_page(
        request, report.group, report.subject, status=status, report_form=typed
    )


def _report_moves(page, detail):
    return move_view(
        workflow=INVESTIGATION_REPORT_WORKFLOW,
        lookup=investigation_report_for_user,
        page=page,
        detail=detail,
        entity=lambda report: (report, {"report": report}),
    )


# One URL per move (investigation-reports/<pk>/move/<to>/): the leader submits from the
# group's workspace, with the body as typed, and returns there; the office returns the
# report with a reason, the director's meeting records its hearing, on the report's page.
investigation_report_submit_view = _report_moves(
    _submit_page, lambda request, r: reverse("group_subject", args=[r.group_id, r.subject_id])
)
investigation_report_move = _report_moves(_report_page, "investigation_report_detail")


@role_required(*LEADERSHIP)
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
