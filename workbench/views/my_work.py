"""Each role's landing page: what this person must do next, across every stage."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from ballots.selectors import ballots_open_for
from core.roles import Role, user_roles
from reviews.models import CampaignStage
from reviews.selectors import campaign_stage_rows
from subjects.selectors import (
    subject_deadlines,
    subject_report_state,
    subjects_of_user,
    subjects_visible_to,
)
from surveys.selectors import groups_of_user

from ..selectors import campaign_office_todos, campaigns_open


def home(request):
    return redirect("my_work" if request.user.is_authenticated else "login")


@login_required
def my_work(request):
    """Each role's landing page: what this person must do next."""
    roles = user_roles(request.user)
    context: dict = {"roles": roles}
    if roles & {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER}:
        campaigns = list(campaigns_open())
        context["campaigns"] = [
            {
                "campaign": c,
                "stages": campaign_stage_rows(c),
                "todos": campaign_office_todos(c) if Role.OFFICE in roles else [],
            }
            for c in campaigns
        ]
    if Role.SUBJECT in roles:
        own = subjects_of_user(request.user).prefetch_related("campaign__stages", "report_versions")
        today = timezone.localdate()
        context["own_subjects"] = []
        for subject in own:
            versions = sorted(subject.report_versions.all(), key=lambda v: -v.number)
            reports = subject_report_state(
                subject, versions, subject.campaign.report_final_due, today
            )
            context["own_subjects"].append(
                {
                    "subject": subject,
                    "reports": reports,
                    "deadlines": subject_deadlines(reports, today),
                }
            )
    context["open_ballots"] = list(ballots_open_for(request.user))
    context["my_groups"] = list(
        groups_of_user(request.user)
        .select_related("campaign")
        .exclude(campaign__stage=CampaignStage.CLOSED)
    )
    if Role.LIAISON in roles:
        context["liaison_subjects"] = list(
            subjects_visible_to(request.user)
            .filter(liaison_committee__users=request.user)
            .order_by("campaign__name", "position")
        )
    return render(request, "workbench/my_work.html", context)
