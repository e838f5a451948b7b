"""Deputies vote on the web with one-time voting codes: the office lets the deputies' group
vote on the web and prints the code slips, two deputies vote on their phones (one from the
slip's link, one typing the code), three members vote, the control page and the big screen
show each group's turnout, two tellers decrypt on their phones, and the published results
show each group's turnout and the weighted outcome; the record verifies per group."""

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ballots.browser import teller_key_file
from tests.e2e.ballot_steps import ballot_open_confirmed, ballot_publish_confirmed
from tests.e2e.steps import login_as
from tests.factories import (
    TELLER_SEEDS,
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    office_user,
    tellers_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def _vote(page, choices: dict[str, str]):
    expect(page.get_by_test_id("no-js")).to_be_hidden()
    for subject, choice in choices.items():
        page.locator(f"fieldset[data-subject='{subject}']").get_by_text(choice, exact=True).click()
    page.get_by_role("button", name="下一步：核对").click()
    expect(page.get_by_test_id("confirm-list").locator(".opt-on")).to_have_count(len(choices))
    page.get_by_role("button", name="确认投票").click()
    expect(page.get_by_test_id("vote-state")).to_contain_text("投票成功")
    return page.get_by_test_id("receipt").inner_text()


def test_deputies_vote_with_codes_and_count_in_their_weight(browser, live_server, tmp_path):
    office = office_user(username="office")
    campaign = CampaignFactory(actor=office, composition_size=3)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    for i in (1, 2, 3):
        MemberFactory(user__username=f"weiyuan{i}")
    tellers = [UserFactory(username=f"jianpiao{i}") for i in (1, 2, 3)]
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        tellers=tellers,
        extra_groups=[("人大代表", Decimal("0.25"))],
    )
    # The tellers made their keys on their phones beforehand (tests/e2e/test_teller_journey.py
    # shows that part); here they keep the files their browsers downloaded.
    tellers_ready(ballot, actor=office)
    files = {}
    for i in (1, 2):
        files[i] = tmp_path / f"teller{i}.json"
        sealed = teller_key_file(ballot, i, TELLER_SEEDS[ballot.pk][i], f"passphrase-{i}")
        files[i].write_text(json.dumps(sealed), encoding="utf-8")

    # 1. The office lets the deputies vote on the web and prints their code slips.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    office_page = desk.new_page()
    login_as(office_page, live_server.url, "office")
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/")
    form = office_page.get_by_test_id("codes-form")
    expect(form).to_contain_text("人大代表（权重 0.25）：开通网上投票，生成投票码")
    form.get_by_role("spinbutton").fill("2")
    with desk.expect_page() as opened:
        form.get_by_role("button", name="生成并打印投票码条").click()
    slips = opened.value
    expect(slips.get_by_test_id("voting-code")).to_have_count(2)
    expect(slips.get_by_role("button", name="打印")).to_be_visible()
    expect(slips.locator(".slip svg")).to_have_count(2)  # a QR code on each slip
    codes = slips.get_by_test_id("voting-code").all_inner_texts()
    links = slips.get_by_test_id("voting-link").all_inner_texts()
    assert all(re.fullmatch(r"[A-Z2-9]{12}", c) for c in codes)
    assert links == [f"{live_server.url}/vote/?c={c}" for c in codes]
    assert "姓名" not in slips.get_by_test_id("code-slips").inner_text()
    slips.pdf(path=str(tmp_path / "slips.pdf"))  # 另存为 PDF, as the office's browser would
    assert (tmp_path / "slips.pdf").stat().st_size > 1000
    slips.close()
    office_page.reload()
    expect(office_page.get_by_test_id("group-turnout")).to_contain_text("人大代表")
    ballot_open_confirmed(office_page)
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("投票中")

    # 2. Two deputies, no account: one opens the slip's link (its QR), one types the code.
    deputy = browser.new_context(**PHONE).new_page()
    deputy.goto(links[0])
    expect(deputy.get_by_role("paragraph").filter(has_text="凭投票码")).to_be_visible()
    receipts = [_vote(deputy, {"金立新": "不满意", "唐晓云": "满意"})]
    deputy.goto(links[0])  # the same slip again
    expect(deputy.get_by_test_id("vote-state")).to_contain_text("已经投过票")
    typing = browser.new_context(**PHONE).new_page()
    typing.goto(f"{live_server.url}/vote/")
    typing.get_by_label("投票码（见投票码条）").fill(f"{codes[1][:6].lower()} {codes[1][6:]}")
    typing.get_by_role("button", name="进入投票").click()
    receipts.append(_vote(typing, {"金立新": "不满意", "唐晓云": "满意"}))

    # 3. Three members vote on their phones.
    for username, choices in [
        ("weiyuan1", {"金立新": "满意", "唐晓云": "基本满意"}),
        ("weiyuan2", {"金立新": "满意", "唐晓云": "不满意"}),
        ("weiyuan3", {"金立新": "满意", "唐晓云": "满意"}),
    ]:
        member = browser.new_context(**PHONE).new_page()
        login_as(member, live_server.url, username)
        member.get_by_role("link", name="去投票").click()
        receipts.append(_vote(member, choices))

    # 4. Each group's turnout on the control page and the big screen.
    office_page.reload()
    turnout = office_page.get_by_test_id("group-turnout")
    expect(turnout.locator("[data-group-turnout='常委会组成人员']")).to_have_text("3 / 3")
    expect(turnout.locator("[data-group-turnout='人大代表']")).to_have_text("2 / 2")
    screen = desk.new_page()
    screen.goto(f"{live_server.url}/ballots/{ballot.pk}/screen/")
    expect(screen.get_by_test_id("screen-group-turnout")).to_contain_text(
        "常委会组成人员 3 / 3　人大代表 2 / 2"
    )

    # 5. The office ends the voting; two tellers decrypt the sums on their phones.
    office_page.once("dialog", lambda dialog: dialog.accept())
    office_page.get_by_role("button", name="结束投票").click()
    expect(office_page.get_by_test_id("ballot-status")).to_contain_text("已解密 0 人，需 2 人")
    for i, done in ((1, "解密结果已通过校验"), (2, "计票完成")):
        teller = browser.new_context(**PHONE).new_page()
        login_as(teller, live_server.url, f"jianpiao{i}")
        teller.get_by_role("link", name="去解密").click()
        teller.get_by_label("监票密钥文件").set_input_files(str(files[i]))
        teller.get_by_label("口令").fill(f"passphrase-{i}")
        teller.get_by_test_id("teller-submit").click()
        expect(teller.get_by_test_id("teller-message")).to_contain_text(done)

    # 6. Published: each group's turnout and the weighted outcome.
    office_page.reload()
    ballot_publish_confirmed(office_page)
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("已公布")
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/results/")
    groups = office_page.get_by_test_id("group-turnout")
    expect(groups.locator("tr[data-group='常委会组成人员']")).to_contain_text("3 / 3")
    expect(groups.locator("tr[data-group='人大代表']")).to_contain_text("0.25")
    expect(groups.locator("tr[data-group='人大代表']")).to_contain_text("2 / 2（投票码）")
    rows = office_page.get_by_test_id("results").locator("tbody tr")
    # 金立新: members 3 满意, deputies 2 不满意 at 1/4 → 3 / 3.5 = 85.71 % → 满意 (counted
    # unweighted, 3 / 5 = 60 % would have been 基本满意).
    first = rows.filter(has_text="金立新")
    expect(first).to_contain_text("85.71%")
    expect(first.locator("td").nth(4)).to_have_text("0.50")  # 2 不满意 × 0.25
    expect(first.locator("strong")).to_have_text("满意")
    second = rows.filter(has_text="唐晓云")
    expect(second).to_contain_text("71.43%")  # (1 + 1 + 0.5) / 3.5
    expect(second.locator("strong")).to_have_text("基本满意")
    office_page.screenshot(path="/tmp/voting_code_results.png", full_page=True)
    receipts_text = office_page.get_by_test_id("receipts").text_content()
    assert all(r in receipts_text for r in receipts)

    # The downloaded record verifies, sheets counted per group.
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/record/")
    expect(office_page.get_by_test_id("record-checks")).not_to_contain_text("未通过")
    record = tmp_path / "record.json"
    with office_page.expect_download() as download:
        office_page.get_by_test_id("record-download").click()
    download.value.save_as(record)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/verify_ballot.py"), str(record)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "常委会组成人员 3, 人大代表 2" in done.stdout and "PASS" in done.stdout
    desk.close()
