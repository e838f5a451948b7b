"""Everything that writes review opinions and rectification.

Plans move draft/returned → submitted → approved | returned; reports draft → submitted →
satisfied | continued (a new round). Which moves and actions exist, who may make them
(the one access rule, `rectification_acts_for`), their guards and when each entity is
editable are the tables in rectification.workflows; services ask them and move a status
only by core.workflow.transition().
"""

from .conclusion import rectification_check_record, rectification_meeting_decide
from .deadlines import rectification_deadline_extend
from .follow_up import (
    escalation_record,
    reporting_step_add,
    reporting_step_delete,
    reporting_step_done,
    reporting_step_update,
    reporting_steps_follow,
)
from .opinions import (
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from .plans import (
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
)
from .reports import (
    rectification_assessment_conclude,
    rectification_assessment_open,
    rectification_report_return,
    rectification_report_save,
    rectification_report_submit,
)

__all__ = [
    "escalation_record",
    "rectification_assessment_conclude",
    "rectification_deadline_extend",
    "rectification_assessment_open",
    "rectification_check_record",
    "rectification_meeting_decide",
    "rectification_plan_approve",
    "rectification_plan_return",
    "rectification_plan_save",
    "rectification_plan_submit",
    "rectification_report_return",
    "rectification_report_save",
    "rectification_report_submit",
    "reporting_step_add",
    "reporting_step_delete",
    "reporting_step_done",
    "reporting_step_update",
    "reporting_steps_follow",
    "review_opinion_approve",
    "review_opinion_deliver",
    "review_opinion_draft",
    "review_opinion_problem_add",
]
