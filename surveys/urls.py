from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/<int:pk>/surveys/", views.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/codes/", views.survey_codes_print, name="survey_codes_print"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", views.survey_results_xlsx, name="survey_results_xlsx"),
    path("survey-answers/<uuid:pk>/finding/", views.answer_to_finding, name="answer_to_finding"),
    path("q/<str:token>/", views.survey_respond, name="survey_respond"),
    path("q/<str:token>/done/", views.survey_done, name="survey_done"),
]
