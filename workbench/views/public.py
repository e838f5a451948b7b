"""公示: what the office has published, for anyone, without logging in. Never drafts, never
counts of a ballot that is not published."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from ballots.models import BallotPurpose
from ballots.selectors import ballot_results, published_ballots
from rectification.selectors import rectification_rows
from reviews.models import Campaign


def _published_campaigns():
    """The one selector of what /public/ shows: never a practice (试运行) campaign."""
    return (
        Campaign.objects.filter(
            Q(ballots__in=published_ballots().filter(purpose=BallotPurpose.REVIEW))
            | Q(subjects__opinion__delivered_on__isnull=False)
        )
        .filter(is_practice=False)
        .distinct()
    )


def public_index(request):
    return render(
        request,
        "workbench/public/index.html",
        {"campaigns": _published_campaigns().order_by("-year", "name")},
    )


def public_campaign(request, pk: int):

    campaign = get_object_or_404(_published_campaigns(), pk=pk)
    ballots = [
        (b, ballot_results(b))
        for b in published_ballots()
        .filter(campaign=campaign, purpose=BallotPurpose.REVIEW)
        .order_by("published_at")
    ]
    delivered = campaign.subjects.filter(opinion__delivered_on__isnull=False)
    rows = rectification_rows(delivered)
    return render(
        request,
        "workbench/public/campaign.html",
        {"campaign": campaign, "ballots": ballots, "rows": rows},
    )
