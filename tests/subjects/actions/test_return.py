"""退回述职报告: the office, with a reason the subject reads, on a version waiting for review."""

import pytest

from subjects.models import DutyReportStatus, ReportKind
from tests.factories import DutyReportVersionFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db

REASON = {"reason": "未突出个人履职，请补充本人作用"}


def _url(version) -> str:
    return f"/reports/{version.pk}/move/returned/"


@pytest.fixture
def waiting(world):
    return DutyReportVersionFactory(subject=world.subject, kind=ReportKind.DRAFT)


def test_the_office_returns_with_its_reason_and_the_subject_reads_it(client, world, waiting):
    client.force_login(world.office)
    response = client.post(_url(waiting), REASON, follow=True)
    assert response.redirect_chain[0] == (f"/campaigns/{world.campaign.pk}/reports/", 302)
    assert "已退回金立新的述职报告初稿。" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == DutyReportStatus.RETURNED
    assert waiting.return_reason == REASON["reason"] and waiting.reviewed_by == world.office
    assert audited("duty_report.returned", subject=world.subject) == 1
    client.force_login(world.subject.user)
    page = client.get(f"/subjects/{world.subject.pk}/").content.decode()
    assert 'data-testid="return-reason"' in page and REASON["reason"] in page


def test_a_return_needs_a_reason(client, world, waiting):
    refused(
        client, world.office, _url(waiting), {"reason": ""}, "必须写明理由", campaign=world.campaign
    )


def test_the_subject_cannot_return_their_own(client, world, waiting):
    refused(
        client,
        world.subject.user,
        _url(waiting),
        REASON,
        "只有评议办公室工作人员可以进行此项操作。",
        campaign=world.campaign,
    )


@pytest.mark.parametrize(
    "who", ["liaison", "other_liaison", "director", "leading", "member", "other_subject"]
)
def test_others_do_not_reach_it(client, world, waiting, who):
    refused(
        client, getattr(world, who), _url(waiting), REASON, "", campaign=world.campaign, status=404
    )


def test_an_accepted_final_cannot_be_returned(client, world):
    accepted = DutyReportVersionFactory(subject=world.subject, status=DutyReportStatus.ACCEPTED)
    refused(
        client,
        world.office,
        _url(accepted),
        REASON,
        "该版本已接受，不能退回。",
        campaign=world.campaign,
    )


def test_a_superseded_version_cannot_be_returned(client, world):
    old = DutyReportVersionFactory(subject=world.subject, status=DutyReportStatus.SUPERSEDED)
    response = refused(
        client,
        world.office,
        _url(old),
        REASON,
        "该版本已被新版本替代，不能退回。",
        campaign=world.campaign,
    )
    assert response.status_code == 400
