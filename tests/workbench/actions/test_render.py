"""生成 PDF (保存并生成 PDF): the office queues the PDF of an issue through core's one
pipeline; a draft's edits posted with the button are saved first."""

import pytest

from core.models import AuditEntry, DocumentStatus
from workbench.models import Briefing
from workbench.services.briefings import briefing_render_request

from .conftest import OTHER_ROLES, edits, refused

pytestmark = pytest.mark.django_db


def _url(briefing) -> str:
    return f"/briefings/{briefing.pk}/render/"


def test_the_office_saves_and_renders_a_draft(client, world):
    client.force_login(world.office)
    response = client.post(_url(world.draft), edits(world.draft, title="预览稿"))
    assert response.status_code == 302
    briefing = Briefing.objects.get(pk=world.draft.pk)
    assert briefing.title == "预览稿" and briefing.document.status == DocumentStatus.QUEUED
    assert AuditEntry.objects.filter(action="briefing.render", summary__contains="预览稿").exists()


def test_the_office_renders_an_issued_briefing_again(client, world):
    world.issued.document.delete()
    client.force_login(world.office)
    assert client.post(_url(world.issued)).status_code == 302
    assert Briefing.objects.get(pk=world.issued.pk).document.status == DocumentStatus.QUEUED


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_other_roles_are_refused(client, world, who):
    refused(
        client,
        getattr(world, who),
        _url(world.draft),
        edits(world.draft),
        "",
        campaign=world.campaign,
        status=403,
    )


def test_a_render_under_way_is_not_asked_for_again(client, world):
    briefing_render_request(actor=world.office, briefing=world.draft)  # queued: not yet done
    page = refused(
        client,
        world.office,
        _url(world.draft),
        edits(world.draft, title="又改了"),
        "正在生成 PDF，请稍后再修改。",
        campaign=world.campaign,
    )
    assert "又改了" in page
