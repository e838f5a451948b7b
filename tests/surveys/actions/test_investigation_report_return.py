"""退回调查报告: the office, with a reason, on a submitted report."""

import pytest

from surveys.models import InvestigationReport
from tests.factories import InvestigationReportFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db

REASON = {"reason": "请补充问卷调查情况"}


@pytest.fixture
def submitted(world):
    world.report = InvestigationReportFactory(subject=world.subject, status="submitted")
    return world


def _url(world) -> str:
    return f"/investigation-reports/{world.report.pk}/move/draft/"


def test_the_office_returns_it_to_the_group(client, submitted):
    client.force_login(submitted.office)
    response = client.post(_url(submitted), REASON)
    assert response.status_code == 302
    assert response.url == f"/investigation-reports/{submitted.report.pk}/"
    report = InvestigationReport.objects.get(pk=submitted.report.pk)
    assert report.status == "draft" and report.submitted_at is None
    assert audited("investigation_report.draft") == 1


def test_a_return_needs_a_reason(client, submitted):
    refused(client, submitted.office, _url(submitted), {"reason": ""}, "必须写明理由")


@pytest.mark.parametrize("who", ["leader", "director", "leading"])
def test_other_roles_are_refused(client, submitted, who):
    refused(
        client,
        getattr(submitted, who),
        _url(submitted),
        REASON,
        "只有评议办公室工作人员可以退回调查报告。",
    )


@pytest.mark.parametrize("who", ["other_leader", "outsider"])
def test_the_other_group_does_not_see_it(client, submitted, who):
    refused(client, getattr(submitted, who), _url(submitted), REASON, status=404)


def test_a_draft_is_not_returned(client, world):
    world.report = InvestigationReportFactory(subject=world.subject)
    refused(client, world.office, _url(world), REASON, "调查报告起草中，不能退回。")
