"""修改评议活动: the wizard's page filled from the campaign, on the office's own pages; every
refusal (a field, a past stage's dates, a content item already used) writes nothing."""

import datetime

import pytest
from django.test import Client

from core.forms import INCOMPLETE
from core.models import AuditEntry
from core.roles import Role
from reviews.models import Campaign, CampaignStage, ContentItem, Stage
from surveys.models import FindingKind
from tests.factories import CampaignFactory, FindingFactory, SubjectFactory, office_user
from tests.reviews.test_campaign_wizard import _post_data

pytestmark = pytest.mark.django_db


def _state(campaign: Campaign):
    campaign.refresh_from_db()
    return (
        {f: getattr(campaign, f) for f in ("name", "year", "term", "composition_size")},
        campaign.rating_options,
        list(Stage.objects.filter(campaign=campaign).values_list("planned_start", "planned_end")),
        list(campaign.content_items.values_list("title", "position")),
        AuditEntry.objects.count(),
    )


def _version(client, url: str) -> str:
    """The version the edit page carries now (what a browser would send back)."""
    return client.get(url).context["form"]["version"].value()


@pytest.fixture
def campaign(client, office):
    client.force_login(office)
    assert client.post("/campaigns/new/", _post_data()).status_code == 302
    return Campaign.objects.get()


def test_the_campaign_page_links_the_edit_page_not_the_admin(client, campaign):
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f'href="/campaigns/{campaign.pk}/edit/"' in page
    assert "在管理后台" not in page  # the admin is for superusers' maintenance
    assert f'href="/campaigns/{campaign.pk}/edit/">填写' in page  # the dates to-do links here
    edit = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert "修改评议活动" in edit and "JSON" not in edit
    assert 'value="依法行政情况"' in edit and 'value="基本满意"' in edit


def test_the_office_edits_name_dates_options_and_content_items(client, campaign):
    url = f"/campaigns/{campaign.pk}/edit/"
    response = client.post(
        url,
        _post_data(
            name="2026年度县人大常委会述职评议（调整）",
            composition_size="29",
            rating_options=["满意", "较满意", "基本满意", "不满意"],
            content_items=["履行职责情况", "接受人大监督情况", "依法行政情况"],
            review_start="2026-10-20",
            review_end="2026-10-21",
            version=_version(client, url),
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    campaign.refresh_from_db()
    assert campaign.name == "2026年度县人大常委会述职评议（调整）"
    assert campaign.composition_size == 29
    assert campaign.rating_options == ["满意", "较满意", "基本满意", "不满意"]
    assert list(campaign.content_items.order_by("position").values_list("title", flat=True)) == [
        "履行职责情况",
        "接受人大监督情况",
        "依法行政情况",
    ]
    assert campaign.review_meeting_date() == datetime.date(2026, 10, 20)
    assert AuditEntry.objects.filter(action="campaign.update", campaign=campaign).exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"rating_options": ["满意"]}, "至少填写 2 项"),
        ({"content_items": ["甲", "甲"]}, "有重复的条目：甲"),
        ({"name": ""}, "活动名称"),
        ({"review_start": "2026-10-20", "review_end": "2026-10-01"}, "结束日期不能早于开始日期"),
        ({"year": "2040"}, "年度应在本届"),
    ],
)
def test_form_refusals_write_nothing(client, campaign, changes, message):
    before = _state(campaign)
    url = f"/campaigns/{campaign.pk}/edit/"
    response = client.post(url, _post_data(**changes, version=_version(client, url)))
    assert response.status_code == 400 and message in response.content.decode()
    assert _state(campaign) == before


def test_a_service_refusal_rolls_the_whole_edit_back(client, office):
    """Renamed and reordered first, then refused by a later rule: nothing at all is kept."""
    campaign = CampaignFactory(actor=office, stage=CampaignStage.PRELIMINARY)
    item = campaign.content_items.order_by("position").first()
    FindingFactory(
        subject=SubjectFactory(campaign=campaign), content_item=item, kind=FindingKind.PROBLEM
    )
    client.force_login(office)
    url = f"/campaigns/{campaign.pk}/edit/"
    form = client.get(url).context["form"]
    data = _post_data(  # name, year and term change too; the wizard's term years
        version=form["version"].value(),
        name="改过的名称",
        composition_size=str(campaign.composition_size),
        rating_options=campaign.rating_options,
    )
    for kind in ("preparation", "preliminary", "review", "rectification"):
        for end in ("start", "end"):
            value = form.initial.get(f"{kind}_{end}")
            data[f"{kind}_{end}"] = value.isoformat() if value else ""
    titles = [i.title for i in campaign.content_items.order_by("position")]
    # The used item dropped: refused, and the name and order changed before it stay as they were.
    data["content_items"] = list(reversed(titles[1:]))
    before = _state(campaign)
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"评议内容“{item.title}”下已有" in response.content.decode()
    assert _state(campaign) == before
    # A stage the campaign has moved past keeps its dates.
    data["content_items"] = titles
    data["preparation_start"] = "2020-01-01"
    response = client.post(url, data)
    assert (
        response.status_code == 400 and "已结束，不能再修改其计划日期" in response.content.decode()
    )
    assert _state(campaign) == before
    assert ContentItem.objects.filter(pk=item.pk).exists()


def test_only_the_office_edits(client, campaign, make_user):
    client.force_login(make_user(role=Role.LEADING_GROUP))
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 403
    assert client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(name="x")).status_code == 403


def test_a_save_from_a_stale_page_is_refused_and_writes_nothing(client, campaign):
    """Two office users open the edit page; the first saves; the second, from the page drawn
    before that save, is refused with a message in Chinese and changes nothing."""
    url = f"/campaigns/{campaign.pk}/edit/"
    other = Client()
    other.force_login(office_user(username="office2"))
    first_version = _version(client, url)
    second_version = _version(other, url)
    assert first_version == second_version
    saved = client.post(url, _post_data(name="第一人改的名称", version=first_version))
    assert saved.status_code == 302
    before = _state(campaign)
    refused = other.post(
        url, _post_data(name="第二人改的名称", composition_size="31", version=second_version)
    )
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "内容已被他人修改，请刷新后重试" in page
    assert 'value="第二人改的名称"' in page  # what was typed is kept to copy over
    assert _state(campaign) == before and campaign.name == "第一人改的名称"
    # Reloaded, the page carries the new version and the second user's save goes through.
    again = other.post(url, _post_data(name="第二人改的名称", version=_version(other, url)))
    assert again.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "第二人改的名称"


def test_a_save_without_the_page_version_is_refused(client, campaign):
    before = _state(campaign)
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(name="没有版本"))
    assert response.status_code == 400 and INCOMPLETE in response.content.decode()
    assert _state(campaign) == before
