from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/stage/", views.campaign_stage, name="campaign_stage"),
    path(
        "campaigns/<int:pk>/implementation-plan/",
        views.implementation_plan_download,
        name="implementation_plan_download",
    ),
]
