"""Assessment groups (履职初评小组) given rectification oversight: each sees only its own
subjects' rectification, records its check of the submitted report, and the director's
meeting hears it."""

import pytest

from core.errors import ApplicationError
from core.roles import Role
from rectification.models import RectificationCheck, RectificationReportStatus
from rectification.selectors import rectification_subjects_for
from rectification.services import rectification_check_record
from reviews.services import campaign_update
from tests.factories import (
    AssessmentGroupFactory,
    CampaignFactory,
    RectificationReportFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(office, make_user):
    campaign = CampaignFactory(actor=office)
    own, other = SubjectFactory(campaign=campaign), SubjectFactory(campaign=campaign)
    member = make_user(Role.MEMBER)
    first = AssessmentGroupFactory(campaign=campaign, subjects=[own], members=[member])
    second = AssessmentGroupFactory(campaign=campaign, subjects=[other])
    for subject in (own, other):
        RectificationReportFactory(subject=subject, status=RectificationReportStatus.SUBMITTED)
    return campaign, first, second, own, other, member


def _oversee(office, campaign, on=True):
    campaign_update(actor=office, campaign=campaign, groups_oversee_rectification=on)


def test_a_group_sees_only_its_own_subjects_and_only_with_oversight(client, office, groups):
    campaign, first, second, own, other, member = groups
    for user in (first.leader, member):
        assert not rectification_subjects_for(user).exists()
        client.force_login(user)
        assert client.get(f"/subjects/{own.pk}/rectification/").status_code == 404
    _oversee(office, campaign)
    for user in (first.leader, member):
        assert list(rectification_subjects_for(user)) == [own]
        client.force_login(user)
        page = client.get(f"/subjects/{own.pk}/rectification/")
        assert page.status_code == 200 and 'data-testid="check-form"' in page.content.decode()
        assert client.get(f"/subjects/{other.pk}/rectification/").status_code == 404
    # The group reads the report; it cannot decide or order anything.
    body = client.get(f"/subjects/{own.pk}/rectification/").content.decode()
    assert 'data-testid="decision-form"' not in body and "登记测评结论" not in body


def test_the_check_through_services(office, groups):
    campaign, first, second, own, other, member = groups
    with pytest.raises(ApplicationError, match="履职初评小组"):
        rectification_check_record(actor=first.leader, subject=own, text="整改基本到位")
    _oversee(office, campaign)
    own.refresh_from_db()
    other.refresh_from_db()
    with pytest.raises(ApplicationError, match="履职初评小组"):
        rectification_check_record(actor=first.leader, subject=other, text="不是本组的")
    with pytest.raises(ApplicationError, match="请写明"):
        rectification_check_record(actor=member, subject=own, text="  ")
    check = rectification_check_record(actor=member, subject=own, text="整改基本到位")
    again = rectification_check_record(actor=first.leader, subject=own, text="整改到位")
    assert check.pk == again.pk and again.text == "整改到位" and again.group == first
    assert RectificationCheck.objects.count() == 1


def test_the_check_over_http_and_the_meeting_hears_it(client, office, make_user, groups):
    campaign, first, second, own, other, member = groups
    _oversee(office, campaign)
    client.force_login(member)
    assert "检查第 1 轮整改情况报告，提出检查意见" in client.get("/my-work/").content.decode()
    response = client.post(
        f"/subjects/{own.pk}/rectification/checks/", {"text": "已逐条核实，整改到位"}
    )
    assert response.status_code == 302
    assert (
        client.post(f"/subjects/{other.pk}/rectification/checks/", {"text": "越权"}).status_code
        == 404
    )
    assert "提出检查意见" not in client.get("/my-work/").content.decode()  # done
    client.force_login(make_user(Role.DIRECTORS_MEETING))
    page = client.get(f"/subjects/{own.pk}/rectification/").content.decode()
    assert f"{first.name}（" in page and "已逐条核实，整改到位" in page
    assert 'data-testid="check-form"' not in page
