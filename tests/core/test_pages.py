import pytest

from core.roles import Role
from reviews.models import CampaignStage
from tests.factories import PASSWORD, CampaignFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_in_chinese_and_lands_on_my_work(client):
    user = UserFactory(role=Role.MEMBER, username="weiyuan")
    body = client.get("/accounts/login/").content.decode()
    assert "用户登录" in body and "登录名" in body and "密码" in body
    response = client.post("/accounts/login/", {"username": "weiyuan", "password": "wrong"})
    assert "登录名或密码不正确" in response.content.decode()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/my-work/"


def test_logout(client, office):
    client.force_login(office)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/my-work/").status_code == 302


def test_office_my_work_lists_todos(client, office):
    campaign = CampaignFactory(actor=office, name="2017年度县人大常委会述职评议")
    client.force_login(office)
    body = client.get("/my-work/").content.decode()
    assert "2017年度县人大常委会述职评议" in body
    assert "登记实施方案的批准日期" in body
    assert "确定评议对象" in body
    assert "计划起止日期" in body
    SubjectFactory(campaign=campaign, user=None)
    body = client.get("/my-work/").content.decode()
    assert "为 1 名评议对象开通登录账号" in body


def test_member_my_work_shows_campaign_stage_without_office_todos(client, office, member_user):
    CampaignFactory(actor=office, name="2017年度县人大常委会述职评议")
    client.force_login(member_user)
    body = client.get("/my-work/").content.decode()
    assert "2017年度县人大常委会述职评议" in body and "准备阶段" in body
    assert "登记实施方案" not in body


def test_campaign_page_shows_subjects_tenure_and_dates(client, office, settings):
    import datetime

    import time_machine

    campaign = CampaignFactory(
        actor=office,
        stage_dates={
            CampaignStage.PRELIMINARY: (datetime.date(2017, 8, 20), datetime.date(2017, 9, 20))
        },
    )
    SubjectFactory(campaign=campaign, person_name="金立新", appointed_on=datetime.date(2014, 3, 1))
    client.force_login(office)
    with time_machine.travel(datetime.datetime(2017, 8, 15, 10, 0, tzinfo=datetime.UTC)):
        body = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "金立新" in body
    assert "3年5个月" in body
    assert "2017年8月20日" in body and "2017年9月20日" in body


def test_office_dashboard_queries_do_not_grow(client, office, django_assert_max_num_queries):
    for _ in range(2):
        SubjectFactory(campaign=CampaignFactory(actor=office))
    client.force_login(office)
    with django_assert_max_num_queries(12) as small:
        client.get("/office/")
    for _ in range(8):
        SubjectFactory(campaign=CampaignFactory(actor=office))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/office/")
    assert response.status_code == 200


def test_tenure_counted_to_the_review_meeting(client, office):
    import datetime

    campaign = CampaignFactory(
        actor=office,
        stage_dates={
            CampaignStage.REVIEW: (datetime.date(2017, 9, 21), datetime.date(2017, 9, 30))
        },
    )
    subject = SubjectFactory(campaign=campaign, appointed_on=datetime.date(2014, 3, 1))
    client.force_login(office)
    body = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "3年6个月" in body and "任现职时间计算至 2017年9月21日" in body
    body = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert "至 2017年9月21日 任职 3年6个月" in body


def test_office_todos_follow_the_assessment(client, office):
    from surveys.models import InvestigationReportStatus
    from tests.factories import AssessmentGroupFactory, InvestigationReportFactory

    campaign = CampaignFactory(actor=office, name="初评中的活动")
    first = SubjectFactory(campaign=campaign)
    SubjectFactory(campaign=campaign)
    client.force_login(office)
    assert "将 2 名评议对象分配到履职初评小组" in client.get("/my-work/").content.decode()
    group = AssessmentGroupFactory(campaign=campaign, name="第一组", subjects=[first], actor=office)
    InvestigationReportFactory(subject=first, status=InvestigationReportStatus.SUBMITTED)
    body = client.get("/my-work/").content.decode()
    assert "将 1 名评议对象分配" in body and "1 份调查报告已提交，待主任会议听取" in body
    client.force_login(group.leader)
    assert "第一组" in client.get("/my-work/").content.decode()
