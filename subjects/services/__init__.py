"""Everything that writes review subjects, their duty reports, units and liaison committees."""

from .reports import (
    campaign_report_deadlines_set,
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    duty_reports_distribute,
    duty_reports_remind,
    report_deadlines_suggested,
)
from .subjects import (
    SUBJECT_EDITABLE,
    require_preparation,
    subject_account_set,
    subject_create,
    subject_delete,
    subject_update,
)
from .units import (
    UNIT_EDITABLE,
    liaison_committee_create,
    liaison_committee_delete,
    liaison_committee_set_users,
    liaison_committee_update,
    unit_create,
    unit_delete,
    unit_update,
)

__all__ = [
    "SUBJECT_EDITABLE",
    "UNIT_EDITABLE",
    "campaign_report_deadlines_set",
    "duty_report_accept",
    "duty_report_return",
    "duty_report_upload",
    "duty_reports_distribute",
    "duty_reports_remind",
    "liaison_committee_create",
    "liaison_committee_delete",
    "liaison_committee_set_users",
    "liaison_committee_update",
    "report_deadlines_suggested",
    "require_preparation",
    "subject_account_set",
    "subject_create",
    "subject_delete",
    "subject_update",
    "unit_create",
    "unit_delete",
    "unit_update",
]
