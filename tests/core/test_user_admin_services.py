"""Logins in the admin go through core.services: creating, changing (roles included) and
setting a password each leave an audit entry; the office cannot lock itself out."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import AuditEntry
from core.roles import GROUP_NAMES, Role, user_has_role
from tests.admin_forms import form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _change(user) -> str:
    return f"/admin/auth/user/{user.pk}/change/"


def test_create_goes_through_the_service(client, office):
    client.force_login(office)

    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "zhouqing",
            "usable_password": "true",
            "password1": "a-long-password-7",
            "password2": "a-long-password-7",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="zhouqing")
    assert user.check_password("a-long-password-7")
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.actor == office and "zhouqing" in entry.summary


def test_roles_change_goes_through_the_service(client, office):
    target = UserFactory(username="weiyuan")
    client.force_login(office)
    data = form_data(client.get(_change(target)))
    data["first_name"] = "魏远"
    data["groups"] = [Group.objects.get(name=GROUP_NAMES[Role.LEADING_GROUP]).pk]

    response = client.post(_change(target), data)

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "魏远" and user_has_role(target, Role.LEADING_GROUP)
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.actor == office
    assert entry.data == {"first_name": "魏远", "groups": GROUP_NAMES[Role.LEADING_GROUP]}


def test_password_goes_through_the_service(client, office):
    target = UserFactory(username="weiyuan")
    client.force_login(office)

    response = client.post(
        f"/admin/auth/user/{target.pk}/password/",
        {"usable_password": "true", "password1": "new-password-42", "password2": "new-password-42"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("new-password-42")
    entry = AuditEntry.objects.get(action="user.password")
    assert entry.actor == office and "new-password-42" not in str(entry.data) + entry.summary


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"groups": []}, "不能取消自己的“评议办公室工作人员”角色"),
        ({"is_active": False}, "不能停用自己的账号"),
    ],
)
def test_office_cannot_lock_itself_out(client, office, change, reason):
    client.force_login(office)
    data = form_data(client.get(_change(office)))
    data["first_name"] = "改名"
    for name, value in change.items():
        if value is False:
            data.pop(name)
        else:
            data[name] = value

    response = client.post(_change(office), data)

    assert response.status_code == 200
    assert reason in response.content.decode()
    office.refresh_from_db()
    assert office.is_active and office.first_name == "柏办公"
    assert user_has_role(User.objects.get(pk=office.pk), Role.OFFICE)
    assert not AuditEntry.objects.filter(action="user.update").exists()
