from .assessment import (
    ActivityAttachment,
    ActivityKind,
    AssessmentGroup,
    Finding,
    FindingKind,
    InvestigationActivity,
    InvestigationReport,
    InvestigationReportStatus,
)
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
    "ActivityAttachment",
    "ActivityKind",
    "AssessmentGroup",
    "Campaign",
    "CampaignStage",
    "ContentItem",
    "Finding",
    "FindingKind",
    "InvestigationActivity",
    "InvestigationReport",
    "InvestigationReportStatus",
    "Member",
    "Stage",
    "StageTransition",
]
