"""The one table of the campaign (评议活动): its stages and the moves between them, who may
make them, and what may be changed while it runs.

A campaign's state is its stage. It moves one stage forward (推进) or back to any earlier
stage (退回); only the office moves it, and the moves' POST is read through
StageMoveForm and made by reviews.services.stages.campaign_stage_move, whose audit action
is `campaign.stage.<target>`. What a move needs besides its row is written by the office
on the move itself, so the service asks it: a written reason to go back, a written reason
to cross a stage's unmet gate (reviews.gates), a confirmation to close.

The actions that are not moves: 登记实施方案 (any stage) and 修改评议内容 (until the
campaign is closed). The campaign's own settings are editable in every stage, by the
office. A stage (Stage) has no status of its own: its planned dates may be changed until
the campaign moves past it (`stage_dates_refusal`). The implementation plan has no status
either: it is registered (登记实施方案) or not.

Services call `transition()`, `CAMPAIGN_WORKFLOW.edit_check()` before they edit and
`action_check()` before an action; pages ask `capabilities(campaign, user)`; the generic
move view (core.object_views.move_view) runs a move by its row here.
"""

from core.errors import ApplicationError
from core.roles import Role
from core.workflow import Action, Move, Workflow

from .audit import AuditAction
from .forms import StageMoveForm
from .models import WORK_STAGES, Campaign, CampaignStage, Stage, StageTransition

OFFICE = Role.OFFICE
OFFICE_ONLY = "只有评议办公室工作人员可以进行此项操作。"

# The stages in order: the four work stages, then closed.
STAGE_ORDER = [*WORK_STAGES, CampaignStage.CLOSED]

_S = "reviews.services."


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


def _stage_move_form(data, files, campaign):
    return StageMoveForm(data)


def _move(source: str, target: str, direction: str) -> Move:
    forward = direction == StageTransition.Direction.FORWARD
    label = CampaignStage(target).label
    name = "close" if target == CampaignStage.CLOSED else "advance" if forward else "go_back"
    return Move(
        source,
        target,
        f"{'进入' if forward else '退回到'}{label}",
        (OFFICE,),
        name=name,
        refusal=OFFICE_ONLY,
        service=f"{_S}campaign_stage_move",
        form=_stage_move_form,
        done=f"已进入{label}。",
    )


class CampaignWorkflow(Workflow):
    """The campaign's refusals of a move its table does not have say what the stage
    machine is: a stage that does not exist, the stage it is in, or a skipped stage."""

    def refuse(self, current: str, to: str) -> ApplicationError:
        if to not in CampaignStage.values:
            return ApplicationError("目标阶段无效。")
        to_label = CampaignStage(to).label
        if to == current:
            return ApplicationError(f"评议活动已处于{to_label}。")
        from_label = CampaignStage(current).label
        return ApplicationError(f"不能从{from_label}直接进入{to_label}，阶段只能依次推进。")


def _closed(campaign: Campaign) -> str:
    if campaign.stage == CampaignStage.CLOSED:
        return f"“{campaign.name}”已结束，评议内容不能再修改。"
    return ""


CAMPAIGN_WORKFLOW = CampaignWorkflow(
    noun="评议活动",
    action="campaign.stage",
    model=Campaign,
    status_field="stage",
    moves=tuple(_move(a, b, d) for (a, b), d in ALLOWED_MOVES.items()),
    actions=(
        Action(
            name="attach_plan",
            label="登记实施方案",
            refusal=OFFICE_ONLY,
            service=f"{_S}campaign_implementation_plan_attach",
            audit=(AuditAction.CAMPAIGN_PLAN,),
        ),
        Action(
            name="edit_content",
            label="修改评议内容",
            guard=_closed,
            refusal=OFFICE_ONLY,
            service=f"{_S}content_item_update",
            audit=(
                AuditAction.CONTENT_ITEM_CREATE,
                AuditAction.CONTENT_ITEM_UPDATE,
                AuditAction.CONTENT_ITEM_DELETE,
            ),
        ),
    ),
    labels=dict(CampaignStage.choices),
    # The campaign's settings (name, deadlines, limits, stage dates …): the office, always.
    edit_name="edit_campaign",
    edit_states=tuple(STAGE_ORDER),
    editors=(OFFICE,),
    edit_refusal=OFFICE_ONLY,
    flags={"closed": (CampaignStage.CLOSED,)},
)


def stage_dates_refusal(campaign: Campaign, stage: Stage) -> str:
    """A stage the campaign has moved past is history: its dates are what was planned then,
    and briefings and reminders were written from them. Moving back reopens it."""
    if STAGE_ORDER.index(campaign.stage) > STAGE_ORDER.index(stage.kind):
        return f"“{campaign.name}”的{stage.get_kind_display()}已结束，不能再修改其计划日期。"
    return ""


def campaign_next_stage(campaign: Campaign) -> str | None:
    index = STAGE_ORDER.index(campaign.stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def campaign_stage_moves(campaign: Campaign, user) -> dict:
    """The stage moves `user` may offer on the campaign's page: `forward` (the one move on,
    to the next stage or closing) and `back` (every earlier stage), as table rows."""
    moves = CAMPAIGN_WORKFLOW.moves_for(campaign, user)
    forward = [m for m in moves if m.name in ("advance", "close")]
    back = sorted(
        (m for m in moves if m.name == "go_back"), key=lambda m: STAGE_ORDER.index(m.target)
    )
    return {"forward": forward[0] if forward else None, "back": back}
