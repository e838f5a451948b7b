"""A subject uploads a duty report; the office returns, then accepts and distributes; a member reads."""

import datetime

import pytest
from playwright.sync_api import expect

from core.roles import Role
from subjects.models import DutyReportStatus, DutyReportVersion
from tests.factories import PASSWORD, CampaignFactory, SubjectFactory, UserFactory, office_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _logout(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login/")


def test_duty_report_from_upload_to_reading(page, live_server, login, tmp_path):
    UserFactory(username="weiyuan", role=Role.MEMBER, first_name="王委员")
    today = datetime.date.today()
    campaign = CampaignFactory(
        actor=office_user(username="office"),
        name="2017年度县人大常委会述职评议",
        report_draft_due=today + datetime.timedelta(days=5),
        report_final_due=today + datetime.timedelta(days=15),
    )
    subject = SubjectFactory(campaign=campaign, person_name="金立新", user__username="jinlx")
    for name in ("初稿.pdf", "定稿.pdf", "定稿修改.pdf"):
        (tmp_path / name).write_bytes(PDF)

    # The office filters the overview by its count chips and sends a reminder (催报).
    login("office", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/reports/")
    page.get_by_test_id("report-counts").get_by_role("link", name="未提交 1").click()
    expect(page.locator("tr[data-subject]")).to_have_count(1)
    page.locator("tr[data-subject='金立新']").get_by_role("button", name="催报").click()
    expect(page.get_by_role("alert")).to_contain_text("已催报 1 名评议对象")
    expect(page.get_by_test_id("reminded")).to_contain_text("已催报 1 次")
    page.screenshot(path=str(tmp_path / "reports_overview.png"), full_page=True)
    _logout(page)

    # The subject sees the reminder, then uploads a draft and a final.
    login("jinlx", PASSWORD)
    expect(page.get_by_test_id("notifications")).to_contain_text("1")
    item = page.get_by_test_id("work-item").filter(has_text="提交述职报告初稿")
    expect(item.get_by_test_id("work-when")).to_have_text("还剩 5 天")
    item.get_by_role("link", name="上传述职报告").click()
    expect(page.get_by_test_id("deadlines")).to_contain_text("还剩 5 天")
    expect(page.get_by_test_id("report-state")).to_have_text("未提交")
    page.get_by_label("初稿").check()
    page.get_by_label("述职报告文件").set_input_files(str(tmp_path / "初稿.pdf"))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert")).to_contain_text("已上传述职报告初稿第 1 版")
    page.get_by_label("定稿").check()
    page.get_by_label("述职报告文件").set_input_files(str(tmp_path / "定稿.pdf"))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("report-state")).to_have_text("定稿待审核")
    expect(page.get_by_test_id("versions")).to_contain_text("初稿.pdf")
    _logout(page)

    # The office returns the final with a reason.
    login("office", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/reports/")
    row = page.locator("tr[data-subject='金立新']")
    expect(row.get_by_test_id("state")).to_contain_text("定稿待审核")
    row.get_by_label("退回理由").fill("请突出本人履职情况")
    row.get_by_role("button", name="退回").click()
    expect(page.get_by_role("alert")).to_contain_text("已退回金立新的述职报告定稿")
    _logout(page)

    # The subject sees the reason and uploads again.
    login("jinlx", PASSWORD)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/")
    expect(page.get_by_test_id("return-reason")).to_contain_text("请突出本人履职情况")
    page.get_by_label("定稿").check()
    page.get_by_label("述职报告文件").set_input_files(str(tmp_path / "定稿修改.pdf"))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("report-state")).to_have_text("定稿待审核")
    _logout(page)

    # The office accepts and distributes.
    login("office", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/reports/")
    page.locator("tr[data-subject='金立新']").get_by_role("button", name="接受").click()
    expect(page.get_by_role("alert")).to_contain_text("已接受金立新的述职报告定稿")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="分发已接受的述职报告").click()
    expect(page.get_by_role("alert")).to_contain_text("述职报告已分发")
    assert "不能撤回。确认分发？" in asked[0]
    accepted = DutyReportVersion.objects.get(subject=subject, status=DutyReportStatus.ACCEPTED)
    assert accepted.original_name == "定稿修改.pdf" and accepted.number == 3
    _logout(page)

    # A member reads it.
    login("weiyuan", PASSWORD)
    page.get_by_role("link", name="述职报告已分发，点击阅读").click()
    link = page.get_by_test_id("distributed-reports").get_by_role("link", name="定稿修改.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "定稿修改.pdf"
    assert download.value.path().read_bytes() == PDF
