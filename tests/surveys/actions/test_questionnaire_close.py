"""结束收集: the office, on an open questionnaire; the waiting answers are written."""

import pytest

from core.roles import Role
from surveys.models import Questionnaire, Response
from tests.factories import QuestionnaireFactory

from .conftest import audited, refused

pytestmark = pytest.mark.django_db(transaction=True)


def _url(q) -> str:
    return f"/questionnaires/{q.pk}/move/closed/"


def test_the_office_closes_and_every_answer_counts(client, world):
    q = QuestionnaireFactory(campaign=world.campaign, status="open", responses=3)
    client.force_login(world.office)
    response = client.post(_url(q))
    assert response.status_code == 302
    q = Questionnaire.objects.get(pk=q.pk)
    assert q.status == "closed" and q.closed_at is not None
    assert Response.objects.filter(questionnaire=q).count() == 3
    assert audited("questionnaire.closed") == 1
    respondent = client.get(f"/q/{q.public_token}/")
    assert respondent.status_code == 410 and "已结束收集" in respondent.content.decode()


@pytest.mark.parametrize("role", [Role.LEADING_GROUP, Role.DIRECTORS_MEETING])
def test_only_the_office(client, world, make_user, role):
    q = QuestionnaireFactory(campaign=world.campaign, status="open")
    refused(client, make_user(role), _url(q), {}, status=403)


def test_a_draft_is_not_closed(client, world):
    q = QuestionnaireFactory(campaign=world.campaign)
    refused(client, world.office, _url(q), {}, "问卷草稿，不能结束收集。")
    respondent = client.get(f"/q/{q.public_token}/")
    assert respondent.status_code == 404 and "尚未开始收集" in respondent.content.decode()
