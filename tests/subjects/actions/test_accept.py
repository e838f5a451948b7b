"""接受述职报告: the office, on a version waiting for review; an accepted final is locked."""

import pytest

from subjects.models import DutyReportStatus, DutyReportVersion, ReportKind
from tests.factories import DutyReportVersionFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db

OFFICE_ONLY = "只有评议办公室工作人员可以进行此项操作。"


def _url(version) -> str:
    return f"/reports/{version.pk}/move/accepted/"


@pytest.fixture
def waiting(world):
    return DutyReportVersionFactory(subject=world.subject, kind=ReportKind.FINAL)


def test_the_office_accepts_and_the_final_is_locked(client, world, waiting):
    client.force_login(world.office)
    response = client.post(_url(waiting), follow=True)
    assert response.redirect_chain[0] == (f"/campaigns/{world.campaign.pk}/reports/", 302)
    assert "已接受金立新的述职报告定稿。" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == DutyReportStatus.ACCEPTED and waiting.reviewed_by == world.office
    assert audited("duty_report.accepted", subject=world.subject) == 1
    client.force_login(world.subject.user)
    page = client.get(f"/subjects/{world.subject.pk}/").content.decode()
    assert "已被办公室接受并锁定" in page


def test_the_subject_cannot_accept_their_own(client, world, waiting):
    refused(client, world.subject.user, _url(waiting), {}, OFFICE_ONLY, campaign=world.campaign)


@pytest.mark.parametrize(
    "who", ["liaison", "other_liaison", "director", "leading", "member", "other_subject"]
)
def test_others_do_not_reach_a_version_waiting_for_review(client, world, waiting, who):
    refused(client, getattr(world, who), _url(waiting), {}, "", campaign=world.campaign, status=404)


def test_a_returned_version_cannot_be_accepted(client, world):
    returned = DutyReportVersionFactory(subject=world.subject, status=DutyReportStatus.RETURNED)
    response = refused(
        client,
        world.office,
        _url(returned),
        {},
        "该版本已退回，不能接受。",
        campaign=world.campaign,
    )
    # The refusal shows the campaign's list again.
    assert "审核与催报" in response.content.decode()


def test_an_unknown_move_is_refused(client, world, waiting):
    refused(
        client,
        world.office,
        f"/reports/{waiting.pk}/move/draft/",
        {},
        "未知操作。",
        campaign=world.campaign,
    )
    assert DutyReportVersion.objects.get().status == DutyReportStatus.SUBMITTED
