"""Deputies (人大代表) in the admin go through the surveys services: each change leaves an
audit entry, and one who was sent a questionnaire code cannot be deleted."""

import pytest

from core.models import AuditEntry
from surveys.models import AccessMode, Deputy
from surveys.services import codes_issue_to_deputies, deputy_create, questionnaire_create
from tests.factories import CampaignFactory, SubjectFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/surveys/deputy/"


def test_create_edit_delete_go_through_the_services(client, office):
    client.force_login(office)

    response = client.post(
        f"{LIST}add/",
        {"name": "李春华", "delegation": "城关镇代表组", "phone": "", "is_active": "on"},
    )
    assert response.status_code == 302
    deputy = Deputy.objects.get(name="李春华")
    assert AuditEntry.objects.get(action="deputy.create").actor == office

    response = client.post(
        f"{LIST}{deputy.pk}/change/",
        {"name": "李春华", "delegation": "城关镇代表组", "phone": "13800000000"},
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.phone == "13800000000" and not deputy.is_active
    entry = AuditEntry.objects.get(action="deputy.update")
    assert entry.actor == office and set(entry.data) == {"phone", "is_active"}

    response = client.post(f"{LIST}{deputy.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Deputy.objects.exists()
    assert "李春华" in AuditEntry.objects.get(action="deputy.delete", actor=office).summary


def test_deputy_with_a_code_cannot_be_deleted(client, office):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign)
    deputy = deputy_create(actor=office, name="李春华")
    questionnaire = questionnaire_create(
        actor=office, campaign=campaign, title="征求意见", access_mode=AccessMode.PERSONAL
    )
    codes_issue_to_deputies(actor=office, questionnaire=questionnaire, deputies=[deputy])
    client.force_login(office)

    response = client.post(f"{LIST}{deputy.pk}/delete/", {"post": "yes"}, follow=True)

    assert "已向李春华发放过问卷答题码，不能删除" in response.content.decode()
    assert Deputy.objects.filter(pk=deputy.pk).exists()
    assert not AuditEntry.objects.filter(action="deputy.delete").exists()


def test_invalid_edit_shows_the_reason_and_writes_nothing(client, office):
    deputy = deputy_create(actor=office, name="李春华")
    client.force_login(office)

    response = client.post(
        f"{LIST}{deputy.pk}/change/", {"name": "", "delegation": "城关镇代表组", "is_active": "on"}
    )

    assert response.status_code == 200
    deputy.refresh_from_db()
    assert deputy.name == "李春华" and deputy.delegation == ""
    assert not AuditEntry.objects.filter(action="deputy.update").exists()
