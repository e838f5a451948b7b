"""Office opens a ballot; a member votes on a phone; the big screen's turnout goes up;
office closes and publishes; results show."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ballot_steps import ballot_open_confirmed, ballot_publish_confirmed
from tests.e2e.steps import login_as
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    office_user,
    tellers_count,
    tellers_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_ballot_from_opening_to_published_results(browser, live_server):
    office = office_user(username="office")
    campaign = CampaignFactory(actor=office, composition_size=3)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    for i in (1, 2, 3):
        MemberFactory(user__username=f"weiyuan{i}")
    ballot = BallotFactory(campaign=campaign, actor=office)
    tellers_ready(ballot, actor=office)  # the tellers' own journey: test_teller_journey.py

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    office_page = desk.new_page()
    login_as(office_page, live_server.url, "office")
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/")
    ballot_open_confirmed(office_page)
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("投票中")
    expect(office_page.get_by_test_id("turnout")).to_contain_text("0 / 3")

    screen = desk.new_page()
    screen.goto(f"{live_server.url}/ballots/{ballot.pk}/screen/")
    expect(screen.get_by_test_id("screen-turnout")).to_contain_text("0 / 3")
    expect(screen.get_by_test_id("screen-qr").locator("svg")).to_be_visible()
    expect(screen.get_by_test_id("screen-turnout")).to_contain_text("最低参加人数 2")

    phones = []
    for username, choices in [
        ("weiyuan1", ("满意", "不满意")),
        ("weiyuan2", ("基本满意", "不满意")),
    ]:
        phone = browser.new_context(
            viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
        )
        phones.append(phone)
        member_page = phone.new_page()
        login_as(member_page, live_server.url, username)
        member_page.get_by_role("link", name="去投票").click()
        counter = member_page.get_by_test_id("picked-counter")
        expect(counter).to_have_text("已选 0 / 2")
        for n, (subject, choice) in enumerate(zip(("金立新", "唐晓云"), choices, strict=True)):
            member_page.locator(f"fieldset[data-subject='{subject}']").get_by_text(
                choice, exact=True
            ).click()
            expect(counter).to_have_text(f"已选 {n + 1} / 2")
        if username == "weiyuan1":
            member_page.screenshot(path="/tmp/ballot_vote_phone.png", full_page=True)
        member_page.get_by_role("button", name="下一步：核对").click()
        expect(member_page.get_by_test_id("confirm-list")).to_contain_text(choices[1])
        member_page.get_by_role("button", name="确认投票").click()
        expect(member_page.get_by_test_id("vote-state")).to_contain_text("投票成功")
        expect(member_page.get_by_test_id("receipt")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
        member_page.goto(f"{live_server.url}/ballots/{ballot.pk}/vote/")
        expect(member_page.get_by_test_id("vote-state")).to_contain_text("您已投票")
        member_page.get_by_role("link", name="返回我的工作").click()
        member_page.wait_for_url("**/my-work/")
        expect(member_page.get_by_text("去投票")).to_have_count(0)
    voter = phones[0].pages[0]
    phones[1].close()

    # The big screen and the office's control page update themselves without a reload.
    expect(screen.get_by_test_id("screen-turnout")).to_contain_text("2 / 3", timeout=10000)
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.screenshot(path="/tmp/ballot_screen_open.png")
    expect(office_page.get_by_test_id("turnout")).to_contain_text("2 / 3", timeout=10000)
    expect(office_page.get_by_test_id("not-voted")).to_have_text(re.compile(r"^[^、]+$"))
    office_page.once("dialog", lambda dialog: dialog.accept())
    office_page.get_by_role("button", name="结束投票").click()
    expect(office_page.get_by_test_id("ballot-status")).to_contain_text("待监票人解密")
    tellers_count(ballot)  # two tellers decrypt (in their browsers: test_teller_journey.py)
    office_page.reload()
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("已结束")
    # Counted but sealed: not even the office sees a count before publishing.
    expect(office_page.get_by_test_id("sealed")).to_be_visible()
    expect(office_page.get_by_test_id("results")).to_have_count(0)
    ballot_publish_confirmed(office_page)
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("已公布")

    expect(screen.get_by_test_id("screen-results")).to_contain_text("金立新", timeout=10000)
    expect(screen.get_by_test_id("screen-results")).to_contain_text("不满意")
    expect(screen.get_by_test_id("screen-rule")).to_contain_text("结果规则")
    screen.screenshot(path="/tmp/ballot_screen.png")
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/results/")
    office_page.screenshot(path="/tmp/ballot_results.png", full_page=True)
    rows = office_page.get_by_test_id("results")
    expect(rows).to_contain_text("金立新")
    expect(rows.locator("tr", has_text="唐晓云")).to_contain_text("不满意")
    office_page.get_by_text("已计入的回执码").click()
    expect(office_page.get_by_test_id("verified")).to_have_text("核对一致")

    # The voter finds the published results on 我的工作 and checks the receipt this phone kept.
    voter.goto(f"{live_server.url}/my-work/")
    expect(voter.get_by_test_id("news")).to_contain_text("测评结果已公布")
    voter.get_by_role("link", name="核对回执").click()
    expect(voter.get_by_test_id("receipt-state")).to_contain_text("已计入")
    voter.screenshot(path="/tmp/ballot_receipt_phone.png", full_page=True)
    phones[0].close()
    desk.close()


def test_without_javascript_the_member_is_told_to_ask_for_a_paper_sheet(browser, live_server):
    office = office_user(username="office")
    campaign = CampaignFactory(actor=office, composition_size=1)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    MemberFactory(user__username="weiyuan1")
    BallotFactory(campaign=campaign, actor=office, status="open")
    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    page = phone.new_page()
    login_as(page, live_server.url, "weiyuan1")
    page.get_by_role("link", name="去投票").click()
    expect(page.get_by_test_id("no-js")).to_be_visible()
    expect(page.get_by_test_id("no-js")).to_contain_text("领取纸质票")
    expect(page.get_by_role("button", name="下一步：核对")).to_be_hidden()
    phone.close()
