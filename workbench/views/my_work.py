"""Each role's landing page: what this person must do next, across every stage."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from core.roles import CAMPAIGN_READERS, Role, user_roles
from reviews.models import CampaignStage
from subjects.selectors import subjects_of_user, subjects_visible_to
from surveys.selectors import groups_of_user

from ..selectors import (
    Todo,
    campaign_cards,
    campaigns_office_todos,
    campaigns_open,
    offices_work,
    stage_labels,
)
from ..services.visits import work_visit_record
from ..term_record import term_readable
from ..work import WorkItem
from ..work_members import person_work, results_since


def office_items(campaigns: list, todos: dict[int, list[Todo]], today) -> list[WorkItem]:
    """待我办理 for the office: the current stage's to-dos of every open campaign that
    link to a page where they are done."""
    labels = stage_labels()
    return [
        WorkItem(
            title=todo.text,
            about=f"{campaign.name} · {labels[campaign.stage]}",
            url=todo.url,
            today=today,
            due=todo.due,
        )
        for campaign in campaigns
        for todo in todos[campaign.pk]
        if (todo.stage or campaign.stage) == campaign.stage and todo.url
    ]


def home(request):
    return redirect("my_work" if request.user.is_authenticated else "login")


LIAISON_SHOWN = 40
# The office's 待我办理 shows the most pressing to-dos first and this many of them unless
# ?all=1 asks for all; the campaigns below come a page of CAMPAIGNS_PER_PAGE at a time.
ITEMS_SHOWN = 20
CAMPAIGNS_PER_PAGE = 10


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
    if roles & set(CAMPAIGN_READERS):
        if Role.OFFICE in roles:
            # Every open campaign's to-dos feed 待我办理; only the page's gates are read.
            campaigns = list(campaigns_open())
            todos = campaigns_office_todos(campaigns, today)
            context["items"] += office_items(campaigns, todos, today)
            page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
            shown = list(page.object_list)
            work = offices_work(shown, today, todos=todos)
        else:
            page = Paginator(campaigns_open(), CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
            shown, work = list(page.object_list), {}
        context["campaigns"] = [
            {**card, "work": work.get(card["campaign"].pk, [])}
            for card in campaign_cards(shown, today)
        ]
        context["campaign_page"] = page
    context["item_count"] = len(context["items"])
    if Role.OFFICE in roles:
        context["items"] = sorted(context["items"], key=lambda i: i.sort_key)
        if request.GET.get("all") != "1":
            context["items"] = context["items"][:ITEMS_SHOWN]
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
