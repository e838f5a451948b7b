from django.urls import path

from .views import ballots, meetings, publishing, results, tellers, tools, voting

urlpatterns = [
    path("campaigns/<int:pk>/ballots/", ballots.ballot_list, name="ballot_list"),
    path(
        "campaigns/<int:pk>/ballots/preview/",
        ballots.ballot_rule_preview,
        name="ballot_rule_preview",
    ),
    path("ballots/<int:pk>/", ballots.ballot_detail, name="ballot_detail"),
    path("ballots/<int:pk>/move/<str:to>/", ballots.ballot_move, name="ballot_move"),
    path("ballots/<int:pk>/open/", publishing.ballot_open_confirm, name="ballot_open"),
    path(
        "ballots/<int:pk>/publish/preview/",
        publishing.ballot_publish_preview_view,
        name="ballot_publish_preview",
    ),
    path("ballots/<int:pk>/publish/", publishing.ballot_publish_confirm, name="ballot_publish"),
    path("ballots/<int:pk>/tellers/", ballots.ballot_tellers_view, name="ballot_tellers"),
    path("ballots/<int:pk>/remind/", ballots.ballot_remind_view, name="ballot_remind"),
    path("ballots/<int:pk>/round/", ballots.ballot_round_view, name="ballot_round"),
    path("ballots/<int:pk>/discard/", ballots.ballot_discard_view, name="ballot_discard"),
    path("ballots/<int:pk>/paper/", ballots.ballot_paper_view, name="ballot_paper"),
    path("ballots/<int:pk>/teller/", tellers.ballot_teller, name="ballot_teller"),
    path("ballots/<int:pk>/teller/publish/", tellers.teller_publish_view, name="teller_publish"),
    path("ballots/<int:pk>/teller/shares/", tellers.teller_shares_view, name="teller_shares"),
    path("ballots/<int:pk>/teller/decrypt/", tellers.teller_decrypt_view, name="teller_decrypt"),
    path("ballots/<int:pk>/vote/", voting.ballot_vote, name="ballot_vote"),
    path("vote/", voting.ballot_vote_code, name="ballot_vote_code"),
    path("ballots/<int:pk>/codes/", ballots.ballot_codes_view, name="ballot_codes"),
    path("ballots/<int:pk>/screen/", results.ballot_screen, name="ballot_screen"),
    path("ballots/<int:pk>/screen.json", results.ballot_screen_data, name="ballot_screen_data"),
    path("ballots/<int:pk>/results/", results.ballot_result_page, name="ballot_results"),
    path("ballots/<int:pk>/results.xlsx", results.ballot_result_xlsx, name="ballot_results_xlsx"),
    path("ballots/<int:pk>/record/", results.ballot_record_page, name="ballot_record"),
    path("ballots/<int:pk>/record.json", results.ballot_record_json, name="ballot_record_json"),
    path("ballots/<int:pk>/simulate/", tools.ballot_simulate, name="ballot_simulate"),
    path("ballots/<int:pk>/simulate.xlsx", tools.ballot_simulate_xlsx, name="ballot_simulate_xlsx"),
    path("ballots/<int:pk>/receipt/", tools.ballot_receipt_check, name="ballot_receipt"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/inquiries/", meetings.inquiry_submit_view, name="inquiry_submit"),
    path(
        "meetings/<int:pk>/inquiries/<int:inquiry_pk>/answer/",
        meetings.inquiry_answer_view,
        name="inquiry_answer",
    ),
]
