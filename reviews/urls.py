from django.urls import path

from . import views
from .views import assessment, ballot_tools, ballots, briefings, meetings, public

urlpatterns = [
    path("office/", views.office_dashboard, name="office_dashboard"),
    path("public/", public.public_index, name="public_index"),
    path("public/campaigns/<int:pk>/", public.public_campaign, name="public_campaign"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/stage/", views.campaign_stage, name="campaign_stage"),
    path("campaigns/<int:pk>/plan/", views.campaign_plan_download, name="campaign_plan_download"),
    path("campaigns/<int:pk>/groups/assign/", assessment.group_assign, name="group_assign"),
    path(
        "campaigns/<int:pk>/investigation-reports/",
        assessment.investigation_report_list,
        name="investigation_report_list",
    ),
    path("campaigns/<int:pk>/ballots/", ballots.ballot_list, name="ballot_list"),
    path(
        "campaigns/<int:pk>/ballots/preview/",
        ballots.ballot_rule_preview,
        name="ballot_rule_preview",
    ),
    path("ballots/<int:pk>/", ballots.ballot_detail, name="ballot_detail"),
    path("ballots/<int:pk>/vote/", ballots.ballot_vote, name="ballot_vote"),
    path("ballots/<int:pk>/screen/", ballots.ballot_screen, name="ballot_screen"),
    path("ballots/<int:pk>/screen.json", ballots.ballot_screen_data, name="ballot_screen_data"),
    path("ballots/<int:pk>/results/", ballots.ballot_result_page, name="ballot_results"),
    path("ballots/<int:pk>/simulate/", ballot_tools.ballot_simulate, name="ballot_simulate"),
    path(
        "ballots/<int:pk>/simulate.xlsx",
        ballot_tools.ballot_simulate_xlsx,
        name="ballot_simulate_xlsx",
    ),
    path("ballots/<int:pk>/receipt/", ballot_tools.ballot_receipt_check, name="ballot_receipt"),
    path("ballots/<int:pk>/results.xlsx", ballots.ballot_result_xlsx, name="ballot_results_xlsx"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("campaigns/<int:pk>/briefings/", briefings.briefing_list, name="briefing_list"),
    path("briefings/<int:pk>/", briefings.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/pdf/", briefings.briefing_pdf, name="briefing_pdf"),
    path("groups/", assessment.group_list, name="group_list"),
    path("groups/<int:pk>/", assessment.group_detail, name="group_detail"),
    path(
        "groups/<int:pk>/subjects/<int:subject_pk>/", assessment.group_subject, name="group_subject"
    ),
    path("activities/<int:pk>/", assessment.activity_detail, name="activity_detail"),
    path("attachments/<uuid:pk>/", assessment.attachment_download, name="attachment_download"),
    path("findings/<uuid:pk>/delete/", assessment.finding_remove, name="finding_remove"),
    path(
        "investigation-reports/<int:pk>/",
        assessment.investigation_report_detail,
        name="investigation_report_detail",
    ),
]
