"""Office staff set up a campaign in the admin; the subject then sees only their own page."""

import pytest
from playwright.sync_api import expect

from reviews.models import Campaign, CampaignStage
from subjects.models import Subject
from tests.factories import (
    PASSWORD,
    LiaisonCommitteeFactory,
    SubjectFactory,
    UnitFactory,
    office_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_sets_up_campaign_and_subject_sees_own_page(page, live_server, login, tmp_path):
    office_user(username="office", first_name="柏晓洁")
    UnitFactory(name="县发展和改革委员会")
    LiaisonCommitteeFactory(name="财政经济工作委员会")
    plan = tmp_path / "述职评议工作实施方案.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

    login("office", PASSWORD)
    expect(page.get_by_test_id("who")).to_contain_text("评议办公室工作人员")

    # Create the campaign in the admin.
    page.get_by_role("link", name="办公室管理").click()
    page.goto(f"{live_server.url}/admin/reviews/campaign/add/")
    page.get_by_label("活动名称").fill("2017年度县人大常委会述职评议")
    page.get_by_label("年度").fill("2017")
    page.get_by_label("届次").fill("县十七届人大常委会")
    page.get_by_label("常委会组成人员总数").fill("27")
    page.get_by_label("实施方案批准日期").fill("2017-08-01")
    page.get_by_label("实施方案文件").set_input_files(str(plan))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("评议活动已创建")
    campaign = Campaign.objects.get(name="2017年度县人大常委会述职评议")
    assert (
        campaign.stages.count() == 4
        and campaign.implementation_plan_name == "述职评议工作实施方案.pdf"
    )

    # Add a subject with a login.
    page.goto(f"{live_server.url}/admin/subjects/subject/add/")
    page.get_by_label("评议活动").select_option(label=campaign.name)
    page.get_by_label("姓名").fill("金立新")
    page.get_by_label("职务").fill("主任")
    page.locator("#id_unit").select_option(label="县发展和改革委员会")
    page.get_by_label("任现职时间").fill("2014-03-01")
    page.get_by_label("评议形式").select_option(label="现场述职评议")
    page.get_by_label("联系委室").select_option(label="财政经济工作委员会")
    page.get_by_label("登录名").fill("jinlx")
    page.get_by_label("初始密码").fill("Jin-2017-pw")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("已为 金立新 开通登录账号 jinlx")

    # Advance the stage from the campaign page.
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    page.get_by_role("button", name="推进到初评阶段").click()
    expect(page.get_by_role("alert")).to_contain_text("已进入初评阶段")
    expect(page.get_by_test_id("current-stage")).to_have_text("初评阶段")
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.PRELIMINARY

    # The audit log reads in Chinese, with names, and filters by subject.
    page.get_by_role("link", name="操作记录").click()
    rows = page.get_by_test_id("audit-rows")
    expect(rows).to_contain_text("进入初评阶段")
    expect(rows).to_contain_text("柏晓洁")
    expect(rows).not_to_contain_text("campaign.stage")
    box = page.get_by_label("评议对象")
    box.fill("金立")
    # The suggestions name the subject and the unit.
    expect(page.locator("#audit-subject-suggestions option[value='金立新']")).to_have_attribute(
        "label", "县发展和改革委员会"
    )
    box.fill("金立新")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_contain_text("添加评议对象")
    expect(rows).not_to_contain_text("进入初评阶段")
    page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "audit_phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("button", name="退出").click()

    # The subject logs in and sees their own page, and nobody else's.
    other = SubjectFactory(campaign=campaign, person_name="唐晓云")
    # The office knows the initial password: the first login must replace it first.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("登录名").fill("jinlx")
    page.get_by_label("密码").fill("Jin-2017-pw")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("password-change-required")).to_be_visible()
    page.locator("#id_old_password").fill("Jin-2017-pw")
    page.locator("#id_new_password1").fill("jinlx2017")
    page.locator("#id_new_password2").fill("jinlx2017")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("太相似")
    page.locator("#id_old_password").fill("Jin-2017-pw")
    page.locator("#id_new_password1").fill("Qiu-feng-2017")
    page.locator("#id_new_password2").fill("Qiu-feng-2017")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("alert")).to_contain_text("密码已修改")
    expect(page.get_by_test_id("subject-work")).to_contain_text("金立新")
    expect(page.get_by_test_id("subject-work")).not_to_contain_text("唐晓云")
    page.get_by_role("link", name="进入我的评议页面").click()
    expect(page.get_by_test_id("subject-name")).to_have_text("金立新")
    expect(page.get_by_test_id("review-form")).to_have_text("现场述职评议")
    expect(page.get_by_test_id("timeline")).to_contain_text("添加评议对象")
    page.screenshot(path=str(tmp_path / "subject.png"), full_page=True)

    mine = Subject.objects.get(person_name="金立新")
    assert page.goto(f"{live_server.url}/subjects/{other.pk}/").status == 404
    assert page.goto(f"{live_server.url}/admin/").status == 403
    assert page.goto(f"{live_server.url}/office/").status == 403
    assert page.goto(f"{live_server.url}/subjects/{mine.pk}/").status == 200
