"""Every role's main pages at county size (the demo) and at city size: p50, p95 and queries.

Run: .venv/bin/python benchmarks/pages.py [requests]   (default 10 requests a page)
Uses DATABASE_URL when set. In a throw-away test database it loads the demo (`load_demo`:
the county campaign in rectification, a second batch in the preliminary assessment),
fetches each demo login's main pages `requests` times through Django's test client (in
process: no network, no static files) and prints each page's p50 and p95 in milliseconds
and its queries. Then it grows the world to city size — 50 campaigns across every stage,
100 subjects each (5,000, the county campaign's own pages included), 500 members — with
bulk inserts of rows the services would write the same way (campaigns themselves through
campaign_create and stage moves), and measures again. Goal at city size: every page ≤ 300 ms
p50 and ≤ 60 queries. The machine's load average is printed with the figures.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
CAMPAIGNS, SUBJECTS_EACH, MEMBERS = 50, 100, 500


def _pages(county) -> dict[str, list[str]]:
    c = county.pk
    return {
        "office": [
            "/my-work/",
            "/office/",
            f"/campaigns/{c}/",
            f"/campaigns/{c}/rectification/",
            f"/campaigns/{c}/reports/",
            f"/campaigns/{c}/ballots/",
            f"/public/campaigns/{c}/",
            "/admin/surveys/finding/",
            "/admin/subjects/subject/",
            "/audit/",
            "/members/",
        ],
        "leader": ["/my-work/", "/office/", f"/campaigns/{c}/"],
        "director": ["/my-work/", f"/campaigns/{c}/rectification/"],
        "member": ["/my-work/", "/groups/"],
        "subject": ["/my-work/"],
        "liaison": ["/my-work/", "/liaison/"],
    }


def _measure(pages: dict[str, list[str]], requests: int) -> list[tuple]:
    from django.contrib.auth import get_user_model

    rows = []
    for login, urls in pages.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=login))
        for url in urls:
            times, queries, status = [], 0, None
            for _ in range(requests):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                queries, status = len(captured.captured_queries), response.status_code
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            rows.append((login, url, status, statistics.median(times), p95, queries))
    return rows


def _grow(county) -> None:
    """City size: campaigns through the services, subjects and members in bulk."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from core.roles import GROUP_NAMES, Role
    from reviews.models import Campaign, CampaignStage, Member
    from subjects.models import LiaisonCommittee, Subject, Unit
    from tests.factories import CampaignFactory

    User = get_user_model()
    office = User.objects.get(username="office")
    stages = [
        CampaignStage.PREPARATION,
        CampaignStage.PRELIMINARY,
        CampaignStage.REVIEW,
        CampaignStage.RECTIFICATION,
        CampaignStage.CLOSED,
    ]
    for n in range(Campaign.objects.count(), CAMPAIGNS):
        CampaignFactory(actor=office, name=f"城市规模评议活动{n:02d}", stage=stages[n % 5])
    units = list(Unit.objects.all()) + Unit.objects.bulk_create(
        [Unit(name=f"市第{n}局") for n in range(60)]
    )
    committees = list(LiaisonCommittee.objects.all())
    password = make_password(None)
    subject_group = Group.objects.get(name=GROUP_NAMES[Role.SUBJECT])
    for campaign in Campaign.objects.order_by("pk"):
        have = campaign.subjects.count()
        users = User.objects.bulk_create(
            [
                User(username=f"c{campaign.pk}s{n}", first_name=f"对象{n}", password=password)
                for n in range(have, SUBJECTS_EACH)
            ]
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user=u, group=subject_group) for u in users]
        )
        Subject.objects.bulk_create(
            Subject(
                campaign=campaign,
                person_name=f"城{campaign.pk}对象{n}",
                post="局长",
                unit=units[n % len(units)],
                appointed_on=datetime.date(2020, 3, 1),
                review_form="on_site" if n % 2 else "written",
                liaison_committee=committees[n % len(committees)],
                user=user,
                position=100 + n,
            )
            for n, user in enumerate(users, start=have)
        )
    member_group = Group.objects.get(name=GROUP_NAMES[Role.MEMBER])
    have = Member.objects.count()
    users = User.objects.bulk_create(
        [User(username=f"cm{n}", password=password) for n in range(have, MEMBERS)]
    )
    User.groups.through.objects.bulk_create(
        [User.groups.through(user=u, group=member_group) for u in users]
    )
    Member.objects.bulk_create(
        Member(user=u, name=f"委员{n}", title="常委会委员", position=n)
        for n, u in enumerate(users, start=have)
    )


def _print(title: str, rows: list[tuple]) -> None:
    print(f"\n{title} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"{'login':<9} {'page':<40} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for login, url, status, p50, p95, queries in rows:
        flag = "" if p50 <= 300 and queries <= 60 else "  ← over the goal"
        print(f"{login:<9} {url:<40} {status:>6} {p50:>8.0f} {p95:>8.0f} {queries:>8}{flag}")


def main() -> None:
    import time_machine

    from reviews.models import Campaign
    from subjects.models import Subject
    from workbench.demo import demo_load

    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with time_machine.travel(NOW, tick=False):
            start = time.perf_counter()
            county, _ = demo_load(today=TODAY)
            print(f"demo loaded in {time.perf_counter() - start:.0f} s")
            pages = _pages(county)
            _print("county (the demo)", _measure(pages, requests))
            start = time.perf_counter()
            _grow(county)
            print(
                f"\ngrown to {Campaign.objects.count()} campaigns, {Subject.objects.count()} "
                f"subjects in {time.perf_counter() - start:.0f} s"
            )
            _print("city size", _measure(pages, requests))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
