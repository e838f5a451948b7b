import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from core.models import AuditEntry
from reviews.models import Campaign, CampaignStage, ContentItem
from reviews.services import (
    DEFAULT_CONTENT_ITEMS,
    campaign_create,
    campaign_implementation_plan_attach,
    campaign_update,
)
from tests.factories import CampaignFactory, pdf_upload

pytestmark = pytest.mark.django_db


def _stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


def test_create_builds_four_stages_and_default_content_items(office):
    campaign = campaign_create(
        actor=office,
        name="2017年度县人大常委会述职评议",
        year=2017,
        composition_size=27,
        stage_dates={
            CampaignStage.PRELIMINARY: (datetime.date(2017, 8, 20), datetime.date(2017, 9, 20))
        },
    )
    assert campaign.stage == CampaignStage.PREPARATION
    assert [s.kind for s in campaign.stages.all()] == [
        "preparation",
        "preliminary",
        "review",
        "rectification",
    ]
    preliminary = campaign.stages.get(kind="preliminary")
    assert preliminary.planned_start == datetime.date(2017, 8, 20)
    assert list(campaign.content_items.values_list("title", flat=True)) == DEFAULT_CONTENT_ITEMS
    assert AuditEntry.objects.filter(campaign=campaign, action="campaign.create").exists()


def test_create_refuses_bad_input_and_writes_nothing(office):
    CampaignFactory(actor=office, name="重复的名称")
    count = Campaign.objects.count()
    with pytest.raises(ApplicationError):
        campaign_create(actor=office, name="重复的名称", year=2017, composition_size=27)
    with pytest.raises(ApplicationError):
        campaign_create(actor=office, name="人数为零", year=2017, composition_size=0)
    with pytest.raises(ApplicationError, match="计划结束日期不能早于"):
        campaign_create(
            actor=office,
            name="日期颠倒",
            year=2017,
            composition_size=27,
            stage_dates={
                CampaignStage.REVIEW: (datetime.date(2017, 9, 30), datetime.date(2017, 9, 21))
            },
        )
    assert Campaign.objects.count() == count
    assert not ContentItem.objects.filter(campaign__name="日期颠倒").exists()


def test_member_cannot_create(member_user):
    with pytest.raises(ApplicationError, match="只有评议办公室"):
        campaign_create(actor=member_user, name="x", year=2017, composition_size=27)


def test_plan_attach_keeps_name_and_stores_privately(office):
    campaign = CampaignFactory(actor=office)
    campaign_implementation_plan_attach(
        actor=office,
        campaign=campaign,
        document=pdf_upload("实施方案.pdf"),
        approved_on=datetime.date(2017, 8, 1),
    )
    campaign.refresh_from_db()
    assert campaign.implementation_plan_name == "实施方案.pdf"
    assert campaign.implementation_plan_approved_on == datetime.date(2017, 8, 1)
    stored = Path(campaign.implementation_plan.path)
    assert stored.is_file() and "实施方案" not in stored.name
    assert str(stored).startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_plan_attach_refuses_fake_pdf_and_stores_nothing(office):
    campaign = CampaignFactory(actor=office)
    before = _stored_files()
    with pytest.raises(ApplicationError, match="内容不是"):
        campaign_implementation_plan_attach(
            actor=office,
            campaign=campaign,
            document=SimpleUploadedFile("方案.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            approved_on=datetime.date(2017, 8, 1),
        )
    campaign.refresh_from_db()
    assert campaign.implementation_plan_approved_on is None and not campaign.implementation_plan
    assert _stored_files() == before


def test_update_records_what_changed(office):
    campaign = CampaignFactory(actor=office)
    campaign_update(actor=office, campaign=campaign, composition_size=29)
    entry = AuditEntry.objects.get(action="campaign.update")
    assert entry.data == {"composition_size": "29"}
    assert "常委会组成人员总数" in entry.summary
    with pytest.raises(ApplicationError, match="不能在此修改"):
        campaign_update(actor=office, campaign=campaign, stage=CampaignStage.CLOSED)


class TestAdmin:
    def test_office_creates_campaign_in_admin(self, client, office):
        client.force_login(office)
        response = client.post(
            "/admin/reviews/campaign/add/",
            {
                "name": "2018年度县人大常委会述职评议",
                "year": "2018",
                "term": "县十七届人大常委会",
                "composition_size": "27",
                "issuing_office": "县人大常委会述职评议工作领导小组办公室",
                "implementation_plan_approved_on": "2018-08-01",
                "implementation_plan_file": pdf_upload("实施方案.pdf"),
            },
        )
        campaign = Campaign.objects.get(name="2018年度县人大常委会述职评议")
        assert response.status_code == 302
        assert response["Location"].endswith(f"/admin/reviews/campaign/{campaign.pk}/change/")
        assert campaign.stages.count() == 4
        assert campaign.content_items.count() == len(DEFAULT_CONTENT_ITEMS)
        assert campaign.implementation_plan_name == "实施方案.pdf"

    def test_admin_refuses_fake_plan_with_message(self, client, office):
        client.force_login(office)
        response = client.post(
            "/admin/reviews/campaign/add/",
            {
                "name": "假文件",
                "year": "2018",
                "composition_size": "27",
                "issuing_office": "办公室",
                "implementation_plan_approved_on": "2018-08-01",
                "implementation_plan_file": SimpleUploadedFile("方案.pdf", b"<html></html>"),
            },
        )
        assert response.status_code == 200
        assert "内容不是" in response.content.decode()
        assert not Campaign.objects.filter(name="假文件").exists()

    def test_change_page_shows_stages_and_history(self, client, office):
        campaign = CampaignFactory(actor=office)
        client.force_login(office)
        response = client.get(f"/admin/reviews/campaign/{campaign.pk}/change/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "准备阶段" in body and "整改阶段" in body and "变更阶段" in body

    def test_campaigns_cannot_be_deleted(self, client, office):
        campaign = CampaignFactory(actor=office)
        client.force_login(office)
        response = client.post(f"/admin/reviews/campaign/{campaign.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert Campaign.objects.filter(pk=campaign.pk).exists()


class TestPlanDownload:
    def test_readers_get_original_name_others_do_not(self, client, office, make_user):
        campaign = CampaignFactory(actor=office)
        campaign_implementation_plan_attach(
            actor=office,
            campaign=campaign,
            document=pdf_upload("实施方案.pdf"),
            approved_on=datetime.date(2017, 8, 1),
        )
        url = f"/campaigns/{campaign.pk}/implementation-plan/"
        assert client.get(url).status_code == 302
        client.force_login(office)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "%E5%AE%9E%E6%96%BD%E6%96%B9%E6%A1%88.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        from core.roles import Role

        client.force_login(make_user(Role.SUBJECT))
        assert client.get(url).status_code == 403

    def test_no_plan_is_404(self, client, office):
        campaign = CampaignFactory(actor=office)
        client.force_login(office)
        assert client.get(f"/campaigns/{campaign.pk}/implementation-plan/").status_code == 404


def test_admin_change_saves_deadlines_and_scale(client, office):
    campaign = CampaignFactory(actor=office)
    client.force_login(office)
    url = f"/admin/reviews/campaign/{campaign.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "name": campaign.name,
            "year": "2017",
            "composition_size": "27",
            "issuing_office": "办公室",
            "implementation_plan_approved_on": "",
            "report_draft_due": "2017-09-01",
            "report_final_due": "2017-09-11",
            "rating_options": '["满意", "较满意", "基本满意", "不满意"]',
        }
    )
    for prefix, formset in (
        (fs.formset.prefix, fs.formset) for fs in page.context["inline_admin_formsets"]
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(formset.total_form_count()),
                f"{prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
            }
        )
        for i, f in enumerate(formset.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                data[f"{prefix}-{i}-{name}"] = "" if value is None else getattr(value, "pk", value)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    campaign.refresh_from_db()
    assert campaign.report_draft_due == datetime.date(2017, 9, 1)
    assert campaign.rating_options == ["满意", "较满意", "基本满意", "不满意"]

    data["rating_options"] = '["满意"]'
    response = client.post(url, data, follow=True)
    campaign.refresh_from_db()
    assert "满意度选项至少两项" in response.content.decode(), campaign.rating_options
    assert campaign.rating_options == ["满意", "较满意", "基本满意", "不满意"]
