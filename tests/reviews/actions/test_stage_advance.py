"""推进 (a stage forward): the office, one stage at a time; an unmet gate is crossed only
with a written reason, recorded on the move."""

import pytest

from core.models import AuditEntry
from reviews.models import Campaign, CampaignStage, StageTransition
from tests.factories import CampaignFactory, campaign_move_to

from .conftest import OTHERS, audited, refused, stage_url

pytestmark = pytest.mark.django_db


def test_the_office_advances_to_the_next_stage(client, world):
    client.force_login(world.office)
    response = client.post(stage_url(world), {"to_stage": "preliminary"})
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{world.campaign.pk}/"
    world.campaign.refresh_from_db()
    assert world.campaign.stage == CampaignStage.PRELIMINARY
    move = StageTransition.objects.get(campaign=world.campaign)
    assert move.direction == StageTransition.Direction.FORWARD and move.actor == world.office
    assert audited(world.campaign, "campaign.stage.preliminary") == 1
    page = client.get(response["Location"]).content.decode()
    assert "已进入初评阶段。" in page


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_are_refused(client, world, who):
    refused(
        client,
        getattr(world, who),
        stage_url(world),
        {"to_stage": "preliminary"},
        "",
        campaign=world.campaign,
        status=403,
    )


def test_a_stage_cannot_be_skipped(client, world):
    response = refused(
        client,
        world.office,
        stage_url(world),
        {"to_stage": "review"},
        "不能从准备阶段直接进入评议阶段，阶段只能依次推进。",
        campaign=world.campaign,
    )
    # The stage page again, with the move the office may make now.
    assert "推进到初评阶段" in response.content.decode()


def test_the_stage_it_is_in_and_an_unknown_stage_are_refused(client, world):
    refused(
        client,
        world.office,
        stage_url(world),
        {"to_stage": "preparation"},
        "评议活动已处于准备阶段。",
        campaign=world.campaign,
    )
    refused(
        client,
        world.office,
        stage_url(world),
        {"to_stage": "finished"},
        "未知操作。",
        campaign=world.campaign,
    )


def test_an_unmet_gate_needs_a_written_reason_which_is_kept(client, office):
    campaign = CampaignFactory(actor=office)  # no plan, no subject
    url = f"/campaigns/{campaign.pk}/stage/"
    response = refused(
        client,
        office,
        url,
        {"to_stage": "preliminary", "override_reason": "  "},
        "不能进入初评阶段：实施方案尚未登记批准日期",
        campaign=campaign,
    )
    assert 'data-testid="gate-problems"' in response.content.decode()
    client.force_login(office)
    data = {"to_stage": "preliminary", "override_reason": "实施方案另行印发"}
    assert client.post(url, data).status_code == 302
    move = StageTransition.objects.get(campaign=campaign)
    assert move.override_reason == "实施方案另行印发"
    assert "尚未确定评议对象" in move.overridden
    entry = AuditEntry.objects.get(action="campaign.stage.preliminary", campaign=campaign)
    assert "实施方案另行印发" in entry.summary


def test_a_closed_campaign_does_not_advance(client, world):
    campaign_move_to(world.campaign, CampaignStage.CLOSED, actor=world.office)
    campaign = Campaign.objects.get(pk=world.campaign.pk)
    response = refused(
        client,
        world.office,
        stage_url(world),
        {"to_stage": "closed", "confirmed": "on"},
        "评议活动已处于已结束。",
        campaign=campaign,
    )
    page = response.content.decode()
    assert 'data-testid="stage-forward"' not in page  # nothing after closed
    assert 'data-testid="stage-back"' in page
