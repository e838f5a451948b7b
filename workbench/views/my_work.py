"""Each role's landing page: what this person must do next, across every stage."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from core.roles import Role, user_roles
from reviews.models import CampaignStage
from reviews.selectors import campaign_stage_rows
from subjects.selectors import subjects_of_user, subjects_visible_to
from surveys.selectors import groups_of_user

from ..selectors import campaigns_open, offices_work
from ..services.visits import work_visit_record
from ..term_record import term_readable
from ..work import WorkItem
from ..work_members import person_work, results_since


def office_items(rows: list[dict], today) -> list[WorkItem]:
    """待我办理 for the office: the current stage's to-dos of every open campaign that
    link to a page where they are done."""
    return [
        WorkItem(
            title=todo.text,
            about=f"{row['campaign'].name} · {group.label}",
            url=todo.url,
            today=today,
            due=todo.due,
        )
        for row in rows
        for group in row["work"]
        if group.current
        for todo in group.todos
        if todo.url
    ]


def home(request):
    return redirect("my_work" if request.user.is_authenticated else "login")


LIAISON_SHOWN = 40


@login_required
def my_work(request):
    """Each role's landing page: what this person owes or must decide next, each item with
    its due date and a link to the page where it is done."""
    user = request.user
    roles = user_roles(user)
    today = timezone.localdate()
    since = work_visit_record(user=user, now=timezone.now())
    context: dict = {
        "roles": roles,
        "items": person_work(user, today),
        "news": results_since(user, since, today),
        "since": since,
        "term_reader": term_readable(user),
    }
    if roles & {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER}:
        campaigns = list(campaigns_open())
        work = offices_work(campaigns, today) if Role.OFFICE in roles else {}
        context["campaigns"] = [
            {
                "campaign": c,
                "stages": campaign_stage_rows(c, today),
                "work": work.get(c.pk, []),
            }
            for c in campaigns
        ]
    if Role.OFFICE in roles:
        context["items"] = sorted(
            context["items"] + office_items(context["campaigns"], today), key=lambda i: i.sort_key
        )
    if Role.SUBJECT in roles:
        context["own_subjects"] = list(
            subjects_of_user(user).exclude(campaign__stage=CampaignStage.CLOSED)
        )
    context["my_groups"] = list(
        groups_of_user(user)
        .select_related("campaign")
        .exclude(campaign__stage=CampaignStage.CLOSED)
    )
    if Role.LIAISON in roles:
        liaison_subjects = (
            subjects_visible_to(user)
            .filter(liaison_committee__users=user)
            .exclude(campaign__stage=CampaignStage.CLOSED)
            .order_by("campaign__name", "position")
        )
        # The first few as links; all of them are on the liaison page, a page at a time.
        context["liaison_subjects"] = list(liaison_subjects[:LIAISON_SHOWN])
        context["liaison_subject_count"] = liaison_subjects.count()
    return render(request, "workbench/my_work.html", context)
