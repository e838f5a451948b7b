"""Everything that writes campaigns, their stages, their plan (stage dates, content items)
and committee members."""

from ..workflows import STAGE_ORDER, campaign_next_stage
from .campaigns import (
    CAMPAIGN_EDITABLE,
    DEFAULT_CONTENT_ITEMS,
    campaign_create,
    campaign_implementation_plan_attach,
    campaign_update,
)
from .members import MEMBER_EDITABLE, member_create, member_update
from .plan import (
    CONTENT_ITEM_EDITABLE,
    STAGE_EDITABLE,
    campaign_edit,
    content_item_create,
    content_item_delete,
    content_item_update,
    stage_update,
)
from .stages import campaign_stage_move

__all__ = [
    "CAMPAIGN_EDITABLE",
    "CONTENT_ITEM_EDITABLE",
    "DEFAULT_CONTENT_ITEMS",
    "MEMBER_EDITABLE",
    "STAGE_EDITABLE",
    # Read by the pages and the admin of apps above (workbench), as before the split.
    "STAGE_ORDER",
    "campaign_next_stage",
    "campaign_create",
    "campaign_edit",
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
