from django.urls import path

from .views import audit, briefings, dashboard, my_work, public, term

urlpatterns = [
    path("", my_work.home, name="home"),
    path("my-work/", my_work.my_work, name="my_work"),
    path("office/", dashboard.office_dashboard, name="office_dashboard"),
    path("audit/", audit.audit_log_page, name="audit_log"),
    path("audit/subjects.json", audit.audit_subject_suggestions, name="audit_subject_suggestions"),
    path("campaigns/<int:pk>/", dashboard.campaign_detail, name="campaign_detail"),
    path("term/", term.term_index, name="term_record"),
    path("term/<int:start_year>/", term.term_detail, name="term_detail"),
    path("term/<int:start_year>/person/<str:name>/", term.term_person, name="term_person"),
    path("term/<int:start_year>/unit/<int:unit_pk>/", term.term_unit, name="term_unit"),
    path("public/", public.public_index, name="public_index"),
    path("public/campaigns/<int:pk>/", public.public_campaign, name="public_campaign"),
    path("campaigns/<int:pk>/briefings/", briefings.briefing_list, name="briefing_list"),
    path("briefings/<int:pk>/", briefings.briefing_detail, name="briefing_detail"),
    path(
        "briefings/articles-preview/",
        briefings.briefing_articles_preview,
        name="briefing_articles_preview",
    ),
    path("briefings/<int:pk>/pdf/", briefings.briefing_pdf, name="briefing_pdf"),
    path("briefings/<int:pk>/render/", briefings.briefing_render_view, name="briefing_render"),
    path(
        "briefings/<int:pk>/issue/",
        briefings.briefing_move,
        {"to": "issued"},  # the one move of BRIEFING_WORKFLOW
        name="briefing_issue",
    ),
    path("briefings/<int:pk>/correct/", briefings.briefing_correct_view, name="briefing_correct"),
]
