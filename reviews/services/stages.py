"""The one way a campaign's stage changes (campaign_stage_move), and the gate of the
preparation stage, which the campaign owns (the other stages' gates are registered by the
apps that do their work; see reviews.gates)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.actors import Actor
from core.errors import ApplicationError
from core.workflow import transition as workflow_transition

from ..gates import GateProblem, stage_gate_problems, stage_gate_register
from ..models import Campaign, CampaignStage, Stage, StageTransition
from ..workflows import ALLOWED_MOVES, CAMPAIGN_WORKFLOW


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
    actor: Actor,
    campaign: Campaign,
    to_stage: str,
    reason: str = "",
    override_reason: str = "",
    confirmed: bool = False,
) -> StageTransition:
    """The only way a campaign's stage changes. Forward, the stage's gate must be clear,
    or the office overrides it with a written reason (recorded with what was missing);
    back needs a reason; closing the campaign needs `confirmed`."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    from_stage = campaign.stage
    # The move's row (which stage may follow which, and who moves it), checked again by
    # transition() under the lock; what the office must write on the move is asked here.
    CAMPAIGN_WORKFLOW.check_move(campaign, actor, to_stage)
    direction = ALLOWED_MOVES[(from_stage, to_stage)]
    reason = (reason or "").strip()
    to_label = CampaignStage(to_stage).label
    from_label = CampaignStage(from_stage).label
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
