"""Every POST of the rectification pages: one URL per action or move, its input read
through a form, a refusal shown on the page with nothing written."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.formats import cn_date
from core.forms import DateForm, ReasonForm, form_data
from core.roles import Role, role_required
from reviews.models import Campaign

from ..forms import (
    CheckForm,
    ConcludeForm,
    EscalationForm,
    ExtendForm,
    MeetingDecisionForm,
    OpinionDraftForm,
    PlanForm,
    ProblemAddForm,
    ReportForm,
    StepDoneForm,
)
from ..models import (
    OpinionStatus,
    PlanStatus,
    ReportStatus,
)
from ..selectors import (
    rectification_edit_version,
    rectification_subject_for_user,
)
from ..services import (
    escalation_record,
    rectification_assessment_conclude,
    rectification_assessment_open,
    rectification_check_record,
    rectification_deadline_extend,
    rectification_meeting_decide,
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_return,
    rectification_report_save,
    rectification_report_submit,
    reporting_step_done,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from .pages import _page


def _campaign_post(view):
    """An office POST on a campaign's rectification page: the view reads its form and
    calls a service; a refusal is shown on the page and nothing is written."""

    @require_POST
    @role_required(Role.OFFICE)
    @wraps(view)
    def wrapper(request, pk: int, **kwargs):
        campaign = get_object_or_404(Campaign, pk=pk)
        try:
            view(request, campaign, **kwargs)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存。")
        return redirect("campaign_rectification", pk=campaign.pk)

    return wrapper


@_campaign_post
def reporting_step_done_view(request, campaign, step_pk: int):
    step = get_object_or_404(campaign.reporting_steps, pk=step_pk)
    data = form_data(StepDoneForm(request.POST))
    reporting_step_done(actor=request.user, step=step, done_on=data["done_on"], note=data["note"])


def _subject_post(view):
    """A POST on a subject's rectification page: one URL per action or move. The view reads
    its form and calls a service, which checks who may act; a refusal shows the page again
    with the message and what was typed, and nothing is written."""

    @require_POST
    @login_required
    @wraps(view)
    def wrapper(request, pk: int, **kwargs):
        subject = rectification_subject_for_user(user=request.user, pk=pk)
        forms = {}
        try:
            done = view(request, subject, forms, **kwargs)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return _page(request, subject, **forms, status=400)
        messages.success(request, done or "已保存。")
        return redirect("subject_rectification", pk=subject.pk)

    return wrapper


def _opinion(subject):
    opinion = getattr(subject, "opinion", None)
    if opinion is None:
        raise ApplicationError("评议意见尚未起草。")
    return opinion


@_subject_post
def review_opinion_draft_view(request, subject, forms):
    data = form_data(OpinionDraftForm(request.POST))
    review_opinion_draft(actor=request.user, subject=subject, summary=data["summary"])
    return "评议意见已起草，调查发现的问题已带入。"


@_subject_post
def review_opinion_problem_add_view(request, subject, forms):
    data = form_data(ProblemAddForm(request.POST, subject=subject))
    review_opinion_problem_add(
        actor=request.user,
        opinion=_opinion(subject),
        content_item=data["content_item"],
        text=data["text"],
        source=data["source"],
        inquiry=data["inquiry"],
    )
    return "问题已增加。"


_OPINION_MOVES = {
    OpinionStatus.APPROVED: (review_opinion_approve, "approved_on", "已登记主任会议通过。"),
    OpinionStatus.DELIVERED: (review_opinion_deliver, "delivered_on", "已登记送达。"),
}


@_subject_post
def review_opinion_move(request, subject, forms, to: str):
    if to not in _OPINION_MOVES:
        raise ApplicationError("未知操作。")
    service, day, done = _OPINION_MOVES[to]
    data = form_data(DateForm(request.POST))
    service(actor=request.user, opinion=_opinion(subject), **{day: data["date"]})
    return done


def _plan_saved(request, subject, forms):
    form = PlanForm(
        request.POST,
        request.FILES,
        problems=_opinion(subject).problems.all(),
        version=rectification_edit_version(subject),
    )
    forms["plan_form"] = form
    form_data(form)
    rectification_plan_save(
        actor=request.user,
        subject=subject,
        rows=form.rows(),
        document=form.cleaned_data["document"],
    )


@_subject_post
def rectification_plan_save_view(request, subject, forms):
    _plan_saved(request, subject, forms)
    return "整改方案已保存。"


@_subject_post
def rectification_plan_move(request, subject, forms, to: str):
    if to == PlanStatus.SUBMITTED:
        _plan_saved(request, subject, forms)
        rectification_plan_submit(actor=request.user, subject=subject)
        return f"整改方案已报送{subject.liaison_committee.name}。"
    if to == PlanStatus.APPROVED:
        rectification_plan_approve(actor=request.user, subject=subject)
        return "整改方案已通过。"
    if to == PlanStatus.RETURNED:
        data = form_data(ReasonForm(request.POST))
        rectification_plan_return(actor=request.user, subject=subject, reason=data["reason"])
        return "整改方案已退回。"
    raise ApplicationError("未知操作。")


def _report_saved(request, subject, forms):
    form = ReportForm(
        request.POST,
        request.FILES,
        problems=_opinion(subject).problems.all(),
        version=rectification_edit_version(subject),
    )
    forms["report_form"] = form
    form_data(form)
    rectification_report_save(
        actor=request.user,
        subject=subject,
        text=form.cleaned_data["text"],
        rows=form.rows(),
        evidence=form.evidence(),
    )


@_subject_post
def rectification_report_save_view(request, subject, forms):
    _report_saved(request, subject, forms)
    return "整改情况已保存。"


@_subject_post
def rectification_report_move(request, subject, forms, to: str):
    if to == ReportStatus.SUBMITTED:
        _report_saved(request, subject, forms)
        rectification_report_submit(actor=request.user, subject=subject)
        return "整改情况报告已报送。"
    if to == ReportStatus.DRAFT:
        data = form_data(ReasonForm(request.POST))
        rectification_report_return(actor=request.user, subject=subject, reason=data["reason"])
        return "整改情况报告已退回修改。"
    raise ApplicationError("未知操作。")


@_subject_post
def rectification_assessment_open_view(request, subject, forms):
    rectification_assessment_open(actor=request.user, subject=subject)
    return "整改情况满意度测评已建立：请在测评页面确认监票人，待监票人生成密钥后开始投票。"


@_subject_post
def rectification_assessment_conclude_view(request, subject, forms):
    data = form_data(ConcludeForm(request.POST))
    rectification_assessment_conclude(
        actor=request.user, subject=subject, new_due_on=data["new_due_on"]
    )
    return "测评结论已登记。"


@_subject_post
def rectification_deadline_extend_view(request, subject, forms):
    data = form_data(ExtendForm(request.POST))
    extension = rectification_deadline_extend(
        actor=request.user,
        subject=subject,
        kind=data["kind"],
        new_due_on=data["new_due_on"],
        reason=data["reason"],
    )
    return f"{extension.get_kind_display()}期限已延至 {cn_date(extension.new_due)}。"


@_subject_post
def escalation_record_view(request, subject, forms):
    data = form_data(EscalationForm(request.POST))
    escalation_record(
        actor=request.user,
        subject=subject,
        kind=data["kind"],
        text=data["text"],
        due_on=data["due_on"],
    )
    return "已登记。"


@_subject_post
def rectification_check_view(request, subject, forms):
    data = form_data(CheckForm(request.POST))
    check = rectification_check_record(actor=request.user, subject=subject, text=data["text"])
    return f"{check.group.name}的整改检查意见已登记，将提交主任会议听取。"


@_subject_post
def rectification_meeting_decide_view(request, subject, forms):
    data = form_data(MeetingDecisionForm(request.POST, request.FILES))
    report = rectification_meeting_decide(
        actor=request.user,
        subject=subject,
        decided_on=data["decided_on"],
        minutes=data["minutes"],
        outcome=data["outcome"],
        new_due_on=data["new_due_on"],
    )
    if report.status == ReportStatus.SATISFIED:
        return "已登记主任会议决定：整改情况满意，整改完成。"
    return f"已登记主任会议决定：责成继续整改，第 {report.round} 轮整改情况报告 {cn_date(report.due_on)} 前报送。"
