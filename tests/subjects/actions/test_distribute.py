"""分发述职报告: the office, once, when at least one final is accepted; members and the
leading group then read the accepted finals."""

import pytest

from reviews.models import Campaign
from subjects.models import DutyReportStatus
from tests.factories import DutyReportVersionFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db


def _url(world) -> str:
    return f"/campaigns/{world.campaign.pk}/reports/distribute/"


@pytest.fixture
def accepted(world):
    return DutyReportVersionFactory(subject=world.subject, status=DutyReportStatus.ACCEPTED)


def test_the_office_distributes_and_members_read(client, world, accepted):
    client.force_login(world.member)
    assert (
        "办公室尚未分发" in client.get(f"/campaigns/{world.campaign.pk}/reports/").content.decode()
    )
    client.force_login(world.office)
    response = client.post(_url(world), follow=True)
    assert response.redirect_chain[0] == (f"/campaigns/{world.campaign.pk}/reports/", 302)
    assert "述职报告已分发" in response.content.decode()
    campaign = Campaign.objects.get(pk=world.campaign.pk)
    assert campaign.reports_distributed_at and campaign.reports_distributed_by == world.office
    assert audited("duty_report.distribute", campaign=campaign) == 1
    client.force_login(world.member)
    page = client.get(f"/campaigns/{world.campaign.pk}/reports/").content.decode()
    assert f"/reports/{accepted.pk}/download/" in page


@pytest.mark.parametrize("who", ["liaison", "director", "leading", "member", "other_subject"])
def test_only_the_office_distributes(client, world, accepted, who):
    refused(client, getattr(world, who), _url(world), {}, "", campaign=world.campaign, status=403)


def test_the_subject_does_not_distribute(client, world, accepted):
    refused(client, world.subject.user, _url(world), {}, "", campaign=world.campaign, status=403)


def test_nothing_to_distribute_without_an_accepted_final(client, world):
    DutyReportVersionFactory(subject=world.subject)  # waiting for review
    refused(
        client,
        world.office,
        _url(world),
        {},
        "还没有已接受的述职报告定稿，无法分发。",
        campaign=world.campaign,
    )


def test_distributed_once(client, world, accepted):
    client.force_login(world.office)
    assert client.post(_url(world)).status_code == 302
    refused(
        client,
        world.office,
        _url(world),
        {},
        "本次评议的述职报告已经分发。",
        campaign=world.campaign,
    )
