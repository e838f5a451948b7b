"""登记主任会议听取: the office or the director's meeting, on a submitted report; a date
before the submission only as the office's 补录."""

import datetime

import pytest
from django.utils import timezone

from surveys.models import InvestigationReport
from tests.factories import InvestigationReportFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world):
    world.report = InvestigationReportFactory(subject=world.subject, status="submitted")
    return world


def _url(world) -> str:
    return f"/investigation-reports/{world.report.pk}/move/heard/"


def _on(day: datetime.date, **extra) -> dict:
    return {"heard_on": day.isoformat(), **extra}


@pytest.mark.parametrize("who", ["director", "office"])
def test_the_meeting_or_the_office_records_the_hearing(client, submitted, who):
    client.force_login(getattr(submitted, who))
    response = client.post(_url(submitted), _on(timezone.localdate()))
    assert response.status_code == 302
    report = InvestigationReport.objects.get(pk=submitted.report.pk)
    assert report.status == "heard" and report.heard_on == timezone.localdate()
    assert report.heard_recorded_by == getattr(submitted, who)
    assert audited("investigation_report.heard") == 1


@pytest.mark.parametrize("who", ["leader", "member", "leading"])
def test_other_roles_are_refused(client, submitted, who):
    refused(
        client,
        getattr(submitted, who),
        _url(submitted),
        _on(timezone.localdate()),
        "只有评议办公室或主任会议成员可以登记主任会议听取情况。",
    )


def test_the_other_group_does_not_see_it(client, submitted):
    refused(client, submitted.other_leader, _url(submitted), _on(timezone.localdate()), status=404)


def test_no_hearing_in_the_future(client, submitted):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused(client, submitted.director, _url(submitted), _on(tomorrow), "听取日期不能晚于今天。")


def test_an_earlier_date_only_as_the_offices_backdating(client, submitted):
    earlier = timezone.localdate() - datetime.timedelta(days=30)
    refused(client, submitted.office, _url(submitted), _on(earlier), "请勾选“补录”")
    refused(
        client,
        submitted.director,
        _url(submitted),
        _on(earlier, backdated="on"),
        "只有评议办公室可以补录以往的听取情况。",
    )
    client.force_login(submitted.office)
    assert client.post(_url(submitted), _on(earlier, backdated="on")).status_code == 302
    assert InvestigationReport.objects.get(pk=submitted.report.pk).heard_backdated


def test_a_draft_is_not_heard(client, world):
    world.report = InvestigationReportFactory(subject=world.subject)
    refused(
        client,
        world.office,
        _url(world),
        _on(timezone.localdate()),
        "调查报告起草中，不能登记主任会议听取。",
    )
