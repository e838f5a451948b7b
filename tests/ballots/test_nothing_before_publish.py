"""An attacker's walk: nothing of a ballot's outcome reaches anyone before it is published.

The demo world (two campaigns, subjects with duty reports, groups, questionnaires, a
meeting, rectification, a briefing, notifications) gets four more ballots that every
eligible member votes in: a second review ballot of the county campaign (with paper
ballots of deputies), the rectification assessment of one subject, a review ballot of the
second batch and its practice ballot. Then, from one savepoint and at one frozen instant,
the votes are cast and counted twice: once everyone 满意 for everyone, once 不满意 for
every other subject — the same turnout, other outcomes, rates, counts and ranking. After
each close (and the briefing and an opinion rendered, the reminders sent) every URL the
resolver knows, filled with the ids of the world's objects (the admin's pages of every
registered model included), and every link reachable from each role's start pages is
fetched as each role: pages, exports (Excel, PDF, zip), JSON. With the e-mails,
notifications and audit entries written, all of it must be identical in both runs once
what is random by construction is blanked (CSRF tokens, UUIDs; on PostgreSQL the id
sequences, which a savepoint does not roll back, are put back): any difference is a leak.
No page may show a stored explanation of a sealed result or a rectification verdict.

Then the ballots are published and the same walk must tell the two runs apart, on the
results pages at least — so the comparison does see a difference when there is one.
"""

import datetime
import logging
import re
from collections import deque
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.test import Client

from ballots.models import (
    Ballot,
    BallotPurpose,
    BallotResult,
    BallotStatus,
    Eligibility,
)
from ballots.selectors import published_ballots
from ballots.services import ballot_publish
from core.documents import document_render, document_request
from core.models import AuditEntry, Notification
from rectification.services import rectification_assessment_open, rectification_report_submit
from reviews.models import Campaign
from reviews.services import campaign_update
from subjects.models import Subject
from tests.ballots.crawl import (
    _links,
    differences,
    enumerate_urls,
    snapshot,
)
from tests.factories import (
    BallotFactory,
    BriefingFactory,
    PaperTallyFactory,
    ballot_advance,
    cast,
    close_and_count,
    open_ballot,
    pdf_upload,
)
from workbench import demo
from workbench.models import BriefingBlock
from workbench.reminders import reminders_sweep
from workbench.services.briefings import briefing_render_request

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
BUILT = datetime.datetime(2017, 11, 10, 9, 0, tzinfo=TZ)  # county: rectification stage
COUNTED = datetime.datetime(2017, 11, 10, 16, 30, tzinfo=TZ)

# Role → demo login. `m13` is a plain member, `m03` sits in assessment groups of both
# campaigns, `s01` is the subject whose rectification is being assessed; all members vote.
ROLES = {
    "anonymous": None,
    "office": "office",
    "leading_group": "leader",
    "directors_meeting": "director",
    "member": "m13",
    "group_member": "m03",
    "subject": "s01",
    "liaison": "liaison",
}
START_PAGES = ["/", "/my-work/", "/office/", "/public/", "/admin/", "/notifications/", "/liaison/"]
# Once published: the public page, the results pages and their Excel, the briefing's PDF.
PUBLISHED_ROLES = ("anonymous", "member", "directors_meeting")
MAX_DEPTH = 3  # link hops from a start page
QUERY_VARIANTS = 1  # query strings followed per path (an admin filter, sort or page)
VERDICTS = ("测评满意", "整改完成", "继续整改")


# --- The world ------------------------------------------------------------------------------
def _world(monkeypatch) -> dict:
    """The demo plus four open ballots and a briefing with every block."""
    # The demo typesets every uploaded PDF; any valid PDF does here.
    monkeypatch.setattr(demo.files, "demo_pdf", lambda filename, title, lines: pdf_upload(filename))
    # The demo's director's-meeting decision on a rectification report is public once
    # made, no ballot's verdict: left out, so that any verdict word found is a ballot's.
    monkeypatch.setattr(demo.rectification, "rectification_meeting_decide", lambda **kwargs: None)
    demo.demo_load()
    users = {u.username: u for u in get_user_model().objects.all()}
    office = users["office"]
    county = Campaign.objects.get(name=demo.county_campaign_name(BUILT.year))
    batch = Campaign.objects.get(name=demo.batch_campaign_name(BUILT.year))
    # The demo's county concludes rectification by the director's meeting; this world
    # needs a rectification ballot.
    campaign_update(actor=office, campaign=county, rectification_conclusion="ballot")
    assessed = Subject.objects.get(user__username=ROLES["subject"])
    rectification_report_submit(actor=assessed.user, subject=assessed)
    rectification = rectification_assessment_open(actor=office, subject=assessed)
    rectification = open_ballot(actor=office, ballot=rectification)
    supplementary = BallotFactory(
        campaign=county,
        actor=office,
        name="述职评议满意度测评（补充）",
        meeting=county.meetings.get(),
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    PaperTallyFactory(
        ballot=supplementary,
        actor=office,
        voter_group=supplementary.voter_groups.get(is_committee=False),
        issued=10,
        returned=10,
        counts={
            s.pk: {"满意": 5, "基本满意": 3, "不满意": 1, "invalid": 1}
            for s in county.subjects.all()
        },
    )
    supplementary = ballot_advance(supplementary, to=BallotStatus.OPEN, actor=office)
    batch_ballot = BallotFactory(
        campaign=batch, actor=office, name="第二批述职评议满意度测评", status=BallotStatus.OPEN
    )
    briefing = BriefingFactory(
        campaign=county, actor=office, title="满意度测评情况", blocks=list(BriefingBlock.values)
    )
    sealed = list(Ballot.objects.filter(status=BallotStatus.OPEN).order_by("pk"))
    assert {b.purpose for b in sealed} == set(BallotPurpose.values)  # the practice one too
    assert {rectification, supplementary, batch_ballot} <= set(sealed)
    assert Ballot.objects.filter(status=BallotStatus.PUBLISHED).count() == 1  # the demo's
    return {
        "users": users,
        "office": office,
        "county": county,
        "assessed": assessed,
        "sealed": sealed,
        "supplementary": supplementary,
        "briefing": briefing,
    }


def everyone_satisfied(options: list[str], position: int) -> str:
    return options[0]


def every_other_unsatisfied(options: list[str], position: int) -> str:
    """Other outcomes, rates and counts, and another ranking (the even ones first)."""
    return options[-1] if position % 2 else options[1]


def _cast_and_count(world: dict, pick) -> None:
    """Every eligible member votes `pick(options, position)` for each subject of every
    sealed ballot; the office counts."""
    office = world["office"]
    for ballot in world["sealed"]:
        ballot.refresh_from_db()
        items = list(ballot.items.order_by("position").values_list("subject_id", "position"))
        choices = {subject: pick(ballot.options, position) for subject, position in items}
        for e in Eligibility.objects.filter(ballot=ballot).select_related("user").order_by("pk"):
            cast(actor=e.user, ballot=ballot, choices=choices)
        close_and_count(actor=office, ballot=ballot)
    # What the workers would do now: render the briefing (every block) and the opinion of
    # the assessed subject, send the day's reminders.
    _render_briefing(world)
    document = document_request(actor=office, kind="opinion", object_id=world["assessed"].pk)
    assert document_render(document_id=document.pk).status == "done"
    reminders_sweep(today=COUNTED.date())


def _render_briefing(world: dict) -> None:
    document = briefing_render_request(actor=world["office"], briefing=world["briefing"])
    document = document_render(document_id=document.pk)
    assert document.status == "done", document.error


def _publish(world: dict) -> None:
    for ballot in world["sealed"]:
        ballot_publish(actor=world["office"], ballot=ballot)
    _render_briefing(world)


# --- Which URLs exist -----------------------------------------------------------------------
def crawl(world: dict, urls: list[tuple[str, bool]], roles=tuple(ROLES)) -> dict:
    """(role, url) → snapshot. Per role: the start pages and the links they lead to (within
    MAX_DEPTH hops, QUERY_VARIANTS query strings per path), then every enumerated URL not
    reached yet."""
    known = {urlsplit(url).path for url, _ in urls}
    pages = {}
    for role in roles:
        client, username = Client(), ROLES[role]
        staff = False
        if username:
            user = world["users"][username]
            client.force_login(user)
            staff = user.is_staff
        # The admin refuses a non-staff user before it looks up any object, so for them
        # its pages of single objects are left out; every other admin page is fetched.
        rest = deque(url for url, staff_only in urls if staff or not staff_only)
        queue = deque((url, 0) for url in START_PAGES)
        seen, variants = set(), {}
        while queue or rest:
            url, depth = queue.popleft() if queue else (rest.popleft(), MAX_DEPTH)
            path = urlsplit(url).path
            if url in seen or (url != path and variants.get(path, 0) >= QUERY_VARIANTS):
                continue
            seen.add(url)
            if url != path:
                variants[path] = variants.get(path, 0) + 1
            compared, text = snapshot(client.get(url))
            pages[(role, url)] = compared
            if depth < MAX_DEPTH and "text/html" in compared.split("\n", 1)[0]:
                queue.extend((link, depth + 1) for link in _links(text, url, known))
    return pages


def sent_elsewhere() -> dict:
    """What left by other ways than pages: e-mails, notifications, the audit log."""
    return {
        ("mail", "outbox"): "\n".join(f"{m.to} {m.subject} {m.body}" for m in mail.outbox),
        ("db", "notifications"): "\n".join(
            f"{n.user.username} {n.title} {n.body} {n.url}"
            for n in Notification.objects.select_related("user").order_by("pk")
        ),
        ("db", "audit"): "\n".join(
            f"{a.action} {a.summary} {a.data}" for a in AuditEntry.objects.order_by("pk")
        ),
    }


def _sequences() -> list:
    """PostgreSQL sequences are not rolled back with a savepoint: note where they stand."""
    if connection.vendor != "postgresql":
        return []  # SQLite's AUTOINCREMENT counters are rolled back with the data
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return cursor.fetchall()


def _sequences_restore(saved: list) -> None:
    with connection.cursor() as cursor:
        for name, last in saved:
            if last is None:
                cursor.execute("SELECT setval(%s, 1, false)", [name])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [name, last])


def run(world: dict, urls, pick) -> tuple[dict, dict, list[tuple]]:
    """Vote with `pick`, count, walk; publish, walk again; then undo all of it."""
    saved = _sequences()
    point = transaction.savepoint()
    mail.outbox = []
    try:
        with time_machine.travel(COUNTED, tick=False):
            _cast_and_count(world, pick)
            results = list(
                BallotResult.objects.filter(ballot__in=world["sealed"])
                .order_by("ballot", "subject")
                .values_list("ballot", "subject", "rank", "rate", "outcome", "explanation")
            )
            assert len(results) == sum(b.items.count() for b in world["sealed"])
            closed = {**crawl(world, urls), **sent_elsewhere()}
            _publish(world)
            published = {**crawl(world, urls, PUBLISHED_ROLES), **sent_elsewhere()}
    finally:
        transaction.savepoint_rollback(point)
        _sequences_restore(saved)
    return closed, published, results


@pytest.fixture
def quiet_requests():
    """The walk meets hundreds of 403s, 404s and 405s on purpose. (A filter, not a level:
    django-celery-beat's admin reruns django.setup(), which resets logger levels.)"""

    def errors_only(record):
        return record.levelno >= logging.ERROR

    logger = logging.getLogger("django.request")
    logger.addFilter(errors_only)
    yield
    logger.removeFilter(errors_only)


@pytest.fixture
def fast_pages(settings, monkeypatch):
    """Thousands of pages: sessions in signed cookies rather than the database, and
    templates rendered as in production, without the test runner's context copies."""
    from django.template import Template
    from django.test.utils import _TestState  # where setup_test_environment keeps it

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


def test_nothing_of_a_ballot_reaches_anyone_before_it_is_published(
    quiet_requests, fast_pages, monkeypatch
):
    with time_machine.travel(BUILT, tick=True):
        world = _world(monkeypatch)
    urls, unfilled = enumerate_urls()
    assert not unfilled, f"teach this test the path parameters of: {unfilled}"

    closed_a, published_a, results_a = run(world, urls, everyone_satisfied)
    assert not BallotResult.objects.filter(ballot__in=world["sealed"]).exists()  # undone
    closed_b, published_b, results_b = run(world, urls, every_other_unsatisfied)
    # The two runs were counted differently: outcomes, rates and the ranking too.
    assert {r[4] for r in results_a} == {"满意"} and "不满意" in {r[4] for r in results_b}
    ranks = [(r[0], r[1], r[2]) for r in results_a]
    assert ranks != [(r[0], r[1], r[2]) for r in results_b]
    shown_pages = sum(1 for page in closed_a.values() if page.startswith("200 |"))
    assert shown_pages > 800, shown_pages  # the walk got past the logins

    leaks = differences(closed_a, closed_b)
    assert not leaks, f"{len(leaks)} differ before publication:\n" + "\n".join(leaks[:25])

    shown = set(  # results already published may of course be shown
        BallotResult.objects.filter(ballot__in=published_ballots()).values_list(
            "explanation", flat=True
        )
    )
    secrets = {r[5] for r in results_a + results_b} - shown
    told = re.compile("|".join(re.escape(x) for x in sorted({*secrets, *VERDICTS})))
    for (role, url), page in closed_a.items():  # closed_b is the same, as just shown
        found = told.search(page)
        assert not found, f"{role} {url} shows “{found.group()}” before publication"

    # Teeth: once published, the same walk tells the two runs apart where results are read.
    told_apart = {
        key
        for key in set(published_a) | set(published_b)
        if published_a.get(key) != published_b.get(key)
    }
    ballot = world["supplementary"]
    expected = {("member", f"/ballots/{b.pk}/results/") for b in world["sealed"]} | {
        ("member", f"/ballots/{ballot.pk}/results.xlsx"),
        ("directors_meeting", f"/ballots/{ballot.pk}/results/"),
        ("directors_meeting", f"/briefings/{world['briefing'].pk}/pdf/"),
        ("anonymous", f"/public/campaigns/{world['county'].pk}/"),
    }
    assert expected <= told_apart, sorted(expected - told_apart)
