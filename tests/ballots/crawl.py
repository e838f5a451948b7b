"""The publish crawl's machinery: every URL pattern filled with the world's objects,
pages reduced to comparable snapshots, the links they offer, and the differences
between two walks (tests/ballots/test_nothing_before_publish.py)."""

import difflib
import hashlib
import html
import io
import itertools
import re
import zipfile
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from openpyxl import load_workbook

from ballots.models import (
    Ballot,
    Inquiry,
    ReviewMeeting,
)
from rectification.models import (
    RectificationReport,
    RectificationVersion,
    RectificationVersionFile,
    ReportingStep,
)
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
from workbench.models import Briefing

pytestmark = pytest.mark.django_db


SKIP = ("/accounts/logout/", "/admin/logout/", "/static/", "/favicon.ico")
SAMPLE = 4  # objects tried per model when it has more: the two oldest and the two newest


# What random-by-construction parts are blanked before comparing.
RANDOM = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1<csrf>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    # The Content-Security-Policy nonce of a page with an inline stylesheet (also escaped,
    # inside the issued briefing's srcdoc frame).
    (re.compile(r'(nonce=")[^"]*'), r"\1<nonce>"),
    (re.compile(r"(nonce=&quot;)[^&]*"), r"\1<nonce>"),
    # How long each of /health/'s checks took.
    (re.compile(r"\d+\.\d{3}(?:&#x202F;s| 秒)"), "<seconds>"),
]
HREF = re.compile(r"""href\s*=\s*["']([^"'#]*)""")
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<rname>\w+)>(?P<alt>[^)]*)\)")


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
        for s in Subject.objects.filter(group_assignment__group=g).order_by("pk")
    ]
    outsider = Subject.objects.exclude(
        group_assignment__group=AssessmentGroup.objects.first()
    ).first()
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
        **{
            f"campaigns/<int:pk>/rectification/steps/<int:step_pk>/{tail}": [
                {"pk": step.campaign_id, "step_pk": step.pk} for step in ReportingStep.objects.all()
            ]
            or [{"pk": pk, "step_pk": 999999} for pk in _some(Campaign.objects.all())]
            for tail in ("done/", "", "delete/")
        },
        "subjects/<int:pk>/rectification/reports/<int:report_pk>/minutes/": [
            {"pk": r.subject_id, "report_pk": r.pk} for r in RectificationReport.objects.all()
        ]
        or [{"pk": pk, "report_pk": 999999} for pk in _some(Subject.objects.all())],
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
        # The term record (届内履职评议档案) shows each subject's published results.
        "term/<int:start_year>/": [{"start_year": y} for y in _term_years()],
        "term/<int:start_year>/person/<str:name>/": [
            {"start_year": s.campaign.term_start_year, "name": s.person_name}
            for s in Subject.objects.filter(campaign__term_start_year__isnull=False)
            .select_related("campaign")
            .order_by("pk")
        ],
        "term/<int:start_year>/unit/<int:unit_pk>/": [
            {"start_year": s.campaign.term_start_year, "unit_pk": s.unit_id}
            for s in Subject.objects.filter(campaign__term_start_year__isnull=False)
            .select_related("campaign")
            .order_by("pk")
        ],
        "admin/r/<path:content_type_id>/<path:object_id>/": [
            {"content_type_id": ballot_type, "object_id": b.pk} for b in Ballot.objects.all()
        ],
    }


def _term_years() -> list[int]:
    years = Campaign.objects.exclude(term_start_year=None).values_list("term_start_year", flat=True)
    return sorted(set(years)) or [2022]


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
