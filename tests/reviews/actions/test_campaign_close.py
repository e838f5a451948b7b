"""结束评议活动: the office, from the rectification stage, having confirmed; a closed
campaign can only go back."""

import pytest

from reviews.models import CampaignStage
from tests.factories import campaign_move_to

from .conftest import OTHERS, audited, refused, stage_url

pytestmark = pytest.mark.django_db

CLOSE = {"to_stage": "closed", "confirmed": "on", "override_reason": "测试：不涉及阶段条件"}


@pytest.fixture
def in_rectification(world):
    campaign_move_to(world.campaign, CampaignStage.RECTIFICATION, actor=world.office)
    world.campaign.refresh_from_db()
    return world


def test_the_office_closes_the_campaign(client, in_rectification):
    client.force_login(in_rectification.office)
    response = client.post(stage_url(in_rectification), CLOSE, follow=True)
    assert "已进入已结束。" in response.content.decode()
    campaign = in_rectification.campaign
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.CLOSED and campaign.is_closed
    assert audited(campaign, "campaign.stage.closed") == 1
    assert all(s.ended_at for s in campaign.stages.all())


def test_closing_needs_the_confirmation(client, in_rectification):
    response = refused(
        client,
        in_rectification.office,
        stage_url(in_rectification),
        {**CLOSE, "confirmed": ""},
        "结束评议活动后不能再推进，请勾选确认后再结束。",
        campaign=in_rectification.campaign,
    )
    page = response.content.decode()
    assert 'name="confirmed"' in page and "结束本次评议活动" in page


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_are_refused(client, in_rectification, who):
    refused(
        client,
        getattr(in_rectification, who),
        stage_url(in_rectification),
        CLOSE,
        "",
        campaign=in_rectification.campaign,
        status=403,
    )


def test_a_campaign_in_preparation_cannot_be_closed(client, world):
    refused(
        client,
        world.office,
        stage_url(world),
        CLOSE,
        "不能从准备阶段直接进入已结束，阶段只能依次推进。",
        campaign=world.campaign,
    )
