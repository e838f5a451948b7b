"""The office overview and a campaign's page: every stage of a campaign at once."""

from django.shortcuts import get_object_or_404, render

from core.roles import Role, role_required, user_has_role
from reviews.gates import stage_gate_problems
from reviews.models import CampaignStage
from reviews.selectors import campaign_stage_rows, campaign_transitions, members_composition_count
from reviews.services import STAGE_ORDER, campaign_next_stage
from reviews.views import CAMPAIGN_READERS

from ..selectors import campaign_office_todos, campaigns_office_todos, campaigns_with_progress


@role_required(Role.OFFICE, Role.LEADING_GROUP)
def office_dashboard(request):
    campaigns = list(campaigns_with_progress())
    todos = campaigns_office_todos(campaigns)
    rows = [
        {"campaign": c, "stages": campaign_stage_rows(c), "todos": todos[c.pk]} for c in campaigns
    ]
    return render(
        request,
        "workbench/office_dashboard.html",
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
            "gate_problems": stage_gate_problems(campaign) if is_office and next_stage else [],
            "overrides": campaign.transitions.exclude(override_reason="").select_related("actor"),
            "earlier_stages": [CampaignStage(s) for s in earlier],
            "is_office": is_office,
            "can_read_investigations": user_has_role(
                request.user, Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING
            ),
        },
    )
