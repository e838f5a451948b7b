"""The director's meeting concludes a rectification without a ballot; an assessment group
reviews a rectification report and the meeting hears its check."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from rectification.models import RectificationReport, RectificationReportStatus
from tests.factories import (
    PASSWORD,
    AssessmentGroupFactory,
    RectificationReportFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _settings(page, live_server, campaign, *, by_meeting: bool, groups: bool):
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="整改与报送设置").click()
    if by_meeting:
        page.get_by_label("主任会议决定通过或进一步整改").check()
    if groups:
        page.get_by_label("履职初评小组检查督促所评议对象的整改").check()
    page.get_by_role("button", name="保存整改结论方式").click()
    expect(page.get_by_text("整改结论方式已保存。")).to_be_visible()


def test_the_directors_meeting_concludes_without_a_ballot(page, live_server, login, tmp_path):
    UserFactory(username="bangong", role=Role.OFFICE, is_staff=True)
    UserFactory(username="zhuren", role=Role.DIRECTORS_MEETING)
    subject = SubjectFactory(person_name="金立新")
    RectificationReportFactory(subject=subject, status=RectificationReportStatus.SUBMITTED)

    login("bangong", PASSWORD)
    _settings(page, live_server, subject.campaign, by_meeting=True, groups=False)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/rectification/")
    expect(page.get_by_role("button", name="组织整改情况满意度测评")).to_have_count(0)
    page.get_by_role("button", name="退出").click()

    login("zhuren", PASSWORD)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/rectification/")
    form = page.get_by_test_id("decision-form")
    form.get_by_label("主任会议日期").fill(
        RectificationReport.objects.get(subject=subject).submitted_on.isoformat()
    )
    (tmp_path / "主任会议纪要.pdf").write_bytes(PDF)
    form.get_by_label("会议纪要（PDF 或 Word）").set_input_files(str(tmp_path / "主任会议纪要.pdf"))
    form.get_by_label("满意，整改完成").check()
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name="登记主任会议决定").click()
    expect(page.get_by_test_id("meeting-decision")).to_contain_text("主任会议决定满意")
    expect(page.get_by_test_id("report-status")).to_contain_text("满意，整改完成")
    with page.expect_download() as download:
        page.get_by_role("link", name="纪要：主任会议纪要.pdf").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert RectificationReport.objects.get(subject=subject).ballot is None


def test_an_assessment_group_reviews_a_report(page, live_server, login):
    UserFactory(username="bangong", role=Role.OFFICE, is_staff=True)
    UserFactory(username="zhuren", role=Role.DIRECTORS_MEETING)
    subject = SubjectFactory(person_name="金立新")
    other = SubjectFactory(campaign=subject.campaign, person_name="唐晓云")
    leader = UserFactory(username="zuzhang", role=Role.MEMBER)
    group = AssessmentGroupFactory(
        campaign=subject.campaign, name="第一履职初评小组", leader=leader, subjects=[subject]
    )
    AssessmentGroupFactory(campaign=subject.campaign, name="第二履职初评小组", subjects=[other])
    for s in (subject, other):
        RectificationReportFactory(subject=s, status=RectificationReportStatus.SUBMITTED)

    login("bangong", PASSWORD)
    _settings(page, live_server, subject.campaign, by_meeting=True, groups=True)
    page.get_by_role("button", name="退出").click()

    login("zuzhang", PASSWORD)
    page.goto(f"{live_server.url}/groups/{group.pk}/")
    page.get_by_test_id("group-rectification").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("第 1 轮已报送")
    page.get_by_label("第一履职初评小组对第 1 轮整改情况报告的检查意见").fill(
        "已到单位逐条核实，整改措施落实到位。"
    )
    page.get_by_role("button", name="提出检查意见").click()
    expect(page.get_by_test_id("checks")).to_contain_text("已到单位逐条核实")
    # Only its own subjects.
    response = page.goto(f"{live_server.url}/subjects/{other.pk}/rectification/")
    assert response.status == 404
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("button", name="退出").click()

    login("zhuren", PASSWORD)
    page.goto(f"{live_server.url}/subjects/{subject.pk}/rectification/")
    expect(page.get_by_test_id("checks")).to_contain_text("第一履职初评小组")
    expect(page.get_by_test_id("decision-form")).to_be_visible()
