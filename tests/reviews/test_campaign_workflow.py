"""The campaign's table (reviews.workflows): what capabilities(campaign, user) offers in
each stage, and the stage machine's refusals in the words the office knows."""

import pytest

from core.errors import ApplicationError
from core.roles import Role
from core.workflow import capabilities
from reviews.models import CampaignStage
from reviews.workflows import CAMPAIGN_WORKFLOW, campaign_stage_moves
from tests.factories import CampaignFactory, campaign_move_to

pytestmark = pytest.mark.django_db


def test_the_office_may_advance_and_edit_in_preparation(office):
    campaign = CampaignFactory(actor=office)
    caps = capabilities(campaign, office)
    assert caps["advance"].target == CampaignStage.PRELIMINARY
    assert caps["go_back"] is None and caps["close"] is None
    assert caps["edit_campaign"] is True and caps["closed"] is False
    assert caps["attach_plan"] and caps["edit_content"]


@pytest.mark.parametrize(
    "role", [Role.MEMBER, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.SUBJECT, Role.LIAISON]
)
def test_no_one_else_may_do_anything(office, make_user, role):
    campaign = CampaignFactory(actor=office)
    caps = capabilities(campaign, make_user(role))
    assert not any(caps[name] for name in ("advance", "go_back", "close", "edit_campaign"))
    assert not caps["attach_plan"] and not caps["edit_content"]


def test_in_rectification_it_closes_and_goes_back_to_any_earlier_stage(office):
    campaign = CampaignFactory(actor=office)
    campaign_move_to(campaign, CampaignStage.RECTIFICATION, actor=office)
    moves = campaign_stage_moves(campaign, office)
    assert moves["forward"].target == CampaignStage.CLOSED
    assert [m.target for m in moves["back"]] == ["preparation", "preliminary", "review"]
    assert capabilities(campaign, office)["close"] is moves["forward"]


def test_a_closed_campaign_freezes_its_content_items_not_its_settings(office):
    campaign = CampaignFactory(actor=office)
    campaign_move_to(campaign, CampaignStage.CLOSED, actor=office)
    caps = capabilities(campaign, office)
    assert caps["closed"] is True and caps["advance"] is None and caps["close"] is None
    assert caps["go_back"] is not None and caps["edit_campaign"] is True
    assert caps["edit_content"] is None
    with pytest.raises(ApplicationError, match="已结束，评议内容不能再修改"):
        CAMPAIGN_WORKFLOW.action_check(campaign, office, "edit_content")


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("finished", "目标阶段无效。"),
        ("preparation", "评议活动已处于准备阶段。"),
        ("review", "不能从准备阶段直接进入评议阶段，阶段只能依次推进。"),
    ],
)
def test_the_stage_machine_refuses_in_its_own_words(office, to, message):
    campaign = CampaignFactory(actor=office)
    with pytest.raises(ApplicationError) as refused:
        CAMPAIGN_WORKFLOW.check_move(campaign, office, to)
    assert refused.value.message == message
