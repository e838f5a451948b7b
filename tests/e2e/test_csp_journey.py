"""Every role's journey in Chromium under the Content-Security-Policy: each page reachable
from 我的工作 (two links deep) loads without a single violation, and the scripts that
moved out of the markup still run — the big screen's and the results' charts draw, the
vote counter counts, the rule builder's sentence follows, a confirmation asks, the issued
briefing is styled in its frame, a questionnaire marks what is missing, the admin works.

Violations are caught twice: Chromium's console message ("Content Security Policy") and
the page's own securitypolicyviolation events, recorded by an init script in every frame
(init scripts come through the DevTools protocol, which the policy does not govern)."""

import datetime
from collections import deque
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Error, expect

from ballots.models import Ballot, BallotStatus
from reviews.models import Campaign
from surveys.models import Questionnaire, QuestionnaireStatus
from tests.workbench.test_my_work_links import fetch, links_of
from workbench.demo import DEMO_PASSWORD, demo_load
from workbench.models import Briefing
from workbench.services.briefings import briefing_issue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 11, 26)  # as the link crawl: every stage has something to show
NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
ROLES = ["office", "leader", "director", "member", "subject", "liaison", "s08", "b04"]

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " refused " + (e.blockedURI || "inline")
    + " (" + e.sourceFile + ":" + e.lineNumber + ")");
});
"""

# Scripts that set sizes from data- attributes ran: every bar and chart has its size.
SIZED = """() => [...document.querySelectorAll("[data-bar-width]")].filter(e => !e.style.width)
  .concat([...document.querySelectorAll("[data-rows]")].filter(e => !e.style.height)).length"""


class Watched:
    """A browser context whose page reports every CSP violation it meets."""

    def __init__(self, browser, base: str, **options):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.context.add_init_script(COLLECT)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.problems: list[str] = []
        self.visited = 0

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def login(self, username: str):
        self.visit("/accounts/login/")
        self.page.get_by_label("登录名").fill(username)
        self.page.get_by_label("密码").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url("**/my-work/")
        self.check()

    def visit(self, url: str):
        self.page.goto(self.base + url, wait_until="load")
        self.visited += 1
        self.check()

    def check(self):
        """Record what this page refused so far, then start afresh."""
        where = self.page.url.removeprefix(self.base)
        found = [f"{where}: {text}" for text in self.console]
        self.console.clear()
        for frame in self.page.frames:
            try:
                found += [
                    f"{where} [{frame.name or frame.url[:20]}]: {v}"
                    for v in frame.evaluate("window.__csp || []")
                ]
                frame.evaluate("window.__csp = []")
            except Error:  # a frame that went away while we asked
                continue
        unsized = self.page.evaluate(SIZED)
        if unsized:
            found.append(f"{where}: {unsized} bars or charts without their size")
        self.problems += found


def pages_of(username: str) -> list[str]:
    """The HTML pages a login reaches from 我的工作: its links and their links."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    queue, seen, pages = deque([("/my-work/", 0)]), {"/my-work/"}, []
    while queue:
        url, depth = queue.popleft()
        response, final = fetch(client, url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append(url)
        if depth == 2:
            continue
        for link in links_of(final, response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, depth + 1))
    return pages


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=True):
        demo_load(today=TODAY)
        yield


def test_every_role_journey_runs_without_a_csp_violation(browser, live_server, demo):
    problems, visited = [], 0
    for username in ROLES:
        pages = pages_of(username)
        assert len(pages) >= 4, (username, pages)
        watched = Watched(browser, live_server.url)
        watched.login(username)
        for url in pages:
            watched.visit(url)
        problems += watched.problems
        visited += watched.visited
        watched.context.close()
    assert not problems, f"{len(problems)} violations:\n" + "\n".join(problems)
    print(f"{visited} pages visited")
    assert visited > 150, visited


def test_scripts_run_under_the_policy(browser, live_server, demo):
    office = Watched(browser, live_server.url)
    office.login("office")
    practice = Ballot.objects.get(status=BallotStatus.OPEN, purpose="practice")
    published = Ballot.objects.filter(status=BallotStatus.PUBLISHED).first()
    page = office.page

    # The big screen and the office's ballot page draw the turnout with ECharts.
    office.visit(f"/ballots/{practice.pk}/screen/")
    expect(page.locator("#turnout-chart canvas")).to_be_visible()
    expect(page.get_by_test_id("screen-turnout")).to_contain_text("已投 / 应投")
    office.check()
    office.visit(f"/ballots/{practice.pk}/")
    expect(page.locator("#turnout-chart canvas")).to_be_visible()

    # A confirmation (static/js/confirm.js) asks first; refused, nothing happens.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("button[data-confirm]").first.click()
    expect(page.get_by_test_id("ballot-status")).to_have_text("投票中")
    assert asked and "确定" in asked[0], asked
    practice.refresh_from_db()
    assert practice.status == BallotStatus.OPEN

    # The published results: the chart draws at the height its rows need.
    office.visit(f"/ballots/{published.pk}/results/")
    expect(page.locator("#results-chart canvas")).to_be_visible()
    assert page.locator("#results-chart").bounding_box()["height"] > 100
    # Its tooltip is drawn on the canvas (ECharts' HTML tooltip writes style attributes).
    page.locator("#results-chart canvas").first.hover()
    page.wait_for_timeout(300)
    office.check()
    office.visit(f"/ballots/{published.pk}/")
    expect(page.locator("#results-chart canvas")).to_be_visible()

    # The rule builder's sentence follows the preset.
    office.visit(f"/campaigns/{practice.campaign_id}/ballots/")
    preview = page.get_by_test_id("rule-preview")
    expect(preview).not_to_have_text("—")
    page.get_by_label("预设规则").select_option("jinshi")
    expect(preview).to_contain_text("超过三分之二为满意")
    office.check()

    # The draft briefing's 保存并签发 asks first (it was an onclick); then, issued, the
    # briefing shows in its srcdoc frame, styled by its own stylesheet.
    briefing = Briefing.objects.get()
    office.visit(f"/briefings/{briefing.pk}/")
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="保存并签发").click()
    expect(page.get_by_test_id("briefing-status")).to_have_text("草稿")
    assert "确定签发吗" in asked[-1], asked
    briefing_issue(actor=get_user_model().objects.get(username="office"), briefing=briefing)
    office.visit(f"/briefings/{briefing.pk}/")
    masthead = page.frame_locator("iframe.briefing-frame").locator(".masthead")
    expect(masthead).to_have_css("color", "rgb(192, 0, 0)")
    office.check()

    # The admin: its index, a change form with inlines, django-celery-beat's form.
    campaign = Campaign.objects.first()
    for url in (
        "/admin/",
        f"/admin/reviews/campaign/{campaign.pk}/change/",
        f"/admin/auth/user/{get_user_model().objects.get(username='office').pk}/change/",
        "/admin/django_celery_beat/periodictask/add/",
    ):
        office.visit(url)
        expect(page.locator("#content")).to_be_visible()
    expect(page.locator(".field-crontab_translation")).to_be_hidden()  # its script ran
    office.check()

    # The print pages (their print button is a listener now) and the 404 page.
    questionnaire = Questionnaire.objects.filter(status=QuestionnaireStatus.OPEN).first()
    office.visit(f"/questionnaires/{questionnaire.pk}/codes/")
    expect(page.locator("button[data-print]")).to_be_visible()
    expect(page.locator(".slip").first).to_have_css("border-top-style", "dashed")
    office.visit("/no-such-page/")
    expect(page.get_by_test_id("error-page")).to_be_visible()
    office.check()

    # A member votes on the practice ballot: the counter counts each choice.
    member = Watched(browser, live_server.url)
    member.login("member")
    member.visit(f"/ballots/{practice.pk}/vote/")
    counter = member.page.get_by_test_id("picked-counter")
    subjects = member.page.locator("fieldset[data-subject]")
    total = subjects.count()
    expect(counter).to_have_text(f"已选 0 / {total}")
    for n in range(total):
        subjects.nth(n).locator("label").first.click()
        expect(counter).to_have_text(f"已选 {n + 1} / {total}")
    member.page.get_by_role("button", name="下一步：核对").click()
    member.page.get_by_role("button", name="确认投票").click()
    expect(member.page.get_by_test_id("vote-state")).to_contain_text("投票成功")
    member.check()

    # A deputy's questionnaire, without login: the required questions left open are marked.
    deputy = Watched(browser, live_server.url)
    deputy.visit(f"/q/{questionnaire.public_token}/")
    if deputy.page.locator("fieldset[data-required]").count():
        deputy.page.get_by_role("button", name="提交问卷").click()
        expect(deputy.page.locator("#missing-summary")).to_contain_text("题必答题未作答")
    deputy.check()
    deputy.visit("/health/")  # django-health-check's page, its stylesheet with the nonce

    problems = office.problems + member.problems + deputy.problems
    assert not problems, "\n".join(problems)


def test_a_violation_would_be_caught(browser, live_server):
    """The watch itself works: an inline style and a foreign image are refused and reported."""
    watched = Watched(browser, live_server.url)
    watched.visit("/accounts/login/")
    assert not watched.problems, watched.problems
    watched.page.evaluate(
        """() => document.body.insertAdjacentHTML("beforeend",
        '<p style="color: red">x</p><img src="https://example.invalid/x.png" alt="">')"""
    )
    expect(watched.page.locator("p", has_text="x").last).not_to_have_css("color", "rgb(255, 0, 0)")
    watched.page.wait_for_timeout(300)
    watched.check()
    text = "\n".join(watched.problems)
    assert "style-src-attr" in text and "img-src" in text, text
