"""Every role's main pages at county size (the demo) and at city size: p50, p95 and queries.

Run: .venv/bin/python benchmarks/pages.py [requests]   (default 10 requests a page)
Uses DATABASE_URL when set; with --here it measures the data already there (after
`manage.py load_demo --scale city`) instead of building a throw-away database. In a throw-away test database it loads the demo (`load_demo`:
the county campaign in rectification, a second batch in the preliminary assessment),
fetches each demo login's main pages `requests` times through Django's test client (in
process: no network, no static files; templates render as in production, without the test
runner's instrumentation that copies the context at every template) and prints each
page's p50 and p95 in milliseconds of wall time, its p50 of this process's CPU time (wall
minus CPU is the database and the other work on the machine) and its queries. Then it grows the world to city size with `load_demo --scale city`'s
loader (workbench/demo_city.py: 50 campaigns across every stage, 100 subjects each —
5,000, the county campaign's own pages included — 500 members, ballots and
rectification), and measures again, adding a city campaign in rectification's pages. Goal at city size: every page ≤ 300 ms
p50 and ≤ 60 queries. The machine's load average is printed with the figures.
"""

import datetime
import logging
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
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,  # noqa: E402
)

NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


def _pages(county, city=None) -> dict[str, list[str]]:
    c = county.pk
    more = []
    if city is not None:
        more = [
            f"/campaigns/{city.pk}/",
            f"/campaigns/{city.pk}/rectification/",
            f"/campaigns/{city.pk}/ballots/",
            f"/public/campaigns/{city.pk}/",
        ]
    return {
        "office": [
            *more,
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
    """Each page `requests` times as each login, rendered as in production: the test
    environment's template instrumentation (a signal and a context copy per template) is
    off while measuring."""
    from django.contrib.auth import get_user_model

    teardown_test_environment()
    try:
        return _measure_pages(pages, requests, get_user_model())
    finally:
        setup_test_environment()


def _measure_pages(pages: dict[str, list[str]], requests: int, User) -> list[tuple]:

    rows = []
    for login, urls in pages.items():
        client = Client()
        client.force_login(User.objects.get(username=login))
        for url in urls:
            times, cpu, queries, status = [], [], 0, None
            for _ in range(requests):
                with CaptureQueriesContext(connection) as captured:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
                queries, status = len(captured.captured_queries), response.status_code
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            p50 = statistics.median(times)
            rows.append((login, url, status, p50, p95, statistics.median(cpu), queries))
    return rows


def _print(title: str, rows: list[tuple]) -> None:
    print(f"\n{title} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(
        f"{'login':<9} {'page':<40} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8} "
        f"{'queries':>8}"
    )
    for login, url, status, p50, p95, cpu, queries in rows:
        flag = "" if p50 <= 300 and queries <= 60 else "  ← over the goal"
        print(
            f"{login:<9} {url:<40} {status:>6} {p50:>8.0f} {p95:>8.0f} {cpu:>8.0f} "
            f"{queries:>8}{flag}"
        )


def main() -> None:
    import time_machine

    from reviews.models import Campaign, CampaignStage
    from subjects.models import Subject
    from workbench.demo import county_campaign_name, demo_load
    from workbench.demo_city import CITY_NAME, city_load

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    requests = int(args[0]) if args else 10
    if "--here" in sys.argv:  # measure the data already in DATABASE_URL (load_demo --scale city)
        county = Campaign.objects.get(name=county_campaign_name(TODAY.year))
        city = Campaign.objects.filter(
            name__contains=CITY_NAME, stage=CampaignStage.RECTIFICATION
        ).first()
        setup_test_environment()
        _print("city size, data already loaded", _measure(_pages(county, city), requests))
        return
    logging.getLogger("core.request").setLevel(logging.WARNING)
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
            city_load(log=lambda line: None)
            print(
                f"\ngrown to {Campaign.objects.count()} campaigns, {Subject.objects.count()} "
                f"subjects in {time.perf_counter() - start:.0f} s"
            )
            city = Campaign.objects.filter(
                name__contains=CITY_NAME, stage=CampaignStage.RECTIFICATION
            ).first()
            _print("city size", _measure(_pages(county, city), requests))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
