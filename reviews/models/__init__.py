from .campaigns import (
    DEFAULT_RATING_OPTIONS,
    TERM_YEARS,
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
    "TERM_YEARS",
    "WORK_STAGES",
    "Campaign",
    "CampaignStage",
    "ContentItem",
    "Member",
    "Stage",
    "StageTransition",
]
