"""Factories for reviews: campaigns in any stage, their stages, moves, content items, members."""

import factory
from django.utils import timezone

from core.roles import Role
from reviews.models import Campaign, CampaignStage, ContentItem, Member, Stage, StageTransition
from reviews.services import (
    CAMPAIGN_EDITABLE,
    STAGE_ORDER,
    campaign_create,
    campaign_stage_move,
    campaign_update,
    content_item_create,
    stage_update,
)

from .base import ServiceFactory, UserFactory, default_office

# What campaign_create takes; the rest of CAMPAIGN_EDITABLE goes through campaign_update.
_CREATE_ARGS = {
    "name",
    "year",
    "term",
    "composition_size",
    "issuing_office",
    "implementation_plan_approved_on",
    "stage_dates",
    "content_items",
}


# The office's written reason for moving on although a stage's gate is not clear.
GATES_OVERRIDDEN = "测试数据：只要阶段，不涉及阶段条件"


class CampaignFactory(ServiceFactory):
    """Built by campaign_create (so it has its four stages and content items), changed by
    campaign_update (deadlines, scale, limits …), and moved by campaign_stage_move up to
    `stage` (see campaign_move_to)."""

    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"2017年度县人大常委会述职评议（{n}）")
    year = 2017
    term = "县十七届人大常委会"
    composition_size = 27
    stage = CampaignStage.PREPARATION

    @classmethod
    def _create(cls, model_class, *, stage, actor=None, **kwargs):
        actor = actor or default_office()
        unknown = set(kwargs) - _CREATE_ARGS - set(CAMPAIGN_EDITABLE)
        if unknown:
            raise TypeError(f"CampaignFactory does not set {sorted(unknown)}")
        campaign = campaign_create(
            actor=actor, **{k: v for k, v in kwargs.items() if k in _CREATE_ARGS}
        )
        changes = {k: v for k, v in kwargs.items() if k not in _CREATE_ARGS}
        if changes:
            campaign = campaign_update(actor=actor, campaign=campaign, **changes)
        return campaign_move_to(campaign, stage, actor=actor)


def campaign_move_to(campaign: Campaign, stage: str, *, actor=None) -> Campaign:
    """Move `campaign` forward, one stage at a time, until it is in `stage`. To leave
    preparation it gets an approved plan (dated today) and a subject when it has none; the
    later gates (reports heard, ballots published, rectification concluded) are overridden
    with a written reason, as the office may, unless the test has met them."""
    from .subjects import SubjectFactory

    actor = actor or default_office()
    if campaign.stage == CampaignStage.PREPARATION != stage:
        if not campaign.implementation_plan_approved_on:
            campaign_update(
                actor=actor, campaign=campaign, implementation_plan_approved_on=timezone.localdate()
            )
        if not campaign.subjects.exists():
            SubjectFactory(campaign=campaign)
    for next_stage in STAGE_ORDER[STAGE_ORDER.index(campaign.stage) + 1 :]:
        if campaign.stage == stage:
            break
        campaign_stage_move(
            actor=actor,
            campaign=campaign,
            to_stage=next_stage,
            override_reason=GATES_OVERRIDDEN,
            confirmed=True,
        )
        campaign.refresh_from_db()
    if campaign.stage != stage:
        raise ValueError(f"campaign_move_to only moves forward: {campaign.stage} → {stage}")
    return campaign


class StageFactory(ServiceFactory):
    """A campaign's stage of `kind` (the campaign makes all four), its planned window set
    by stage_update when given."""

    class Meta:
        model = Stage

    campaign = factory.SubFactory(CampaignFactory)
    kind = CampaignStage.PRELIMINARY
    planned_start = None
    planned_end = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, kind, actor, **dates):
        stage = campaign.stages.get(kind=kind)
        dates = {k: v for k, v in dates.items() if v is not None}
        if dates:
            stage = stage_update(actor=actor or default_office(), stage=stage, **dates)
        return stage


class StageTransitionFactory(ServiceFactory):
    """One forward move of a campaign (from preparation to preliminary by default)."""

    class Meta:
        model = StageTransition

    campaign = factory.SubFactory(CampaignFactory)
    to_stage = CampaignStage.PRELIMINARY
    actor = factory.LazyFunction(default_office)

    @classmethod
    def _create(cls, model_class, *, campaign, to_stage, actor):
        campaign_move_to(campaign, to_stage, actor=actor)
        return campaign.transitions.latest("id")


class ContentItemFactory(ServiceFactory):
    """A content item the office adds to a campaign (content_item_create); the campaign's
    own item when it already has one of that title."""

    class Meta:
        model = ContentItem

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"评议内容{n}")
    description = ""
    position = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, title, actor, **fields):
        existing = campaign.content_items.filter(title=title).first()
        return existing or content_item_create(
            actor=actor or default_office(), campaign=campaign, title=title, **fields
        )


class MemberFactory(factory.django.DjangoModelFactory):
    """A committee member with a login (`counts_toward_composition=False` for an attendee)."""

    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory, role=Role.MEMBER)
    name = factory.Sequence(lambda n: f"委员{n}")
    title = "常委会委员"
