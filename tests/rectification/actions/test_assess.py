"""组织整改情况满意度测评: the office, on a submitted report not yet put to members, where
the campaign concludes rectification by the members' ballot."""

import pytest

from rectification.models import PlanStatus, RectificationReport, RectificationReportStatus
from reviews.services import campaign_update
from tests.factories import MemberFactory, RectificationReportFactory, plan_advance

from .conftest import audited, base, people, refused

pytestmark = pytest.mark.django_db

ONLY_OFFICE = "只有评议办公室工作人员可以组织整改情况满意度测评。"


def _url(world):
    return f"{base(world)}assessment/"


@pytest.fixture
def submitted(world):
    RectificationReportFactory(subject=world.subject, status=RectificationReportStatus.SUBMITTED)
    MemberFactory.create_batch(3)
    return world


def test_the_office_puts_the_report_to_members(client, submitted):
    client.force_login(submitted.office)
    assert "组织整改情况满意度测评" in client.get(base(submitted)).content.decode()
    assert client.post(_url(submitted)).status_code == 302
    report = RectificationReport.objects.get(subject=submitted.subject)
    assert report.ballot is not None and report.status == RectificationReportStatus.SUBMITTED
    assert audited(submitted.subject, "rectification.assess") == 1


@pytest.mark.parametrize("who", ["director", "leading", "liaison"])
def test_other_roles_are_refused(client, submitted, who):
    refused(
        client, getattr(submitted, who), _url(submitted), {}, ONLY_OFFICE, subject=submitted.subject
    )


def test_the_subject_is_refused(client, submitted):
    refused(
        client, submitted.subject.user, _url(submitted), {}, ONLY_OFFICE, subject=submitted.subject
    )


def test_those_who_may_not_see_the_subject_are_refused(client, submitted):
    for _, user in people(submitted, "member", "other_liaison", "other_subject"):
        refused(client, user, _url(submitted), {}, "", subject=submitted.subject, status=404)


def test_a_draft_report_is_not_assessed(client, world):
    plan_advance(world.subject, to=PlanStatus.APPROVED)
    refused(
        client,
        world.office,
        _url(world),
        {},
        "整改情况报告填写中，不能组织整改情况满意度测评。",
        subject=world.subject,
    )


def test_only_once_and_only_where_the_campaign_assesses_by_ballot(client, submitted):
    client.force_login(submitted.office)
    assert client.post(_url(submitted)).status_code == 302
    refused(client, submitted.office, _url(submitted), {}, "尚未测评", subject=submitted.subject)
    other = RectificationReportFactory(status=RectificationReportStatus.SUBMITTED).subject
    campaign_update(
        actor=submitted.office,
        campaign=other.campaign,
        rectification_conclusion="directors_meeting",
    )
    refused(
        client,
        submitted.office,
        f"/subjects/{other.pk}/rectification/assessment/",
        {},
        "不组织测评",
        subject=other,
    )
