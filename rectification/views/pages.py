"""Pages of review opinions and rectification: the overview, the liaison committee's list,
a subject's rectification page, versions, the opinion letter and the ledger."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.files import private_file_response
from core.formats import cn_date
from core.roles import Role, role_required, user_has_role
from core.xlsx_writer import CN_DATE_FORMAT, Sheet, SheetColumn, xlsx_file_response
from reviews.models import Campaign
from subjects.selectors import RECTIFICATION_READERS

from ..forms import PlanForm, ReportForm
from ..models import (
    EscalationKind,
    ProblemSource,
    RectificationKind,
    RectificationVersionFile,
    RowStatus,
)
from ..selectors import (
    ledger_rows,
    rectification_edit_version,
    rectification_group_for,
    rectification_rows,
    rectification_subject_for_user,
    rectification_subjects_for,
)
from ..workflows import ORDERS, opinion_letter_readable, rectification_capabilities

READERS = tuple(RECTIFICATION_READERS)


def _campaign_page(request, campaign, *, status=200):
    rows = rectification_rows(campaign.subjects.all())
    meeting = campaign.meetings.order_by("held_on").first()
    return render(
        request,
        "rectification/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "steps": campaign.reporting_steps.order_by("position", "pk"),
            "today": timezone.localdate(),
            "meeting": meeting,
            "is_office": user_has_role(request.user, Role.OFFICE),
            "overdue_count": sum(1 for r in rows if r.overdue),
        },
        status=status,
    )


@role_required(*READERS)
def campaign_rectification(request, pk: int):
    return _campaign_page(request, get_object_or_404(Campaign, pk=pk))


LIAISON_PAGE_SIZE = 50


@role_required(Role.LIAISON)
def liaison_home(request):
    """The committee's subjects, a page at a time (a city's committee liaises with
    hundreds), searchable by name, unit or campaign."""
    subjects = rectification_subjects_for(request.user).filter(
        liaison_committee__users=request.user
    )
    q = request.GET.get("q", "").strip()
    if q:
        subjects = subjects.filter(
            Q(person_name__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(campaign__name__icontains=q)
        )
    ordered = subjects.order_by("campaign__name", "position", "pk").values_list("pk", flat=True)
    page = Paginator(ordered, LIAISON_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rectification_rows(subjects.filter(pk__in=list(page.object_list)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rectification/liaison.html",
        {"rows": rows, "page": page, "q": q, "query": query.urlencode()},
    )


def _page(request, subject, *, form=None, status=200):
    """The subject's rectification page: what the user may do comes from the tables in
    rectification.workflows (`caps`). After a refused POST it is shown again with what was
    typed (`form`, and the other forms' fields from the POST) and status 400."""
    user = request.user
    opinion = getattr(subject, "opinion", None)
    plan = getattr(subject, "rectification_plan", None)
    reports = list(
        subject.rectification_reports.select_related("ballot")
        .prefetch_related("rows")
        .order_by("round")
    )
    current = reports[-1] if reports else None
    problems = (
        list(opinion.problems.select_related("content_item", "finding", "inquiry"))
        if opinion
        else []
    )
    plan_rows = {r.problem_id: r for r in plan.rows.all()} if plan else {}
    report_rows = {r.problem_id: r for r in current.rows.all()} if current else {}
    (row,) = rectification_rows(rectification_subjects_for(user).filter(pk=subject.pk))
    caps = rectification_capabilities(user, opinion=opinion, plan=plan, report=current)
    plan_form = form if isinstance(form, PlanForm) else None
    report_form = form if isinstance(form, ReportForm) else None

    def typed(form, name, stored):
        return form.data.get(name, "") if form is not None and form.is_bound else stored

    problem_rows = []
    for p in problems:
        pr, rr = plan_rows.get(p.pk), report_rows.get(p.pk)
        problem_rows.append(
            {
                "problem": p,
                "plan": pr,
                "report": rr,
                "measures": typed(plan_form, f"measures_{p.pk}", pr.measures if pr else ""),
                "responsible": typed(
                    plan_form, f"responsible_{p.pk}", pr.responsible if pr else ""
                ),
                "time_limit": typed(
                    plan_form,
                    f"time_limit_{p.pk}",
                    pr.time_limit.isoformat() if pr and pr.time_limit else "",
                ),
                "target": typed(plan_form, f"target_{p.pk}", pr.target if pr else ""),
                "status": typed(report_form, f"status_{p.pk}", rr.status if rr else ""),
                "done": typed(report_form, f"done_{p.pk}", rr.done if rr else ""),
            }
        )
    extend_kinds = []
    if caps["extend_plan"]:
        extend_kinds.append((RectificationKind.PLAN, f"整改方案（现期限 {cn_date(plan.due_on)}）"))
    if caps["extend_report"]:
        extend_kinds.append(
            (RectificationKind.REPORT, f"整改情况报告（现期限 {cn_date(current.due_on)}）")
        )
    group = rectification_group_for(user, subject) if caps["check"] else None
    return render(
        request,
        "rectification/subject.html",
        {
            "subject": subject,
            "opinion": opinion,
            "plan": plan,
            "reports": reports,
            "current": current,
            "caps": caps,
            "problem_rows": problem_rows,
            "report_text": typed(report_form, "text", current.text if current else ""),
            "posted": request.POST if status != 200 else {},
            "row": row,
            "plan_due": plan.due_on if plan else None,
            "extensions": subject.deadline_extensions.select_related("extended_by"),
            "extend_kinds": extend_kinds,
            "is_office": user_has_role(user, Role.OFFICE),
            "can_order": user_has_role(user, *ORDERS),
            "versions": subject.rectification_versions.order_by("kind", "round", "number"),
            "edit_version": rectification_edit_version(subject),
            "checks": current.checks.select_related("group") if current else [],
            "check_group": group,
            "own_check": next(
                (c for c in current.checks.all() if group and c.group_id == group.pk), None
            )
            if current
            else None,
            "by_meeting": subject.campaign.rectification_conclusion == "directors_meeting",
            "row_statuses": RowStatus.choices,
            "sources": [s for s in ProblemSource.choices if s[0] != ProblemSource.FINDING],
            "escalation_kinds": EscalationKind.choices,
            "escalations": subject.escalations.select_related("recorded_by"),
            "content_items": subject.campaign.content_items.all(),
            "inquiries": subject.inquiries.all(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def subject_rectification(request, pk: int):
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    return _page(request, subject)


@login_required
def rectification_version_detail(request, pk: int, version_pk: int):
    """One submitted version of the plan or a report, as it was, with the decision on it."""
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    version = get_object_or_404(
        subject.rectification_versions.select_related("submitted_by").prefetch_related("files"),
        pk=version_pk,
    )
    return render(
        request,
        "rectification/version.html",
        {"subject": subject, "version": version, "files": version.files.all()},
    )


@login_required
def rectification_version_file(request, pk: int, file_pk: int):
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    copy = get_object_or_404(RectificationVersionFile, pk=file_pk, version__subject=subject)
    return private_file_response(copy.file, copy.original_name)


@login_required
def rectification_minutes(request, pk: int, report_pk: int):
    """The director's meeting minutes a report was concluded with."""
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    report = get_object_or_404(subject.rectification_reports, pk=report_pk)
    if not report.minutes:
        raise Http404("没有主任会议纪要。")
    return private_file_response(report.minutes, report.minutes_name)


@login_required
def opinion_print(request, pk: int):
    """评议意见书, laid out for printing."""
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    opinion = getattr(subject, "opinion", None)
    if opinion is None or not opinion_letter_readable(request.user, opinion):
        raise Http404("评议意见尚未通过。")
    problems = opinion.problems.select_related("content_item").order_by(
        "content_item__position", "position"
    )
    return render(
        request,
        "rectification/opinion_print.html",
        {"subject": subject, "opinion": opinion, "problems": problems},
    )


LEDGER_COLUMNS = [
    SheetColumn("序号", width=6),
    SheetColumn("评议对象", width=10),
    SheetColumn("单位及职务", width=24),
    SheetColumn("问题", width=40, wrap=True),
    SheetColumn("类别", width=24),
    SheetColumn("来源", width=10),
    SheetColumn("整改措施", width=40, wrap=True),
    SheetColumn("责任人", width=10),
    SheetColumn("完成时限", width=16, number_format=CN_DATE_FORMAT),
    SheetColumn("整改目标", width=24, wrap=True),
    SheetColumn("完成情况", width=10),
    SheetColumn("佐证材料", width=20),
]


def _ledger(subjects, title: str, filename: str):
    sheet = Sheet("整改台账", LEDGER_COLUMNS, ledger_rows(subjects), heading=title)
    return xlsx_file_response([sheet], filename)


@role_required(*READERS)
def campaign_ledger(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    return _ledger(
        campaign.subjects.all(), f"{campaign.name}整改台账", f"{campaign.name}_整改台账.xlsx"
    )


@login_required
def subject_ledger(request, pk: int):
    subject = rectification_subject_for_user(user=request.user, pk=pk)
    subjects = rectification_subjects_for(request.user).filter(pk=subject.pk)
    return _ledger(
        subjects, f"{subject.person_name}整改台账", f"{subject.person_name}_整改台账.xlsx"
    )
