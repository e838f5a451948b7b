"""修改评议活动: the office, in any stage; the content items only until the campaign is
closed, and a stage's dates only until the campaign moves past it."""

import pytest

from reviews.models import CampaignStage
from reviews.services import campaign_update
from tests.factories import campaign_move_to
from tests.reviews.test_campaign_wizard import _post_data

from .conftest import OTHERS, audited, refused

pytestmark = pytest.mark.django_db


def _url(world) -> str:
    return f"/campaigns/{world.campaign.pk}/edit/"


def _data(client, world, **changes) -> dict:
    """The edit page's form as drawn, with `changes`: what a browser sends back."""
    client.force_login(world.office)
    form = client.get(_url(world)).context["form"]
    campaign = world.campaign
    data = _post_data(
        version=form["version"].value(),
        name=campaign.name,
        # year, term and its start year: the wizard's (the term's years are offered
        # around today)
        composition_size=str(campaign.composition_size),
        rating_options=campaign.rating_options,
        content_items=[i.title for i in campaign.content_items.order_by("position")],
    )
    for kind in ("preparation", "preliminary", "review", "rectification"):
        for end in ("start", "end"):
            value = form.initial.get(f"{kind}_{end}")
            data[f"{kind}_{end}"] = value.isoformat() if value else ""
    return data | changes


def test_the_office_edits_the_campaign(client, world):
    response = client.post(_url(world), _data(client, world, composition_size="29"))
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.composition_size == 29
    assert audited(world.campaign, "campaign.update") == 1


def test_a_closed_campaign_freezes_its_content_items_not_its_settings(client, world):
    campaign_move_to(world.campaign, CampaignStage.CLOSED, actor=world.office)
    world.campaign.refresh_from_db()
    refused(
        client,
        world.office,
        _url(world),
        _data(client, world, composition_size="29"),
        "已结束，评议内容不能再修改。",
        campaign=world.campaign,
    )
    # Its settings stay the office's to change (the admin, the rectification settings).
    campaign_update(actor=world.office, campaign=world.campaign, composition_size=29)
    world.campaign.refresh_from_db()
    assert world.campaign.composition_size == 29


def test_a_past_stage_keeps_its_dates(client, world):
    campaign_move_to(world.campaign, CampaignStage.PRELIMINARY, actor=world.office)
    world.campaign.refresh_from_db()
    refused(
        client,
        world.office,
        _url(world),
        _data(client, world, preparation_start="2020-01-01"),
        "的准备阶段已结束，不能再修改其计划日期。",
        campaign=world.campaign,
    )


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_are_refused(client, world, who):
    data = _data(client, world, composition_size="29")
    refused(client, getattr(world, who), _url(world), data, "", campaign=world.campaign, status=403)
