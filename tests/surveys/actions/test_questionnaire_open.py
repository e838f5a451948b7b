"""开始收集: the office, on a draft questionnaire that has its answer codes (when it needs
them)."""

import pytest

from core.roles import Role
from surveys.models import AccessMode, Questionnaire
from tests.factories import QuestionnaireFactory, codes_issue

from .conftest import audited, refused

pytestmark = pytest.mark.django_db


def _url(q, to="open") -> str:
    return f"/questionnaires/{q.pk}/move/{to}/"


@pytest.fixture
def sheets(world):
    return QuestionnaireFactory(campaign=world.campaign, access_mode=AccessMode.SHEET)


def test_the_office_opens_it_once_codes_are_issued(client, world, sheets):
    refused(client, world.office, _url(sheets), {}, "请先发放答题码，再开始收集。")
    codes_issue(sheets, 3)
    client.force_login(world.office)
    response = client.post(_url(sheets))
    assert response.status_code == 302 and response.url == f"/questionnaires/{sheets.pk}/"
    assert Questionnaire.objects.get(pk=sheets.pk).status == "open"
    assert audited("questionnaire.open") == 1
    page = client.get(f"/questionnaires/{sheets.pk}/").content.decode()
    assert _url(sheets, "closed") in page and _url(sheets) not in page


@pytest.mark.parametrize("role", [Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER])
def test_only_the_office(client, world, sheets, make_user, role):
    codes_issue(sheets, 1)
    refused(client, make_user(role), _url(sheets), {}, status=403)


def test_an_open_questionnaire_is_not_opened_again(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, status="open")
    refused(client, world.office, _url(q), {}, "问卷收集中，不能开始收集。")


def test_an_unknown_move_is_refused(client, world, sheets):
    refused(client, world.office, _url(sheets, "published"), {}, "未知操作。")
