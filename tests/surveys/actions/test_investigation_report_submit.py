"""组长提交调查报告: the group's leader only, with the body as typed, on a draft."""

import pytest

from surveys.models import InvestigationReport
from tests.factories import InvestigationReportFactory

from .conftest import audited, body_post, refused, workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    world.report = InvestigationReportFactory(subject=world.subject, body="初稿")
    return world


def _url(world) -> str:
    return f"/investigation-reports/{world.report.pk}/move/submitted/"


def test_the_leader_submits_what_was_typed(client, draft):
    client.force_login(draft.leader)
    response = client.post(_url(draft), body_post(draft.subject, "定稿"))
    assert response.status_code == 302 and response.url == workspace(draft)
    report = InvestigationReport.objects.get(pk=draft.report.pk)
    assert report.status == "submitted" and report.body == "定稿"
    assert report.submitted_by == draft.leader
    assert audited("investigation_report.submitted") == 1
    page = client.get(workspace(draft)).content.decode()
    assert "调查报告已提交" in page and "组长提交调查报告" not in page


@pytest.mark.parametrize("who", ["member", "office"])
def test_only_the_leader_submits_and_the_page_keeps_the_text(client, draft, who):
    response = refused(
        client,
        getattr(draft, who),
        _url(draft),
        body_post(draft.subject, "组员改过的正文"),
        "调查报告由第一组组长提交。",
    )
    assert "组员改过的正文" in response.content.decode()


@pytest.mark.parametrize("who", ["other_leader", "outsider", "director"])
def test_people_outside_the_group_do_not_see_a_draft(client, draft, who):
    refused(client, getattr(draft, who), _url(draft), body_post(draft.subject), status=404)


def test_a_submitted_report_is_not_submitted_again(client, world):
    world.report = InvestigationReportFactory(subject=world.subject, status="submitted")
    refused(
        client,
        world.leader,
        _url(world),
        body_post(world.subject),
        "调查报告已提交，不能提交调查报告。",
    )
