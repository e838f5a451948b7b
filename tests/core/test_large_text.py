"""大字模式: the navbar switch is a POST that turns large text on or off for the login,
remembered in its row and carried into every later session; the page comes back in it.
An incomplete or foreign submission changes nothing and says why in Chinese."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import UserPreference
from tests.factories import UserFactory, UserPreferenceFactory

pytestmark = pytest.mark.django_db


def _large(page: str) -> bool:
    return '<html lang="zh-Hans" class="large-text">' in page


def test_the_switch_turns_large_text_on_and_off_for_the_login(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert not _large(page)
    assert 'name="large_text" value="1"' in page and 'aria-pressed="false"' in page

    response = client.post(
        "/accounts/large-text/", {"large_text": "1", "next": "/notifications/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/notifications/"
    page = response.content.decode()
    assert _large(page) and 'aria-pressed="true"' in page and 'name="large_text" value="0"' in page
    assert UserPreference.objects.get(user=user).large_text is True

    client.post("/accounts/large-text/", {"large_text": "0", "next": "/notifications/"})
    assert UserPreference.objects.get(user=user).large_text is False
    assert not _large(client.get("/notifications/").content.decode())


def test_it_is_remembered_at_the_next_login_in_another_browser():
    user = UserFactory()
    UserPreferenceFactory(user=user, large_text=True)
    other = UserFactory()
    browser = Client()
    browser.force_login(user)
    assert _large(browser.get("/my-work/").content.decode())
    browser.force_login(other)
    assert not _large(browser.get("/my-work/").content.decode())


def test_drawing_a_page_asks_the_database_nothing_more(client):
    user = UserFactory()
    UserPreferenceFactory(user=user, large_text=True)
    client.force_login(user)
    with CaptureQueriesContext(connection) as counted:
        page = client.get("/notifications/").content.decode()
    assert _large(page)
    assert not any("core_userpreference" in q["sql"] for q in counted.captured_queries)


@pytest.mark.parametrize(
    "data",
    [{}, {"next": "/my-work/"}, {"large_text": "2", "next": "/my-work/"}, {"large_text": "1"}],
)
def test_an_incomplete_or_invalid_switch_changes_nothing(client, data):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/large-text/", data, follow=True)
    page = response.content.decode()
    assert "alert-danger" in page and ("不完整" in page or "无效" in page)
    assert not UserPreference.objects.filter(user=user).exists()


def test_it_never_sends_the_browser_to_another_site(client):
    client.force_login(UserFactory())
    response = client.post(
        "/accounts/large-text/", {"large_text": "1", "next": "https://example.com/"}
    )
    assert response["Location"] == "/my-work/"


def test_a_get_or_an_anonymous_post_changes_nothing(client):
    assert client.get("/accounts/large-text/").status_code in (302, 405)
    response = client.post("/accounts/large-text/", {"large_text": "1", "next": "/"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not UserPreference.objects.exists()
