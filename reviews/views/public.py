"""公示: what the office has published, for anyone, without logging in. Never drafts, never
counts of a ballot that is not published."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from ..models import BallotPurpose, Campaign
from ..selectors import ballot_results, published_ballots


def _published_campaigns():
    return Campaign.objects.filter(
        Q(ballots__in=published_ballots().filter(purpose=BallotPurpose.REVIEW))
        | Q(subjects__opinion__delivered_on__isnull=False)
    ).distinct()


def public_index(request):
    return render(
        request,
        "public/index.html",
        {"campaigns": _published_campaigns().order_by("-year", "name")},
    )


def public_campaign(request, pk: int):
    from rectification.selectors import rectification_rows

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
        request, "public/campaign.html", {"campaign": campaign, "ballots": ballots, "rows": rows}
    )
