"""登记实施方案 on the office's own page (no admin): the approved plan's document and date;
every refusal keeps what was there and writes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from core.roles import Role
from reviews.models import Campaign
from tests.reviews.test_campaign_wizard import _post_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _pdf(name="实施方案.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def campaign(client, office):
    client.force_login(office)
    assert client.post("/campaigns/new/", _post_data()).status_code == 302
    return Campaign.objects.get()


def _state(campaign):
    campaign.refresh_from_db()
    return (
        campaign.implementation_plan_approved_on,
        campaign.implementation_plan_name,
        bool(campaign.implementation_plan),
        AuditEntry.objects.count(),
    )


def test_the_office_registers_the_plan_on_its_own_page_and_it_downloads(client, campaign):
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f"/campaigns/{campaign.pk}/implementation-plan/attach/" in detail
    assert "尚未登记" in detail
    url = f"/campaigns/{campaign.pk}/implementation-plan/attach/"
    assert client.get(url).status_code == 200
    approved = datetime.date.today() - datetime.timedelta(days=3)
    response = client.post(url, {"document": _pdf(), "approved_on": approved.isoformat()})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.implementation_plan_approved_on == approved
    assert campaign.implementation_plan_name == "实施方案.pdf"
    assert AuditEntry.objects.filter(summary__startswith="登记实施方案").count() == 1
    download = client.get(f"/campaigns/{campaign.pk}/implementation-plan/")
    assert b"".join(download.streaming_content) == PDF
    assert "实施方案.pdf" in client.get(f"/campaigns/{campaign.pk}/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"approved_on": "2026-01-02"}, "请选择实施方案文件"),
        ({"document": "pdf", "approved_on": ""}, "请填写实施方案的批准日期"),
        ({"document": "pdf", "approved_on": "2026-13-40"}, "批准日期格式不对"),
        ({"document": "pdf", "approved_on": "2999-01-01"}, "不能晚于今天"),
        ({"document": "exe", "approved_on": "2026-01-02"}, ""),
    ],
)
def test_refusals_say_why_in_chinese_and_write_nothing(client, campaign, data, message):
    before = _state(campaign)
    if data.get("document") == "pdf":
        data["document"] = _pdf()
    elif data.get("document") == "exe":
        data["document"] = SimpleUploadedFile("方案.exe", b"MZ\x90\x00" + bytes(200))
    response = client.post(f"/campaigns/{campaign.pk}/implementation-plan/attach/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "未保存" in html and message in html
    assert _state(campaign) == before


def test_only_the_office_registers_the_plan(client, campaign, make_user):
    before = _state(campaign)
    for role in (Role.MEMBER, Role.LEADING_GROUP, Role.SUBJECT):
        client.force_login(make_user(role=role))
        url = f"/campaigns/{campaign.pk}/implementation-plan/attach/"
        assert client.get(url).status_code == 403
        response = client.post(url, {"document": _pdf(), "approved_on": "2026-01-02"})
        assert response.status_code == 403
    assert _state(campaign) == before
