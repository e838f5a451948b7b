from .campaigns import (
    DEFAULT_RATING_OPTIONS,
    WORK_STAGES,
    Campaign,
    CampaignStage,
    ContentItem,
    Member,
    Stage,
    StageTransition,
)

__all__ = [
    "DEFAULT_RATING_OPTIONS",
    "WORK_STAGES",
    "Campaign",
    "CampaignStage",
    "ContentItem",
    "Member",
    "Stage",
    "StageTransition",
]
