"""Malformed submissions to every POST endpoint that takes input, on the demo world: NUL
bytes, huge strings, non-numeric and foreign ids, out-of-range integers, impossible dates,
duplicate names. None may answer 500; each refusal says why in Chinese; none may write a
row. A second test checks that every POST endpoint is either fuzzed here or listed as
taking no input."""

import datetime
import inspect
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ballots.models import Ballot, BallotStatus, Inquiry, ReviewMeeting
from reviews.models import Campaign
from subjects.models import DutyReportVersion, Subject
from surveys.models import (
    Answer,
    AssessmentGroup,
    InvestigationActivity,
    InvestigationReport,
    Questionnaire,
    QuestionnaireStatus,
)
from workbench.demo import demo_load

pytestmark = pytest.mark.django_db

# Field kinds: text, int, id, date, choice, file. (name, kind, required)
T, N, ID, D, C, F = "text", "int", "id", "date", "choice", "file"

# route name -> (who posts, how to fill the URL, fields)
ENDPOINTS = {
    "campaign_stage": (
        "office",
        {"pk": "campaign"},
        [("to_stage", C, True), ("reason", T, False), ("override_reason", T, False)],
    ),
    "duty_report_upload": (
        "s_upload",
        {"pk": "upload_subject"},
        [("kind", C, True), ("file", F, True)],
    ),
    "duty_report_move": (
        "office",
        {"pk": "pending_version", "to": "returned"},
        [("reason", T, True)],
    ),
    "group_assign": ("office", {"pk": "campaign"}, [("subject_{subject}", ID, False)]),
    "group_detail": (
        "office",
        {"pk": "group"},
        [
            ("subjects", ID, True),
            ("kind", C, True),
            ("held_on", D, True),
            ("place", T, True),
            ("participant_count", N, True),
            ("participants", T, True),
            ("notes", T, False),
        ],
    ),
    "finding_add": (
        "office",
        {"group_pk": "group", "pk": "group_subject"},
        [("content_item", ID, True), ("kind", C, True), ("text", T, True), ("activity", ID, False)],
    ),
    "investigation_report_save": (
        "office",
        {"group_pk": "group", "pk": "group_subject"},
        [("body", T, True)],
    ),
    "activity_detail": ("office", {"pk": "activity"}, [("file", F, True)]),
    "investigation_report_move": (
        "office",
        {"pk": "investigation_report", "to": "heard"},
        [("heard_on", D, True)],
    ),
    "questionnaire_list": (
        "office",
        {"pk": "campaign"},
        [
            ("title", T, True),
            ("access_mode", C, True),
            ("intro", T, False),
            ("text_questions", T, False),
        ],
    ),
    "questionnaire_codes_deputies": ("office", {"pk": "questionnaire"}, [("deputies", ID, True)]),
    "questionnaire_codes_sheets": ("office", {"pk": "questionnaire"}, [("count", N, True)]),
    "answer_to_finding": (
        "office",
        {"pk": "answer"},
        [("content_item", ID, True), ("kind", C, True)],
    ),
    "questionnaire_respond": (
        "anonymous",
        {"token": "questionnaire_token"},
        [("code", T, True), ("q{question}", T, True)],
    ),
    "ballot_paper": (
        "office",
        {"pk": "draft_ballot"},
        [
            ("voter_group", ID, True),
            ("entry", C, True),
            ("issued", N, True),
            ("returned", N, True),
            ("c_{subject}_0", N, False),
        ],
    ),
    "ballot_codes": (
        "office",
        {"pk": "draft_ballot"},
        [("voter_group", ID, True), ("count", N, True)],
    ),
    "ballot_vote_code": (
        "anonymous",
        {},
        [("code", T, True), ("sheet", T, True), ("step", T, False)],
    ),
    "inquiry_submit": ("member", {"pk": "meeting"}, [("subject", ID, True), ("question", T, True)]),
    "inquiry_answer": ("office", {"pk": "meeting", "inquiry_pk": "inquiry"}, [("answer", T, True)]),
    "reporting_step_done": (
        "office",
        {"pk": "campaign", "step_pk": "step"},
        [("done_on", D, True), ("note", T, False)],
    ),
    "review_opinion_draft": ("office", {"pk": "fresh_subject"}, [("summary", T, False)]),
    "review_opinion_problem_add": (
        "office",
        {"pk": "drafting_subject"},
        [
            ("content_item", ID, True),
            ("source", C, True),
            ("inquiry", ID, False),
            ("text", T, True),
        ],
    ),
    "review_opinion_move": (
        "office",
        {"pk": "drafting_subject", "to": "approved"},
        [("date", D, True)],
    ),
    "rectification_plan_save": (
        "s_plan",
        {"pk": "plan_subject"},
        [
            ("measures_{problem}", T, False),
            ("responsible_{problem}", T, False),
            ("time_limit_{problem}", D, False),
            ("target_{problem}", T, False),
        ],
    ),
    "rectification_plan_move": (
        "liaison",
        {"pk": "decided_subject", "to": "returned"},
        [("reason", T, True)],
    ),
    "rectification_report_move": (
        "s_report",
        {"pk": "report_subject", "to": "submitted"},
        [("text", T, False), ("done_{problem}", T, False), ("status_{problem}", C, False)],
    ),
    "rectification_report_save": (
        "s_report",
        {"pk": "report_subject"},
        [("text", T, False), ("done_{problem}", T, False), ("status_{problem}", C, False)],
    ),
    "rectification_assessment_conclude": (
        "office",
        {"pk": "report_subject"},
        [("new_due_on", D, False)],
    ),
    "rectification_deadline_extend": (
        "office",
        {"pk": "report_subject"},
        [("kind", C, True), ("new_due_on", D, True), ("reason", T, True)],
    ),
    "escalation_record": (
        "office",
        {"pk": "report_subject"},
        [("kind", C, True), ("text", T, True), ("due_on", D, False)],
    ),
    "rectification_check": ("office", {"pk": "report_subject"}, [("text", T, True)]),
    "rectification_decide": (
        "office",
        {"pk": "report_subject"},
        [
            ("decided_on", D, True),
            ("minutes", F, False),
            ("outcome", C, True),
            ("new_due_on", D, False),
        ],
    ),
    "rectification_settings_save": (
        "office",
        {"pk": "campaign"},
        [("rectification_conclusion", C, True), ("groups_oversee_rectification", C, False)],
    ),
    "reporting_step_add": (
        "office",
        {"pk": "campaign"},
        [("name", T, True), ("recipient", C, True), ("due_days", N, True)],
    ),
    "reporting_step_update": (
        "office",
        {"pk": "campaign", "step_pk": "step"},
        [("name", T, True), ("recipient", C, True), ("due_days", N, True)],
    ),
    "duty_reports_remind": ("office", {"pk": "campaign"}, [("subject", ID, True)]),
    "campaign_new": (
        "office",
        {},
        [
            ("name", T, True),
            ("year", N, True),
            ("term", T, True),
            ("term_start_year", C, True),
            ("composition_size", N, True),
            ("rating_options", T, True),
            ("content_items", T, True),
            ("preparation_start", D, False),
            ("review_end", D, False),
        ],
    ),
    "campaign_edit": (
        "office",
        {"pk": "campaign"},
        [
            ("name", T, True),
            ("year", N, True),
            ("term", T, True),
            ("term_start_year", C, True),
            ("composition_size", N, True),
            ("rating_options", T, True),
            ("content_items", T, True),
            ("preparation_start", D, False),
            ("review_end", D, False),
            ("version", T, True),
        ],
    ),
    "members_paste_preview": ("office", {}, [("rows", T, True)]),
    "members_upload_preview": ("office", {}, [("file", F, True)]),
    "implementation_plan_attach": (
        "office",
        {"pk": "campaign"},
        [("document", F, True), ("approved_on", D, True)],
    ),
    "members_paste": ("office", {}, [("rows", T, True), ("version", T, True)]),
    "subjects_paste_preview": ("office", {"pk": "campaign"}, [("rows", T, True)]),
    "subjects_paste": ("office", {"pk": "campaign"}, [("rows", T, True), ("version", T, True)]),
    # A 100,001-character login name once reached django-axes' varchar(255): a 500.
    "login": ("anonymous", {}, [("username", T, True), ("password", T, True)]),
    "briefing_list": (
        "office",
        {"pk": "campaign"},
        [
            ("title", T, True),
            ("issuing_office", T, True),
            ("issued_on", D, True),
            ("articles", T, True),
            ("distribution", T, True),
        ],
    ),
}

# POST endpoints that take no input beyond the URL (a button), or whose input is fuzzed
# by their own tests, with the reason.
NO_INPUT = {
    "duty_reports_distribute": "button",
    "finding_remove": "button",
    "questionnaire_move": "button",
    "ballot_move": "button",
    "ballot_remind": "button",
    "ballot_round": "button",
    "ballot_discard": "button",
    "rectification_assessment_open": "button",
    "reporting_step_delete": "button",
    "document": "button (request a PDF)",
    "ballot_vote": "an encrypted sheet: forged and malformed ones in tests/ballots/test_cast_forged_sheets.py and test_ballot_pages.py",
    "ballot_tellers": "tellers chosen from a list, tests/ballots/test_tellers.py and test_ballot_setup.py",
    "teller_publish": "JSON from the teller's browser: tests/ballots/test_teller_pages.py",
    "teller_shares": "JSON from the teller's browser: tests/ballots/test_teller_pages.py",
    "teller_decrypt": "JSON from the teller's browser: tests/ballots/test_teller_pages.py",
    "ballot_detail": "the rule builder, sixteen invalid combinations in tests/ballots/test_ballot_setup.py",
    "ballot_list": "ballot creation form, tests/ballots/test_ballot_setup.py",
    "ballot_rule_preview": "read-only preview of a rule",
    "ballot_receipt": "a receipt lookup, writes nothing",
    "briefing_articles_preview": "read-only preview of the articles, writes nothing",
    "ballot_simulate": "the simulator writes nothing",
    "ballot_open": "a tick and a reason, empty, missing and out-of-stage cases in tests/ballots/test_open_and_publish_guards.py",
    "ballot_publish_preview": "a fixed hidden step, missing in tests/ballots/test_open_and_publish_guards.py",
    "ballot_publish": "the previewed text's digest, missing and wrong in tests/ballots/test_open_and_publish_guards.py",
    "briefing_detail": "briefing edit form (same BriefingForm as briefing_list)",
    "briefing_render": "saves the same BriefingForm first, tests/workbench/test_briefing_issue.py",
    "briefing_issue": "saves the same BriefingForm first, then issues",
    "briefing_correct": "button",
    "logout": "button",
    "password_change": "Django's password form",
    "notifications": "button (mark read)",
    "large_text": "the navbar's 大字模式 switch: two hidden fields, refusals in "
    "tests/core/test_large_text.py",
}

NUL = "合法\x00文字"
HUGE = "长" * 100_001
BAD_DATES = ["2024-02-30", "0000-00-00", "明天"]
BAD_IDS = ["abc", "999999", "-1", "1; DROP TABLE x"]
BAD_INTS = ["3000000000", "-5", "1e9", "十"]


def _variants(fields: list[tuple[str, str, bool]]) -> list[dict]:
    """Each variant breaks every field of one kind (and leaves the rest empty)."""
    names = [n for n, _, _ in fields]
    variants = []
    if any(r for _, _, r in fields):
        variants.append({})
    texts = [n for n, k, _ in fields if k == T]
    if texts:
        variants += [{n: NUL for n in texts}, {n: HUGE for n in texts}]
    required_texts = [n for n, k, r in fields if k == T and r]
    if required_texts:
        variants.append({n: " \u3000\t " for n in required_texts})  # only white space
    ids = [n for n, k, _ in fields if k == ID]
    variants += [{n: bad for n in ids} for bad in BAD_IDS] if ids else []
    ints = [n for n, k, _ in fields if k == N]
    variants += [{n: bad for n in ints} for bad in BAD_INTS] if ints else []
    dates = [n for n, k, _ in fields if k == D]
    variants += [{n: bad for n in dates} for bad in BAD_DATES] if dates else []
    choices = [n for n, k, _ in fields if k == C]
    variants += [{n: "不存在的选项" for n in choices}] if choices else []
    files = [n for n, k, _ in fields if k == F]
    if files:
        variants.append({n: "not a file" for n in files})
    return [v for v in variants if set(v) <= set(names)]


def _world():
    demo_load(today=datetime.date.today())
    users = get_user_model().objects
    county = Campaign.objects.order_by("pk").first()
    subject = Subject.objects.filter(campaign=county)
    group = AssessmentGroup.objects.order_by("pk").first()
    questionnaire = Questionnaire.objects.filter(status=QuestionnaireStatus.OPEN).first()
    ballot = Ballot.objects.filter(status=BallotStatus.DRAFT).first() or Ballot.objects.first()
    meeting = ReviewMeeting.objects.first()
    inquiry = Inquiry.objects.first()
    opinionless = subject.filter(opinion__isnull=True).first() or subject.first()
    drafting = subject.filter(opinion__status="draft").first() or subject.first()
    with_problem = subject.filter(opinion__problems__isnull=False).first() or subject.first()
    problem = with_problem.opinion.problems.first() if hasattr(with_problem, "opinion") else None
    objects = {
        "campaign": county.pk,
        "upload_subject": Subject.objects.filter(user__username="subject").first().pk,
        "pending_version": DutyReportVersion.objects.order_by("-uploaded_at").first().pk,
        "group": group.pk,
        "group_subject": Subject.objects.filter(group_assignment__group=group).first().pk,
        "activity": InvestigationActivity.objects.first().pk,
        "investigation_report": InvestigationReport.objects.first().pk,
        "questionnaire": questionnaire.pk,
        "questionnaire_token": questionnaire.public_token,
        "answer": (Answer.objects.exclude(text="").first() or Answer.objects.first()).pk,
        "draft_ballot": ballot.pk,
        "meeting": meeting.pk,
        "inquiry": inquiry.pk if inquiry else 999999,
        "step": (county.reporting_steps.first().pk if county.reporting_steps.exists() else 999999),
        "fresh_subject": opinionless.pk,
        "drafting_subject": drafting.pk,
        "plan_subject": Subject.objects.get(user__username="s08").pk,
        "decided_subject": Subject.objects.get(user__username="s04").pk,
        "report_subject": Subject.objects.get(user__username="s01").pk,
    }
    placeholders = {
        "subject": subject.first().pk,
        "problem": problem.pk if problem else 1,
        "question": questionnaire.questions.first().pk,
    }
    who = {
        "office": users.get(username="office"),
        "member": users.get(username="member"),
        "liaison": users.get(username="liaison"),
        "s_upload": users.get(username="subject"),
        "s_plan": users.get(username="s08"),
        "s_report": users.get(username="s01"),
        "anonymous": None,
    }
    return objects, placeholders, who


def _row_counts() -> dict:
    labels = ("core", "reviews", "subjects", "surveys", "ballots", "rectification", "workbench")
    counts = {
        m._meta.label: m._default_manager.count()
        for a in labels
        for m in apps.get_app_config(a).get_models()
    }
    counts["auth.User"] = get_user_model().objects.count()
    return counts


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _says_why_in_chinese(response) -> bool:
    body = response.content.decode(errors="replace")
    for marker in ("alert-danger", "errorlist", "errornote", "invalid-feedback"):
        index = body.find(marker)
        if index != -1 and CHINESE.search(body[index : index + 400]):
            return True
    return False


def test_no_malformed_submission_answers_500_or_writes(client):
    objects, placeholders, who = _world()
    sent = 0
    failures = []
    for name, (user_key, url_args, fields) in ENDPOINTS.items():
        url = reverse(name, kwargs={k: objects.get(v, v) for k, v in url_args.items()})
        subject_pk = objects.get(url_args.get("pk", ""), None)
        own = (
            Subject.objects.filter(pk=subject_pk).first()
            if "subject" in url_args.get("pk", "")
            else None
        )
        problem = (
            own.opinion.problems.first() if own is not None and hasattr(own, "opinion") else None
        )
        values = {**placeholders, **({"problem": problem.pk} if problem else {})}
        fields = [(n.format(**values), k, r) for n, k, r in fields]
        user = who[user_key]
        for variant in _variants(fields):
            client.logout()
            if user is not None:
                client.force_login(user)
            before = _row_counts()
            response = client.post(url, variant, follow=True)
            sent += 1
            status = (
                response.redirect_chain[0][1] if response.redirect_chain else response.status_code
            )
            problem = None
            if response.status_code >= 500:
                problem = f"status {response.status_code}"
            elif _row_counts() != before:
                changed = {k for k, v in _row_counts().items() if before.get(k) != v}
                problem = f"wrote rows: {sorted(changed)}"
            elif status not in (403, 404, 405, 410, 429) and not _says_why_in_chinese(response):
                problem = f"no Chinese message (status {status})"
            if problem:
                shown = {
                    k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v)
                    for k, v in variant.items()
                }
                failures.append(f"{name} {shown}: {problem}")
    assert not failures, "\n".join(failures)
    assert sent >= 150, sent


def _post_routes():
    def leaves(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin"):
                    continue
                yield from leaves(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield p

    for pattern in leaves(get_resolver()):
        try:
            source = inspect.getsource(inspect.unwrap(pattern.callback))
        except (OSError, TypeError):
            continue
        if pattern.name and re.search(r"POST|_post\b", source):
            yield pattern.name


def test_every_post_endpoint_is_fuzzed_or_takes_no_input():
    unlisted = sorted(
        name for name in set(_post_routes()) if name not in ENDPOINTS and name not in NO_INPUT
    )
    assert not unlisted, f"fuzz these POST endpoints or say why they take no input: {unlisted}"
