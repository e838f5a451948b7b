"""Everything that writes campaigns and committee members."""

from .campaigns import (
    ALLOWED_MOVES,
    CAMPAIGN_EDITABLE,
    DEFAULT_CONTENT_ITEMS,
    MEMBER_EDITABLE,
    STAGE_ORDER,
    campaign_create,
    campaign_next_stage,
    campaign_plan_attach,
    campaign_stage_move,
    campaign_update,
    member_create,
    member_update,
)

__all__ = [
    "ALLOWED_MOVES",
    "CAMPAIGN_EDITABLE",
    "DEFAULT_CONTENT_ITEMS",
    "MEMBER_EDITABLE",
    "STAGE_ORDER",
    "campaign_create",
    "campaign_next_stage",
    "campaign_plan_attach",
    "campaign_stage_move",
    "campaign_update",
    "member_create",
    "member_update",
]
