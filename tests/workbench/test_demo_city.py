"""`load_demo --scale city` runs workbench.demo_city.city_load; here the same code at a
small size: every stage, every rectification state, paper and web ballots with results
counted from the sheets and the counting forms."""

import pytest

from ballots.models import BallotResult, BallotStatus, PaperTally, SealedSheet
from rectification.models import (
    OpinionStatus,
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    ReviewOpinion,
)
from reviews.models import Campaign, CampaignStage, Member
from subjects.models import Subject
from workbench.demo_city import CITY_NAME, CitySize, city_load

pytestmark = pytest.mark.django_db

SMALL = CitySize(campaigns=12, subjects_each=12, members=40, composition=30, sheets=2)


def test_city_loader_at_a_small_size_has_every_stage_and_state():
    city_load(SMALL, log=lambda line: None)

    assert Campaign.objects.count() == 12
    city = Campaign.objects.filter(name__contains=CITY_NAME)
    assert {c.stage for c in city} == set(CampaignStage.values)
    assert Subject.objects.count() == 12 * 12  # the county demo's campaigns grown too
    assert Member.objects.count() == 40
    assert Member.objects.filter(counts_toward_composition=True).count() == 30

    # Ballots: open in the review stage, published from rectification on, each with web
    # sheets and an agreed paper counting form; results only where counted.
    for campaign in city.filter(stage__in=["review", "rectification", "closed"]):
        ballot = campaign.ballots.get()
        assert SealedSheet.objects.filter(ballot=ballot).count() == 2
        assert PaperTally.objects.filter(ballot=ballot).count() == 1
        if campaign.stage == CampaignStage.REVIEW:
            assert ballot.status == BallotStatus.OPEN
            assert not BallotResult.objects.filter(ballot=ballot).exists()
        else:
            assert ballot.status == BallotStatus.PUBLISHED
            results = BallotResult.objects.filter(ballot=ballot)
            assert results.count() == 12
            # Counted from two web sheets and the paper form (20 sheets, at most one invalid).
            for result in results:
                assert sum(result.web_counts.values()) == 2
                assert sum(result.paper_counts.values()) in (19, 20)  # 0 or 1 invalid
                for option in ballot.options:
                    assert result.counts[option] == (
                        result.web_counts.get(option, 0) + result.paper_counts.get(option, 0)
                    )
    assert {c.stage for c in city.filter(ballots__isnull=True)} == {"preparation", "preliminary"}

    # Rectification: every state of the opinion, the plan and the report.
    in_rectification = Subject.objects.filter(campaign__in=city, campaign__stage="rectification")
    assert set(
        ReviewOpinion.objects.filter(subject__in=in_rectification).values_list("status", flat=True)
    ) == set(OpinionStatus.values)
    plans = RectificationPlan.objects.filter(subject__in=in_rectification)
    assert set(plans.values_list("status", flat=True)) == set(PlanStatus.values)
    reports = RectificationReport.objects.filter(subject__in=in_rectification)
    assert set(reports.values_list("status", flat=True)) == set(RectificationReportStatus.values)
    overdue = plans.filter(status=PlanStatus.DRAFT, submitted_on__isnull=True)
    assert overdue.exists()

    # A second run adds nothing.
    city_load(SMALL, log=lambda line: None)
    assert Campaign.objects.count() == 12
