"""Review opinions (评议意见) and rectification (整改): plans, reports, assessments, escalation.

Deadlines are counted from the day the opinions are delivered, in calendar months (or
days) set per campaign; statuses such as overdue are derived from dates when read.
"""

from .follow_up import (
    DeadlineExtension,
    Escalation,
    EscalationKind,
    RectificationKind,
    RectificationVersion,
    RectificationVersionFile,
    ReportingStep,
    StepKind,
    VersionStatus,
)
from .opinions import OPINION_WORKFLOW, OpinionProblem, OpinionStatus, ProblemSource, ReviewOpinion
from .plans import PLAN_WORKFLOW, PlanRow, PlanStatus, RectificationPlan
from .reports import REPORT_WORKFLOW, RectificationReport, ReportRow, ReportStatus, RowStatus

__all__ = [
    "OPINION_WORKFLOW",
    "PLAN_WORKFLOW",
    "REPORT_WORKFLOW",
    "DeadlineExtension",
    "Escalation",
    "EscalationKind",
    "OpinionProblem",
    "OpinionStatus",
    "PlanRow",
    "PlanStatus",
    "ProblemSource",
    "RectificationKind",
    "RectificationPlan",
    "RectificationReport",
    "RectificationVersion",
    "RectificationVersionFile",
    "ReportRow",
    "ReportStatus",
    "ReportingStep",
    "RowStatus",
    "StepKind",
    "VersionStatus",
    "ReviewOpinion",
]
