"""延期: the office moves a started deadline (the plan while it is a draft or returned, the
current report while it is a draft), with a reason."""

import datetime

import pytest
from django.utils import timezone

from rectification.models import DeadlineExtension, PlanStatus, RectificationPlan
from tests.factories import plan_advance

from .conftest import audited, base, people, refused

pytestmark = pytest.mark.django_db

ONLY_OFFICE = "只有评议办公室工作人员可以延期。"


def _url(world):
    return f"{base(world)}extensions/"


def _data(kind="plan", days=120):
    new_due = timezone.localdate() + datetime.timedelta(days=days)
    return {"kind": kind, "new_due_on": new_due.isoformat(), "reason": "机构改革，责任人调整"}


def test_the_office_extends_the_plan_and_it_is_audited(client, world):
    client.force_login(world.office)
    assert client.post(_url(world), _data()).status_code == 302
    plan = RectificationPlan.objects.get(subject=world.subject)
    assert plan.due_on == timezone.localdate() + datetime.timedelta(days=120)
    assert DeadlineExtension.objects.get(subject=world.subject).reason == "机构改革，责任人调整"
    assert audited(world.subject, "rectification.extend") == 1


def test_the_office_extends_the_report(client, world):
    client.force_login(world.office)
    assert client.post(_url(world), _data("report", 200)).status_code == 302
    report = world.subject.rectification_reports.get()
    assert report.due_on == timezone.localdate() + datetime.timedelta(days=200)


@pytest.mark.parametrize("who", ["liaison", "director", "leading"])
def test_other_roles_are_refused(client, world, who):
    refused(client, getattr(world, who), _url(world), _data(), ONLY_OFFICE, subject=world.subject)


def test_the_subject_cannot_extend_their_own_deadline(client, world):
    refused(client, world.subject.user, _url(world), _data(), ONLY_OFFICE, subject=world.subject)


def test_those_who_may_not_see_the_subject_are_refused(client, world):
    for _, user in people(world, "member", "other_liaison", "other_subject"):
        refused(client, user, _url(world), _data(), "", subject=world.subject, status=404)


def test_a_submitted_plan_is_not_extended(client, world):
    plan_advance(world.subject, to=PlanStatus.SUBMITTED)
    refused(client, world.office, _url(world), _data(), "不能延期", subject=world.subject)


def test_the_new_date_must_be_later_and_the_reason_given(client, world):
    refused(
        client,
        world.office,
        _url(world),
        _data(days=1),
        "新期限须晚于原期限",
        subject=world.subject,
    )
    refused(
        client,
        world.office,
        _url(world),
        {**_data(), "reason": ""},
        "延期理由",
        subject=world.subject,
    )
