"""Opening 通知 marks nothing read (a link preview or prefetch is a GET too); the button
全部标为已读 does, by a CSRF-protected POST, and only up to what the page showed."""

import pytest
from django.test import Client

from core.models import Notification
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _unread(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_opening_the_page_marks_nothing_read(client):
    user = UserFactory()
    NotificationFactory.create_batch(2, user=user)
    client.force_login(user)
    for _ in range(2):
        page = client.get("/notifications/").content.decode()
        assert "全部标为已读（2 条未读）" in page and page.count(">未读</span>") == 2
    assert _unread(user) == 2


def test_the_button_marks_read_what_the_page_showed(client):
    user, other = UserFactory(), UserFactory()
    shown = NotificationFactory.create_batch(2, user=user)
    NotificationFactory(user=other)
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert f'name="up_to" value="{shown[-1].pk}"' in page
    # One arrives while the page is open: it stays unread.
    late = NotificationFactory(user=user)

    response = client.post("/notifications/", {"up_to": shown[-1].pk}, follow=True)
    page = response.content.decode()
    assert "已将 2 条通知标为已读。" in page
    assert list(Notification.objects.filter(user=user, read_at__isnull=True)) == [late]
    assert _unread(other) == 1
    assert "全部标为已读（1 条未读）" in page


def test_a_bad_request_changes_nothing(client):
    user = UserFactory()
    NotificationFactory(user=user)
    client.force_login(user)
    response = client.post("/notifications/", {"up_to": "abc"}, follow=True)
    assert "alert-danger" in response.content.decode() and _unread(user) == 1

    # Without the CSRF token (a form on another site) it is refused.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(user)
    assert forged.post("/notifications/", {"up_to": 10**9}).status_code == 403
    assert _unread(user) == 1
