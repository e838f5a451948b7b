from django.urls import path

from .views import assessment, questionnaires, respond

urlpatterns = [
    path("campaigns/<int:pk>/groups/assign/", assessment.group_assign, name="group_assign"),
    path(
        "campaigns/<int:pk>/investigation-reports/",
        assessment.investigation_report_list,
        name="investigation_report_list",
    ),
    path("groups/", assessment.group_list, name="group_list"),
    path("groups/<int:pk>/", assessment.group_detail, name="group_detail"),
    path(
        "groups/<int:pk>/subjects/<int:subject_pk>/", assessment.group_subject, name="group_subject"
    ),
    path("activities/<int:pk>/", assessment.activity_detail, name="activity_detail"),
    # The workspace's POSTs act on the subject (pk); the group in the path must be its own.
    path(
        "groups/<int:group_pk>/subjects/<int:pk>/findings/",
        assessment.finding_add_view,
        name="finding_add",
    ),
    path(
        "groups/<int:group_pk>/subjects/<int:pk>/investigation-report/",
        assessment.investigation_report_save_view,
        name="investigation_report_save",
    ),
    path("attachments/<uuid:pk>/", assessment.attachment_download, name="attachment_download"),
    path("findings/<uuid:pk>/delete/", assessment.finding_remove, name="finding_remove"),
    path(
        "investigation-reports/<int:pk>/",
        assessment.investigation_report_detail,
        name="investigation_report_detail",
    ),
    # Submitted from the group's workspace, and back there; reverse() by the next one's name.
    path(
        "investigation-reports/<int:pk>/move/submitted/",
        assessment.investigation_report_submit_view,
        {"to": "submitted"},
    ),
    path(
        "investigation-reports/<int:pk>/move/<str:to>/",
        assessment.investigation_report_move,
        name="investigation_report_move",
    ),
    path(
        "campaigns/<int:pk>/questionnaires/",
        questionnaires.questionnaire_list,
        name="questionnaire_list",
    ),
    path(
        "questionnaires/<int:pk>/", questionnaires.questionnaire_detail, name="questionnaire_detail"
    ),
    path(
        "questionnaires/<int:pk>/codes/",
        questionnaires.questionnaire_codes_print,
        name="questionnaire_codes_print",
    ),
    path(
        "questionnaires/<int:pk>/move/<str:to>/",
        questionnaires.questionnaire_move,
        name="questionnaire_move",
    ),
    path(
        "questionnaires/<int:pk>/codes/deputies/",
        questionnaires.questionnaire_codes_deputies,
        name="questionnaire_codes_deputies",
    ),
    path(
        "questionnaires/<int:pk>/codes/sheets/",
        questionnaires.questionnaire_codes_sheets,
        name="questionnaire_codes_sheets",
    ),
    path(
        "questionnaires/<int:pk>/results/",
        questionnaires.questionnaire_results,
        name="questionnaire_results",
    ),
    path(
        "questionnaires/<int:pk>/results.xlsx",
        questionnaires.questionnaire_results_xlsx,
        name="questionnaire_results_xlsx",
    ),
    path(
        "questionnaire-answers/<uuid:pk>/finding/",
        questionnaires.answer_to_finding,
        name="answer_to_finding",
    ),
    path("q/<str:token>/", respond.questionnaire_respond, name="questionnaire_respond"),
    path("q/<str:token>/done/", respond.questionnaire_done, name="questionnaire_done"),
]
