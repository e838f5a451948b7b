from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.files import private_file_response
from core.roles import Role, role_required, user_has_role

from ..models import Campaign, CampaignStage
from ..selectors import (
    campaign_office_todos,
    campaign_stage_rows,
    campaign_transitions,
    campaigns_with_progress,
    members_composition_count,
)
from ..services import STAGE_ORDER, campaign_next_stage, campaign_stage_move

CAMPAIGN_READERS = (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER)


@role_required(Role.OFFICE, Role.LEADING_GROUP)
def office_dashboard(request):
    campaigns = list(campaigns_with_progress())
    rows = [
        {"campaign": c, "stages": campaign_stage_rows(c), "todos": campaign_office_todos(c)}
        for c in campaigns
    ]
    return render(
        request,
        "reviews/office_dashboard.html",
        {"rows": rows, "composition_count": members_composition_count()},
    )


@role_required(*CAMPAIGN_READERS)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(campaigns_with_progress(), pk=pk)
    as_of = campaign.reference_date()
    subjects = list(
        campaign.subjects.select_related("unit", "liaison_committee").order_by("position")
    )
    for subject in subjects:
        subject.tenure = subject.tenure_text(as_of)
    is_office = user_has_role(request.user, Role.OFFICE)
    next_stage = campaign_next_stage(campaign)
    earlier = STAGE_ORDER[: STAGE_ORDER.index(campaign.stage)]
    return render(
        request,
        "reviews/campaign_detail.html",
        {
            "campaign": campaign,
            "stages": campaign_stage_rows(campaign),
            "todos": campaign_office_todos(campaign) if is_office else [],
            "subjects": subjects,
            "tenure_as_of": as_of,
            "content_items": campaign.content_items.all(),
            "transitions": campaign_transitions(campaign) if is_office else [],
            "next_stage": CampaignStage(next_stage) if next_stage else None,
            "earlier_stages": [CampaignStage(s) for s in earlier],
            "is_office": is_office,
            "can_read_investigations": user_has_role(
                request.user, Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING
            ),
        },
    )


@role_required(*CAMPAIGN_READERS)
def campaign_plan_download(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    if not campaign.plan_document:
        raise Http404("尚未上传实施方案。")
    return private_file_response(campaign.plan_document, campaign.plan_document_name)


@require_POST
@role_required(Role.OFFICE)
def campaign_stage(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        transition = campaign_stage_move(
            actor=request.user,
            campaign=campaign,
            to_stage=request.POST.get("to_stage", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已进入{transition.get_to_stage_display()}。")
    return redirect("campaign_detail", pk=campaign.pk)
