"""A group member records an activity and two findings and the leader submits the report;
a deputy answers a questionnaire on a phone."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from surveys.models import (
    AccessMode,
    Finding,
    InvestigationReportStatus,
    QuestionnaireStatus,
    RespondentCode,
    Response,
    SealedResponse,
)
from tests.factories import (
    PASSWORD,
    AssessmentGroupFactory,
    CampaignFactory,
    QuestionnaireFactory,
    SubjectFactory,
    UserFactory,
    office_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_group_records_findings_and_leader_submits(page, live_server, login, tmp_path):
    office = office_user(username="office")
    leader = UserFactory(username="zuzhang", role=Role.MEMBER, first_name="王组长")
    member = UserFactory(username="zuyuan", role=Role.MEMBER, first_name="李组员")
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    group = AssessmentGroupFactory(
        campaign=campaign, name="第一组", leader=leader, members=[member], subjects=[subject]
    )
    record = tmp_path / "座谈记录.pdf"
    record.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    items = list(campaign.content_items.all())

    login("zuyuan", PASSWORD)
    page.get_by_role("link", name="初评小组").click()
    page.get_by_role("link", name="第一组").click()
    page.get_by_label("金立新").check()
    page.get_by_label("方式").select_option(label="座谈会")
    page.get_by_label("地点").fill("县发改委会议室")
    page.get_by_label("参加人数").fill("12")
    page.get_by_label("参加人员").fill("服务对象代表 8 人、基层干部 4 人")
    page.get_by_label("情况记录").fill("听取服务对象意见")
    page.get_by_label("附件").set_input_files(str(record))
    page.get_by_role("button", name="保存活动").click()
    expect(page.get_by_role("alert")).to_contain_text("已记录座谈会")
    expect(page.get_by_test_id("activities")).to_contain_text("县发改委会议室")

    page.get_by_test_id("group-subjects").get_by_role("link", name="金立新").click()
    for item, kind, text in [
        (items[1], "问题", "项目审批环节多、时限长"),
        (items[0], "成绩", "重大决策依法进行合法性审查"),
    ]:
        page.get_by_label("评议内容").select_option(label=item.title)
        page.get_by_label(kind, exact=True).check()
        page.locator("#id_text").fill(text)
        page.get_by_label("来源活动").select_option(index=1)
        page.get_by_role("button", name="保存发现").click()
        expect(page.get_by_role("alert")).to_contain_text(f"已记录{kind}")
    expect(page.get_by_test_id("findings")).to_contain_text("项目审批环节多、时限长")
    expect(page.get_by_label("报告正文")).to_contain_text("重大决策依法进行合法性审查")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("alert")).to_contain_text("草稿已保存")
    page.get_by_role("button", name="退出").click()

    login("zuzhang", PASSWORD)
    page.goto(f"{live_server.url}/groups/{group.pk}/subjects/{subject.pk}/")
    page.get_by_role("button", name="组长提交调查报告").click()
    expect(page.get_by_role("alert")).to_contain_text("调查报告已提交")
    expect(page.get_by_test_id("report-status")).to_have_text("已提交")
    assert subject.investigation_report.status == InvestigationReportStatus.SUBMITTED
    assert Finding.objects.filter(subject=subject).count() == 2
    assert group.activities.get().attachments.count() == 1


def test_deputy_answers_on_a_phone(browser, live_server):
    campaign = CampaignFactory()
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    q = QuestionnaireFactory(
        campaign=campaign,
        title="人大代表征求意见表",
        access_mode=AccessMode.PERSONAL,
        status=QuestionnaireStatus.OPEN,
    )
    code = q.codes.get()  # a deputy's

    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/q/{q.public_token}/?c={code.code}")
    expect(page.get_by_label("答题码")).to_have_value(code.code)
    expect(page.get_by_role("navigation")).to_have_count(0)
    page.locator("fieldset", has_text="金立新的履职情况").get_by_text("满意", exact=True).click()
    # The phone marks the unanswered question before anything is sent ...
    page.get_by_role("button", name="提交问卷").click()
    missing = page.locator("fieldset.missing")
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text("唐晓云")
    expect(missing.get_by_test_id("missing-note")).to_be_visible()
    page.screenshot(path="/tmp/deputy_phone_missing.png", full_page=True)
    # ... and the server, should the page be sent without its script, says and marks it too.
    page.evaluate("document.querySelector('form').submit()")
    expect(page.get_by_role("alert")).to_contain_text("还有 1 题未作答：唐晓云")
    expect(page.locator("fieldset.missing")).to_contain_text("唐晓云")
    assert not Response.objects.exists()
    page.locator("fieldset", has_text="金立新的履职情况").get_by_text("满意", exact=True).click()
    page.locator("fieldset", has_text="唐晓云的履职情况").get_by_text(
        "基本满意", exact=True
    ).click()
    page.locator("fieldset", has_text="金立新的意见和建议").locator("textarea").fill(
        "希望进一步提高办事效率"
    )
    page.screenshot(path="/tmp/deputy_phone.png", full_page=True)
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_role("heading", name="提交成功")).to_be_visible()
    # Sealed until its batch is full: nothing readable is written yet.
    assert SealedResponse.objects.count() == 1 and RespondentCode.objects.get(pk=code.pk).used
    assert not Response.objects.exists()

    # The same code again is refused with a clear message.
    page.goto(f"{live_server.url}/q/{q.public_token}/?c={code.code}")
    page.locator("fieldset", has_text="金立新的履职情况").get_by_text("满意", exact=True).click()
    page.locator("fieldset", has_text="唐晓云的履职情况").get_by_text("满意", exact=True).click()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_role("alert")).to_contain_text("已经使用过")
    assert SealedResponse.objects.count() == 1
    context.close()
