"""The gate out of the committee review: no ballot still open, and every subject's review
ballot closed and published (an invalid round counts once its next round is held)."""

from django.urls import reverse

from reviews.gates import GateProblem

from .models import Ballot, BallotPurpose, BallotResult, BallotStatus


def no_open_ballot(campaign) -> list[GateProblem]:
    return [
        GateProblem(f"“{b}”尚在投票中，请先结束投票", reverse("ballot_detail", args=[b.pk]))
        for b in Ballot.objects.filter(campaign=campaign, status=BallotStatus.OPEN)
    ]


def review_ballots_published(campaign) -> list[GateProblem]:
    ballots = list(
        Ballot.objects.filter(campaign=campaign, purpose=BallotPurpose.REVIEW).select_related(
            "next_round"
        )
    )
    problems = []
    for ballot in ballots:
        if ballot.status == BallotStatus.OPEN:
            continue  # no_open_ballot names it
        superseded = ballot.is_valid is False and hasattr(ballot, "next_round")
        if ballot.status != BallotStatus.PUBLISHED and not superseded:
            problems.append(
                GateProblem(
                    f"“{ballot}”{ballot.get_status_display()}，结果尚未公布",
                    reverse("ballot_detail", args=[ballot.pk]),
                )
            )
    published = set(
        BallotResult.objects.filter(
            ballot__campaign=campaign,
            ballot__purpose=BallotPurpose.REVIEW,
            ballot__status=BallotStatus.PUBLISHED,
        ).values_list("subject_id", flat=True)
    )
    problems.extend(
        GateProblem(
            f"{subject.person_name}还没有公布的满意度测评结果",
            reverse("ballot_list", args=[campaign.pk]),
        )
        for subject in campaign.subjects.exclude(pk__in=published).order_by("position", "pk")
    )
    return problems
