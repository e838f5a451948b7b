"""催报: the office reminds a subject whose duty report is still owed (a notification, an
e-mail and a line on the subject's timeline), while the campaign collects reports."""

import pytest

from core.models import Notification
from reviews.models import Campaign, CampaignStage
from subjects.models import DutyReportStatus
from tests.factories import DutyReportVersionFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db


def _url(world) -> str:
    return f"/campaigns/{world.campaign.pk}/reports/remind/"


def test_the_office_reminds_one_subject_and_keeps_the_filter(client, world):
    client.force_login(world.office)
    response = client.post(_url(world), {"subject": world.subject.pk, "back": "?state=missing"})
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{world.campaign.pk}/reports/?state=missing"
    notice = Notification.objects.get(user=world.subject.user)
    assert notice.title.startswith("【催报】请尽快提交述职报告初稿")
    assert audited("duty_report.remind", subject=world.subject) == 1
    assert not Notification.objects.filter(user=world.other.user).exists()
    page = client.get(f"/campaigns/{world.campaign.pk}/reports/").content.decode()
    assert "已催报 1 次" in page


@pytest.mark.parametrize("who", ["liaison", "director", "leading", "member", "other_subject"])
def test_only_the_office_reminds(client, world, who):
    refused(
        client,
        getattr(world, who),
        _url(world),
        {"subject": world.subject.pk},
        "",
        campaign=world.campaign,
        status=403,
    )


def test_a_subject_whose_final_is_accepted_is_not_reminded(client, world):
    DutyReportVersionFactory(subject=world.subject, status=DutyReportStatus.ACCEPTED)
    refused(
        client,
        world.office,
        _url(world),
        {"subject": world.subject.pk},
        "所选评议对象没有需要催报的述职报告",
        campaign=world.campaign,
    )


def test_no_reminders_once_reports_are_no_longer_collected(client, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(stage=CampaignStage.RECTIFICATION)
    refused(
        client,
        world.office,
        _url(world),
        {"subject": world.subject.pk},
        "述职报告已不在收交期内，无需催报。",
        campaign=world.campaign,
    )


def test_a_bad_choice_is_refused(client, world):
    refused(
        client,
        world.office,
        _url(world),
        {"subject": "x"},
        "请选择要催报的评议对象。",
        campaign=world.campaign,
    )
