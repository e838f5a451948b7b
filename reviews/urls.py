from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:pk>/stage/", views.campaign_stage, name="campaign_stage"),
    path("campaigns/<int:pk>/plan/", views.campaign_plan_download, name="campaign_plan_download"),
]
