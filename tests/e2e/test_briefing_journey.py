"""Office drafts a briefing with the editor's toolbar (标题, 加粗, 表格) and its live preview,
adds a results block, renders it, downloads the PDF; the public page shows only published
data."""

import subprocess

import pytest
from playwright.sync_api import expect

from ballots.models import BallotStatus
from tests.factories import PASSWORD, BallotFactory, CampaignFactory, SubjectFactory, office_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_briefing_with_results_and_the_public_page(page, live_server, login, tmp_path):
    office = office_user(username="office")
    campaign = CampaignFactory(
        actor=office, name="2017年度县人大常委会述职评议", composition_size=2
    )
    SubjectFactory(campaign=campaign, person_name="金立新")
    BallotFactory(
        campaign=campaign, actor=office, status=BallotStatus.PUBLISHED, votes=["满意"] * 2
    )
    draft_only = CampaignFactory(actor=office, name="2018年度县人大常委会述职评议")
    SubjectFactory(campaign=draft_only, person_name="未公布对象")

    login("office", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/briefings/")
    page.get_by_label("标题").fill("县人大常委会召开述职评议会议")
    # The articles through the toolbar, never typed as Markdown; the preview follows.
    box = page.locator("#id_articles")
    toolbar = page.get_by_role("toolbar", name="正文格式")
    preview = page.get_by_test_id("articles-preview")
    box.press_sequentially("会议概况")
    toolbar.get_by_role("button", name="标题").click()
    expect(preview.locator("h2")).to_have_text("会议概况")
    box.press("End")
    box.press("Enter")
    box.press("Enter")
    box.press_sequentially("会议听取了述职报告，进行了满意度测评。一要")
    box.press("Shift+ArrowLeft")
    box.press("Shift+ArrowLeft")
    toolbar.get_by_role("button", name="加粗").click()
    box.press("End")
    box.press_sequentially("抓好整改。")
    expect(preview.locator("strong")).to_have_text("一要")
    box.press("Enter")
    toolbar.get_by_role("button", name="表格").click()
    expect(preview.locator("table th").first).to_have_text("项目")
    expect(preview.locator("table tbody tr")).to_have_count(2)
    page.get_by_label("测评结果统计表（已公布的）").check()
    page.get_by_label("编辑").fill("柏素洁")
    page.get_by_label("审核").fill("陈蓬")
    page.get_by_label("签发").fill("王恒亮")
    page.get_by_label("本期发至").fill("县委办、政府办，存档。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第 1 期")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="保存并签发").click()
    expect(page.get_by_test_id("briefing-status")).to_have_text("已签发")
    expect(page.get_by_test_id("render-status")).to_have_text("已生成", timeout=30000)
    with page.expect_download() as download:
        page.get_by_test_id("pdf-link").click()
    path = tmp_path / "briefing.pdf"
    download.value.save_as(path)
    text = "".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert (
        "县人大常委会召开述职评议会议" in text
        and "第1期" in text
        and "本期发至：县委办、政府办，存档。" in text
        and "一要抓好整改" in text
        and "**" not in text
        and "##" not in text
        and "第一项" in text  # the table the toolbar inserted
    )
    assert "金立新" in text

    page.get_by_role("button", name="退出").click()
    page.goto(f"{live_server.url}/public/")
    expect(page.get_by_test_id("public-campaigns")).to_contain_text("2017年度县人大常委会述职评议")
    expect(page.get_by_test_id("public-campaigns")).not_to_contain_text("2018年度")
    page.get_by_role("link", name="2017年度县人大常委会述职评议").click()
    expect(page.get_by_test_id("public-results")).to_contain_text("金立新")
    expect(page.locator("body")).not_to_contain_text("未公布对象")
    assert page.goto(f"{live_server.url}/public/campaigns/{draft_only.pk}/").status == 404
