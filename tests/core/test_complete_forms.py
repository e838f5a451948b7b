"""Every state-changing form is applied whole or refused whole (PostgreSQL, the demo world).

The forms are not written down here: each demo login walks the site from 我的工作 and
every POST form its pages draw is collected as the page draws it. Each form is sent
complete (what a browser sends, with the blanks typed in), then with each field removed in
turn, with every field removed, and with each field sent twice. Around each request a
checksum of every row of every table is taken (the request runs in a savepoint that is
rolled back, so each variant starts from the same database):

- the complete form must be accepted and change something;
- a variant is either refused, with a Chinese message and not one row changed, or
  accepted, changing only rows the complete form changes (no other row, no more new rows).

A second test fails when a POST route is neither drawn on the demo's pages for some login
nor named below with the reason it is not."""

import datetime
import re
from collections import Counter, deque

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import ERROR
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from ballots.models import Ballot, ReviewMeeting
from ballots.services import inquiry_submit
from rectification.services import review_opinion_draft
from reviews.models import Campaign
from subjects.models import ReviewForm, Subject
from surveys.models import AccessMode, Questionnaire
from surveys.services import codes_issue_sheets, questionnaire_create
from tests.core.test_fuzz import NO_INPUT, _post_routes
from tests.forms import PageForm, page_forms
from workbench.demo import demo_load
from workbench.models import Briefing
from workbench.services.briefings import briefing_create, briefing_issue

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the row checksum is PostgreSQL's (CI runs it)"
    ),
]

LOGINS = ("office", "member", "director", "leader", "liaison", "subject", "s01", "s04", "s08")
START = ("/my-work/", "/office/", "/liaison/", "/groups/")
MAX_PAGES = 140  # per login
SKIP = re.compile(r"/(admin|static|accounts)/|\.(xlsx|zip|pdf)$|/(download|pdf|screen\.json)/?$")

# Routes no demo page draws a form for, with the reason.
NOT_DRAWN = {
    "password_change": "Django's own password form (tests/core/test_first_login_password_change.py)",
    "login": "Django's login form (tests/core/test_login_lockout.py)",
    "ballot_rule_preview": "read-only JSON preview posted by the rule builder's script",
    "ballot_receipt": "a lookup that writes nothing",
    "briefing_articles_preview": "read-only JSON preview posted by the briefing editor's script",
    "ballot_simulate": "the simulator writes nothing",
    "ballot_open": "the confirmation page of a draft ballot; the demo's ballots are open or "
    "published (tests/ballots/test_open_and_publish_guards.py, the office's journey)",
    "ballot_publish_preview": "drawn on a closed ballot's page; the demo's ballots are open or "
    "published (tests/ballots/test_open_and_publish_guards.py, the office's journey)",
    "ballot_publish": "drawn only on the answer to a preview POST "
    "(tests/ballots/test_open_and_publish_guards.py, the office's journey)",
    "questionnaire_respond": "anonymous page outside the logins' walk; own test below",
    "ballot_codes": "drawn on a ballot's page for a voter group other than the committee "
    "(e.g. deputies); the demo's ballots have none (tests/ballots/test_voting_codes.py, "
    "tests/e2e/test_voting_code_journey.py)",
    "ballot_vote_code": "anonymous page reached with a voting code from a printed slip; the "
    "sheet is encrypted by the page's script (tests/ballots/test_voting_codes.py, "
    "tests/e2e/test_voting_code_journey.py)",
    "ballot_tellers": "drawn on a draft ballot's page; the demo's ballots are open or published "
    "(tests/ballots/test_teller_pages.py)",
    "teller_publish": "posted by the teller page's script with the key made in the browser "
    "(tests/ballots/test_teller_pages.py, the tellers' browser journey)",
    "teller_shares": "posted by the teller page's script with shares sealed in the browser "
    "(tests/ballots/test_teller_pages.py, the tellers' browser journey)",
    "teller_decrypt": "posted by the teller page's script with a partial decryption and its "
    "proof (tests/ballots/test_teller_pages.py, the tellers' browser journey)",
    "reporting_step_done": "the demo's reporting steps are all done "
    "(tests/rectification/test_reporting_steps.py)",
    "rectification_assessment_conclude": "needs a published assessment ballot "
    "(tests/rectification/test_loop.py, tests/core/test_fuzz.py)",
    "reporting_step_update": "the demo's reporting steps are all done, so not editable "
    "(tests/rectification/test_reporting_steps.py)",
    "reporting_step_delete": "the demo's reporting steps are all done, so not deletable "
    "(tests/rectification/test_reporting_steps.py)",
    "rectification_check": "drawn for the county's assessment groups (m02, m07 …), not a "
    "walked login (tests/rectification/test_group_checks.py, the e2e journey)",
    "subjects_paste": "drawn only on the answer to a preview POST "
    "(tests/subjects/test_subject_paste.py)",
    "members_paste": "drawn only on the answer to a preview POST "
    "(tests/reviews/test_member_paste.py)",
    "subjects_paste_preview": "subjects are added in preparation only, and the demo "
    "campaigns have left it (tests/subjects/test_subject_paste.py)",
}

# Drawn, but sending them would end the walk's session.
NOT_SENT = {"logout"}

# Values typed into a complete form where a blank or the first choice is not valid, or
# would change nothing (the page drawn as it is stored): field-name patterns to a value;
# OTHER picks an option other than the stored one, FIRST ticks the first box.
TODAY = datetime.date.today().isoformat()
OTHER, FIRST, NONE = "<other option>", "<first box>", "<nothing chosen>"
OVERRIDES = {
    # Tellers may be named later, on the ballot's page: none named, none required.
    "ballot_list": {"tellers": NONE, "teller_threshold": ""},
    "ballot_paper": {"issued": "3", "returned": "3", r"c_\d+_0": "3"},
    "campaign_stage": {"confirmed": "on"},
    # The edit keeps its stored text (content items under which findings are filed cannot
    # be renamed) and changes the composition.
    "campaign_edit": {"composition_size": "33"},
    "group_detail": {"subjects": FIRST},
    # The county concludes by the director's meeting with its groups' checks, the batch by
    # ballot without them: either way the complete form changes the campaign.
    "rectification_settings_save": {
        "rectification_conclusion": "ballot",
        "groups_oversee_rectification": FIRST,
    },
    "rectification_deadline_extend": {
        "new_due_on": (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    },
}
# Routes whose stored text is sent as drawn (it is a list in a fixed format).
KEEP_TEXT = {"ballot_list", "campaign_edit"}
# Routes whose complete form, as the demo draws it, is refused by the state of the demo
# (the form is offered, the service explains why it cannot be done yet).
REFUSED_WHEN_COMPLETE = {
    "questionnaire_codes_deputies": "every demo deputy already holds a code",
    "ballot_vote": "the sheet is encrypted and proved by the page's script; without it the "
    "page asks for a paper sheet (tests/ballots/test_cast_forged_sheets.py, the ballot journeys)",
    "members_paste_preview": "the walk types words, not member rows: each line's missing "
    "columns are listed (tests/reviews/test_member_paste.py)",
    "members_upload_preview": "the walk sends a PDF, not the members' Excel: the file is "
    "refused by name (tests/reviews/test_member_import.py)",
}
# Routes whose complete form, drawn as stored, rightly changes nothing: every variant must
# then change nothing either (an empty POST that unassigns every subject fails here).
MAY_WRITE_NOTHING = {
    "group_assign": "the demo's groups are frozen by their submitted reports",
}


def _pdf() -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile("测试.pdf", body, content_type="application/pdf")


def _route(path: str) -> tuple[str, tuple] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name, tuple(sorted((k, v) for k, v in match.kwargs.items() if k == "to"))


def _walk(client: Client) -> dict:
    """BFS from the start pages: the first form drawn for each (route, move)."""
    found: dict = {}
    seen: set = set()
    queue = deque(_start_pages())
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        body = response.content.decode()
        for form in page_forms(body, url):
            if form.method != "post":
                continue
            for action in [form.action, *form.formactions]:
                key = _route(action)
                if key and key not in found and key[0] not in NOT_SENT:
                    found[key] = (url, PageForm(action, "post", form.enctype, form.controls))
        for href in re.findall(r'href="(/[^"#?]*)', body):
            if href not in seen:
                queue.append(href)
    return found


def _override(name: str, control) -> object:
    for pattern, value in OVERRIDES.get(name, {}).items():
        if re.fullmatch(pattern, control.name):
            return value
    return None


def _filled(form: PageForm, name: str) -> list[tuple[str, object]]:
    """A complete submission: what a browser sends, with every blank typed in."""
    pairs: list[tuple[str, object]] = []
    radios: set = set()
    for c in form.controls:
        if c.disabled or c.kind in ("submit", "button", "reset", "image"):
            continue
        override = _override(name, c)
        stored = [o for o in c.options if o[1] and not o[2]]
        valued = [o for o in c.options if o[0] and not o[2]]
        if override == NONE:
            continue
        if override == OTHER:
            other = [o for o in valued if o not in stored]
            pairs.append((c.name, (other or valued)[0][0]))
        elif override == FIRST:
            if c.name not in [p[0] for p in pairs]:
                pairs.append((c.name, c.value))
        elif override is not None:
            if c.name not in [p[0] for p in pairs]:
                pairs.append((c.name, override))
        elif c.kind == "checkbox":
            if c.checked:
                pairs.append((c.name, c.value or "on"))
        elif c.kind == "radio":
            group = [o for o in form.controls if o.name == c.name]
            if c.name not in radios and (c.checked or not any(o.checked for o in group)):
                radios.add(c.name)
                pairs.append((c.name, c.value))
        elif c.kind == "file":
            if c.required or name in ("duty_report_upload", "activity_detail"):
                pairs.append((c.name, "FILE"))
        elif c.kind == "select":
            # A browser sends the selected option, else the first; a blank is typed in.
            enabled = [o for o in c.options if not o[2]]
            chosen = [o for o in stored if o[0]] or valued[:1] or stored or enabled[:1]
            if chosen:
                pairs.append((c.name, chosen[-1][0]))
        elif c.kind == "select-multiple":
            pairs += [(c.name, o[0]) for o in (stored or valued[:1])]
        elif c.kind == "date":
            pairs.append((c.name, c.value or TODAY))
        elif c.kind == "number":
            pairs.append((c.name, c.value or "1"))
        elif c.kind == "hidden" or name in KEEP_TEXT and c.value:
            pairs.append((c.name, c.value))
        elif c.kind in ("text", "textarea", "search") or not c.value:
            # Stored text is edited, so that the complete form changes what it edits.
            pairs.append((c.name, f"{c.value}测试内容：第一条"[-(len(c.value) or 8) :]))
        else:
            pairs.append((c.name, c.value))
    return pairs


def _data(pairs) -> dict:
    data: dict = {}
    for name, value in pairs:
        data.setdefault(name, []).append(_pdf() if value == "FILE" else value)
    return data


def _tables() -> list[tuple[str, str | None]]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        out = []
        for table in sorted(names):
            pk = connection.introspection.get_primary_key_column(cursor, table)
            out.append((table, pk))
    return out


def _checksum(tables) -> dict:
    """Every row of every table: (table, primary key) -> md5 of the whole row."""
    parts = []
    for table, pk in tables:
        key = f'"{pk}"::text' if pk else "md5(t::text)"
        parts.append(f"SELECT '{table}', {key}, md5(t::text) FROM \"{table}\" t")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {(t, k): h for t, k, h in cursor.fetchall()}


def _diff(before: dict, after: dict) -> tuple[set, Counter]:
    """Rows changed or removed (by key), and rows added (by table)."""
    changed = {k for k, v in before.items() if after.get(k) != v}
    added = Counter(t for (t, k) in after if (t, k) not in before)
    return changed, added


class _Rollback(Exception):
    pass


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _send(client, url, data, tables, before):
    """POST in a savepoint that is rolled back; the response, whether it was a refusal,
    its message, and the rows it changed."""
    result = {}
    try:
        with transaction.atomic():
            client.cookies.pop("messages", None)  # only this request's messages count
            response = client.post(url, data)
            queued = getattr(response.wsgi_request, "_messages", None)
            errors = [str(m) for m in getattr(queued, "_queued_messages", []) if m.level >= ERROR]
            body = response.content.decode(errors="replace")
            inline = re.findall(
                r"(?:alert-danger|errorlist|invalid-feedback|errornote)[^>]*>(.{0,300})", body
            )
            refused = response.status_code >= 400 or bool(errors)
            result = {
                "status": response.status_code,
                "refused": refused,
                # A 4xx page (CSRF, 404…) speaks for itself: its text is the message.
                "message": " ".join(errors + inline)
                or (re.sub(r"<[^>]+>", " ", body) if response.status_code >= 400 else ""),
                "diff": _diff(before, _checksum(tables)),
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


# Controls a browser leaves out when empty (an unticked box, no radio chosen, no file):
# leaving them out is an ordinary submission. Every other control is always sent.
OPTIONAL_KINDS = {"checkbox", "radio", "file", "select-multiple"}
CSRF = "csrfmiddlewaretoken"
# Hidden navigation, not data: where to return after the action (the list's filter).
NAVIGATION = {"back"}


def _variants(pairs, form: PageForm):
    """(what, pairs, must be refused). A page's form that arrives without a control the
    page always sends is a dropped field, a script or a half-loaded page: refused. The CSRF
    token is kept except where it is the field removed (Django refuses that itself)."""
    kinds = {c.name: c.kind for c in form.controls}
    always = {
        n for n, _ in pairs if kinds.get(n) not in OPTIONAL_KINDS and n not in NAVIGATION | {CSRF}
    }
    names = list(dict.fromkeys(n for n, _ in pairs))
    yield "all removed", [p for p in pairs if p[0] == CSRF], bool(always)
    for name in names:
        yield f"without {name}", [p for p in pairs if p[0] != name], name in always | {CSRF}
    for name in names:
        extra = [p for p in pairs if p[0] == name][:1]
        yield f"{name} twice", pairs + extra, False


def _within(diff, allowed) -> bool:
    changed, added = diff
    allowed_changed, allowed_added = allowed
    return changed <= allowed_changed and all(
        n <= allowed_added.get(t, 0) for t, n in added.items()
    )


@pytest.fixture
def demo_world(django_capture_on_commit_callbacks):
    # As in production, what the demo hands to Celery (its briefing's PDF) is done.
    with django_capture_on_commit_callbacks(execute=True):
        demo_load(today=datetime.date.today())
        _more_states()


def _more_states():
    """States the demo does not hold, reached through the services, so that their forms
    are drawn too: an unanswered inquiry, a paper-sheet questionnaire with codes, a draft
    review opinion, an issued briefing."""
    users = get_user_model().objects
    office, member = users.get(username="office"), users.get(username="member")
    meeting = ReviewMeeting.objects.order_by("pk").first()
    on_site = meeting.campaign.subjects.filter(review_form=ReviewForm.ON_SITE).first()
    inquiry_submit(actor=member, meeting=meeting, subject=on_site, question="整改何时完成？")
    campaign = Campaign.objects.order_by("-pk").first()
    sheets = questionnaire_create(
        actor=office, campaign=campaign, title="群众满意度问卷", access_mode=AccessMode.SHEET
    )
    codes_issue_sheets(actor=office, questionnaire=sheets, count=3)
    review_opinion_draft(actor=office, subject=campaign.subjects.order_by("position").last())
    issued = briefing_create(
        actor=office,
        campaign=campaign,
        title="工作动态",
        issuing_office="县人大常委会办公室",
        issued_on=datetime.date.today(),
        articles="## 进展\n\n各组已开始调查。",
        distribution="存档",
        editor="周编辑",
        reviewer="吴审核",
        issuer="郑签发",
    )
    briefing_issue(actor=office, briefing=issued)


def _start_pages() -> list[str]:
    """Where each walk begins: 我的工作 and the office's overviews, and every campaign,
    subject, meeting, ballot, questionnaire and briefing page (each login is refused those
    it may not see, which costs one request)."""
    pages = list(START)
    for campaign in Campaign.objects.order_by("pk"):
        pages += [
            reverse("campaign_detail", args=[campaign.pk]),
            reverse("campaign_rectification", args=[campaign.pk]),
        ]
    pages += [reverse("subject_rectification", args=[pk]) for pk in _pks(Subject)]
    pages += [reverse("meeting_detail", args=[pk]) for pk in _pks(ReviewMeeting)]
    pages += [reverse("ballot_detail", args=[pk]) for pk in _pks(Ballot)]
    pages += [reverse("questionnaire_detail", args=[pk]) for pk in _pks(Questionnaire)]
    pages += [reverse("briefing_detail", args=[pk]) for pk in _pks(Briefing)]
    return pages


def _pks(model) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def _forms_by_login() -> dict:
    """(route, move) -> (login, its client, the page, the form), the first login whose walk
    draws it. Each login keeps its client: the forms' CSRF tokens belong to its cookie."""
    users = get_user_model().objects
    walked: dict = {}
    for login in LOGINS:
        client = Client(enforce_csrf_checks=True)
        client.force_login(users.get(username=login))
        for key, (page, form) in _walk(client).items():
            walked.setdefault(key, (login, client, page, form))
    return walked


def test_every_form_is_applied_whole_or_refused_whole(demo_world):
    tables = _tables()
    failures = []
    walked = _forms_by_login()
    assert len(walked) >= 30, sorted(walked)
    sent = 0
    for (name, to), (login, client, page, form) in sorted(walked.items(), key=lambda kv: kv[0]):
        pairs = _filled(form, name)
        label = f"{name}{dict(to) or ''} as {login} on {page}"
        before = _checksum(tables)
        complete = _send(client, form.action, _data(pairs), tables, before)
        sent += 1
        wrote = complete["diff"][0] or complete["diff"][1]
        if complete["refused"] or not (wrote or name in MAY_WRITE_NOTHING):
            if name not in REFUSED_WHEN_COMPLETE:
                failures.append(
                    f"{label}: the complete form was not applied "
                    f"(status {complete['status']}: {complete['message'][:200]!r})"
                )
            continue
        for what, variant, must_refuse in _variants(pairs, form):
            result = _send(client, form.action, _data(variant), tables, before)
            sent += 1
            if result["status"] >= 500:
                failures.append(f"{label}, {what}: status {result['status']}")
            elif must_refuse and not result["refused"]:
                failures.append(f"{label}, {what}: accepted, though the page always sends it")
            elif result["refused"]:
                if result["diff"][0] or result["diff"][1]:
                    failures.append(f"{label}, {what}: refused but wrote {result['diff']}")
                elif not CHINESE.search(result["message"]):
                    failures.append(f"{label}, {what}: refused without a Chinese message")
            elif not _within(result["diff"], complete["diff"]):
                failures.append(
                    f"{label}, {what}: accepted and changed more than the complete form "
                    f"({result['diff']} vs {complete['diff']})"
                )
    assert not failures, "\n".join(failures)
    assert sent >= 300, sent


def test_every_post_route_is_drawn_on_a_demo_page_or_named(demo_world):
    drawn = {name for name, _ in _forms_by_login()} | NOT_SENT
    # A button sends nothing but its CSRF token: it cannot be sent incomplete.
    buttons = {name for name, why in NO_INPUT.items() if why.startswith("button")}
    missing = sorted(set(_post_routes()) - drawn - set(NOT_DRAWN) - buttons)
    assert not missing, f"no demo page draws a form for these POST routes: {missing}"
    stale = sorted(set(NOT_DRAWN) & drawn)
    assert not stale, f"these are drawn after all; take them out of NOT_DRAWN: {stale}"
