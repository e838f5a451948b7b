"""更正: the office corrects an issued briefing by a new issue (a copy to edit and issue);
the original stays as issued."""

import pytest

from core.models import AuditEntry
from workbench.models import Briefing, BriefingStatus

from .conftest import OTHER_ROLES, refused

pytestmark = pytest.mark.django_db


def _url(briefing) -> str:
    return f"/briefings/{briefing.pk}/correct/"


def test_the_office_corrects_an_issued_briefing(client, world):
    client.force_login(world.office)
    response = client.post(_url(world.issued))
    correction = Briefing.objects.get(corrects=world.issued)
    assert response.status_code == 302 and response.url == f"/briefings/{correction.pk}/"
    assert correction.number == 3 and correction.status == BriefingStatus.DRAFT
    assert correction.title == f"更正：{world.issued.title}"
    original = Briefing.objects.get(pk=world.issued.pk)
    assert original.status == BriefingStatus.ISSUED and original.title == world.issued.title
    assert AuditEntry.objects.filter(
        action="briefing.create", target_id=str(correction.pk)
    ).exists()


@pytest.mark.parametrize("who", OTHER_ROLES)
def test_other_roles_are_refused(client, world, who):
    refused(
        client,
        getattr(world, who),
        _url(world.issued),
        {},
        "",
        campaign=world.campaign,
        status=403,
    )


def test_a_draft_is_edited_not_corrected(client, world):
    refused(
        client,
        world.office,
        _url(world.draft),
        {},
        "本期尚未签发，不能更正。",
        campaign=world.campaign,
    )
