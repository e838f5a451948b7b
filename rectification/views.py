import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.errors import ApplicationError
from core.roles import Role, role_required, user_has_role
from core.xlsx import xlsx_response
from reviews.models import Campaign

from .models import EscalationKind, PlanStatus, ProblemSource, ReportStatus, RowStatus
from .selectors import (
    rectification_rows,
    rectification_subject_for_user,
    rectification_subjects_for,
)
from .services import (
    assessment_conclude,
    assessment_open,
    escalation_record,
    opinion_approve,
    opinion_deliver,
    opinion_draft,
    opinion_problem_add,
    plan_approve,
    plan_due,
    plan_return,
    plan_save,
    plan_submit,
    report_due,
    report_save,
    report_submit,
    reporting_step_done,
    reporting_steps_create,
)

READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ApplicationError("请填写正确的日期。") from None


@role_required(*READERS)
def campaign_rectification(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method == "POST" and user_has_role(request.user, Role.OFFICE):
        try:
            if request.POST.get("action") == "steps":
                reporting_steps_create(
                    actor=request.user,
                    campaign=campaign,
                    meeting_on=_date(request.POST.get("meeting_on")),
                )
            else:
                step = get_object_or_404(campaign.reporting_steps, pk=request.POST.get("step") or 0)
                reporting_step_done(
                    actor=request.user,
                    step=step,
                    done_on=_date(request.POST.get("done_on")),
                    note=request.POST.get("note", ""),
                )
            messages.success(request, "已保存。")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("campaign_rectification", pk=campaign.pk)
    rows = rectification_rows(campaign.subjects.all())
    meeting = campaign.meetings.order_by("held_on").first()
    return render(
        request,
        "rectification/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "steps": campaign.reporting_steps.order_by("kind"),
            "today": timezone.localdate(),
            "meeting": meeting,
            "is_office": user_has_role(request.user, Role.OFFICE),
            "overdue_count": sum(1 for r in rows if r.overdue),
        },
    )


@role_required(Role.LIAISON)
def liaison_home(request):
    subjects = rectification_subjects_for(request.user).filter(
        liaison_committee__users=request.user
    )
    return render(request, "rectification/liaison.html", {"rows": rectification_rows(subjects)})


def _problem_rows(request, opinion) -> dict:
    rows = {}
    for p in opinion.problems.all():
        limit = request.POST.get(f"limit_{p.pk}", "").strip()
        try:
            limit_date = datetime.date.fromisoformat(limit) if limit else None
        except ValueError:
            raise ApplicationError(f"问题 {p.position} 的完成时限不是正确的日期。") from None
        rows[p.pk] = {
            "measures": request.POST.get(f"measures_{p.pk}", ""),
            "responsible": request.POST.get(f"responsible_{p.pk}", ""),
            "time_limit": limit_date,
            "target": request.POST.get(f"target_{p.pk}", ""),
        }
    return rows


def _handle(request, subject) -> None:
    action = request.POST.get("action", "")
    user = request.user
    opinion = getattr(subject, "opinion", None)
    if action == "opinion_draft":
        opinion_draft(actor=user, subject=subject, summary=request.POST.get("summary", ""))
    elif action == "problem_add":
        item = subject.campaign.content_items.filter(
            pk=request.POST.get("content_item") or 0
        ).first()
        inquiry = subject.inquiries.filter(pk=request.POST.get("inquiry") or 0).first()
        if item is None:
            raise ApplicationError("请选择类别。")
        opinion_problem_add(
            actor=user,
            opinion=opinion,
            content_item=item,
            text=request.POST.get("text", ""),
            source=request.POST.get("source", ""),
            inquiry=inquiry,
        )
    elif action == "opinion_approve":
        opinion_approve(actor=user, opinion=opinion, approved_on=_date(request.POST.get("date")))
    elif action == "opinion_deliver":
        opinion_deliver(actor=user, opinion=opinion, delivered_on=_date(request.POST.get("date")))
    elif action in ("plan_save", "plan_submit"):
        plan_save(
            actor=user,
            subject=subject,
            rows=_problem_rows(request, opinion),
            document=request.FILES.get("document"),
        )
        if action == "plan_submit":
            plan_submit(actor=user, subject=subject)
    elif action == "plan_approve":
        plan_approve(actor=user, subject=subject)
    elif action == "plan_return":
        plan_return(actor=user, subject=subject, reason=request.POST.get("reason", ""))
    elif action in ("report_save", "report_submit"):
        rows = {
            p.pk: {
                "status": request.POST.get(f"status_{p.pk}", ""),
                "done": request.POST.get(f"done_{p.pk}", ""),
            }
            for p in opinion.problems.all()
        }
        evidence = {
            p.pk: request.FILES[f"evidence_{p.pk}"]
            for p in opinion.problems.all()
            if f"evidence_{p.pk}" in request.FILES
        }
        report_save(
            actor=user,
            subject=subject,
            text=request.POST.get("text", ""),
            rows=rows,
            evidence=evidence,
        )
        if action == "report_submit":
            report_submit(actor=user, subject=subject)
    elif action == "assess":
        assessment_open(actor=user, subject=subject)
    elif action == "conclude":
        raw = request.POST.get("new_due_on", "")
        assessment_conclude(actor=user, subject=subject, new_due_on=_date(raw) if raw else None)
    elif action == "escalate":
        raw = request.POST.get("due_on", "")
        escalation_record(
            actor=user,
            subject=subject,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            due_on=_date(raw) if raw else None,
        )
    else:
        raise ApplicationError("未知操作。")


@login_required
def subject_rectification(request, pk: int):
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            _handle(request, subject)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存。")
            return redirect("subject_rectification", pk=subject.pk)
    opinion = getattr(subject, "opinion", None)
    plan = getattr(subject, "rectification_plan", None)
    reports = list(subject.rectification_reports.prefetch_related("rows").order_by("round"))
    current = reports[-1] if reports else None
    problems = (
        list(opinion.problems.select_related("content_item", "finding", "inquiry"))
        if opinion
        else []
    )
    plan_rows = {r.problem_id: r for r in plan.rows.all()} if plan else {}
    report_rows = {r.problem_id: r for r in current.rows.all()} if current else {}
    (row,) = rectification_rows(rectification_subjects_for(request.user).filter(pk=subject.pk))
    is_owner = subject.user_id == request.user.pk
    return render(
        request,
        "rectification/subject.html",
        {
            "subject": subject,
            "opinion": opinion,
            "plan": plan,
            "reports": reports,
            "current": current,
            "problem_rows": [
                {"problem": p, "plan": plan_rows.get(p.pk), "report": report_rows.get(p.pk)}
                for p in problems
            ],
            "row": row,
            "plan_due": plan_due(subject) if opinion else None,
            "report_due": report_due(subject) if opinion else None,
            "is_owner": is_owner,
            "is_office": user_has_role(request.user, Role.OFFICE),
            "can_decide_plan": user_has_role(request.user, Role.OFFICE)
            or subject.liaison_committee.users.filter(pk=request.user.pk).exists(),
            "can_order": user_has_role(request.user, Role.OFFICE, Role.DIRECTORS_MEETING),
            "can_edit_plan": is_owner
            and plan is not None
            and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
            "can_edit_report": is_owner
            and plan is not None
            and plan.status == PlanStatus.APPROVED
            and current is not None
            and current.status == ReportStatus.DRAFT,
            "row_statuses": RowStatus.choices,
            "sources": [s for s in ProblemSource.choices if s[0] != ProblemSource.FINDING],
            "escalation_kinds": EscalationKind.choices,
            "escalations": subject.escalations.select_related("recorded_by"),
            "content_items": subject.campaign.content_items.all(),
            "inquiries": subject.inquiries.all(),
            "today": timezone.localdate(),
        },
    )


@login_required
def opinion_print(request, pk: int):
    """评议意见书, laid out for printing."""
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    opinion = getattr(subject, "opinion", None)
    if opinion is None or (
        opinion.status == "draft" and not user_has_role(request.user, Role.OFFICE)
    ):
        from django.http import Http404

        raise Http404("评议意见尚未通过。")
    problems = opinion.problems.select_related("content_item").order_by(
        "content_item__position", "position"
    )
    return render(
        request,
        "rectification/opinion_print.html",
        {"subject": subject, "opinion": opinion, "problems": problems},
    )


LEDGER_HEADER = [
    "序号",
    "评议对象",
    "单位及职务",
    "问题",
    "类别",
    "来源",
    "整改措施",
    "责任人",
    "完成时限",
    "整改目标",
    "完成情况",
    "佐证材料",
]


def _ledger(subjects, title: str):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(LEDGER_HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    n = 0
    for subject in subjects.select_related("unit", "opinion").order_by("position"):
        opinion = getattr(subject, "opinion", None)
        if opinion is None:
            continue
        plan = getattr(subject, "rectification_plan", None)
        plan_rows = {r.problem_id: r for r in plan.rows.all()} if plan else {}
        report = subject.rectification_reports.order_by("-round").first()
        report_rows = {r.problem_id: r for r in report.rows.all()} if report else {}
        for p in opinion.problems.select_related("content_item").order_by("position"):
            n += 1
            pr, rr = plan_rows.get(p.pk), report_rows.get(p.pk)
            sheet.append(
                [
                    n,
                    subject.person_name,
                    f"{subject.unit.name}{subject.post}",
                    p.text,
                    p.content_item.title,
                    p.get_source_display(),
                    pr.measures if pr else "",
                    pr.responsible if pr else "",
                    pr.time_limit if pr else "",
                    pr.target if pr else "",
                    rr.get_status_display() if rr else "未报送",
                    rr.evidence_name if rr else "",
                ]
            )
    for column, width in zip(
        "ABCDEFGHIJKL", (6, 10, 24, 40, 24, 10, 40, 10, 12, 24, 10, 20), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@role_required(*READERS)
def campaign_ledger(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return xlsx_response(
        _ledger(campaign.subjects.all(), f"{campaign.name}整改台账"),
        f"{campaign.name}_整改台账.xlsx",
    )


@login_required
def subject_ledger(request, pk: int):
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    subjects = rectification_subjects_for(request.user).filter(pk=subject.pk)
    return xlsx_response(
        _ledger(subjects, f"{subject.person_name}整改台账"), f"{subject.person_name}_整改台账.xlsx"
    )
