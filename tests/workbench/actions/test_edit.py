"""保存修改: the office edits a draft (its stored PDF is discarded: it no longer matches);
an issued briefing never changes."""

import pytest

from core.documents import document_render
from workbench.models import Briefing
from workbench.services.briefings import briefing_render_request

from .conftest import OTHER_ROLES, edits, refused

pytestmark = pytest.mark.django_db


def _url(briefing) -> str:
    return f"/briefings/{briefing.pk}/"


def test_the_office_saves_a_draft_and_its_old_pdf_goes(client, world):
    document = briefing_render_request(actor=world.office, briefing=world.draft)
    document_render(document_id=document.pk)
    client.force_login(world.office)
    response = client.post(_url(world.draft), edits(world.draft, title="改过的标题"))
    assert response.status_code == 302 and response.url == _url(world.draft)
    briefing = Briefing.objects.get(pk=world.draft.pk)
    assert briefing.title == "改过的标题" and briefing.document is None


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_other_roles_are_refused(client, world, who):
    refused(
        client,
        getattr(world, who),
        _url(world.draft),
        edits(world.draft, title="偷改"),
        "",
        campaign=world.campaign,
        status=403,
    )


def test_an_issued_briefing_is_not_edited(client, world):
    refused(
        client,
        world.office,
        _url(world.issued),
        edits(world.issued, title="偷偷改"),
        "本期已签发，不能再修改；如需更正，请用“更正”另发一期。",
        campaign=world.campaign,
    )


def test_a_refused_edit_shows_what_was_typed(client, world):
    page = refused(
        client,
        world.office,
        _url(world.draft),
        edits(world.draft, title="", distribution="县委办，存档。"),
        "未保存，请修改后再提交：",
        campaign=world.campaign,
    )
    assert "县委办，存档。" in page
