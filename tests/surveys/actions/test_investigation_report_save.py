"""保存调查报告草稿: the group's members (and the office), while the report is a draft."""

import pytest

from surveys.models import InvestigationReport
from tests.factories import InvestigationReportFactory

from .conftest import audited, body_post, refused, workspace

pytestmark = pytest.mark.django_db


def _url(world) -> str:
    return f"{workspace(world)}investigation-report/"


@pytest.mark.parametrize("who", ["member", "office"])
def test_the_group_saves_the_draft(client, world, who):
    client.force_login(getattr(world, who))
    response = client.post(_url(world), body_post(world.subject, "草稿一"))
    assert response.status_code == 302
    report = InvestigationReport.objects.get(subject=world.subject)
    assert report.body == "草稿一" and report.status == "draft"
    assert audited("investigation_report.save") == 1


@pytest.mark.parametrize("who", ["other_leader", "outsider", "director"])
def test_people_outside_the_group_do_not_see_it(client, world, who):
    refused(client, getattr(world, who), _url(world), body_post(world.subject), status=404)


def test_the_leading_group_does_not_write(client, world):
    refused(client, world.leading, _url(world), body_post(world.subject), status=403)


def test_a_page_drawn_before_another_save_is_refused_with_what_was_typed(client, world):
    drawn = body_post(world.subject, "我的修改")
    InvestigationReportFactory(subject=world.subject, body="别人先保存")
    response = refused(client, world.member, _url(world), drawn, "内容已被他人修改")
    assert "我的修改" in response.content.decode()


def test_a_submitted_report_is_not_edited(client, world):
    InvestigationReportFactory(subject=world.subject, status="submitted")
    refused(
        client, world.member, _url(world), body_post(world.subject), "调查报告已提交，不能修改。"
    )
