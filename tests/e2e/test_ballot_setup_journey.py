"""Office sets a ballot up on its page: picks a county's preset, adjusts it while the
sentence follows, is told what is wrong, saves; then compares rules on a past ballot."""

import pytest
from playwright.sync_api import expect

from ballots.models import Ballot, BallotStatus
from ballots.presets import presets
from tests.factories import PASSWORD, BallotFactory, CampaignFactory, SubjectFactory, office_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_sets_up_a_rule_and_simulates_it(browser, live_server):
    office = office_user(username="office")
    campaign = CampaignFactory(actor=office, composition_size=5)
    SubjectFactory(campaign=campaign, person_name="金立新")
    BallotFactory(  # five members vote: 3 满意, 2 不满意
        campaign=campaign,
        actor=office,
        name="上次测评",
        status=BallotStatus.PUBLISHED,
        votes=["满意"] * 3 + ["不满意"] * 2,
    )

    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("登录名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/ballots/")

    preview = page.get_by_test_id("rule-preview")
    expect(preview).to_contain_text("不满意票超过组成人员总数的一半")
    page.get_by_label("预设规则").select_option("jinshi")
    expect(preview).to_contain_text("÷ 收回票的比率分档：超过三分之二为满意")
    # Options and outcome labels are list editors, one box per label, filled by the preset.
    jinshi = next(p for p in presets() if p["key"] == "jinshi")
    outcomes = page.locator("#id_outcomes input")
    expect(outcomes).to_have_count(len(jinshi["outcomes"]))
    assert outcomes.evaluate_all("boxes => boxes.map(b => b.value)") == jinshi["outcomes"]
    expect(page.locator("#id_options input")).to_have_count(len(jinshi["scale"]))
    page.get_by_label("分档（从高到低，每行一档）").fill(">=50% 基本满意\n>2/3 满意")
    expect(preview).to_contain_text("从高到低")
    page.get_by_label("分档（从高到低，每行一档）").fill(">=3/4 满意\n>=50% 基本满意")
    expect(preview).to_contain_text("达到75%为满意，达到50%为基本满意，其余为不满意")
    page.get_by_label("测评名称").fill("新规则测评")
    page.get_by_role("button", name="建立测评").click()
    expect(page.get_by_text("测评已建立。")).to_be_visible()
    draft = Ballot.objects.get(name="新规则测评")
    assert draft.rule_preset == "custom" and draft.rule_spec["rate_base"] == "cast"
    assert draft.outcomes == jinshi["outcomes"] and draft.options == jinshi["scale"]
    page.screenshot(path="/tmp/ballot_setup.png", full_page=True)

    page.get_by_text("用往次测评的票数试一试本规则").click()
    page.get_by_role("link", name="上次测评").click()
    table = page.get_by_test_id("simulation")
    expect(table).to_contain_text("拟用规则：新规则测评")
    # 3 of 5 = 60 %: 基本满意 by default and under the draft (≥ 50 %), 满意 under 镇海
    # (more than half of the composition is favourable), 不满意 under 津市 (not > 2/3).
    headers = table.locator("thead th").all_inner_texts()
    cells = table.locator("tbody td")

    def outcome(rule):
        return cells.nth(headers.index(rule)).locator("strong")

    expect(outcome("本次所用规则")).to_have_text("基本满意")
    expect(outcome("拟用规则：新规则测评")).to_have_text("基本满意")
    expect(outcome("镇海")).to_have_text("满意")
    expect(outcome("津市")).to_have_text("不满意")
    expect(cells.nth(headers.index("津市"))).to_have_class("table-warning")
    page.screenshot(path="/tmp/ballot_simulate.png", full_page=True)
