"""Review opinions (评议意见) and rectification (整改): plans, reports, assessments, escalation.

Deadlines are counted from the day the opinions are delivered, in calendar months (or
days) set per campaign; statuses such as overdue are derived from dates when read.
"""

from .follow_up import (
    DEFAULT_STEPS,
    SUGGESTED_STEPS,
    DeadlineExtension,
    Escalation,
    EscalationKind,
    RectificationKind,
    RectificationVersion,
    RectificationVersionFile,
    ReportingStep,
    StepRecipient,
    VersionStatus,
)
from .opinions import OpinionProblem, OpinionStatus, ProblemSource, ReviewOpinion
from .plans import PlanRow, PlanStatus, RectificationPlan
from .reports import (
    RectificationCheck,
    RectificationReport,
    RectificationReportStatus,
    ReportRow,
    RowStatus,
)

__all__ = [
    "DEFAULT_STEPS",
    "SUGGESTED_STEPS",
    "DeadlineExtension",
    "Escalation",
    "EscalationKind",
    "OpinionProblem",
    "OpinionStatus",
    "PlanRow",
    "PlanStatus",
    "ProblemSource",
    "RectificationCheck",
    "RectificationKind",
    "RectificationPlan",
    "RectificationReport",
    "RectificationVersion",
    "RectificationVersionFile",
    "ReportRow",
    "RectificationReportStatus",
    "ReportingStep",
    "RowStatus",
    "StepRecipient",
    "VersionStatus",
    "ReviewOpinion",
]
