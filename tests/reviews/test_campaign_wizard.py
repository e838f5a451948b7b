"""新建评议活动: the office's own wizard page; a refusal writes nothing."""

import datetime

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from reviews.models import Campaign, CampaignStage
from reviews.services import campaign_create

pytestmark = pytest.mark.django_db

URL = "/campaigns/new/"


def _post_data(**changes):
    today = datetime.date.today()
    data = {
        "name": "2026年度县人大常委会述职评议",
        "year": str(today.year),
        "term": "第十七届",
        "term_start_year": str(today.year - 4),
        "composition_size": "27",
        "rating_options": ["满意", "基本满意", "不满意"],
        "content_items": ["依法行政情况", "履行职责情况"],
    }
    for kind in ("preparation", "preliminary", "review", "rectification"):
        data[f"{kind}_start"] = ""
        data[f"{kind}_end"] = ""
    data.update(changes)
    return data


def _counts():
    return Campaign.objects.count(), AuditEntry.objects.count()


def test_wizard_creates_campaign_with_lists_and_dates(client, office):
    client.force_login(office)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "新建评议活动" in body and "添加评议内容" in body and "JSON" not in body
    response = client.post(
        URL,
        _post_data(
            review_start="2026-10-20",
            review_end="2026-10-20",
            preparation_start="2026-08-01",
            is_practice="on",
        ),
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.rating_options == ["满意", "基本满意", "不满意"]
    assert list(campaign.content_items.values_list("title", flat=True)) == [
        "依法行政情况",
        "履行职责情况",
    ]
    assert campaign.is_practice and campaign.term_start_year == datetime.date.today().year - 4
    assert campaign.review_meeting_date() == datetime.date(2026, 10, 20)
    assert campaign.stage == CampaignStage.PREPARATION


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"rating_options": ["满意"]}, "至少填写 2 项"),
        ({"rating_options": ["满意", "满意", "不满意"]}, "有重复的条目：满意"),
        ({"rating_options": ["满意", "弃权"]}, "不含“弃权”"),
        ({"content_items": ["", "  "]}, "至少填写 1 项"),
        ({"content_items": ["甲", "甲"]}, "有重复的条目：甲"),
        ({"name": ""}, "活动名称"),
        ({"composition_size": "0"}, "常委会组成人员总数"),
        ({"review_start": "2026-10-20", "review_end": "2026-10-01"}, "结束日期不能早于开始日期"),
        (
            {"preliminary_start": "2026-10-01", "review_start": "2026-09-01"},
            "评议阶段的开始日期不能早于初评阶段的开始日期",
        ),
        ({"year": "2040"}, "年度应在本届"),
    ],
)
def test_wizard_refusals_write_nothing(client, office, changes, message):
    client.force_login(office)
    before = _counts()
    response = client.post(URL, _post_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_wizard_refuses_a_taken_name_and_writes_nothing(client, office):
    client.force_login(office)
    assert client.post(URL, _post_data()).status_code == 302
    before = _counts()
    response = client.post(URL, _post_data())
    assert response.status_code == 400 and "活动名称" in response.content.decode()
    assert _counts() == before


def test_wizard_only_for_the_office(client, make_user):
    for role in (Role.LEADING_GROUP, Role.MEMBER, Role.SUBJECT):
        client.force_login(make_user(role))
        assert client.get(URL).status_code == 403
        assert client.post(URL, _post_data()).status_code == 403
    assert Campaign.objects.count() == 0


def test_service_refuses_repeated_content_items(office):
    with pytest.raises(ApplicationError, match="重复"):
        campaign_create(
            actor=office, name="甲", year=2026, composition_size=3, content_items=["甲", "甲"]
        )
    assert Campaign.objects.count() == 0


def test_my_work_and_overview_link_to_the_wizard(client, office):
    client.force_login(office)
    for page in ("/my-work/", "/office/"):
        body = client.get(page).content.decode()
        assert reverse("campaign_new") in body and "/admin/reviews/campaign/add/" not in body
    assert "待我办理" in client.get("/my-work/").content.decode()
