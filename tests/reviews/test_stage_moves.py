import datetime

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from reviews.models import CampaignStage, StageTransition
from reviews.services import campaign_stage_move
from tests.factories import CampaignFactory, SubjectFactory, campaign_move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(office):
    """Ready to leave preparation: the plan is approved and there is a subject."""
    campaign = CampaignFactory(
        actor=office, implementation_plan_approved_on=datetime.date(2017, 8, 1)
    )
    SubjectFactory(campaign=campaign)
    return campaign


def _unchanged(campaign, stage, transitions_before, audit_before):
    campaign.refresh_from_db()
    assert campaign.stage == stage
    assert StageTransition.objects.count() == transitions_before
    assert AuditEntry.objects.count() == audit_before


def test_forward_in_order_through_all_stages(office, campaign):
    for stage in [
        CampaignStage.PRELIMINARY,
        CampaignStage.REVIEW,
        CampaignStage.RECTIFICATION,
        CampaignStage.CLOSED,
    ]:
        transition = campaign_stage_move(
            actor=office,
            campaign=campaign,
            to_stage=stage,
            override_reason="本测试不涉及阶段条件",
            confirmed=True,
        )
        assert transition.direction == StageTransition.Direction.FORWARD
        assert transition.actor == office
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.CLOSED
    stages = {s.kind: s for s in campaign.stages.all()}
    assert all(s.started_at and s.ended_at for s in stages.values())
    assert list(campaign.transitions.values_list("to_stage", flat=True)) == [
        "preliminary",
        "review",
        "rectification",
        "closed",
    ]
    assert [
        a.removeprefix("campaign.stage.")
        for a in AuditEntry.objects.filter(campaign=campaign, action__startswith="campaign.stage.")
        .order_by("id")
        .values_list("action", flat=True)
    ] == ["preliminary", "review", "rectification", "closed"]


def test_skipping_a_stage_refused_and_nothing_changes(office, campaign):
    before = (StageTransition.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ApplicationError, match="依次推进"):
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.REVIEW)
    _unchanged(campaign, CampaignStage.PREPARATION, *before)


def test_back_needs_written_reason(office, campaign):
    campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
    before = (StageTransition.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ApplicationError, match="书面理由"):
        campaign_stage_move(
            actor=office, campaign=campaign, to_stage=CampaignStage.PREPARATION, reason="   "
        )
    _unchanged(campaign, CampaignStage.PRELIMINARY, *before)

    transition = campaign_stage_move(
        actor=office,
        campaign=campaign,
        to_stage=CampaignStage.PREPARATION,
        reason="增补一名评议对象",
    )
    assert transition.direction == StageTransition.Direction.BACK
    assert transition.reason == "增补一名评议对象"
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.PREPARATION
    entry = AuditEntry.objects.filter(action="campaign.stage.preparation").get()
    assert "增补一名评议对象" in entry.summary and entry.actor == office


@pytest.mark.parametrize(
    "role",
    [Role.MEMBER, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.SUBJECT, Role.LIAISON, None],
)
def test_non_office_user_cannot_move(make_user, campaign, role):
    user = make_user(role)
    before = (StageTransition.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ApplicationError, match="只有评议办公室"):
        campaign_stage_move(actor=user, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
    _unchanged(campaign, CampaignStage.PREPARATION, *before)


def test_leaving_preparation_needs_plan_and_subjects(office):
    campaign = CampaignFactory(actor=office)
    with pytest.raises(ApplicationError) as exc:
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
    assert "实施方案尚未登记批准日期" in exc.value.message
    assert "尚未确定评议对象" in exc.value.message
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.PREPARATION


def test_unknown_stage_and_same_stage_refused(office, campaign):
    with pytest.raises(ApplicationError, match="无效"):
        campaign_stage_move(actor=office, campaign=campaign, to_stage="finished")
    with pytest.raises(ApplicationError, match="已处于"):
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PREPARATION)


def test_closed_campaign_can_only_go_back_with_reason(office, campaign):
    campaign_move_to(campaign, CampaignStage.CLOSED, actor=office)
    with pytest.raises(ApplicationError):
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.RECTIFICATION)
    campaign_stage_move(
        actor=office, campaign=campaign, to_stage=CampaignStage.RECTIFICATION, reason="继续整改"
    )
    campaign.refresh_from_db()
    rectification = campaign.stages.get(kind=CampaignStage.RECTIFICATION)
    assert campaign.stage == CampaignStage.RECTIFICATION and rectification.ended_at is None


class TestOverHttp:
    def test_office_advances_from_campaign_page(self, client, office, campaign):
        client.force_login(office)
        response = client.post(
            f"/campaigns/{campaign.pk}/stage/", {"to_stage": "preliminary"}, follow=True
        )
        assert response.status_code == 200
        assert "已进入初评阶段" in response.content.decode()
        campaign.refresh_from_db()
        assert campaign.stage == CampaignStage.PRELIMINARY

    def test_illegal_move_shows_message_not_500(self, client, office, campaign):
        client.force_login(office)
        response = client.post(f"/campaigns/{campaign.pk}/stage/", {"to_stage": "closed"})
        assert response.status_code == 400
        assert "阶段只能依次推进" in response.content.decode()
        campaign.refresh_from_db()
        assert campaign.stage == CampaignStage.PREPARATION

    def test_forged_post_by_member_is_forbidden(self, client, member_user, campaign):
        client.force_login(member_user)
        response = client.post(f"/campaigns/{campaign.pk}/stage/", {"to_stage": "preliminary"})
        assert response.status_code == 403
        campaign.refresh_from_db()
        assert campaign.stage == CampaignStage.PREPARATION
        assert not StageTransition.objects.exists()

    def test_admin_stage_page_back_without_reason(self, client, office, campaign):
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
        client.force_login(office)
        url = f"/admin/reviews/campaign/{campaign.pk}/stage/"
        response = client.post(url, {"to_stage": "preparation", "reason": ""})
        assert response.status_code == 200
        assert "退回到准备阶段必须填写书面理由" in response.content.decode()
        response = client.post(url, {"to_stage": "preparation", "reason": "方案调整"})
        assert response.status_code == 302
        campaign.refresh_from_db()
        assert campaign.stage == CampaignStage.PREPARATION

    def test_admin_action_advances(self, client, office, campaign):
        client.force_login(office)
        response = client.post(
            "/admin/reviews/campaign/",
            {"action": "advance_stage", "_selected_action": [campaign.pk]},
            follow=True,
        )
        assert "已进入初评阶段" in response.content.decode()
        campaign.refresh_from_db()
        assert campaign.stage == CampaignStage.PRELIMINARY
