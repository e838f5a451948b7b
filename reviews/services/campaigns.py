"""Everything that writes campaigns, their stages and content items, and committee members."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_log
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store
from core.formats import cn_date
from core.roles import Role
from core.services import (
    account_create,
    apply_changes,
    changed_labels,
    require_office,
    validate_or_raise,
)
from core.workflow import Move, Workflow
from core.workflow import transition as workflow_transition

from ..audit import AuditAction
from ..gates import GateProblem, stage_gate_problems, stage_gate_register
from ..models import (
    WORK_STAGES,
    Campaign,
    CampaignStage,
    ContentItem,
    Member,
    Stage,
    StageTransition,
)
from ..signals import campaign_changed

DEFAULT_CONTENT_ITEMS = [
    "贯彻执行宪法和法律法规，依法行政、公正司法情况",
    "履行职责、实施本行政区域发展战略和完成工作任务情况",
    "贯彻执行人民代表大会及其常委会的决议决定、处理常委会审议意见及办理代表议案、建议和批评意见情况",
    "接受人大监督，参加人大各种会议汇报工作、听取审议和接受询问情况",
    "办理人民群众来信来访，解决人民群众普遍关心的热点、难点问题情况",
    "勤政廉政、廉洁自律情况",
    "常委会认为需要评议的其他工作",
]

STAGE_ORDER = [*WORK_STAGES, CampaignStage.CLOSED]


def _allowed_moves() -> dict[tuple[str, str], str]:
    """The campaign's state machine: one step forward, or back to any earlier stage."""
    moves = {}
    for i, stage in enumerate(STAGE_ORDER):
        if i + 1 < len(STAGE_ORDER):
            moves[(stage, STAGE_ORDER[i + 1])] = StageTransition.Direction.FORWARD
        for earlier in STAGE_ORDER[:i]:
            moves[(stage, earlier)] = StageTransition.Direction.BACK
    return moves


ALLOWED_MOVES = _allowed_moves()
CAMPAIGN_WORKFLOW = Workflow(
    noun="评议活动",
    action="campaign.stage",
    moves=tuple(
        Move(
            a,
            b,
            f"{'进入' if d == StageTransition.Direction.FORWARD else '退回到'}{CampaignStage(b).label}",
        )
        for (a, b), d in ALLOWED_MOVES.items()
    ),
    labels=dict(CampaignStage.choices),
    status_field="stage",
)


@transaction.atomic
def campaign_create(
    *,
    actor,
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
def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    """Change a campaign's descriptive fields; the stage only moves through campaign_stage_move."""
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
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
    *, actor, campaign: Campaign, document: UploadedFile, approved_on: datetime.date
) -> Campaign:
    """Record the approval of the work plan (实施方案) with its document."""
    require_office(actor)
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


def _check_leave_preparation(
    campaigns: list[Campaign], *, limit: int | None = None
) -> dict[int, list[GateProblem]]:
    """At most three problems a campaign: `limit` is not needed."""
    pks = [c.pk for c in campaigns]
    with_subjects = set(
        Campaign.objects.filter(pk__in=pks, subjects__isnull=False).values_list("pk", flat=True)
    )
    with_content = set(
        Campaign.objects.filter(pk__in=pks, content_items__isnull=False).values_list(
            "pk", flat=True
        )
    )
    found = {}
    for campaign in campaigns:
        settings_page = reverse("admin:reviews_campaign_change", args=[campaign.pk])
        problems = []
        if not campaign.implementation_plan_approved_on:
            problems.append(GateProblem("实施方案尚未登记批准日期", settings_page))
        if campaign.pk not in with_subjects:
            problems.append(
                GateProblem("尚未确定评议对象", reverse("subjects_setup", args=[campaign.pk]))
            )
        if campaign.pk not in with_content:
            problems.append(GateProblem("尚未设置评议内容", settings_page))
        found[campaign.pk] = problems
    return found


stage_gate_register(CampaignStage.PREPARATION, _check_leave_preparation)


@transaction.atomic
def campaign_stage_move(
    *,
    actor,
    campaign: Campaign,
    to_stage: str,
    reason: str = "",
    override_reason: str = "",
    confirmed: bool = False,
) -> StageTransition:
    """The only way a campaign's stage changes. Forward, the stage's gate must be clear,
    or the office overrides it with a written reason (recorded with what was missing);
    back needs a reason; closing the campaign needs `confirmed`."""
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    from_stage = campaign.stage
    reason = (reason or "").strip()
    if to_stage not in CampaignStage.values:
        raise ApplicationError("目标阶段无效。")
    to_label = CampaignStage(to_stage).label
    from_label = CampaignStage(from_stage).label
    if to_stage == from_stage:
        raise ApplicationError(f"评议活动已处于{to_label}。")
    direction = ALLOWED_MOVES.get((from_stage, to_stage))
    if direction is None:
        raise ApplicationError(f"不能从{from_label}直接进入{to_label}，阶段只能依次推进。")
    if direction == StageTransition.Direction.BACK and not reason:
        raise ApplicationError(f"退回到{to_label}必须填写书面理由。")
    override_reason = (override_reason or "").strip()
    overridden: list[str] = []
    if direction == StageTransition.Direction.FORWARD:
        overridden = [p.text for p in stage_gate_problems(campaign, from_stage)]
        if overridden and not override_reason:
            raise ApplicationError(
                f"不能进入{to_label}：{'；'.join(overridden)}。如确需越过，请写明理由后再推进。",
                extra={"problems": overridden},
            )
        if to_stage == CampaignStage.CLOSED and not confirmed:
            raise ApplicationError("结束评议活动后不能再推进，请勾选确认后再结束。")
    if not overridden:
        override_reason = ""

    now = timezone.now()
    stages = {s.kind: s for s in Stage.objects.select_for_update().filter(campaign=campaign)}
    if from_stage in stages:
        stages[from_stage].ended_at = now
        stages[from_stage].save(update_fields=["ended_at"])
    if to_stage in stages:
        target = stages[to_stage]
        target.started_at = target.started_at or now
        target.ended_at = None
        target.save(update_fields=["started_at", "ended_at"])
    verb = "推进" if direction == StageTransition.Direction.FORWARD else "退回"
    workflow_transition(
        obj=campaign,
        to=to_stage,
        workflow=CAMPAIGN_WORKFLOW,
        actor=actor,
        summary=f"“{campaign.name}”由{from_label}{verb}至{to_label}"
        + (f"，理由：{reason}" if reason else "")
        + (
            f"；越过未满足的条件（{'；'.join(overridden)}），理由：{override_reason}"
            if overridden
            else ""
        ),
        campaign=campaign,
    )
    transition = StageTransition.objects.create(
        campaign=campaign,
        from_stage=from_stage,
        to_stage=to_stage,
        direction=direction,
        actor=actor,
        reason=reason,
        override_reason=override_reason,
        overridden=overridden,
    )
    return transition


def campaign_next_stage(campaign: Campaign) -> str | None:
    index = STAGE_ORDER.index(campaign.stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@transaction.atomic
def member_create(
    *,
    actor,
    name: str,
    title: str,
    username: str,
    counts_toward_composition: bool = True,
    password: str | None = None,
    position: int = 0,
    prehashed: tuple[str, str] | None = None,
) -> tuple[Member, str | None]:
    require_office(actor)
    user, initial = account_create(
        username=username,
        full_name=name.strip(),
        role=Role.MEMBER,
        password=password,
        prehashed=prehashed,
    )
    member = Member(
        user=user,
        name=name.strip(),
        title=title.strip(),
        counts_toward_composition=counts_toward_composition,
        position=position,
    )
    validate_or_raise(member)
    member.save()
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_CREATE,
        summary=f"添加常委会组成人员 {member.name}（{member.title}）",
        target=member,
    )
    return member, initial


MEMBER_EDITABLE = ("name", "title", "counts_toward_composition", "is_active", "position")


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    require_office(actor)
    member = Member.objects.select_for_update().get(pk=member.pk)
    changed = apply_changes(member, fields, allowed=MEMBER_EDITABLE)
    if not changed:
        return member
    validate_or_raise(member)
    member.save()
    if "name" in changed:
        member.user.first_name = member.name
        member.user.save(update_fields=["first_name"])
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_UPDATE,
        summary=f"修改常委会组成人员 {member.name}：{changed_labels(Member, changed)}",
        target=member,
        data=changed,
    )
    return member
