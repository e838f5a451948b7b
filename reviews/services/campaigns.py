"""Everything that writes a campaign itself: its creation (with its four stages and content
items), its settings and its implementation plan. Stage moves are in .stages, the plan's
dates and content items in .plan, committee members in .members."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store
from core.formats import cn_date
from core.services import apply_changes, changed_labels, require_office, validate_or_raise

from ..audit import AuditAction
from ..models import WORK_STAGES, Campaign, CampaignStage, ContentItem, Stage
from ..signals import campaign_changed
from ..workflows import CAMPAIGN_WORKFLOW

DEFAULT_CONTENT_ITEMS = [
    "贯彻执行宪法和法律法规，依法行政、公正司法情况",
    "履行职责、实施本行政区域发展战略和完成工作任务情况",
    "贯彻执行人民代表大会及其常委会的决议决定、处理常委会审议意见及办理代表议案、建议和批评意见情况",
    "接受人大监督，参加人大各种会议汇报工作、听取审议和接受询问情况",
    "办理人民群众来信来访，解决人民群众普遍关心的热点、难点问题情况",
    "勤政廉政、廉洁自律情况",
    "常委会认为需要评议的其他工作",
]


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    name: str,
    year: int,
    composition_size: int,
    term: str = "",
    term_start_year: int | None = None,
    is_practice: bool = False,
    rating_options: list[str] | None = None,
    issuing_office: str = "",
    implementation_plan_approved_on: datetime.date | None = None,
    stage_dates: dict[str, tuple[datetime.date | None, datetime.date | None]] | None = None,
    content_items: list[str] | None = None,
) -> Campaign:
    require_office(actor)
    stage_dates = stage_dates or {}
    items = content_items if content_items is not None else DEFAULT_CONTENT_ITEMS
    items = [t.strip() for t in items]
    if not items or not all(items):
        raise ApplicationError("评议内容至少一项，每项不能为空。")
    if len(set(items)) != len(items):
        raise ApplicationError("评议内容有重复的条目。")
    _check_stage_order(stage_dates)
    campaign = Campaign(
        name=name.strip(),
        year=year,
        term=term.strip(),
        term_start_year=term_start_year,
        is_practice=is_practice,
        composition_size=composition_size,
        implementation_plan_approved_on=implementation_plan_approved_on,
    )
    if issuing_office:
        campaign.issuing_office = issuing_office.strip()
    if rating_options is not None:
        campaign.rating_options = [o.strip() for o in rating_options]
    validate_or_raise(campaign)
    campaign.save()
    for position, kind in enumerate(WORK_STAGES, start=1):
        start, end = stage_dates.get(kind, (None, None))
        stage = Stage(
            campaign=campaign, kind=kind, position=position, planned_start=start, planned_end=end
        )
        validate_or_raise(stage)
        stage.save()
    Stage.objects.filter(campaign=campaign, kind=CampaignStage.PREPARATION).update(
        started_at=timezone.now()
    )
    ContentItem.objects.bulk_create(
        ContentItem(campaign=campaign, position=i, title=title)
        for i, title in enumerate(items, start=1)
    )
    audit_log(
        actor=actor,
        action=AuditAction.CAMPAIGN_CREATE,
        summary=f"创建评议活动“{campaign.name}”",
        target=campaign,
        campaign=campaign,
    )
    return campaign


def _check_stage_order(stage_dates: dict) -> None:
    """Each stage ends no earlier than it begins, and begins no earlier than the one before."""
    previous = None
    for kind in WORK_STAGES:
        start, end = stage_dates.get(kind, (None, None))
        label = CampaignStage(kind).label
        if start and end and end < start:
            raise ApplicationError(f"{label}：计划结束日期不能早于计划开始日期。")
        if start is None:
            continue
        if previous is not None and start < previous[1]:
            raise ApplicationError(
                f"{label}的开始日期不能早于{CampaignStage(previous[0]).label}的开始日期。"
            )
        previous = (kind, start)


CAMPAIGN_EDITABLE = (
    "name",
    "year",
    "term",
    "term_start_year",
    "is_practice",
    "composition_size",
    "issuing_office",
    "implementation_plan_approved_on",
    "report_draft_due",
    "report_final_due",
    "rating_options",
    "rectification_plan_limit",
    "rectification_plan_limit_unit",
    "rectification_report_limit",
    "rectification_report_limit_unit",
    "reporting_days",
    "rectification_conclusion",
    "groups_oversee_rectification",
)


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, **fields) -> Campaign:
    """Change a campaign's settings; the stage only moves through campaign_stage_move."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    CAMPAIGN_WORKFLOW.edit_check(campaign, actor)
    changed = apply_changes(campaign, fields, allowed=CAMPAIGN_EDITABLE)
    if not changed:
        return campaign
    validate_or_raise(campaign)
    campaign.save()
    audit_log(
        actor=actor,
        action=AuditAction.CAMPAIGN_UPDATE,
        summary=f"修改评议活动“{campaign.name}”：{changed_labels(Campaign, changed)}",
        target=campaign,
        campaign=campaign,
        data=changed,
    )
    campaign_changed.send(sender=Campaign, actor=actor, campaign=campaign, changed=changed)
    return campaign


@transaction.atomic
def campaign_implementation_plan_attach(
    *, actor: Actor, campaign: Campaign, document: UploadedFile, approved_on: datetime.date
) -> Campaign:
    """Record the approval of the work plan (实施方案) with its document."""
    CAMPAIGN_WORKFLOW.action_check(campaign, actor, "attach_plan")
    checked = check_upload(document, allowed=DOCUMENT_KINDS)
    if approved_on > timezone.localdate():
        raise ApplicationError("实施方案批准日期不能晚于今天。")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign.implementation_plan_approved_on = approved_on
    campaign.implementation_plan_name = checked.original_name
    file_store(campaign.implementation_plan, checked.original_name, document)
    campaign.save()
    audit_log(
        actor=actor,
        action=AuditAction.CAMPAIGN_PLAN,
        summary=f"登记实施方案（{cn_date(approved_on)} 批准）：{checked.original_name}",
        target=campaign,
        campaign=campaign,
    )
    return campaign
