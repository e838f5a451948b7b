"""登记测评结论: the office or the director's meeting, once the members' assessment of a
submitted report is published; satisfied ends rectification."""

import pytest

from ballots.models import BallotStatus
from rectification.models import RectificationReport, RectificationReportStatus, VersionStatus
from rectification.services import rectification_assessment_open
from tests.factories import RectificationReportFactory, ballot_advance, voters_ensure

from .conftest import audited, base, people, refused

pytestmark = pytest.mark.django_db

ONLY_ORDERS = "只有评议办公室或主任会议成员可以登记测评结论。"


def _url(world):
    return f"{base(world)}assessment/conclusion/"


def assessed(world, *, satisfied: bool, to=BallotStatus.PUBLISHED):
    """The subject's report submitted and assessed by more than half of the composition."""
    RectificationReportFactory(subject=world.subject, status=RectificationReportStatus.SUBMITTED)
    voters = world.campaign.composition_size // 2 + 1
    voters_ensure(voters)
    ballot = rectification_assessment_open(actor=world.office, subject=world.subject)
    option = ballot.options[0] if satisfied else ballot.options[-1]
    ballot_advance(ballot, to=to, votes=[option] * voters, actor=world.office)
    return world


@pytest.fixture
def satisfied(world):
    return assessed(world, satisfied=True)


@pytest.mark.parametrize("who", ["director", "office"])
def test_the_directors_meeting_or_the_office_concludes(client, satisfied, who):
    client.force_login(getattr(satisfied, who))
    assert "登记测评结论" in client.get(base(satisfied)).content.decode()
    assert client.post(_url(satisfied), {"new_due_on": ""}).status_code == 302
    report = RectificationReport.objects.get(subject=satisfied.subject)
    assert report.status == RectificationReportStatus.SATISFIED
    version = satisfied.subject.rectification_versions.get(kind="report")
    assert version.status == VersionStatus.SATISFIED and version.decided_on is not None
    assert audited(satisfied.subject, "rectification_report.satisfied") == 1


@pytest.mark.parametrize("who", ["leading", "liaison"])
def test_other_roles_are_refused(client, satisfied, who):
    refused(
        client,
        getattr(satisfied, who),
        _url(satisfied),
        {"new_due_on": ""},
        ONLY_ORDERS,
        subject=satisfied.subject,
    )


def test_the_subject_is_refused(client, satisfied):
    refused(
        client,
        satisfied.subject.user,
        _url(satisfied),
        {"new_due_on": ""},
        ONLY_ORDERS,
        subject=satisfied.subject,
    )


def test_those_who_may_not_see_the_subject_are_refused(client, satisfied):
    for _, user in people(satisfied, "member", "other_liaison", "other_subject"):
        refused(
            client,
            user,
            _url(satisfied),
            {"new_due_on": ""},
            "",
            subject=satisfied.subject,
            status=404,
        )


def test_not_before_the_result_is_published(client, world):
    assessed(world, satisfied=True, to=BallotStatus.CLOSED)
    refused(
        client, world.director, _url(world), {"new_due_on": ""}, "尚未公布", subject=world.subject
    )


def test_not_on_a_report_still_being_written(client, world):
    RectificationReportFactory(subject=world.subject, status=RectificationReportStatus.DRAFT)
    refused(
        client,
        world.director,
        _url(world),
        {"new_due_on": ""},
        "整改情况报告填写中，不能登记测评结论。",
        subject=world.subject,
    )
