"""大字模式 (large text) on a 390 px phone, for every role: the switch in the navbar is
remembered for the login, base text is 24 px (18 pt) with line spacing of at least 1.3, and
no main page of any role needs sideways scrolling (a data table scrolls inside its own
box). The vote page's option buttons keep each option on one line, and the sticky
已选/下一步 bar leaves every option reachable. The same holds with the browser's text at
200 %, emulated by doubling the root font size in a context that may add a style."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from ballots.models import Ballot, BallotStatus
from core.models import UserPreference
from tests.workbench.test_my_work_links import fetch, links_of
from workbench.demo import DEMO_PASSWORD, demo_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 11, 26)
NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
ROLES = ["office", "leader", "director", "member", "subject", "liaison", "s08", "m02"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# How far the page reaches to the right, leaving out what sits inside a table's scroller
# (.table-responsive), which may scroll on its own.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    if (el.closest(".table-responsive")) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  });
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    wide: wide.slice(0, 5).map((el) => el.tagName.toLowerCase() + "." + el.className),
  };
}"""

# A label whose text wraps is taller than one line; one character per line is far taller.
WRAPPED_OPTIONS = """() => [...document.querySelectorAll(".vote-options label")].filter((label) => {
  const range = document.createRange();
  range.selectNodeContents(label);
  const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return lines.size > 1;
}).map((label) => label.textContent.trim())"""


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=True):
        demo_load(today=TODAY)
        yield


def main_pages(username: str) -> list[str]:
    """我的工作 and every page it links to: the pages a role meets first."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response, final = fetch(client, "/my-work/")
    pages = ["/my-work/"]
    for link in links_of(final, response.content.decode()):
        if link not in pages and not link.startswith("/admin/"):
            pages.append(link)
    return pages


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/my-work/")


def switch_on(page) -> None:
    """The navbar's 大字模式 switch; on a phone it sits in the collapsed menu."""
    page.get_by_role("button", name="菜单").click()
    # Click only once the menu has finished opening: a click during Bootstrap's collapse
    # transition can land on nothing (seen once in a full run: no POST was made).
    expect(page.locator(".navbar-collapse")).to_have_class(
        re.compile(r"^(?!.*collapsing).*\bshow\b")
    )
    switch = page.get_by_test_id("large-text")
    expect(switch).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        switch.click()
    expect(page.get_by_test_id("large-text")).to_have_attribute("aria-pressed", "true")
    page.wait_for_load_state("load")


def test_large_text_is_remembered_and_no_main_page_scrolls_sideways(browser, live_server, demo):
    problems, visited = [], 0
    for username in ROLES:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        login(page, live_server.url, username)
        switch_on(page)
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 24
        line = page.evaluate(
            "(() => { const s = getComputedStyle(document.body);"
            " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"
        )
        assert line >= 1.3, line
        for url in main_pages(username):
            response = page.goto(live_server.url + url)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            visited += 1
            found = page.evaluate(OVERFLOW)
            if found["scrollWidth"] > 390 or found["wide"]:
                problems.append(f"{username} {url}: {found['scrollWidth']} px, {found['wide']}")
        context.close()
    # Remembered for the login, not the browser: a fresh browser shows it on.
    assert UserPreference.objects.filter(large_text=True).count() == len(ROLES)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server.url, "office")
    expect(page.locator("html")).to_have_class("large-text")
    context.close()
    assert not problems, "\n".join(problems)
    assert visited >= 30, visited


def _vote_page_fits(page, base: str, ballot) -> None:
    page.goto(f"{base}/ballots/{ballot.pk}/vote/")
    expect(page.locator("[data-vote-form]")).to_be_visible()
    assert page.evaluate(WRAPPED_OPTIONS) == []
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= 390 and not found["wide"], found
    # Each option, brought into view by the keyboard, is not under the sticky bar.
    bar = page.locator(".vote-bar").bounding_box()
    labels = page.locator(".vote-options label")
    for n in range(labels.count()):
        page.locator(".vote-options input").nth(n).focus()
        box = labels.nth(n).bounding_box()
        assert box["y"] + box["height"] <= bar["y"] + 1 or box["y"] >= bar["y"] + bar["height"], n
    picked = page.locator("fieldset[data-subject]")
    for n in range(picked.count()):
        picked.nth(n).locator("label").last.click()
    expect(page.get_by_test_id("picked-counter")).to_contain_text(f"已选 {picked.count()}")


def test_vote_page_at_large_text_and_at_200_percent(browser, live_server, demo):
    practice = Ballot.objects.get(status=BallotStatus.OPEN, purpose="practice")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    login(page, live_server.url, "member")
    switch_on(page)
    _vote_page_fits(page, live_server.url, practice)
    context.close()

    # The browser's own text size at 200 % (large text off): the root font doubles. Adding
    # that style needs a context outside the Content-Security-Policy.
    context = browser.new_context(**PHONE, bypass_csp=True)
    page = context.new_page()
    login(page, live_server.url, "director")
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const s = document.createElement('style');"
        " s.textContent = 'html { font-size: 200% !important; }';"
        " document.head.appendChild(s); });"
    )
    _vote_page_fits(page, live_server.url, practice)
    for url in ("/my-work/", "/notifications/"):
        page.goto(live_server.url + url)
        found = page.evaluate(OVERFLOW)
        assert found["scrollWidth"] <= 390 and not found["wide"], (url, found)
    context.close()


# Inside a stacked-card table nothing may scroll sideways: its scroller is not exempt.
CARD_OVERFLOW = OVERFLOW.replace(
    'if (el.closest(".table-responsive")) return false;',
    'const box0 = el.closest(".table-responsive");'
    ' if (box0 && !box0.querySelector("table.table-cards")) return false;'
    # A card table's header row is visually hidden (clipped), its cells still measured.
    ' if (el.closest("table.table-cards thead")) return false;',
)
CARDS = """() => [...document.querySelectorAll("table.table-cards")].map((table) => ({
  id: table.dataset.testid || table.className,
  rows: [...table.querySelectorAll("tbody tr")].map((tr) => getComputedStyle(tr).display),
  head: getComputedStyle(table.querySelector("thead")).position,
  labelled: [...table.querySelectorAll("tbody td")].every(
    (td) => td.hasAttribute("data-label") || !td.textContent.trim() || td.colSpan > 1),
}))"""


def test_data_tables_are_stacked_cards_on_a_phone_at_large_text(browser, live_server, demo):
    """The data tables users read on a phone (subjects, members, ballots, results, the
    public page, rectification, duty reports, a group's subjects) are one card per row at
    390 px in 大字模式, each cell named by its column, and the page never scrolls sideways;
    at 1,366 px they are real tables. A screenshot of each is saved for a person to look at."""
    from django.urls import reverse

    from subjects.models import Subject
    from surveys.models import AssessmentGroup
    from tests.e2e.axe import SCREENSHOTS

    ballot = Ballot.objects.filter(status=BallotStatus.PUBLISHED, purpose="review").first()
    campaign = ballot.campaign
    subject = Subject.objects.filter(campaign=campaign).order_by("position").first()
    group = AssessmentGroup.objects.filter(campaign=campaign).first()
    urls = [
        reverse("campaign_detail", args=[campaign.pk]),
        reverse("subjects_setup", args=[campaign.pk]),
        reverse("members_setup"),
        reverse("ballot_list", args=[campaign.pk]),
        reverse("ballot_results", args=[ballot.pk]),
        reverse("public_campaign", args=[campaign.pk]),
        reverse("campaign_rectification", args=[campaign.pk]),
        reverse("subject_rectification", args=[subject.pk]),
        reverse("campaign_duty_reports", args=[campaign.pk]),
        reverse("group_detail", args=[group.pk]),
    ]
    folder = SCREENSHOTS / "table-cards"
    folder.mkdir(parents=True, exist_ok=True)
    problems, cards_seen = [], 0
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    login(page, live_server.url, "office")
    switch_on(page)
    desk = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(desk, live_server.url, "office")
    for url in urls:
        page.goto(live_server.url + url)
        name = url.strip("/").replace("/", "_")
        page.screenshot(path=str(folder / f"{name}-phone-large-text.png"), full_page=True)
        found = page.evaluate(CARD_OVERFLOW)
        if found["scrollWidth"] > 390 or found["wide"]:
            problems.append(f"{url}: {found['scrollWidth']} px, {found['wide']}")
        tables = page.evaluate(CARDS)
        if not tables:
            problems.append(f"{url}: 没有按卡片显示的数据表")
        for table in tables:
            cards_seen += len(table["rows"])
            if set(table["rows"]) - {"block"} or table["head"] != "absolute":
                problems.append(f"{url} {table['id']}: 手机上不是卡片 {table}")
            if not table["labelled"]:
                problems.append(f"{url} {table['id']}: 有的单元格没有列名")
        desk.goto(live_server.url + url)
        desk.screenshot(path=str(folder / f"{name}-desktop.png"), full_page=True)
        rows = desk.evaluate(CARDS)
        if any(set(t["rows"]) - {"table-row"} for t in rows):
            problems.append(f"{url}: 桌面上不是表格")
    phone.close()
    desk.context.close()
    assert not problems, "\n".join(problems)
    assert cards_seen >= 30, cards_seen
