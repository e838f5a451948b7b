"""分配评议对象到小组: the office, on its assignment page, until a subject's investigation
report is submitted."""

import pytest

from surveys.models import GroupAssignment
from tests.factories import InvestigationReportFactory
from tests.forms import browser_data

from .conftest import audited, refused

pytestmark = pytest.mark.django_db


def _url(world) -> str:
    return f"/campaigns/{world.campaign.pk}/groups/assign/"


def _assigned(world) -> dict:
    return dict(
        GroupAssignment.objects.filter(subject__campaign=world.campaign).values_list(
            "subject_id", "group_id"
        )
    )


def test_the_office_moves_a_subject_and_unassigns_another(client, world):
    client.force_login(world.office)
    url = _url(world)
    data = browser_data(
        client,
        url,
        url,
        **{f"subject_{world.subject.pk}": str(world.other_group.pk)},
        **{f"subject_{world.other_subject.pk}": ""},
    )
    before = audited("group.assign")
    response = client.post(url, data, follow=True)
    assert "分组已保存（调整 2 名）" in response.content.decode()
    assert _assigned(world) == {world.subject.pk: world.other_group.pk}
    assert audited("group.assign") == before + 1
    # The page shows each subject in its group as saved.
    page = client.get(url).content.decode()
    assert f'value="{world.other_group.pk}" selected' in page


@pytest.mark.parametrize("who", ["leader", "leading", "director"])
def test_only_the_office_assigns(client, world, who):
    client.force_login(world.office)
    data = browser_data(client, _url(world), _url(world))
    refused(client, getattr(world, who), _url(world), data, status=403)
    assert _assigned(world) == {
        world.subject.pk: world.group.pk,
        world.other_subject.pk: world.other_group.pk,
    }


def test_a_subject_whose_report_is_submitted_keeps_its_group(client, world):
    InvestigationReportFactory(subject=world.subject, status="submitted")
    client.force_login(world.office)
    url = _url(world)
    data = browser_data(
        client, url, url, **{f"subject_{world.subject.pk}": str(world.other_group.pk)}
    )
    before = _assigned(world)
    response = client.post(url, data, follow=True)
    assert "金立新的调查报告已提交，不能再调整所在小组。" in response.content.decode()
    assert _assigned(world) == before
