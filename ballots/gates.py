"""The gate out of the committee review: no ballot still open, and every subject's review
ballot closed and published (an invalid round counts once its next round is held). Each
check reads what it needs for all the campaigns it is given at once (reviews.gates)."""

from django.urls import reverse

from reviews.gates import GateProblem, GateProblems
from subjects.models import Subject

from .models import Ballot, BallotPurpose, BallotResult, BallotStatus


def no_open_ballot(campaigns, *, limit=None) -> dict[int, list[GateProblem]]:
    """A few ballots a campaign: `limit` is not needed."""
    found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
    for b in Ballot.objects.filter(campaign__in=campaigns, status=BallotStatus.OPEN):
        found[b.campaign_id].append(
            GateProblem(f"“{b}”尚在投票中，请先结束投票", reverse("ballot_detail", args=[b.pk]))
        )
    return found


def review_ballots_published(campaigns, *, limit=None) -> dict[int, list[GateProblem]]:
    found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
    ballots = Ballot.objects.filter(
        campaign__in=campaigns, purpose=BallotPurpose.REVIEW
    ).select_related("next_round")
    for ballot in ballots:
        if ballot.status == BallotStatus.OPEN:
            continue  # no_open_ballot names it
        superseded = ballot.is_valid is False and hasattr(ballot, "next_round")
        if ballot.status != BallotStatus.PUBLISHED and not superseded:
            found[ballot.campaign_id].append(
                GateProblem(
                    f"“{ballot}”{ballot.get_status_display()}，结果尚未公布",
                    reverse("ballot_detail", args=[ballot.pk]),
                )
            )
    published = set(
        BallotResult.objects.filter(
            ballot__campaign__in=campaigns,
            ballot__purpose=BallotPurpose.REVIEW,
            ballot__status=BallotStatus.PUBLISHED,
        ).values_list("subject_id", flat=True)
    )
    subjects = GateProblems(campaigns, limit)  # the ballots' own problems are never left out
    unpublished = Subject.objects.filter(campaign__in=campaigns).exclude(pk__in=published)
    for campaign_id, name in unpublished.order_by("position", "pk").values_list(
        "campaign_id", "person_name"
    ):
        subjects.add(
            campaign_id,
            f"{name}还没有公布的满意度测评结果",
            lambda c=campaign_id: reverse("ballot_list", args=[c]),
        )
    return {pk: found[pk] + problems for pk, problems in subjects.result().items()}
