"""Flat queries: every page and export each role reaches takes as many queries at 10
subjects per campaign, 25 members and 5 campaigns as at 200 subjects, 200 members and 50
campaigns, or at most a documented constant more (BOUND).

Each role walks the links of 我的工作 (and the office the admin's index and changelists),
two steps deep, as tests/workbench/test_my_work_links.py does, up to five URLs of each
kind; the world then grows and the same URLs are fetched again."""

from collections import defaultdict, deque
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from core.roles import Role
from rectification.models import PlanStatus
from reviews.models import CampaignStage
from tests.factories import (
    AssessmentGroupFactory,
    CampaignFactory,
    FindingFactory,
    LiaisonCommitteeFactory,
    MemberFactory,
    RectificationPlanFactory,
    SubjectFactory,
    UnitFactory,
    UserFactory,
    default_office,
)
from tests.workbench.test_my_work_links import links_of

pytestmark = pytest.mark.django_db

SMALL = {"subjects": 10, "members": 25, "campaigns": 5}
LARGE = {"subjects": 200, "members": 200, "campaigns": 50}
STAGES = [
    CampaignStage.PREPARATION,
    CampaignStage.PRELIMINARY,
    CampaignStage.REVIEW,
    CampaignStage.RECTIFICATION,
    CampaignStage.CLOSED,
]
PER_KIND = 5  # URLs of one kind (view name) fetched per role
# Pages allowed a constant number of queries more in the large world, and why.
BOUND: dict[str, int] = {
    # The admin's changelists show 100 rows a page: more rows than 25 cost nothing more
    # once the page is full, but the small world's page holds fewer of the related rows
    # the list_select_related joins do not cover (a paginator count and a facet query).
}


def _subjects(campaign, n: int, *, committee):
    """Subjects of `campaign` up to n, each as far along as its stage takes it."""
    have = campaign.subjects.count()
    made = []
    for i in range(have, n):
        made.append(
            SubjectFactory(
                campaign=campaign,
                unit=UnitFactory(name=f"县第{i % 40}局"),
                liaison_committee=committee,
                user=None if i % 3 == 0 else UserFactory(role=Role.SUBJECT),
            )
        )
    if campaign.stage == CampaignStage.RECTIFICATION:
        for i, s in enumerate(made):
            status = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED)[i % 3]
            if s.user_id is None:
                s.user = UserFactory(role=Role.SUBJECT)
                s.save(update_fields=["user"])
            RectificationPlanFactory(subject=s, status=status)
    if campaign.stage == CampaignStage.PRELIMINARY:
        for s in made[:: max(1, len(made) // 10)]:
            FindingFactory(subject=s)
    return made


def build(size: dict, world: dict | None = None) -> dict:
    """The world at `size`; called again with a larger size it grows the same world."""
    if world is None:
        office = default_office()
        liaison = UserFactory(role=Role.LIAISON, username="q-liaison")
        committee = LiaisonCommitteeFactory(name="财政经济工作委员会", users=[liaison])
        members = [MemberFactory() for _ in range(3)]
        campaigns = [
            CampaignFactory(actor=office, name=f"活动{i}", stage=stage)
            for i, stage in enumerate(STAGES)
        ]
        for c in campaigns[1:4]:
            AssessmentGroupFactory(
                campaign=c, leader=members[0].user, members=[members[1].user], actor=office
            )
        world = {
            "office": office,
            "liaison": liaison,
            "committee": committee,
            "members": members,
            "campaigns": campaigns,
            "leader": UserFactory(role=Role.LEADING_GROUP, username="q-leader"),
            "director": UserFactory(role=Role.DIRECTORS_MEETING, username="q-director"),
        }
    for c in world["campaigns"][:5]:
        _subjects(c, size["subjects"], committee=world["committee"])
    for i in range(len(world["campaigns"]), size["campaigns"]):
        stage = STAGES[i % len(STAGES)]
        c = CampaignFactory(actor=world["office"], name=f"活动{i}", stage=stage)
        _subjects(c, 2, committee=world["committee"])
        world["campaigns"].append(c)
    while len(world["members"]) < size["members"]:
        world["members"].append(MemberFactory())
    rect = world["campaigns"][3]
    world["subject"] = rect.subjects.exclude(user=None).order_by("position").first().user
    return world


def logins(world: dict) -> dict:
    return {
        "office": world["office"],
        "leader": world["leader"],
        "director": world["director"],
        "member": world["members"][2].user,
        "group_leader": world["members"][0].user,
        "subject": world["subject"],
        "liaison": world["liaison"],
    }


def _kind(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def walk(user, starts: list[str]) -> dict[str, int]:
    """URL → queries, for the pages `user` reaches from `starts` in two steps."""
    client = Client()
    client.force_login(user)
    counts: dict[str, int] = {}
    per_kind: dict[str, int] = defaultdict(int)
    queue = deque((url, 0) for url in starts)
    seen = set(starts)
    while queue:
        url, depth = queue.popleft()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            continue
        counts[url] = len(queries)
        if depth == 2 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links_of(url, response.content.decode()):
            kind = _kind(link)
            if link in seen or kind is None or kind in ("logout", "admin:logout"):
                continue
            if link.startswith("/admin/") and not kind.endswith(("changelist", "index")):
                continue
            seen.add(link)
            per_kind[kind] += 1
            if per_kind[kind] <= PER_KIND:
                queue.append((link, depth + 1))
    return counts


def refetch(user, urls) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_every_page_each_role_reaches_takes_as_many_queries_at_city_size():
    world = build(SMALL)
    users = logins(world)
    starts = {"office": ["/my-work/", "/office/", "/admin/"]}
    small = {
        role: walk(user, starts.get(role, ["/my-work/"]) + ["/public/"])
        for role, user in users.items()
    }
    assert sum(len(v) for v in small.values()) > 60, small  # the walk reached the pages
    build(LARGE, world)
    grown = []
    for role, user in users.items():
        large = refetch(user, small[role])
        for url, before in small[role].items():
            allowed = before + BOUND.get(_kind(url), 0)
            if large[url] > allowed:
                grown.append(f"{role} {url}: {before} → {large[url]}")
    assert not grown, "\n".join(grown)
