"""The subjects app's pages: the subject's page and the duty report (reports), and the
campaign's subject setup (setup)."""

from .reports import (
    campaign_duty_reports,
    duty_report_download,
    duty_report_move,
    duty_report_upload_view,
    duty_reports_distribute_view,
    duty_reports_remind_view,
    duty_reports_zip,
    subject_detail,
)
from .setup import subjects_paste, subjects_paste_preview, subjects_setup

__all__ = [
    "campaign_duty_reports",
    "duty_report_download",
    "duty_report_move",
    "duty_report_upload_view",
    "duty_reports_distribute_view",
    "duty_reports_remind_view",
    "duty_reports_zip",
    "subject_detail",
    "subjects_paste",
    "subjects_paste_preview",
    "subjects_setup",
]
