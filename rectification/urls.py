from django.urls import path

from . import views

_S = "subjects/<int:pk>/rectification/"

urlpatterns = [
    path(
        "campaigns/<int:pk>/rectification/",
        views.campaign_rectification,
        name="campaign_rectification",
    ),
    path(
        "campaigns/<int:pk>/rectification/steps/<int:step_pk>/done/",
        views.reporting_step_done_view,
        name="reporting_step_done",
    ),
    path("campaigns/<int:pk>/ledger.xlsx", views.campaign_ledger, name="campaign_ledger"),
    path("liaison/", views.liaison_home, name="liaison_home"),
    path(_S, views.subject_rectification, name="subject_rectification"),
    path(f"{_S}opinion/", views.review_opinion_draft_view, name="review_opinion_draft"),
    path(
        f"{_S}opinion/problems/",
        views.review_opinion_problem_add_view,
        name="review_opinion_problem_add",
    ),
    path(f"{_S}opinion/move/<str:to>/", views.review_opinion_move, name="review_opinion_move"),
    path(f"{_S}plan/", views.rectification_plan_save_view, name="rectification_plan_save"),
    path(f"{_S}plan/move/<str:to>/", views.rectification_plan_move, name="rectification_plan_move"),
    path(f"{_S}report/", views.rectification_report_save_view, name="rectification_report_save"),
    path(
        f"{_S}report/move/<str:to>/",
        views.rectification_report_move,
        name="rectification_report_move",
    ),
    path(
        f"{_S}assessment/",
        views.rectification_assessment_open_view,
        name="rectification_assessment_open",
    ),
    path(
        f"{_S}assessment/conclusion/",
        views.rectification_assessment_conclude_view,
        name="rectification_assessment_conclude",
    ),
    path(
        f"{_S}extensions/",
        views.rectification_deadline_extend_view,
        name="rectification_deadline_extend",
    ),
    path(
        f"{_S}versions/<int:version_pk>/",
        views.rectification_version_detail,
        name="rectification_version_detail",
    ),
    path(
        f"{_S}versions/files/<int:file_pk>/",
        views.rectification_version_file,
        name="rectification_version_file",
    ),
    path(f"{_S}escalations/", views.escalation_record_view, name="escalation_record"),
    path("subjects/<int:pk>/opinion/", views.opinion_print, name="opinion_print"),
    path("subjects/<int:pk>/ledger.xlsx", views.subject_ledger, name="subject_ledger"),
]
