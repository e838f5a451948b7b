from django.urls import path

from .views import actions, pages, settings

_S = "subjects/<int:pk>/rectification/"

urlpatterns = [
    path(
        "campaigns/<int:pk>/rectification/",
        pages.campaign_rectification,
        name="campaign_rectification",
    ),
    path(
        "campaigns/<int:pk>/rectification/steps/<int:step_pk>/done/",
        actions.reporting_step_done_view,
        name="reporting_step_done",
    ),
    path(
        "campaigns/<int:pk>/rectification/settings/",
        settings.campaign_rectification_settings,
        name="campaign_rectification_settings",
    ),
    path(
        "campaigns/<int:pk>/rectification/settings/conclusion/",
        settings.rectification_settings_save,
        name="rectification_settings_save",
    ),
    path(
        "campaigns/<int:pk>/rectification/steps/",
        settings.reporting_step_add_view,
        name="reporting_step_add",
    ),
    path(
        "campaigns/<int:pk>/rectification/steps/<int:step_pk>/",
        settings.reporting_step_update_view,
        name="reporting_step_update",
    ),
    path(
        "campaigns/<int:pk>/rectification/steps/<int:step_pk>/delete/",
        settings.reporting_step_delete_view,
        name="reporting_step_delete",
    ),
    path("campaigns/<int:pk>/ledger.xlsx", pages.campaign_ledger, name="campaign_ledger"),
    path("liaison/", pages.liaison_home, name="liaison_home"),
    path(_S, pages.subject_rectification, name="subject_rectification"),
    path(f"{_S}opinion/", actions.review_opinion_draft_view, name="review_opinion_draft"),
    path(
        f"{_S}opinion/problems/",
        actions.review_opinion_problem_add_view,
        name="review_opinion_problem_add",
    ),
    path(f"{_S}opinion/move/<str:to>/", actions.review_opinion_move, name="review_opinion_move"),
    path(f"{_S}plan/", actions.rectification_plan_save_view, name="rectification_plan_save"),
    path(
        f"{_S}plan/move/<str:to>/", actions.rectification_plan_move, name="rectification_plan_move"
    ),
    path(f"{_S}report/", actions.rectification_report_save_view, name="rectification_report_save"),
    path(
        f"{_S}report/move/<str:to>/",
        actions.rectification_report_move,
        name="rectification_report_move",
    ),
    path(
        f"{_S}assessment/",
        actions.rectification_assessment_open_view,
        name="rectification_assessment_open",
    ),
    path(
        f"{_S}assessment/conclusion/",
        actions.rectification_assessment_conclude_view,
        name="rectification_assessment_conclude",
    ),
    path(
        f"{_S}extensions/",
        actions.rectification_deadline_extend_view,
        name="rectification_deadline_extend",
    ),
    path(
        f"{_S}versions/<int:version_pk>/",
        pages.rectification_version_detail,
        name="rectification_version_detail",
    ),
    path(
        f"{_S}versions/files/<int:file_pk>/",
        pages.rectification_version_file,
        name="rectification_version_file",
    ),
    path(f"{_S}checks/", actions.rectification_check_view, name="rectification_check"),
    path(f"{_S}decision/", actions.rectification_meeting_decide_view, name="rectification_decide"),
    path(
        f"{_S}reports/<int:report_pk>/minutes/",
        pages.rectification_minutes,
        name="rectification_minutes",
    ),
    path(f"{_S}escalations/", actions.escalation_record_view, name="escalation_record"),
    path("subjects/<int:pk>/opinion/", pages.opinion_print, name="opinion_print"),
    path("subjects/<int:pk>/ledger.xlsx", pages.subject_ledger, name="subject_ledger"),
]
