"""One file per user action on the duty report (述职报告), through HTTP: the allowed actor
succeeds and an audit entry is written; another subject, another liaison committee and
the wrong roles are refused (400 with the Chinese message, or 403/404 for what they may
not reach); a wrong state is refused; nothing is written on refusal."""

import datetime
from types import SimpleNamespace

import pytest

from core.models import AuditEntry, Notification
from core.roles import Role
from reviews.models import Campaign
from subjects.models import DutyReportVersion
from subjects.services import campaign_report_deadlines_set
from tests.factories import CampaignFactory, LiaisonCommitteeFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office, make_user):
    """A campaign collecting duty reports, a subject with its liaison committee's staff,
    another subject of another committee, and the other roles."""
    finance = LiaisonCommitteeFactory(name="财政经济工作委员会")
    law = LiaisonCommitteeFactory(name="法制工作委员会")
    liaison, other_liaison = make_user(Role.LIAISON), make_user(Role.LIAISON)
    finance.users.add(liaison)
    law.users.add(other_liaison)
    campaign = campaign_report_deadlines_set(
        actor=office,
        campaign=CampaignFactory(actor=office),
        draft_due=datetime.date(2099, 9, 1),
        final_due=datetime.date(2099, 9, 11),
    )
    subject = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=finance)
    other = SubjectFactory(campaign=campaign, person_name="唐晓云", liaison_committee=law)
    return SimpleNamespace(
        campaign=campaign,
        subject=subject,
        other=other,
        office=office,
        liaison=liaison,
        other_liaison=other_liaison,
        director=make_user(Role.DIRECTORS_MEETING),
        leading=make_user(Role.LEADING_GROUP),
        member=make_user(Role.MEMBER),
        other_subject=other.user,
    )


def written(campaign: Campaign) -> tuple:
    """Everything an action on a campaign's duty reports may write."""
    return (
        list(DutyReportVersion.objects.filter(subject__campaign=campaign).values()),
        Campaign.objects.filter(pk=campaign.pk).values_list("reports_distributed_at").get(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


def audited(action: str, **where) -> int:
    return AuditEntry.objects.filter(action=action, **where).count()


def refused(client, user, url: str, data: dict, message: str, *, campaign, status=400):
    """POST as `user`: refused with `status` (and `message` on the page), nothing written."""
    before = written(campaign)
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, (user, response.status_code)
    if status == 400:
        assert message in response.content.decode(), message
    assert written(campaign) == before
    return response
