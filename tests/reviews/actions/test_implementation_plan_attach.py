"""登记实施方案: the office, in any stage, with the document and a date not after today."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.models import CampaignStage
from tests.factories import campaign_move_to

from .conftest import OTHERS, audited, refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _url(world) -> str:
    return f"/campaigns/{world.campaign.pk}/implementation-plan/attach/"


def _data(approved_on: datetime.date | None = None) -> dict:
    approved_on = approved_on or datetime.date.today() - datetime.timedelta(days=1)
    document = SimpleUploadedFile("实施方案.pdf", PDF, content_type="application/pdf")
    return {"document": document, "approved_on": approved_on.isoformat()}


@pytest.mark.parametrize("stage", [CampaignStage.PREPARATION, CampaignStage.CLOSED])
def test_the_office_registers_the_plan_in_any_stage(client, world, stage, media_root):
    campaign_move_to(world.campaign, stage, actor=world.office)
    client.force_login(world.office)
    assert client.post(_url(world), _data()).status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.implementation_plan_name == "实施方案.pdf"
    assert audited(world.campaign, "campaign.plan") == 1


def test_a_date_after_today_is_refused_and_kept(client, world, media_root):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = refused(
        client,
        world.office,
        _url(world),
        _data(tomorrow),
        "实施方案批准日期不能晚于今天。",
        campaign=world.campaign,
    )
    assert tomorrow.isoformat() in response.content.decode()


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_are_refused(client, world, who, media_root):
    refused(
        client, getattr(world, who), _url(world), _data(), "", campaign=world.campaign, status=403
    )
