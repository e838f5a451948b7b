from django.urls import path

from . import views

urlpatterns = [
    path(
        "campaigns/<int:pk>/rectification/",
        views.campaign_rectification,
        name="campaign_rectification",
    ),
    path("campaigns/<int:pk>/ledger.xlsx", views.campaign_ledger, name="campaign_ledger"),
    path("liaison/", views.liaison_home, name="liaison_home"),
    path(
        "subjects/<int:pk>/rectification/",
        views.subject_rectification,
        name="subject_rectification",
    ),
    path("subjects/<int:pk>/opinion/", views.opinion_print, name="opinion_print"),
    path("subjects/<int:pk>/ledger.xlsx", views.subject_ledger, name="subject_ledger"),
]
