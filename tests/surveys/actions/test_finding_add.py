"""记录调查发现: a member of the subject's group (or the office), while the subject's
investigation report is not submitted."""

import pytest

from surveys.models import Finding
from tests.factories import InvestigationReportFactory

from .conftest import audited, refused, workspace

pytestmark = pytest.mark.django_db


def _data(world, text="项目审批环节多、时限长") -> dict:
    return {"content_item": world.item.pk, "kind": "problem", "text": text, "activity": ""}


def _url(world) -> str:
    return f"{workspace(world)}findings/"


@pytest.mark.parametrize("who", ["leader", "member", "office"])
def test_the_group_and_the_office_record_a_finding(client, world, who):
    client.force_login(getattr(world, who))
    response = client.post(_url(world), _data(world))
    assert response.status_code == 302 and response.url == workspace(world)
    finding = Finding.objects.get(subject=world.subject)
    assert finding.text == "项目审批环节多、时限长" and finding.created_by == getattr(world, who)
    assert audited("finding.add.problem") == 1


@pytest.mark.parametrize("who", ["other_leader", "outsider", "director"])
def test_people_outside_the_group_do_not_see_it(client, world, who):
    refused(client, getattr(world, who), _url(world), _data(world), status=404)


def test_the_leading_group_sees_but_does_not_record(client, world):
    refused(client, world.leading, _url(world), _data(world), status=403)


def test_another_groups_path_to_the_subject_is_not_found(client, world):
    url = f"/groups/{world.other_group.pk}/subjects/{world.subject.pk}/findings/"
    refused(client, world.office, url, _data(world), status=404)


def test_an_empty_finding_shows_the_page_again(client, world):
    response = refused(client, world.member, _url(world), _data(world, text=""))
    assert "保存发现" in response.content.decode()


def test_no_finding_once_the_report_is_submitted(client, world):
    InvestigationReportFactory(subject=world.subject, status="submitted")
    refused(
        client,
        world.member,
        _url(world),
        _data(world, text="补充"),
        "关于金立新的调查报告已提交，调查发现不能再修改。",
    )
