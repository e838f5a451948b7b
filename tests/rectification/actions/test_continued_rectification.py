"""责成继续整改: more than half of the composition unsatisfied, the director's meeting
orders continued rectification with a new report due; or, where the campaign concludes by
the director's meeting, its decision does."""

import datetime

import pytest
from django.utils import timezone

from rectification.models import RectificationReport, RectificationReportStatus, VersionStatus
from reviews.services import campaign_update
from tests.factories import RectificationReportFactory, pdf_upload

from .conftest import audited, base, refused
from .test_conclude import assessed

pytestmark = pytest.mark.django_db


def _due(days=90) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def unsatisfied(world):
    return assessed(world, satisfied=False)


def test_the_directors_meeting_orders_a_new_round(client, unsatisfied):
    client.force_login(unsatisfied.director)
    url = f"{base(unsatisfied)}assessment/conclusion/"
    assert client.post(url, {"new_due_on": _due()}).status_code == 302
    first, second = RectificationReport.objects.filter(subject=unsatisfied.subject).order_by(
        "round"
    )
    assert (
        first.status == RectificationReportStatus.CONTINUED
        and first.ordered_on == timezone.localdate()
    )
    assert second.round == 2 and second.status == RectificationReportStatus.DRAFT
    assert second.due_on == timezone.localdate() + datetime.timedelta(days=90)
    version = unsatisfied.subject.rectification_versions.get(kind="report")
    assert version.status == VersionStatus.CONTINUED
    assert audited(unsatisfied.subject, "rectification_report.continued") == 1
    assert audited(unsatisfied.subject, "rectification.continued") == 1
    # The subject now writes the second round's report.
    client.force_login(unsatisfied.subject.user)
    assert "书面整改情况报告（第 2 轮）" in client.get(base(unsatisfied)).content.decode()


def test_the_new_due_date_is_required(client, unsatisfied):
    url = f"{base(unsatisfied)}assessment/conclusion/"
    refused(
        client,
        unsatisfied.director,
        url,
        {"new_due_on": ""},
        "继续整改的报告期限",
        subject=unsatisfied.subject,
    )


@pytest.mark.parametrize("who", ["leading", "liaison"])
def test_other_roles_are_refused(client, unsatisfied, who):
    url = f"{base(unsatisfied)}assessment/conclusion/"
    refused(
        client,
        getattr(unsatisfied, who),
        url,
        {"new_due_on": _due()},
        "只有评议办公室或主任会议成员可以登记测评结论。",
        subject=unsatisfied.subject,
    )


def _meeting(world):
    campaign_update(
        actor=world.office, campaign=world.campaign, rectification_conclusion="directors_meeting"
    )
    RectificationReportFactory(subject=world.subject, status=RectificationReportStatus.SUBMITTED)
    return {
        "decided_on": timezone.localdate().isoformat(),
        "minutes": pdf_upload("主任会议纪要.pdf"),
        "outcome": "continued",
        "new_due_on": _due(60),
    }


def test_by_the_directors_meeting_decision(client, world):
    data = _meeting(world)
    client.force_login(world.director)
    assert client.post(f"{base(world)}decision/", data).status_code == 302
    first, second = RectificationReport.objects.filter(subject=world.subject).order_by("round")
    assert (
        first.status == RectificationReportStatus.CONTINUED
        and first.minutes_name == "主任会议纪要.pdf"
    )
    assert second.round == 2
    assert audited(world.subject, "rectification.meeting_decision") == 1
    assert audited(world.subject, "rectification.continued") == 1


def test_the_meeting_decision_is_refused_to_others_and_on_a_wrong_state(client, world):
    data = _meeting(world)
    url = f"{base(world)}decision/"
    for user in (world.liaison, world.leading, world.subject.user):
        refused(
            client,
            user,
            url,
            {**data, "minutes": pdf_upload()},
            "只有评议办公室或主任会议成员可以登记主任会议决定。",
            subject=world.subject,
        )
    client.force_login(world.director)
    assert client.post(url, data).status_code == 302
    refused(
        client,
        world.director,
        url,
        {**data, "minutes": pdf_upload()},
        "整改情况报告填写中，不能登记主任会议决定。",
        subject=world.subject,
    )
