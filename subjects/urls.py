from django.urls import path

from . import views

urlpatterns = [
    path("subjects/<int:pk>/", views.subject_detail, name="subject_detail"),
]
