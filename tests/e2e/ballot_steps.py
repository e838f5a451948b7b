"""The office's two guarded acts on a ballot's page, as a browser does them: 开始投票 through
its confirmation page (with the written reason the page asks for outside the ballot's
stage), and 公布结果 through its preview of the public text; and a teller's steps on their
own pages (making a key, loading it to send shares or to decrypt)."""

import json
from pathlib import Path

from playwright.sync_api import expect

OPEN_REASON = "常委会会议安排在本阶段进行测评"


def ballot_open_confirmed(page, *, reason: str = OPEN_REASON) -> None:
    """From the ballot's page: read the confirmation, give the reason if asked, tick, open."""
    page.get_by_test_id("ballot-open").click()
    expect(page.get_by_role("heading", name="确认开始投票")).to_be_visible()
    if page.get_by_test_id("stage-problem").count():
        page.get_by_label("不在规定阶段开始投票的理由").fill(reason)
    page.get_by_label("我已核对以上测评、投票人和结果规则，确定开始投票").check()
    page.get_by_test_id("open-confirm").click()
    expect(page.get_by_role("alert").first).to_contain_text("已开始投票")


def ballot_publish_confirmed(page) -> None:
    """From the ballot's page: read the preview of the public text, then publish it."""
    page.get_by_test_id("ballot-publish").click()
    expect(page.get_by_role("heading", name="公布前预览")).to_be_visible()
    page.get_by_test_id("publish-confirm").click()


def teller_make_key(page, path: Path, passphrase: str) -> dict:
    """From the teller's 我的工作: make the key in the browser, keep the downloaded file."""
    page.get_by_role("link", name="去生成").click()
    page.get_by_label("口令", exact=True).fill(passphrase)
    page.get_by_label("再输入一次").fill(passphrase)
    with page.expect_download() as download:
        page.get_by_test_id("make-key").click()
    download.value.save_as(path)
    expect(page.get_by_test_id("teller-message")).to_contain_text("监票密钥已生成")
    return json.loads(path.read_text())


def teller_load_key(page, path: Path, passphrase: str) -> None:
    """On a teller's page (send shares, decrypt): load the key file and its passphrase."""
    page.get_by_label("监票密钥文件").set_input_files(str(path))
    page.get_by_label("口令").fill(passphrase)
    page.get_by_test_id("teller-submit").click()
