"""Units and liaison committees in the admin go through the subjects services: each change
leaves an audit entry, and one still used by a subject cannot be deleted."""

import datetime

import pytest

from ballots.services import agenda_item_create, meeting_create
from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role, user_has_role
from subjects.models import LiaisonCommittee, OrganType, Unit
from subjects.services import subject_delete
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    SubjectFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


class TestUnits:
    URL = "/admin/subjects/unit/"

    def test_create_edit_delete_go_through_the_services(self, client, office):
        client.force_login(office)

        response = client.post(
            f"{self.URL}add/", {"name": "县统计局", "organ_type": OrganType.GOVERNMENT}
        )
        assert response.status_code == 302
        unit = Unit.objects.get(name="县统计局")
        assert AuditEntry.objects.get(action="unit.create").actor == office

        response = client.post(
            f"{self.URL}{unit.pk}/change/",
            {"name": "县统计局（县普查中心）", "organ_type": OrganType.GOVERNMENT},
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.get(action="unit.update")
        assert entry.actor == office and entry.data == {"name": "县统计局（县普查中心）"}
        assert "县统计局" in entry.summary

        response = client.post(f"{self.URL}{unit.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not Unit.objects.filter(pk=unit.pk).exists()
        assert AuditEntry.objects.filter(action="unit.delete", actor=office).exists()

    def test_unit_of_a_subject_cannot_be_deleted(self, client, office):
        subject = SubjectFactory(campaign=CampaignFactory(actor=office))
        client.force_login(office)

        response = client.post(f"{self.URL}{subject.unit.pk}/delete/", {"post": "yes"}, follow=True)

        assert f"已有评议对象属于{subject.unit.name}，不能删除该单位" in response.content.decode()
        assert Unit.objects.filter(pk=subject.unit.pk).exists()
        assert not AuditEntry.objects.filter(action="unit.delete").exists()

    def test_duplicate_name_is_refused(self, client, office):
        UnitFactory(name="县统计局")
        other = UnitFactory(name="县审计局")
        client.force_login(office)

        response = client.post(
            f"{self.URL}{other.pk}/change/",
            {"name": "县统计局", "organ_type": OrganType.GOVERNMENT},
        )

        assert response.status_code == 200
        other.refresh_from_db()
        assert other.name == "县审计局"
        assert not AuditEntry.objects.filter(action="unit.update").exists()


class TestLiaisonCommittees:
    URL = "/admin/subjects/liaisoncommittee/"

    def test_create_edit_delete_go_through_the_services(self, client, office, make_user):
        first, second = make_user(None, first_name="陈蓬远"), make_user(None, first_name="周敏")
        client.force_login(office)

        response = client.post(f"{self.URL}add/", {"name": "法制工作委员会", "users": [first.pk]})
        assert response.status_code == 302
        committee = LiaisonCommittee.objects.get(name="法制工作委员会")
        assert AuditEntry.objects.get(action="liaison.create").actor == office

        response = client.post(
            f"{self.URL}{committee.pk}/change/",
            {"name": "监察和司法工作委员会", "users": [first.pk, second.pk]},
        )
        assert response.status_code == 302
        committee.refresh_from_db()
        assert committee.name == "监察和司法工作委员会" and committee.users.count() == 2
        assert user_has_role(second, Role.LIAISON)
        renamed = AuditEntry.objects.get(action="liaison.update")
        assert "法制工作委员会" in renamed.summary and "监察和司法工作委员会" in renamed.summary
        staff = AuditEntry.objects.filter(action="liaison.users").latest("id")
        assert "周敏" in staff.summary

        response = client.post(f"{self.URL}{committee.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not LiaisonCommittee.objects.exists()
        assert AuditEntry.objects.filter(action="liaison.delete", actor=office).exists()

    def test_committee_of_a_subject_cannot_be_deleted(self, client, office):
        committee = LiaisonCommitteeFactory(name="财政经济工作委员会")
        SubjectFactory(campaign=CampaignFactory(actor=office), liaison_committee=committee)
        client.force_login(office)

        response = client.post(f"{self.URL}{committee.pk}/delete/", {"post": "yes"}, follow=True)

        assert "财政经济工作委员会仍联系着评议对象，不能删除" in response.content.decode()
        assert LiaisonCommittee.objects.filter(pk=committee.pk).exists()
        assert not AuditEntry.objects.filter(action="liaison.delete").exists()


def test_subject_on_an_agenda_is_refused_not_a_500(office):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    meeting = meeting_create(
        actor=office, campaign=campaign, name="第五次会议", held_on=datetime.date(2017, 9, 22)
    )
    agenda_item_create(actor=office, meeting=meeting, subject=subject, position=1)

    with pytest.raises(ApplicationError, match="不能移除评议对象 金立新：仍有述职顺序与之关联"):
        subject_delete(actor=office, subject=subject)
