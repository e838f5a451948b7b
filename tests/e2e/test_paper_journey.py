"""Paper sheets counted at the meeting: two office users type the deputies' counting form
(计票单) separately; a mismatch is shown and keeps the ballot from closing until one entry
is redone; the agreed figures are what the published result counts."""

from decimal import Decimal

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
    tellers_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _type(page, form, figures: dict[str, str]) -> None:
    for label, value in figures.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="保存人大代表纸质票").click()


def test_two_office_users_enter_the_deputies_paper_totals(browser, live_server):
    office = office_user(username="office", first_name="柏办公")
    office_user(username="clerk", first_name="唐录入")
    campaign = CampaignFactory(actor=office, composition_size=3)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    for i in (1, 2, 3):
        MemberFactory(user__username=f"weiyuan{i}")
    ballot = BallotFactory(
        campaign=campaign, actor=office, extra_groups=[("人大代表", Decimal("0.5"))]
    )
    tellers_ready(ballot, actor=office)
    deputies = ballot.voter_groups.get(name="人大代表")
    figures = {
        "发出票数": "12",
        "收回票数": "10",
        "金立新 满意": "6",
        "金立新 不满意": "3",
        "金立新 无效票": "1",
        "唐晓云 满意": "10",
    }

    first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login_as(first, live_server.url, "office")
    first.goto(f"{live_server.url}/ballots/{ballot.pk}/")
    form = first.get_by_test_id(f"paper-{deputies.pk}")
    expect(form.get_by_role("link", name="打印人大代表纸质测评票和计票单（PDF）")).to_be_visible()
    ballot_open_confirmed(first)
    expect(first.get_by_test_id("ballot-status")).to_have_text("投票中")
    form = first.get_by_test_id(f"paper-{deputies.pk}")
    expect(form.get_by_label("录入次序")).to_have_value("1")
    _type(first, form, figures)
    expect(first.get_by_text("人大代表纸质票第一次录入已保存")).to_be_visible()
    expect(first.get_by_test_id(f"paper-{deputies.pk}").get_by_test_id("paper-state")).to_have_text(
        "待第二次录入核对"
    )

    # The second clerk types one box wrong: the page names it, and closing is refused.
    second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login_as(second, live_server.url, "clerk")
    second.goto(f"{live_server.url}/ballots/{ballot.pk}/")
    form = second.get_by_test_id(f"paper-{deputies.pk}")
    expect(form).to_contain_text("第一次录入：柏办公")
    expect(form.get_by_label("录入次序")).to_have_value("2")
    # The first entry's figures are not on the page: the second typing is blind.
    expect(form.get_by_label("发出票数")).to_have_value("")
    _type(second, form, {**figures, "金立新 满意": "5", "金立新 无效票": "2"})
    differences = second.get_by_test_id(f"paper-{deputies.pk}").get_by_test_id("paper-differences")
    expect(differences).to_contain_text("金立新“满意”：第一次 6，第二次 5")
    expect(differences).to_contain_text("金立新无效票：第一次 1，第二次 2")
    second.once("dialog", lambda dialog: dialog.accept())
    second.get_by_role("button", name="结束投票").click()
    expect(second.get_by_text("纸质票两次录入尚未核对一致，不能结束投票")).to_be_visible()
    expect(second.get_by_test_id("ballot-status")).to_have_text("投票中")

    # The clerk checks the counting form and redoes the second entry: they agree.
    form = second.get_by_test_id(f"paper-{deputies.pk}")
    expect(form.get_by_label("录入次序")).to_have_value("2")
    _type(second, form, figures)
    expect(second.get_by_text("人大代表纸质票两次录入一致，已计入测评")).to_be_visible()
    expect(
        second.get_by_test_id(f"paper-{deputies.pk}").get_by_test_id("paper-state")
    ).to_contain_text("两次录入一致，已计入：发出 12，收回 10")
    second.screenshot(path="/tmp/paper_double_entry.png", full_page=True)

    # Nobody voted on the web: closing counts at once, then the office publishes.
    first.reload()
    first.once("dialog", lambda dialog: dialog.accept())
    first.get_by_role("button", name="结束投票").click()
    expect(first.get_by_test_id("ballot-status")).to_have_text("已结束")
    ballot_publish_confirmed(first)
    expect(first.get_by_test_id("ballot-status")).to_have_text("已公布")
    row = first.get_by_test_id("results").locator("tr", has_text="金立新")
    # The deputies' agreed 6 满意 and 3 不满意 at weight 0.5.
    expect(row).to_contain_text("3")
    expect(row).to_contain_text("1.5")
    first.context.close()
    second.context.close()
