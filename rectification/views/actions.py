"""Every POST of the rectification pages: one URL per action or move. Moves run through
the one generic move view by their row in rectification.workflows; the other actions are
thin views on the one POST path (core.object_views.object_post): read the form, call the
service. A refusal shows the page again with the message and what was typed (400), and
nothing is written."""

from django.shortcuts import get_object_or_404

from core.errors import ApplicationError
from core.formats import cn_date
from core.forms import form_data
from core.object_views import move_view, object_post
from reviews.views import office_campaign

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
from ..selectors import rectification_edit_version, rectification_subject_for_user
from ..services import (
    escalation_record,
    rectification_assessment_conclude,
    rectification_assessment_open,
    rectification_check_record,
    rectification_deadline_extend,
    rectification_meeting_decide,
    rectification_plan_save,
    rectification_report_save,
    reporting_step_done,
    review_opinion_draft,
    review_opinion_problem_add,
)
from ..workflows import OPINION_WORKFLOW, PLAN_WORKFLOW, REPORT_WORKFLOW
from .pages import _campaign_page, _page

_subject_post = object_post(
    lookup=rectification_subject_for_user, page=_page, detail="subject_rectification"
)
_campaign_post = object_post(
    lookup=office_campaign, page=_campaign_page, detail="campaign_rectification"
)


def _moves(workflow, entity):
    return move_view(
        workflow=workflow,
        lookup=rectification_subject_for_user,
        page=_page,
        detail="subject_rectification",
        entity=entity,
    )


def _opinion_of(subject):
    return getattr(subject, "opinion", None)


def _plan_of(subject):
    return getattr(subject, "rectification_plan", None)


def _report_of(subject):
    return subject.rectification_reports.order_by("-round").first()


review_opinion_move = _moves(
    OPINION_WORKFLOW, lambda s: (_opinion_of(s), {"opinion": _opinion_of(s)})
)
rectification_plan_move = _moves(PLAN_WORKFLOW, lambda s: (_plan_of(s), {"subject": s}))
rectification_report_move = _moves(REPORT_WORKFLOW, lambda s: (_report_of(s), {"subject": s}))


@_campaign_post
def reporting_step_done_view(request, campaign, forms, step_pk: int):
    step = get_object_or_404(campaign.reporting_steps, pk=step_pk)
    data = form_data(StepDoneForm(request.POST))
    reporting_step_done(actor=request.user, step=step, done_on=data["done_on"], note=data["note"])


def _opinion(subject):
    opinion = _opinion_of(subject)
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


def _per_problem_form(form_class, request, subject, forms):
    form = form_class(
        request.POST,
        request.FILES,
        problems=_opinion(subject).problems.all(),
        version=rectification_edit_version(subject),
    )
    forms["form"] = form
    form_data(form)
    return form.service_kwargs()


@_subject_post
def rectification_plan_save_view(request, subject, forms):
    kwargs = _per_problem_form(PlanForm, request, subject, forms)
    rectification_plan_save(actor=request.user, subject=subject, **kwargs)
    return "整改方案已保存。"


@_subject_post
def rectification_report_save_view(request, subject, forms):
    kwargs = _per_problem_form(ReportForm, request, subject, forms)
    rectification_report_save(actor=request.user, subject=subject, **kwargs)
    return "整改情况已保存。"


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
    if data["outcome"] == "satisfied":
        return "已登记主任会议决定：整改情况满意，整改完成。"
    return (
        f"已登记主任会议决定：责成继续整改，第 {report.round} 轮整改情况报告 "
        f"{cn_date(report.due_on)} 前报送。"
    )
