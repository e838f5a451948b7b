"""Who can open what, tried from the outside."""

import pytest

from core.roles import Role
from tests.factories import CampaignFactory, LiaisonCommitteeFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_subjects(office):
    campaign = CampaignFactory(actor=office)
    finance = LiaisonCommitteeFactory(name="财政经济工作委员会")
    law = LiaisonCommitteeFactory(name="法制工作委员会")
    mine = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=finance)
    other = SubjectFactory(campaign=campaign, person_name="唐晓云", liaison_committee=law)
    return mine, other


@pytest.mark.parametrize(
    "url",
    ["/my-work/", "/office/", "/campaigns/1/", "/subjects/1/", "/admin/"],
)
def test_anonymous_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_subject_sees_own_page_only(client, two_subjects):
    mine, other = two_subjects
    client.force_login(mine.user)
    response = client.get(f"/subjects/{mine.pk}/")
    assert response.status_code == 200 and "金立新" in response.content.decode()
    assert client.get(f"/subjects/{other.pk}/").status_code == 404
    assert client.get("/subjects/999999/").status_code == 404


def test_subject_cannot_open_admin_or_other_roles_pages(client, two_subjects):
    mine, _ = two_subjects
    client.force_login(mine.user)
    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/subjects/subject/").status_code in (302, 403)
    assert client.get("/admin/subjects/subject/", follow=True).status_code == 403
    assert client.get("/office/").status_code == 403
    assert client.get(f"/campaigns/{mine.campaign.pk}/").status_code == 403
    assert (
        client.post(
            f"/campaigns/{mine.campaign.pk}/stage/", {"to_stage": "preliminary"}
        ).status_code
        == 403
    )


def test_subject_my_work_lists_only_themselves(client, two_subjects):
    mine, other = two_subjects
    client.force_login(mine.user)
    body = client.get("/my-work/").content.decode()
    assert "金立新" in body and "唐晓云" not in body
    assert "进行中的评议活动" not in body


def test_liaison_sees_only_its_committees_subjects(client, make_user, two_subjects):
    mine, other = two_subjects
    user = make_user(Role.LIAISON)
    mine.liaison_committee.users.add(user)
    client.force_login(user)
    assert client.get(f"/subjects/{mine.pk}/").status_code == 200
    assert client.get(f"/subjects/{other.pk}/").status_code == 404
    body = client.get("/my-work/").content.decode()
    assert "金立新" in body and "唐晓云" not in body
    assert client.get("/office/").status_code == 403


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADING_GROUP, Role.DIRECTORS_MEETING])
def test_committee_roles_read_campaign_but_not_admin(client, make_user, two_subjects, role):
    mine, other = two_subjects
    client.force_login(make_user(role))
    assert client.get(f"/campaigns/{mine.campaign.pk}/").status_code == 200
    assert client.get(f"/subjects/{other.pk}/").status_code == 200
    assert client.get("/admin/", follow=True).status_code == 403


def test_member_cannot_open_office_dashboard(client, member_user):
    client.force_login(member_user)
    assert client.get("/office/").status_code == 403


def test_user_without_role_told_to_contact_office(client, make_user, two_subjects):
    mine, _ = two_subjects
    client.force_login(make_user(None))
    body = client.get("/my-work/").content.decode()
    assert "尚未分配角色" in body
    assert client.get(f"/subjects/{mine.pk}/").status_code == 404
