from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit_view, name="campaign_edit"),
    path("members/", views.members_setup, name="members_setup"),
    path("members/preview/", views.members_paste_preview, name="members_paste_preview"),
    path("members/paste/", views.members_paste, name="members_paste"),
    path("members/upload/", views.members_upload_preview, name="members_upload_preview"),
    path("members/template.xlsx", views.members_template, name="members_template"),
    path("campaigns/<int:pk>/stage/", views.campaign_stage, name="campaign_stage"),
    path(
        "campaigns/<int:pk>/implementation-plan/",
        views.implementation_plan_download,
        name="implementation_plan_download",
    ),
    path(
        "campaigns/<int:pk>/implementation-plan/attach/",
        views.implementation_plan_attach,
        name="implementation_plan_attach",
    ),
]
