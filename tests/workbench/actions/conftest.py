"""One file per user action on a 情况简报, through HTTP: the office succeeds and the audit
entry is written; every other role is refused (403: the briefing's pages are the
office's); a wrong state is refused with the Chinese message (400, the page again); nothing
is written on refusal."""

from types import SimpleNamespace

import pytest

from core.models import AuditEntry, RenderedDocument
from core.roles import Role
from tests.factories import BriefingFactory, CampaignFactory, briefing_form_data
from workbench.models import BRIEFING_DOCUMENT, Briefing

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["leading", "director", "member", "liaison", "subject"]


@pytest.fixture
def world(office, make_user):
    """A campaign with a draft issue and an issued one, and a user of every other role."""
    campaign = CampaignFactory(actor=office)
    return SimpleNamespace(
        campaign=campaign,
        draft=BriefingFactory(campaign=campaign, actor=office),
        issued=BriefingFactory(campaign=campaign, actor=office, status="issued"),
        office=office,
        leading=make_user(Role.LEADING_GROUP),
        director=make_user(Role.DIRECTORS_MEETING),
        member=make_user(Role.MEMBER),
        liaison=make_user(Role.LIAISON),
        subject=make_user(Role.SUBJECT),
    )


def written(campaign) -> tuple:
    """Everything an action on this campaign's briefings may write."""
    return (
        list(Briefing.objects.filter(campaign=campaign).order_by("pk").values()),
        list(RenderedDocument.objects.filter(kind=BRIEFING_DOCUMENT).order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def edits(briefing, **changes) -> dict:
    """What the page's form posts: the issue as it stands, with `changes` typed."""
    return {**briefing_form_data(briefing), **changes}


def refused(client, user, url: str, data: dict, message: str, *, campaign, status=400):
    """POST as `user`: refused with `status` (and `message` on the page), nothing written."""
    before = written(campaign)
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, (user, response.status_code)
    page = response.content.decode()
    if status == 400:
        assert message in page, message
    assert written(campaign) == before
    return page
