from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:pk>/subjects/", views.subjects_setup, name="subjects_setup"),
    path(
        "campaigns/<int:pk>/subjects/preview/",
        views.subjects_paste_preview,
        name="subjects_paste_preview",
    ),
    path("campaigns/<int:pk>/subjects/paste/", views.subjects_paste, name="subjects_paste"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject_detail"),
    path(
        "subjects/<int:pk>/reports/upload/",
        views.duty_report_upload_view,
        name="duty_report_upload",
    ),
    path("reports/<uuid:pk>/download/", views.duty_report_download, name="duty_report_download"),
    path("reports/<uuid:pk>/move/<str:to>/", views.duty_report_move, name="duty_report_move"),
    path("campaigns/<int:pk>/reports/", views.campaign_duty_reports, name="campaign_duty_reports"),
    path(
        "campaigns/<int:pk>/reports/distribute/",
        views.duty_reports_distribute_view,
        name="duty_reports_distribute",
    ),
    path("campaigns/<int:pk>/reports.zip", views.duty_reports_zip, name="duty_reports_zip"),
    path(
        "campaigns/<int:pk>/reports/remind/",
        views.duty_reports_remind_view,
        name="duty_reports_remind",
    ),
]
