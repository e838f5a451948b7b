"""Everything that writes the preliminary assessment: groups, investigation activities,
findings, investigation reports and opinion questionnaires."""

from .assessment import (
    ATTACHMENT_KINDS,
    MAX_ATTACHMENTS,
    activity_attach,
    activity_record,
    finding_add,
    finding_delete,
    group_create,
    group_update,
    subjects_assign,
)
from .deputies import DEPUTY_EDITABLE, deputy_create, deputy_delete, deputy_update
from .investigation_reports import (
    investigation_report_mark_heard,
    investigation_report_prefill,
    investigation_report_return,
    investigation_report_save,
    investigation_report_submit,
)
from .questionnaires import (
    DEFAULT_TEXT_QUESTIONS,
    MAX_SHEETS,
    codes_issue_sheets,
    codes_issue_to_deputies,
    questionnaire_close,
    questionnaire_create,
    questionnaire_open,
)
from .responses import TEXT_MAX_CHARS, CodeRefused, device_hash, response_submit, responses_flush

__all__ = [
    "ATTACHMENT_KINDS",
    "DEFAULT_TEXT_QUESTIONS",
    "DEPUTY_EDITABLE",
    "MAX_ATTACHMENTS",
    "MAX_SHEETS",
    "TEXT_MAX_CHARS",
    "CodeRefused",
    "activity_attach",
    "activity_record",
    "codes_issue_sheets",
    "codes_issue_to_deputies",
    "deputy_create",
    "deputy_delete",
    "deputy_update",
    "device_hash",
    "finding_add",
    "finding_delete",
    "group_create",
    "group_update",
    "questionnaire_close",
    "questionnaire_create",
    "questionnaire_open",
    "investigation_report_mark_heard",
    "investigation_report_prefill",
    "investigation_report_return",
    "investigation_report_save",
    "investigation_report_submit",
    "response_submit",
    "responses_flush",
    "subjects_assign",
]
