"""Everything that writes a campaign's plan after it is created: stage dates and content items."""

from django.db import transaction
from django.db.models import Max

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.services import (
    apply_changes,
    changed_labels,
    delete_or_raise,
    referencing_kinds,
    validate_or_raise,
)

from ..audit import AuditAction
from ..models import Campaign, CampaignStage, ContentItem, Stage
from ..workflows import CAMPAIGN_WORKFLOW, stage_dates_refusal
from .campaigns import _check_stage_order, campaign_update

STAGE_EDITABLE = ("planned_start", "planned_end")


@transaction.atomic
def stage_update(*, actor: Actor, stage: Stage, **fields) -> Stage:
    """Change a stage's planned window: a stage the campaign has moved past keeps its dates
    (reviews.workflows.stage_dates_refusal)."""
    campaign = Campaign.objects.select_for_update().get(pk=stage.campaign_id)
    CAMPAIGN_WORKFLOW.edit_check(campaign, actor)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    changed = apply_changes(stage, fields, allowed=STAGE_EDITABLE)
    if not changed:
        return stage
    if why := stage_dates_refusal(campaign, stage):
        raise ApplicationError(why)
    validate_or_raise(stage)
    stage.save()
    audit_log(
        actor=actor,
        action=AuditAction.STAGE_UPDATE,
        summary=f"修改“{campaign.name}”{stage.get_kind_display()}的{changed_labels(Stage, changed)}",
        target=stage,
        campaign=campaign,
        data=changed,
    )
    return stage


CONTENT_ITEM_EDITABLE = ("position", "title", "description")


def _lock_open_campaign(campaign_id: int, actor: Actor) -> Campaign:
    """The campaign, locked, once its table lets `actor` change its content items now."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    CAMPAIGN_WORKFLOW.action_check(campaign, actor, "edit_content")
    return campaign


@transaction.atomic
def content_item_create(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    description: str = "",
    position: int | None = None,
) -> ContentItem:
    campaign = _lock_open_campaign(campaign.pk, actor)
    if position is None:
        last = campaign.content_items.aggregate(last=Max("position"))["last"]
        position = (last or 0) + 1
    item = ContentItem(
        campaign=campaign, title=title.strip(), description=description.strip(), position=position
    )
    validate_or_raise(item)
    item.save()
    audit_log(
        actor=actor,
        action=AuditAction.CONTENT_ITEM_CREATE,
        summary=f"“{campaign.name}”添加评议内容：{item.title}",
        target=item,
        campaign=campaign,
    )
    return item


@transaction.atomic
def content_item_update(*, actor: Actor, item: ContentItem, **fields) -> ContentItem:
    """Change a content item. Once findings or opinion problems are filed under it, its title
    stays: they were written against that title. Order and explanation may still change."""
    campaign = _lock_open_campaign(item.campaign_id, actor)
    item = ContentItem.objects.select_for_update().get(pk=item.pk)
    title = item.title
    changed = apply_changes(item, fields, allowed=CONTENT_ITEM_EDITABLE)
    if not changed:
        return item
    if "title" in changed:
        kinds = referencing_kinds(item)
        if kinds:
            raise ApplicationError(
                f"评议内容“{title}”下已有{'、'.join(kinds)}，不能再修改名称（可修改顺序和说明）。"
            )
    validate_or_raise(item)
    item.save()
    audit_log(
        actor=actor,
        action=AuditAction.CONTENT_ITEM_UPDATE,
        summary=f"“{campaign.name}”修改评议内容“{title}”：{changed_labels(ContentItem, changed)}",
        target=item,
        campaign=campaign,
        data=changed,
    )
    return item


@transaction.atomic
def content_item_delete(*, actor: Actor, item: ContentItem) -> None:
    campaign = _lock_open_campaign(item.campaign_id, actor)
    item = ContentItem.objects.select_for_update().get(pk=item.pk)
    kinds = referencing_kinds(item)
    if kinds:
        raise ApplicationError(f"评议内容“{item.title}”下已有{'、'.join(kinds)}，不能删除。")
    if campaign.stage != CampaignStage.PREPARATION and campaign.content_items.count() == 1:
        raise ApplicationError("评议活动已经开始，至少要保留一项评议内容。")
    audit_log(
        actor=actor,
        action=AuditAction.CONTENT_ITEM_DELETE,
        summary=f"“{campaign.name}”删除评议内容：{item.title}",
        campaign=campaign,
        data={"content_item_id": item.pk, "title": item.title},
    )
    delete_or_raise(item, refused=f"不能删除评议内容“{item.title}”")


@transaction.atomic
def campaign_edit(
    *,
    actor: Actor,
    campaign: Campaign,
    fields: dict,
    stage_dates: dict[str, tuple],
    content_items: list[str],
) -> Campaign:
    """The office's edit page (修改评议活动) in one transaction: the campaign's own fields
    (campaign_update), each stage's planned window (stage_update) and the content items as
    an ordered list of titles — kept ones reordered, new ones added, missing ones deleted
    (content_item_create / _update / _delete). Any refusal rolls the whole edit back, so a
    refused edit writes nothing."""
    CAMPAIGN_WORKFLOW.edit_check(campaign, actor)
    titles = [t.strip() for t in content_items]
    if not titles or not all(titles):
        raise ApplicationError("评议内容至少一项，每项不能为空。")
    if len(set(titles)) != len(titles):
        raise ApplicationError("评议内容有重复的条目。")
    _check_stage_order(stage_dates)
    campaign = campaign_update(actor=actor, campaign=campaign, **fields)
    for stage in campaign.stages.all():
        if stage.kind in stage_dates:
            start, end = stage_dates[stage.kind]
            stage_update(actor=actor, stage=stage, planned_start=start, planned_end=end)
    existing = {item.title: item for item in campaign.content_items.all()}
    # New ones first: a campaign under way keeps at least one item while others go.
    for position, title in enumerate(titles, start=1):
        if title in existing:
            content_item_update(actor=actor, item=existing[title], position=position)
        else:
            content_item_create(actor=actor, campaign=campaign, title=title, position=position)
    for title, item in existing.items():
        if title not in titles:
            content_item_delete(actor=actor, item=item)
    campaign.refresh_from_db()
    return campaign
