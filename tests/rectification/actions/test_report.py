"""报送整改情况报告: the review subject, once the plan is approved, on the current round's
report while it is a draft."""

import pytest

from rectification.models import (
    PlanStatus,
    RectificationReport,
    RectificationReportStatus,
    VersionStatus,
)
from tests.factories import RectificationReportFactory, plan_advance

from .conftest import audited, base, people, refused, report_post

pytestmark = pytest.mark.django_db

ONLY_SUBJECT = "只有评议对象本人可以报送整改情况报告。"


def _url(world):
    return f"{base(world)}report/move/submitted/"


@pytest.fixture
def approved(world):
    plan_advance(world.subject, to=PlanStatus.APPROVED)
    return world


def test_the_subject_reports_and_it_is_audited(client, approved):
    client.force_login(approved.subject.user)
    assert client.post(_url(approved), report_post(approved.subject)).status_code == 302
    report = RectificationReport.objects.get(subject=approved.subject)
    assert report.status == RectificationReportStatus.SUBMITTED and report.rows.count() == 1
    version = approved.subject.rectification_versions.get(kind="report")
    assert version.status == VersionStatus.SUBMITTED
    assert audited(approved.subject, "rectification_report.submitted") == 1


@pytest.mark.parametrize("who", ["office", "liaison", "director", "leading"])
def test_every_other_role_is_refused(client, approved, who):
    refused(
        client,
        getattr(approved, who),
        _url(approved),
        report_post(approved.subject),
        ONLY_SUBJECT,
        subject=approved.subject,
    )


def test_those_who_may_not_see_the_subject_are_refused(client, approved):
    for _, user in people(approved, "member", "other_liaison", "other_subject"):
        refused(
            client,
            user,
            _url(approved),
            report_post(approved.subject),
            "",
            subject=approved.subject,
            status=404,
        )


def test_not_before_the_plan_is_approved(client, world):
    plan_advance(world.subject, to=PlanStatus.SUBMITTED)
    refused(
        client,
        world.subject.user,
        _url(world),
        report_post(world.subject),
        "整改方案通过后才能填报整改情况。",
        subject=world.subject,
    )


def test_a_submitted_report_cannot_be_submitted_again(client, world):
    RectificationReportFactory(subject=world.subject, status=RectificationReportStatus.SUBMITTED)
    refused(
        client,
        world.subject.user,
        _url(world),
        report_post(world.subject),
        "整改情况报告已报送，不能报送整改情况报告。",
        subject=world.subject,
    )


def test_a_missing_row_refuses_the_whole_report(client, approved):
    data = {k: v for k, v in report_post(approved.subject).items() if not k.startswith("done_")}
    data |= {k.replace("status_", "done_"): "" for k in data if k.startswith("status_")}
    refused(
        client,
        approved.subject.user,
        _url(approved),
        data,
        "须选择完成情况",
        subject=approved.subject,
    )
