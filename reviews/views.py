"""The office's own pages of a campaign (新建、修改、登记实施方案, the stage moves) and of the
committee's members. Stage moves run through the one generic move view by their row in
reviews.workflows; a refusal shows the stage page again with the message and what was
typed (400), and nothing is written."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.admin_tools import template_download
from core.errors import ApplicationError
from core.files import private_file_response
from core.forms import form_refused, version_of
from core.object_views import move_view, office_lookup
from core.roles import CAMPAIGN_READERS, Role, role_required
from core.workflow import capabilities
from core.xlsx import ImportRejected

from .forms import (
    CampaignEditForm,
    CampaignWizardForm,
    ImplementationPlanForm,
    MembersPasteForm,
    MembersPasteSaveForm,
    MembersUploadForm,
    StageMoveForm,
)
from .gates import stage_gate_problems
from .imports import (
    MEMBER_COLUMNS,
    members_paste_check,
    members_paste_create,
    members_upload_check,
)
from .models import DEFAULT_RATING_OPTIONS, Campaign, Member
from .selectors import campaign_stage_rows, members_composition_count
from .services import (
    DEFAULT_CONTENT_ITEMS,
    campaign_create,
    campaign_edit,
    campaign_implementation_plan_attach,
)
from .workflows import CAMPAIGN_WORKFLOW, campaign_stage_moves


@role_required(*CAMPAIGN_READERS)
def implementation_plan_download(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.implementation_plan:
        raise Http404("尚未上传实施方案。")
    return private_file_response(campaign.implementation_plan, campaign.implementation_plan_name)


@role_required(Role.OFFICE)
def implementation_plan_attach(request, pk: int):
    """登记实施方案 on the office's own page: the document and its approval date, stored
    by the service in one transaction; a refusal writes nothing and keeps the date typed."""
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ImplementationPlanForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign_implementation_plan_attach(
                    actor=request.user,
                    campaign=campaign,
                    document=form.cleaned_data["document"],
                    approved_on=form.cleaned_data["approved_on"],
                )
            except ApplicationError as exc:
                form.add_error("document", exc.message)
            else:
                messages.success(request, "已登记实施方案。")
                return redirect("campaign_detail", pk=campaign.pk)
        status = form_refused(request, form)
    return render(
        request,
        "reviews/implementation_plan.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


# The campaign an office POST acts on.
office_campaign = office_lookup(Campaign)


def campaign_stage_page(request, campaign: Campaign, *, status: int = 200, form=None):
    """阶段推进: the campaign's stages and the moves the user may make now, with what was
    typed (a refused move comes back here with 400)."""
    moves = campaign_stage_moves(campaign, request.user)
    forward = moves["forward"]
    return render(
        request,
        "reviews/campaign_stage.html",
        {
            "campaign": campaign,
            "caps": capabilities(campaign, request.user),
            "stages": campaign_stage_rows(campaign),
            "forward": forward,
            "forward_label": CAMPAIGN_WORKFLOW.label(forward.target) if forward else "",
            "back": [(m.target, CAMPAIGN_WORKFLOW.label(m.target)) for m in moves["back"]],
            "gate_problems": stage_gate_problems(campaign) if forward else [],
            # What was typed, also when the move was refused before its form was read.
            "form": form if form is not None else StageMoveForm(request.POST or None),
        },
        status=status,
    )


_stage_move = move_view(
    workflow=CAMPAIGN_WORKFLOW,
    lookup=office_campaign,
    page=campaign_stage_page,
    detail="campaign_detail",
    entity=lambda campaign: (campaign, {"campaign": campaign}),
)


def campaign_stage(request, pk: int):
    """推进 or 退回 from the campaign's page: its forms name the stage in `to_stage` (the back
    form's is a choice), which picks the move from the campaign's table."""
    return _stage_move(request, pk=pk, to=request.POST.get("to_stage", ""))


@role_required(Role.OFFICE)
def campaign_new(request):
    """新建评议活动: the office's own wizard page (never the admin). A refusal writes nothing."""
    today = timezone.localdate()
    if request.method == "POST":
        form = CampaignWizardForm(request.POST, today=today)
        if form.is_valid():
            try:
                campaign = campaign_create(actor=request.user, **form.service_kwargs())
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已创建“{campaign.name}”，请添加评议对象。")
                return redirect("subjects_setup", pk=campaign.pk)
        status = form_refused(request, form)
    else:
        latest = Campaign.objects.exclude(term_start_year=None).order_by("-year").first()
        form = CampaignWizardForm(
            today=today,
            initial={
                "year": today.year,
                "term": latest.term if latest else "",
                "term_start_year": latest.term_start_year if latest else today.year,
                "composition_size": members_composition_count() or "",
                "rating_options": DEFAULT_RATING_OPTIONS,
                "content_items": DEFAULT_CONTENT_ITEMS,
            },
        )
        status = 200
    return render(request, "reviews/campaign_new.html", {"form": form}, status=status)


def campaign_version(campaign: Campaign) -> str:
    """What an edit page was drawn from: the campaign's row, its stages and content items."""
    return version_of(campaign, campaign.stages.all(), campaign.content_items.all())


@role_required(Role.OFFICE)
def campaign_edit_view(request, pk: int):
    """修改评议活动: the wizard's page, filled; a refusal (a field, a service's rule such
    as a past stage's dates, or a page drawn before someone else saved) writes nothing and
    shows the page again with what was typed."""
    today = timezone.localdate()
    if request.method != "POST":
        campaign = get_object_or_404(Campaign, pk=pk)
        form = CampaignEditForm(campaign=campaign, today=today, version=campaign_version(campaign))
        return render(request, "reviews/campaign_new.html", {"form": form, "campaign": campaign})
    with transaction.atomic():
        # Locked while the version is compared and the edit saved: two saves of pages drawn
        # from the same version cannot both pass.
        campaign = get_object_or_404(Campaign.objects.select_for_update(), pk=pk)
        form = CampaignEditForm(
            request.POST, campaign=campaign, today=today, version=campaign_version(campaign)
        )
        if form.is_valid():
            try:
                campaign_edit(actor=request.user, campaign=campaign, **form.edit_kwargs())
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已保存对“{form.cleaned_data['name']}”的修改。")
                return redirect("campaign_detail", pk=campaign.pk)
    status = form_refused(request, form)
    return render(
        request, "reviews/campaign_new.html", {"form": form, "campaign": campaign}, status=status
    )


def _members_context(**extra) -> dict:
    return {
        "members": list(Member.objects.select_related("user").order_by("position", "id")),
        "columns": MEMBER_COLUMNS,
        "upload_form": MembersUploadForm(),
        "source": "粘贴的内容",
        **extra,
    }


def _members_version() -> str:
    return version_of(Member.objects.all())


def _paste_refusal(exc: ImportRejected) -> str:
    return exc.message.replace("导入文件", "粘贴的内容").replace("上传", "粘贴")


@role_required(Role.OFFICE)
def members_setup(request):
    """常委会组成人员: the members in order, and the paste box to add more."""
    return render(
        request, "reviews/members_setup.html", _members_context(paste_form=MembersPasteForm())
    )


@require_POST
@role_required(Role.OFFICE)
def members_paste_preview(request):
    """Check the pasted rows and show them, or every error by row and column; writes nothing."""
    form = MembersPasteForm(request.POST)
    context = _members_context(paste_form=form)
    if not form.is_valid():
        status = form_refused(request, form)
        return render(request, "reviews/members_setup.html", context, status=status)
    try:
        rows = members_paste_check(actor=request.user, text=form.cleaned_data["rows"])
    except ImportRejected as exc:
        messages.error(request, _paste_refusal(exc))
        context["errors"] = exc.errors
        return render(request, "reviews/members_setup.html", context, status=400)
    context["preview"] = rows
    context["save_form"] = MembersPasteSaveForm(
        initial={"rows": form.cleaned_data["rows"]}, version=_members_version()
    )
    return render(request, "reviews/members_setup.html", context)


@role_required(Role.OFFICE)
def members_template(request):
    """The members' Excel template, with the same columns and dropdowns as the admin's."""
    return template_download("常委会组成人员", MEMBER_COLUMNS)


@require_POST
@role_required(Role.OFFICE)
def members_upload_preview(request):
    """An Excel file checked like a paste: every error by the sheet's row and column, or the
    rows in order with 确认添加 (which saves them as members_paste does). Writes nothing."""
    form = MembersUploadForm(request.POST, request.FILES)
    context = _members_context(upload_form=form, paste_form=MembersPasteForm())
    context["source"] = "上传的文件"
    if not form.is_valid():
        status = form_refused(request, form)
        return render(request, "reviews/members_setup.html", context, status=status)
    try:
        rows, text = members_upload_check(actor=request.user, upload=form.cleaned_data["file"])
    except ImportRejected as exc:
        messages.error(request, exc.message)
        context["errors"] = exc.errors
        return render(request, "reviews/members_setup.html", context, status=400)
    context["preview"] = rows
    context["save_form"] = MembersPasteSaveForm(initial={"rows": text}, version=_members_version())
    return render(request, "reviews/members_setup.html", context)


@require_POST
@role_required(Role.OFFICE)
def members_paste(request):
    """确认添加: save the previewed rows, all or none; initial passwords shown once."""
    form = MembersPasteSaveForm(request.POST, version=_members_version())
    if not form.is_valid():
        form_refused(request, form)
        return redirect("members_setup")
    try:
        result = members_paste_create(actor=request.user, text=form.cleaned_data["rows"])
    except ImportRejected as exc:
        messages.error(request, _paste_refusal(exc))
        context = _members_context(
            paste_form=MembersPasteForm(initial=form.cleaned_data), errors=exc.errors
        )
        return render(request, "reviews/members_setup.html", context, status=400)
    messages.success(request, f"已添加常委会组成人员 {len(result.created)} 名。")
    context = _members_context(paste_form=MembersPasteForm(), new_accounts=result.new_accounts)
    return render(request, "reviews/members_setup.html", context)
