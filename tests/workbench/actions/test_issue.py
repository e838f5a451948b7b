"""签发 (保存并签发): the office issues a draft with the edits typed on the page; the issue
and its PDF are frozen. BRIEFING_WORKFLOW's one move, run by the generic move view."""

import pytest

from core.models import AuditEntry, RenderedDocument
from workbench.models import BRIEFING_DOCUMENT, Briefing, BriefingStatus

from .conftest import OTHER_ROLES, edits, refused

pytestmark = pytest.mark.django_db


def _url(briefing) -> str:
    return f"/briefings/{briefing.pk}/issue/"


def test_the_office_issues_what_was_typed(client, world):
    client.force_login(world.office)
    response = client.post(_url(world.draft), edits(world.draft, title="动员会召开（签发稿）"))
    assert response.status_code == 302 and response.url == f"/briefings/{world.draft.pk}/"
    briefing = Briefing.objects.get(pk=world.draft.pk)
    assert briefing.status == BriefingStatus.ISSUED and briefing.title == "动员会召开（签发稿）"
    assert briefing.issued_by == world.office and briefing.issued_at is not None
    assert "动员会召开（签发稿）" in briefing.issued_html
    entry = AuditEntry.objects.get(action="briefing.issued", target_id=str(briefing.pk))
    assert entry.campaign == world.campaign and "签发情况简报第 1 期" in entry.summary
    assert RenderedDocument.objects.filter(kind=BRIEFING_DOCUMENT, object_id=briefing.pk).exists()
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    assert "已签发" in page and "保存并签发" not in page and "更正" in page


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


def test_an_issued_briefing_is_not_issued_again(client, world):
    page = refused(
        client,
        world.office,
        _url(world.issued),
        edits(world.issued, title="再签发一次"),
        "本期已签发，不能签发。",
        campaign=world.campaign,
    )
    assert "保存并签发" not in page


def test_bad_edits_refuse_the_issue_and_keep_what_was_typed(client, world):
    page = refused(
        client,
        world.office,
        _url(world.draft),
        edits(world.draft, title="", editor="新编辑"),
        "标题",
        campaign=world.campaign,
    )
    assert 'value="新编辑"' in page and "保存并签发" in page


def test_a_stale_page_is_not_issued(client, world):
    posted = edits(world.draft, title="过时的页面")
    client.force_login(world.office)
    client.post(f"/briefings/{world.draft.pk}/", edits(world.draft, title="别人先改了"))
    refused(client, world.office, _url(world.draft), posted, "", campaign=world.campaign)
