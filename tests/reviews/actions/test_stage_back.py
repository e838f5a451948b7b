"""退回 (a stage back): the office, to any earlier stage, with a written reason; the stage
it goes back to is open again."""

import pytest

from reviews.models import CampaignStage, StageTransition
from tests.factories import campaign_move_to

from .conftest import OTHERS, audited, refused, stage_url

pytestmark = pytest.mark.django_db

BACK = {"to_stage": "preparation", "reason": "增补一名评议对象"}


@pytest.fixture
def in_review(world):
    campaign_move_to(world.campaign, CampaignStage.REVIEW, actor=world.office)
    world.campaign.refresh_from_db()
    return world


def test_the_office_goes_back_with_its_reason(client, in_review):
    client.force_login(in_review.office)
    assert client.post(stage_url(in_review), BACK).status_code == 302
    campaign = in_review.campaign
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.PREPARATION
    move = StageTransition.objects.filter(campaign=campaign).latest("id")
    assert move.direction == StageTransition.Direction.BACK and move.reason == BACK["reason"]
    assert audited(campaign, "campaign.stage.preparation") == 1
    preparation = campaign.stages.get(kind=CampaignStage.PREPARATION)
    assert preparation.ended_at is None


def test_going_back_needs_a_reason_and_keeps_what_was_typed(client, in_review):
    response = refused(
        client,
        in_review.office,
        stage_url(in_review),
        {"to_stage": "preliminary", "reason": "   "},
        "退回到初评阶段必须填写书面理由。",
        campaign=in_review.campaign,
    )
    page = response.content.decode()
    assert 'value="preliminary" selected' in page  # the stage chosen is chosen again


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_are_refused(client, in_review, who):
    refused(
        client,
        getattr(in_review, who),
        stage_url(in_review),
        BACK,
        "",
        campaign=in_review.campaign,
        status=403,
    )


def test_there_is_nothing_before_preparation(client, world):
    refused(
        client,
        world.office,
        stage_url(world),
        BACK,
        "评议活动已处于准备阶段。",
        campaign=world.campaign,
    )
