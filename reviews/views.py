from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.files import private_file_response
from core.forms import form_data, form_refused
from core.roles import Role, role_required

from .forms import CampaignWizardForm, StageMoveForm
from .models import DEFAULT_RATING_OPTIONS, Campaign
from .selectors import members_composition_count
from .services import DEFAULT_CONTENT_ITEMS, campaign_create, campaign_stage_move

CAMPAIGN_READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER)


@role_required(*CAMPAIGN_READERS)
def implementation_plan_download(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.implementation_plan:
        raise Http404("尚未上传实施方案。")
    return private_file_response(campaign.implementation_plan, campaign.implementation_plan_name)


@require_POST
@role_required(Role.OFFICE)
def campaign_stage(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        data = form_data(StageMoveForm(request.POST))
        transition = campaign_stage_move(actor=request.user, campaign=campaign, **data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已进入{transition.get_to_stage_display()}。")
    return redirect("campaign_detail", pk=campaign.pk)


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
