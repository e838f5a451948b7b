"""One file per user action on a campaign and its stages, through HTTP: the office
succeeds and an audit entry is written; every other role is refused (403: the office's
pages are the office's); a wrong stage is refused with the Chinese message (400, the page
again with what was typed); nothing is written on refusal."""

import datetime
from types import SimpleNamespace

import pytest

from core.models import AuditEntry
from core.roles import Role
from reviews.models import Campaign, ContentItem, Stage, StageTransition
from tests.factories import CampaignFactory, SubjectFactory

pytestmark = pytest.mark.django_db

# Every role but the office's, none of whom may act on a campaign.
OTHERS = ("leading", "director", "member", "liaison", "subject")


@pytest.fixture
def world(office, make_user):
    """A campaign ready to leave preparation (its plan approved, a subject named, content
    items set), the office and one user of every other role."""
    campaign = CampaignFactory(actor=office, implementation_plan_approved_on=datetime.date.today())
    subject = SubjectFactory(campaign=campaign)
    return SimpleNamespace(
        campaign=Campaign.objects.get(pk=campaign.pk),
        office=office,
        leading=make_user(Role.LEADING_GROUP),
        director=make_user(Role.DIRECTORS_MEETING),
        member=make_user(Role.MEMBER),
        liaison=make_user(Role.LIAISON),
        subject=subject.user,
    )


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded documents go to a directory of the test's own."""
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def written(campaign: Campaign) -> tuple:
    """Everything an action on this campaign may write."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        campaign.stage,
        campaign.name,
        campaign.implementation_plan_approved_on,
        campaign.implementation_plan_name,
        list(Stage.objects.filter(campaign=campaign).order_by("position").values()),
        list(ContentItem.objects.filter(campaign=campaign).values("title", "position")),
        StageTransition.objects.filter(campaign=campaign).count(),
        AuditEntry.objects.count(),
    )


def refused(client, user, url: str, data: dict, message: str, *, campaign, status=400):
    """POST as `user`: refused with `status` (and `message` on the page), nothing written."""
    before = written(campaign)
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, (user, response.status_code)
    if status == 400:
        assert message in response.content.decode(), [str(m) for m in response.context["messages"]]
    assert written(campaign) == before
    return response


def stage_url(world) -> str:
    return f"/campaigns/{world.campaign.pk}/stage/"


def audited(campaign: Campaign, action: str) -> int:
    return AuditEntry.objects.filter(campaign=campaign, action=action).count()
