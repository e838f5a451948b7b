"""Everything that writes campaigns, their plan (stage dates, content items) and committee members."""

from .campaigns import (
    ALLOWED_MOVES,
    CAMPAIGN_EDITABLE,
    DEFAULT_CONTENT_ITEMS,
    MEMBER_EDITABLE,
    STAGE_ORDER,
    campaign_create,
    campaign_implementation_plan_attach,
    campaign_next_stage,
    campaign_stage_move,
    campaign_update,
    member_create,
    member_update,
)
from .plan import (
    CONTENT_ITEM_EDITABLE,
    STAGE_EDITABLE,
    campaign_edit,
    content_item_create,
    content_item_delete,
    content_item_update,
    stage_update,
)

__all__ = [
    "campaign_edit",
    "ALLOWED_MOVES",
    "CAMPAIGN_EDITABLE",
    "CONTENT_ITEM_EDITABLE",
    "DEFAULT_CONTENT_ITEMS",
    "MEMBER_EDITABLE",
    "STAGE_EDITABLE",
    "STAGE_ORDER",
    "campaign_create",
    "campaign_next_stage",
    "campaign_implementation_plan_attach",
    "campaign_stage_move",
    "campaign_update",
    "content_item_create",
    "content_item_delete",
    "content_item_update",
    "member_create",
    "member_update",
    "stage_update",
]
