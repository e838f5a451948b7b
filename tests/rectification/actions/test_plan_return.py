"""退回整改方案 (and 退回整改情况报告): the liaison committee or the office, with a reason,
on a submitted plan (a submitted report not yet put to members)."""

import pytest

from rectification.models import (
    PlanStatus,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    VersionStatus,
)
from rectification.services import rectification_assessment_open
from tests.factories import MemberFactory, RectificationReportFactory, plan_advance

from .conftest import audited, base, people, refused

pytestmark = pytest.mark.django_db

REASON = {"reason": "措施不具体，请明确时间节点"}


def _url(world):
    return f"{base(world)}plan/move/returned/"


@pytest.fixture
def submitted(world):
    plan_advance(world.subject, to=PlanStatus.SUBMITTED)
    return world


def test_the_liaison_committee_returns_with_its_reason(client, submitted):
    client.force_login(submitted.liaison)
    assert client.post(_url(submitted), REASON).status_code == 302
    plan = RectificationPlan.objects.get(subject=submitted.subject)
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == REASON["reason"]
    version = plan.subject.rectification_versions.get()
    assert version.status == VersionStatus.RETURNED and version.return_reason == REASON["reason"]
    assert audited(submitted.subject, "rectification_plan.returned") == 1
    # The subject sees why, and may submit again.
    client.force_login(submitted.subject.user)
    page = client.get(base(submitted)).content.decode()
    assert REASON["reason"] in page and "重新报送整改方案" in page


def test_a_return_needs_a_reason(client, submitted):
    refused(
        client,
        submitted.liaison,
        _url(submitted),
        {"reason": ""},
        "必须写明理由",
        subject=submitted.subject,
    )


@pytest.mark.parametrize("who", ["director", "leading"])
def test_other_roles_are_refused(client, submitted, who):
    refused(
        client,
        getattr(submitted, who),
        _url(submitted),
        REASON,
        "整改方案由财政经济工作委员会审核。",
        subject=submitted.subject,
    )


def test_the_subject_cannot_return_their_own_plan(client, submitted):
    refused(
        client,
        submitted.subject.user,
        _url(submitted),
        REASON,
        "整改方案由财政经济工作委员会审核。",
        subject=submitted.subject,
    )


def test_another_committee_a_member_and_another_subject_do_not_see_it(client, submitted):
    for _, user in people(submitted, "other_liaison", "member", "other_subject"):
        refused(client, user, _url(submitted), REASON, "", subject=submitted.subject, status=404)


def test_an_approved_plan_cannot_be_returned(client, world):
    plan_advance(world.subject, to=PlanStatus.APPROVED)
    refused(
        client,
        world.liaison,
        _url(world),
        REASON,
        "整改方案已通过，不能退回。",
        subject=world.subject,
    )


def test_a_report_is_returned_until_it_is_put_to_members(client, world):
    RectificationReportFactory(subject=world.subject, status=RectificationReportStatus.SUBMITTED)
    url = f"{base(world)}report/move/draft/"
    refused(
        client,
        world.subject.user,
        url,
        REASON,
        "整改情况报告由财政经济工作委员会或评议办公室退回。",
        subject=world.subject,
    )
    client.force_login(world.liaison)
    assert client.post(url, REASON).status_code == 302
    report = RectificationReport.objects.get(subject=world.subject)
    assert (
        report.status == RectificationReportStatus.DRAFT
        and report.return_reason == REASON["reason"]
    )
    assert audited(world.subject, "rectification_report.draft") == 1
    # Submitted again and put to members: no longer returnable.
    client.force_login(world.subject.user)
    from .conftest import report_post

    assert (
        client.post(f"{base(world)}report/move/submitted/", report_post(world.subject)).status_code
        == 302
    )
    MemberFactory.create_batch(3)
    rectification_assessment_open(actor=world.office, subject=world.subject)
    refused(
        client, world.liaison, url, REASON, "已提请组成人员测评，不能再退回", subject=world.subject
    )
