from django.urls import path

from . import views

urlpatterns = [
    path("office/", views.office_dashboard, name="office_dashboard"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/stage/", views.campaign_stage, name="campaign_stage"),
    path("campaigns/<int:pk>/plan/", views.campaign_plan_download, name="campaign_plan_download"),
]
