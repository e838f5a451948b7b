"""Everything that writes review subjects and their duty reports."""

from .reports import (
    UPLOAD_STAGES,
    campaign_report_deadlines_set,
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    duty_reports_distribute,
    report_deadlines_suggested,
)
from .subjects import (
    SUBJECT_EDITABLE,
    liaison_committee_set_users,
    require_preparation,
    subject_account_set,
    subject_create,
    subject_delete,
    subject_update,
)

__all__ = [
    "SUBJECT_EDITABLE",
    "UPLOAD_STAGES",
    "campaign_report_deadlines_set",
    "duty_report_accept",
    "duty_report_return",
    "duty_report_upload",
    "duty_reports_distribute",
    "liaison_committee_set_users",
    "report_deadlines_suggested",
    "require_preparation",
    "subject_account_set",
    "subject_create",
    "subject_delete",
    "subject_update",
]
