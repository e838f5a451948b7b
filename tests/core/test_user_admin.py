import pytest
from django.contrib.auth import get_user_model

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_office_cannot_make_anyone_superuser(client, office):
    target = UserFactory(username="weiyuan")
    client.force_login(office)
    url = f"/admin/auth/user/{target.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    client.post(
        url,
        {
            "username": "weiyuan",
            "first_name": "委员",
            "is_active": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2017-08-01",
            "date_joined_1": "08:00:00",
        },
    )
    target.refresh_from_db()
    assert target.is_superuser is False


def test_office_cannot_edit_a_superuser(client, office):
    root = get_user_model().objects.create_superuser("root", password="x-long-password-1")
    client.force_login(office)
    response = client.post(
        f"/admin/auth/user/{root.pk}/password/",
        {"password1": "hijacked-9", "password2": "hijacked-9"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("x-long-password-1")
