"""A login name longer than any account's (150 characters) is refused on the login page
before any lookup: django-axes used to fail writing it to its 255-character column (500)."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
@pytest.mark.parametrize("length", [151, 256, 5000])
def test_an_overlong_login_name_is_refused_and_nothing_is_written(client, url, length):
    client.raise_request_exception = False
    response = client.post(
        url, {"username": "长" * length, "password": "wrong-password-1", "next": "/admin/"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "登录名最多 150 个字符，请核对后重新输入。" in page
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_login_name_of_150_characters_is_still_counted(client, url):
    client.post(url, {"username": "长" * 150, "password": "wrong-password-1", "next": "/admin/"})
    assert AccessAttempt.objects.get().username == "长" * 150
