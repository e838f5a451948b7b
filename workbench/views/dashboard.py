"""The office overview and a campaign's page: every stage of a campaign at once."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from core.roles import CAMPAIGN_READERS, LEADERSHIP, SUPERVISORS, Role, role_required, user_has_role
from core.workflow import capabilities
from reviews.gates import stage_gate_problems
from reviews.models import CampaignStage
from reviews.selectors import campaign_stage_rows, campaign_transitions, members_composition_count
from reviews.services import STAGE_ORDER, campaign_next_stage

from ..selectors import (
    campaign_cards,
    campaign_office_todos,
    campaigns_office_todos,
    campaigns_with_progress,
)

# The overview lists campaigns a page at a time, the newest first; each row's counts and
# to-dos are read for that page only.
CAMPAIGNS_PER_PAGE = 10


@role_required(*SUPERVISORS)
def office_dashboard(request):
    page = Paginator(campaigns_with_progress(), CAMPAIGNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    campaigns = list(page.object_list)
    todos = campaigns_office_todos(campaigns)
    rows = [{**card, "todos": todos[card["campaign"].pk]} for card in campaign_cards(campaigns)]
    return render(
        request,
        "workbench/office_dashboard.html",
        {"rows": rows, "page": page, "composition_count": members_composition_count()},
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
        "workbench/campaign_detail.html",
        {
            "campaign": campaign,
            "stages": campaign_stage_rows(campaign),
            "todos": campaign_office_todos(campaign) if is_office else [],
            "subjects": subjects,
            "tenure_as_of": as_of,
            "content_items": campaign.content_items.all(),
            "transitions": campaign_transitions(campaign) if is_office else [],
            "next_stage": CampaignStage(next_stage) if next_stage else None,
            # The stage move's table: caps.close is the move that ends the campaign, when open.
            "caps": capabilities(campaign, request.user),
            "gate_problems": stage_gate_problems(campaign) if is_office and next_stage else [],
            "overrides": campaign.transitions.exclude(override_reason="").select_related("actor"),
            "earlier_stages": [CampaignStage(s) for s in earlier],
            "is_office": is_office,
            "can_read_investigations": user_has_role(request.user, *LEADERSHIP),
        },
    )
