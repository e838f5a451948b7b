"""An account the office created or reset must choose its own password at first login:
until then every page leads to the password change."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.models import PasswordChangeRequired
from reviews.imports import MEMBER_COLUMNS, members_import
from tests.factories import PASSWORD, UserFactory, xlsx_upload

pytestmark = pytest.mark.django_db

NEW = "Qiu-feng-2017"


def _login(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def imported(office):
    """A member imported from Excel, with the initial password shown to the office."""
    header = [c.header for c in MEMBER_COLUMNS]
    result = members_import(
        actor=office, upload=xlsx_upload([header, ["王恒明", "常委会副主任", "wanghm", "是"]])
    )
    ((_, username, initial),) = result.new_accounts
    return username, initial


def test_a_new_imported_member_changes_the_password_then_works(client, imported):
    username, initial = imported
    response = _login(client, username, initial)
    assert response.status_code == 302 and response.url == "/my-work/"

    # Every page leads to the password change, GET or POST, site or admin.
    response = client.get("/my-work/")
    assert response.status_code == 302
    assert response.url == "/accounts/password/?next=%2Fmy-work%2F"
    assert client.get("/notifications/").url.startswith("/accounts/password/")
    assert client.get("/admin/").url.startswith("/accounts/password/")
    assert client.post("/notifications/").url == "/accounts/password/"
    page = client.get(response.url).content.decode()
    assert "您正在使用评议办公室分配的初始密码" in page and 'name="next" value="/my-work/"' in page

    response = client.post(
        "/accounts/password/",
        {
            "old_password": initial,
            "new_password1": NEW,
            "new_password2": NEW,
            "next": "/my-work/",
        },
    )
    assert response.status_code == 302 and response.url == "/my-work/"
    page = client.get("/my-work/")
    assert page.status_code == 200 and "密码已修改" in page.content.decode()
    assert not PasswordChangeRequired.objects.exists()

    # The initial password no longer works; the new one does, straight to work.
    client.post("/accounts/logout/")
    refused = _login(client, username, initial)
    assert refused.status_code == 200 and "登录名或密码不正确" in refused.content.decode()
    assert _login(client, username, NEW).status_code == 302
    assert client.get("/my-work/").status_code == 200


def test_a_flagged_login_may_still_log_out(client, imported):
    username, initial = imported
    _login(client, username, initial)
    assert client.post("/accounts/logout/").url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_foreign_next_is_not_followed(client, imported):
    username, initial = imported
    _login(client, username, initial)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": initial,
            "new_password1": NEW,
            "new_password2": NEW,
            "next": "https://evil.example/",
        },
    )
    assert response.url == "/my-work/"


def test_the_office_resetting_a_password_asks_for_a_change_again(client, office):
    user = UserFactory(username="weiyuan")
    admin = Client()
    admin.force_login(office)
    response = admin.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "Reset-2017-pw", "password2": "Reset-2017-pw", "set_usable_password": "true"},
    )
    assert response.status_code == 302
    assert PasswordChangeRequired.objects.filter(user=user).exists()

    _login(client, "weiyuan", "Reset-2017-pw")
    assert client.get("/my-work/").url.startswith("/accounts/password/")


def test_an_account_added_in_the_admin_must_change_its_password(office):
    admin = Client()
    admin.force_login(office)
    response = admin.post(
        "/admin/auth/user/add/",
        {
            "username": "xinren",
            "password1": "Xin-ren-2017",
            "password2": "Xin-ren-2017",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="xinren")
    assert PasswordChangeRequired.objects.filter(user=user).exists()
    listing = admin.get("/admin/auth/user/?q=xinren").content.decode()
    assert "仍用初始密码" in listing and 'alt="True"' in listing


def test_a_voluntary_change_keeps_the_done_page(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.url == "/accounts/password/done/"


def test_the_office_setting_its_own_password_is_not_asked_again(office):
    admin = Client()
    admin.force_login(office)
    response = admin.post(
        f"/admin/auth/user/{office.pk}/password/",
        {"password1": "Own-new-2017", "password2": "Own-new-2017", "set_usable_password": "true"},
    )
    assert response.status_code == 302
    assert not PasswordChangeRequired.objects.filter(user=office).exists()
    assert admin.get("/my-work/").status_code == 200
