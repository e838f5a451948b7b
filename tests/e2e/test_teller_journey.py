"""Three tellers (监票人) make their keys on their phones, members vote, two tellers
decrypt in the meeting (one first loads the wrong file), the office publishes, a member
finds their receipt, and the independent verifier passes on the downloaded record."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.ballot_steps import (
    ballot_open_confirmed,
    ballot_publish_confirmed,
    teller_load_key,
    teller_make_key,
)
from tests.e2e.steps import login_as
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    office_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def test_tellers_make_keys_members_vote_two_tellers_count(browser, live_server, tmp_path):
    office = office_user(username="office")
    campaign = CampaignFactory(actor=office, composition_size=3)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    for i in (1, 2, 3):
        MemberFactory(user__username=f"weiyuan{i}")
    tellers = [UserFactory(username=f"jianpiao{i}") for i in (1, 2, 3)]
    ballot = BallotFactory(campaign=campaign, actor=office, tellers=tellers)

    # 1. Each teller makes a key on a phone: a file is downloaded, a backup shown.
    files, pages = {}, {}
    for i in (1, 2, 3):
        context = browser.new_context(accept_downloads=True, **PHONE)
        page = pages[i] = context.new_page()
        login_as(page, live_server.url, f"jianpiao{i}")
        files[i] = tmp_path / f"teller{i}.json"
        key = teller_make_key(page, files[i], f"passphrase-{i}")
        expect(page.get_by_test_id("backup-text")).to_contain_text('"verification_key"')
        assert key["teller"] == i and key["ballot"] == ballot.crypto_id
    # Tellers 1 and 2 made theirs before the others: they send the shares they owe.
    for i in (1, 2):
        page = pages[i]
        page.goto(f"{live_server.url}/my-work/")
        page.get_by_role("link", name="去发送").click()
        teller_load_key(page, files[i], f"passphrase-{i}")
        expect(page.get_by_test_id("teller-message")).to_contain_text("份额已发送")

    # 2. The office opens the ballot; two members vote on their phones.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    office_page = desk.new_page()
    login_as(office_page, live_server.url, "office")
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/")
    expect(office_page.get_by_test_id("tellers")).to_contain_text("已生成密钥")
    ballot_open_confirmed(office_page)
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("投票中")
    receipts = []
    for username, choices in [
        ("weiyuan1", ("满意", "不满意")),
        ("weiyuan2", ("基本满意", "不满意")),
    ]:
        phone = browser.new_context(**PHONE)
        member = phone.new_page()
        login_as(member, live_server.url, username)
        member.get_by_role("link", name="去投票").click()
        expect(member.get_by_test_id("no-js")).to_be_hidden()
        for subject, choice in zip(("金立新", "唐晓云"), choices, strict=True):
            member.locator(f"fieldset[data-subject='{subject}']").get_by_text(
                choice, exact=True
            ).click()
        member.get_by_role("button", name="下一步：核对").click()
        expect(member.get_by_test_id("confirm-list").locator(".opt-on")).to_have_count(2)
        member.get_by_role("button", name="确认投票").click()
        expect(member.get_by_test_id("vote-state")).to_contain_text("投票成功")
        receipts.append(member.get_by_test_id("receipt").inner_text())
        if username == "weiyuan2":
            phone.close()
        else:
            voter = member
    assert all(re.fullmatch(r"[0-9a-f]{64}", r) for r in receipts)

    # 3. The office ends the voting; the big screen says how many tellers decrypted.
    office_page.once("dialog", lambda dialog: dialog.accept())
    office_page.get_by_role("button", name="结束投票").click()
    expect(office_page.get_by_test_id("ballot-status")).to_contain_text("已解密 0 人，需 2 人")
    screen = desk.new_page()
    screen.goto(f"{live_server.url}/ballots/{ballot.pk}/screen/")
    expect(screen.get_by_test_id("screen-status")).to_contain_text("已解密 0 人")

    # 4. Teller 3 first loads teller 1's file, then mistypes the passphrase: nothing changes.
    page = pages[3]
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("link", name="去解密").click()
    teller_load_key(page, files[1], "passphrase-1")
    expect(page.get_by_test_id("teller-message")).to_contain_text(
        "这不是您在本次测评的监票密钥文件"
    )
    teller_load_key(page, files[3], "wrong-passphrase")
    expect(page.get_by_test_id("teller-message")).to_contain_text("口令不正确")
    teller_load_key(page, files[3], "passphrase-3")
    expect(page.get_by_test_id("teller-message")).to_contain_text("解密结果已通过校验")
    expect(screen.get_by_test_id("screen-status")).to_contain_text("已解密 1 人", timeout=10000)
    page.screenshot(path="/tmp/teller_decrypt_phone.png", full_page=True)
    # Teller 1 decrypts; teller 2 stays away: two of three are enough.
    page = pages[1]
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("link", name="去解密").click()
    teller_load_key(page, files[1], "passphrase-1")
    expect(page.get_by_test_id("teller-message")).to_contain_text("计票完成")

    # 5. The office publishes; the member finds the receipt; the record verifies.
    office_page.reload()
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("已结束")
    ballot_publish_confirmed(office_page)
    expect(office_page.get_by_test_id("ballot-status")).to_have_text("已公布")
    voter.goto(f"{live_server.url}/my-work/")
    voter.get_by_role("link", name="核对回执").click()
    expect(voter.get_by_test_id("receipt-state")).to_contain_text("已计入")
    office_page.goto(f"{live_server.url}/ballots/{ballot.pk}/record/")
    expect(office_page.get_by_test_id("record-checks")).not_to_contain_text("未通过")
    with office_page.expect_download() as download:
        office_page.get_by_test_id("record-download").click()
    record = tmp_path / "record.json"
    download.value.save_as(record)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/verify_ballot.py"), str(record)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout and "results:" in done.stdout
    desk.close()
