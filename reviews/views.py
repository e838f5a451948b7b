from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.files import private_file_response
from core.forms import form_data
from core.roles import Role, role_required

from .forms import StageMoveForm
from .models import Campaign
from .services import campaign_stage_move

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
