"""发放答题码: the office, in the questionnaire's own access mode, until it is closed — to
deputies (one personal code each) or for paper sheets."""

import pytest

from core.roles import Role
from surveys.models import AccessMode, RespondentCode
from tests.factories import DeputyFactory, QuestionnaireFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db(transaction=True)


def _sheets(q) -> str:
    return f"/questionnaires/{q.pk}/codes/sheets/"


def _deputies(q) -> str:
    return f"/questionnaires/{q.pk}/codes/deputies/"


def test_the_office_issues_sheet_codes(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.SHEET)
    client.force_login(world.office)
    assert client.post(_sheets(q), {"count": "5"}).status_code == 302
    assert RespondentCode.objects.filter(questionnaire=q).count() == 5
    assert audited("questionnaire.codes") == 1


def test_the_office_issues_a_code_to_each_deputy(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.PERSONAL)
    deputies = DeputyFactory.create_batch(2)
    client.force_login(world.office)
    data = {"deputies": [d.pk for d in deputies]}
    assert client.post(_deputies(q), data).status_code == 302
    assert set(q.codes.values_list("deputy_id", flat=True)) == {d.pk for d in deputies}
    refused(client, world.office, _deputies(q), data, "所选代表都已有答题码。")


def test_a_wrong_count_shows_the_page_again_with_it(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.SHEET)
    response = refused(client, world.office, _sheets(q), {"count": "0"})
    assert 'value="0"' in response.content.decode()


def test_codes_only_in_the_questionnaires_mode(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.SHEET)
    deputy = DeputyFactory()
    refused(
        client,
        world.office,
        _deputies(q),
        {"deputies": [deputy.pk]},
        "该问卷不是面向人大代表的个人答题码方式。",
    )
    device = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.DEVICE)
    refused(
        client, world.office, _sheets(device), {"count": "3"}, "该问卷不是按纸质问卷发码的方式。"
    )


def test_no_codes_once_closed(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.SHEET, status="closed")
    refused(client, world.office, _sheets(q), {"count": "3"}, "问卷已结束。")
    assert "生成纸质问卷张数" not in client.get(f"/questionnaires/{q.pk}/").content.decode()


@pytest.mark.parametrize("role", [Role.LEADING_GROUP, Role.MEMBER])
def test_only_the_office(client, world, make_user, role):
    q = QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.SHEET)
    refused(client, make_user(role), _sheets(q), {"count": "3"}, status=403)
