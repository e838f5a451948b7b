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
import difflib
import hashlib
import html
import io
import itertools
import logging
import re
import zipfile
from collections import deque
from decimal import Decimal
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from openpyxl import load_workbook

from ballots.models import (
    Ballot,
    BallotPurpose,
    BallotResult,
    BallotStatus,
    Eligibility,
    Inquiry,
    ReviewMeeting,
)
from ballots.selectors import published_ballots
from ballots.services import ballot_cast, ballot_close, ballot_publish
from core.documents import document_render, document_request
from core.models import AuditEntry, Notification
from rectification.models import RectificationVersion, RectificationVersionFile, ReportingStep
from rectification.services import rectification_assessment_open, rectification_report_submit
from reviews.models import Campaign
from subjects.models import DutyReportVersion, Subject
from surveys.models import (
    ActivityAttachment,
    Answer,
    AssessmentGroup,
    Finding,
    InvestigationActivity,
    InvestigationReport,
    Questionnaire,
)
from tests.factories import (
    BallotFactory,
    BriefingFactory,
    PaperTallyFactory,
    ballot_advance,
    pdf_upload,
)
from workbench import demo
from workbench.models import Briefing, BriefingBlock
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
SKIP = ("/accounts/logout/", "/admin/logout/", "/static/", "/favicon.ico")
# Once published: the public page, the results pages and their Excel, the briefing's PDF.
PUBLISHED_ROLES = ("anonymous", "member", "directors_meeting")
MAX_DEPTH = 3  # link hops from a start page
QUERY_VARIANTS = 1  # query strings followed per path (an admin filter, sort or page)
SAMPLE = 4  # objects tried per model when it has more: the two oldest and the two newest
VERDICTS = ("测评满意", "整改完成", "继续整改")

# What random-by-construction parts are blanked before comparing.
RANDOM = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1<csrf>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
]
HREF = re.compile(r"""href\s*=\s*["']([^"'#]*)""")
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rname>\w+)>(?P<alt>[^)]*)\)")


# --- The world ------------------------------------------------------------------------------
def _world(monkeypatch) -> dict:
    """The demo plus four open ballots and a briefing with every block."""
    # The demo typesets every uploaded PDF; any valid PDF does here.
    monkeypatch.setattr(demo, "_pdf", lambda filename, title, lines: pdf_upload(filename))
    demo.demo_load()
    users = {u.username: u for u in get_user_model().objects.all()}
    office = users["office"]
    county = Campaign.objects.get(name=demo.county_campaign_name(BUILT.year))
    batch = Campaign.objects.get(name=demo.batch_campaign_name(BUILT.year))
    assessed = Subject.objects.get(user__username=ROLES["subject"])
    rectification_report_submit(actor=assessed.user, subject=assessed)
    rectification = rectification_assessment_open(actor=office, subject=assessed)
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
            ballot_cast(actor=e.user, ballot=ballot, choices=choices)
        ballot_close(actor=office, ballot=ballot)
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
def _some(qs) -> list:
    """Every ballot, campaign, meeting and subject: a result could be shown on any of them.
    Of other models every object of a small one; of a large one the two oldest and the two
    newest (the newest include what counting wrote, e.g. the audit entries of the close)."""
    pks = list(qs.order_by("pk").values_list("pk", flat=True))
    if qs.model in (Ballot, Campaign, ReviewMeeting, Subject) or len(pks) <= SAMPLE:
        return pks
    return pks[:2] + pks[-2:]


def _piece(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    assert isinstance(pattern, RegexPattern), pattern
    return pattern._regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")


def _leaves(resolver: URLResolver, prefix: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _leaves(p, prefix + _piece(p.pattern))
        else:
            yield prefix + _piece(p.pattern), p


def _candidates() -> dict:
    """Path parameter → values, keyed by the literal path segment before the parameter."""
    by_segment = {
        "campaigns": Campaign.objects.all(),
        "ballots": Ballot.objects.all(),
        "subjects": Subject.objects.all(),
        "groups": AssessmentGroup.objects.all(),
        "activities": InvestigationActivity.objects.all(),
        "attachments": ActivityAttachment.objects.all(),
        "findings": Finding.objects.all(),
        "investigation-reports": InvestigationReport.objects.all(),
        "meetings": ReviewMeeting.objects.all(),
        "briefings": Briefing.objects.all(),
        "reports": DutyReportVersion.objects.all(),
        "questionnaires": Questionnaire.objects.all(),
        "questionnaire-answers": Answer.objects.all(),
    }
    values = {segment: _some(qs) for segment, qs in by_segment.items()}
    values["q"] = list(Questionnaire.objects.order_by("pk").values_list("public_token", flat=True))
    return values


def _pairs() -> dict:
    """Routes whose parameters depend on each other."""
    groups = [
        (g.pk, s.pk)
        for g in AssessmentGroup.objects.order_by("pk")
        for s in Subject.objects.filter(assessment_group=g).order_by("pk")
    ]
    outsider = Subject.objects.exclude(assessment_group=AssessmentGroup.objects.first()).first()
    groups.append((AssessmentGroup.objects.order_by("pk").first().pk, outsider.pk))
    documents = [("opinion", pk) for pk in Subject.objects.values_list("pk", flat=True)] + [
        ("investigation", pk) for pk in _some(InvestigationReport.objects.all())
    ]
    ballot_type = ContentType.objects.get_for_model(Ballot).pk
    return {
        "groups/<int:pk>/subjects/<int:subject_pk>/": [
            {"pk": g, "subject_pk": s} for g, s in groups
        ],
        "documents/<str:kind>/<int:object_id>/": [
            {"kind": k, "object_id": o} for k, o in documents
        ],
        "documents/<str:kind>/<int:object_id>/pdf/": [
            {"kind": k, "object_id": o} for k, o in documents
        ],
        # POST-only move URLs: a GET must say nothing either.
        "ballots/<int:pk>/move/<str:to>/": [
            {"pk": b.pk, "to": to}
            for b in Ballot.objects.all()
            for to in ("open", "closed", "published")
        ],
        "questionnaires/<int:pk>/move/<str:to>/": [
            {"pk": q.pk, "to": to} for q in Questionnaire.objects.all() for to in ("open", "closed")
        ],
        "meetings/<int:pk>/inquiries/<int:inquiry_pk>/answer/": [
            {"pk": i.meeting_id, "inquiry_pk": i.pk} for i in Inquiry.objects.all()
        ]
        or [{"pk": pk, "inquiry_pk": 999999} for pk in _some(ReviewMeeting.objects.all())],
        "reports/<uuid:pk>/move/<str:to>/": [
            {"pk": pk, "to": to}
            for pk in _some(DutyReportVersion.objects.all())
            for to in ("accepted", "returned")
        ],
        "investigation-reports/<int:pk>/move/<str:to>/": [
            {"pk": pk, "to": to}
            for pk in _some(InvestigationReport.objects.all())
            for to in ("submitted", "draft", "heard")
        ],
        "campaigns/<int:pk>/rectification/steps/<int:step_pk>/done/": [
            {"pk": step.campaign_id, "step_pk": step.pk} for step in ReportingStep.objects.all()
        ]
        or [{"pk": pk, "step_pk": 999999} for pk in _some(Campaign.objects.all())],
        **{
            f"subjects/<int:pk>/rectification/{what}/move/<str:to>/": [
                {"pk": pk, "to": to} for pk in _some(Subject.objects.all()) for to in targets
            ]
            for what, targets in (
                ("opinion", ("approved", "delivered")),
                ("plan", ("submitted", "approved", "returned")),
                ("report", ("submitted", "draft")),
            )
        },
        "subjects/<int:pk>/rectification/versions/<int:version_pk>/": [
            {"pk": v.subject_id, "version_pk": v.pk} for v in RectificationVersion.objects.all()
        ]
        or [{"pk": pk, "version_pk": 999999} for pk in _some(Subject.objects.all())],
        "subjects/<int:pk>/rectification/versions/files/<int:file_pk>/": [
            {"pk": f.version.subject_id, "file_pk": f.pk}
            for f in RectificationVersionFile.objects.select_related("version")
        ]
        or [{"pk": pk, "file_pk": 999999} for pk in _some(Subject.objects.all())],
        "admin/r/<path:content_type_id>/<path:object_id>/": [
            {"content_type_id": ballot_type, "object_id": b.pk} for b in Ballot.objects.all()
        ],
    }


def _fill(route: str, values: dict) -> str:
    def one(match):
        name = match.group("name") or match.group("rname")
        return str(values[name])

    return "/" + PARAM.sub(one, route)


def enumerate_urls() -> tuple[list[tuple[str, bool]], list[str]]:
    """Every URL pattern filled with every candidate, as (url, an admin page of one object);
    and the patterns nothing could fill."""
    candidates, pairs = _candidates(), _pairs()
    admin_models = {
        f"admin/{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry
    }
    urls, unfilled = set(), []
    for route, _pattern in _leaves(get_resolver()):
        params = [(m.group("name") or m.group("rname"), m) for m in PARAM.finditer(route)]
        model = next((m for prefix, m in admin_models.items() if route.startswith(prefix)), None)
        if route in pairs:
            fills = pairs[route]
        else:
            lists = []
            for name, match in params:
                before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
                if match.group("alt") and name == "app_label":
                    lists.append(match.group("alt").split("|"))
                elif name == "url":  # the admin's catch-all
                    lists.append(["no-such-page/"])
                elif model is not None:  # object_id, or a custom admin page's pk
                    pks = _some(model.objects.all()) or ["999999"]
                    # The history page and the bare id (a redirect) do not show the object.
                    one = route.endswith(("/history/", "<path:object_id>/"))
                    lists.append(pks[:1] if one else pks)
                elif before in candidates:
                    lists.append(candidates[before])
                else:
                    lists.append([])
            fills = [
                dict(zip([n for n, _ in params], combo, strict=True))
                for combo in itertools.product(*lists)
            ]
        if not fills:
            unfilled.append(route)
        for values in fills:
            url = _fill(route, values)
            try:
                resolve(urlsplit(url).path)
            except Resolver404:  # pragma: no cover - a bug of this test
                pytest.fail(f"{url} (from {route}) does not resolve")
            urls.add((url, model is not None and bool(params)))
    return sorted(urls), unfilled


# --- Fetching and comparing -----------------------------------------------------------------
def _xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    return "\n".join(
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            f"{info.filename} {info.date_time} sha256={hashlib.sha256(archive.read(info)).hexdigest()}"
            for info in archive.infolist()
        )


def _normalise(text: str) -> str:
    for pattern, blank in RANDOM:
        text = pattern.sub(blank, text)
    return text


def snapshot(response) -> tuple[str, str]:
    """(what is compared, the text to search for verdicts) of one response."""
    # (The test client closes the response itself; closing it again would signal the end
    # of a request once more, and Django would close the test's database connection.)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    head = " | ".join(
        str(x)
        for x in (
            response.status_code,
            kind,
            response.get("Location", ""),
            response.get("Content-Disposition", ""),
        )
    )
    if "spreadsheetml" in kind:
        text = _xlsx_text(body)
    elif "zip" in kind:
        text = _zip_text(body)
    elif kind.startswith(("text/", "application/json", "application/javascript")):
        text = body.decode()
    else:  # PDFs and other files: the bytes themselves (time is frozen)
        text = f"{len(body)} bytes sha256={hashlib.sha256(body).hexdigest()}"
    text = _normalise(text)
    return f"{head}\n{text}", text


def _links(page: str, url: str, known: set[str]) -> list[str]:
    """Same-site links to paths the enumeration knows. A query string is kept only on a
    link to the page itself (its filters, sorting, pages), not one carried along to others
    (the admin's _changelist_filters, login's next)."""
    here = urlsplit(url).path
    found = []
    for raw in HREF.findall(page):
        parts = urlsplit(urljoin(url, html.unescape(raw.strip())))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        if parts.path not in known or parts.path.startswith(SKIP):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query and parts.path == here else ""))
    return found


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


def differences(a: dict, b: dict) -> list[str]:
    found = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) == b.get(key):
            continue
        left, right = (a.get(key) or "(not fetched)"), (b.get(key) or "(not fetched)")
        lines = [
            line
            for line in difflib.unified_diff(
                re.split(r"(?<=>)|\n", left), re.split(r"(?<=>)|\n", right), lineterm="", n=0
            )
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        found.append(f"{key[0]} {key[1]}:\n    " + "\n    ".join(x[:200] for x in lines[:6]))
    return found


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
