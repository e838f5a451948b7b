"""Wrong passwords lock a login out (per login and address) on the site and the admin;
the office unlocks it in the admin."""

import datetime

import pytest
import time_machine
from django.test import Client, override_settings

from core.clientip import client_ip
from core.models import AuditEntry, LoginLockout
from core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "暂时不能登录"


def _attempt(client, url: str, username: str, password: str, **extra):
    # The admin's login form posts where to go next, as a browser does.
    data = {"username": username, "password": password}
    if url.startswith("/admin/"):
        data["next"] = "/admin/"
    return client.post(url, data, **extra)


def _lock(client, url: str, username: str, **extra) -> None:
    for _ in range(5):
        _attempt(client, url, username, "wrong-password-1", **extra)


@pytest.mark.parametrize(
    ("url", "landing"), [("/accounts/login/", "/my-work/"), ("/admin/login/", "/admin/")]
)
def test_five_wrong_passwords_then_the_right_one_is_refused(client, url, landing):
    UserFactory(username="weiyuan", role=Role.OFFICE, is_staff=True)
    for _ in range(4):
        response = _attempt(client, url, "weiyuan", "wrong-password-1")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = _attempt(client, url, "weiyuan", "wrong-password-1")
    assert response.status_code == 429

    response = _attempt(client, url, "weiyuan", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page and "连续输错 5 次" in page and "30 分钟后再试" in page
    assert "联系人大常委会评议办公室解除锁定" in page and "述职评议工作系统" in page
    assert "_auth_user_id" not in client.session

    # The cool-off ends the lockout by itself.
    with time_machine.travel(datetime.timedelta(minutes=31)):
        response = _attempt(client, url, "weiyuan", PASSWORD)
    assert response.status_code == 302 and response.url == landing


def test_a_right_password_before_the_limit_clears_the_count(client):
    UserFactory(username="weiyuan")
    for _ in range(4):
        _attempt(client, "/accounts/login/", "weiyuan", "wrong-password-1")
    assert _attempt(client, "/accounts/login/", "weiyuan", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _attempt(client, "/accounts/login/", "weiyuan", "wrong-password-1")
    assert _attempt(client, "/accounts/login/", "weiyuan", PASSWORD).status_code == 302


def test_the_lockout_is_per_login_and_address(client):
    """Members in one meeting room share an address: one member's typos lock only them."""
    UserFactory(username="weiyuan")
    UserFactory(username="zhangsan")
    _lock(client, "/accounts/login/", "weiyuan")
    assert _attempt(client, "/accounts/login/", "weiyuan", PASSWORD).status_code == 429

    # Another login from the same address is not locked...
    assert _attempt(Client(), "/accounts/login/", "zhangsan", PASSWORD).status_code == 302
    # ...nor the same login from elsewhere: nobody can lock a person out from afar.
    elsewhere = _attempt(Client(), "/accounts/login/", "weiyuan", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302


def test_the_office_sees_the_lockout_and_unlocks_it(client, office):
    UserFactory(username="weiyuan", first_name="魏远")
    _lock(client, "/accounts/login/", "weiyuan")
    assert _attempt(client, "/accounts/login/", "weiyuan", PASSWORD).status_code == 429

    admin = Client()
    admin.force_login(office)
    listing = admin.get("/admin/core/loginlockout/?locked=yes").content.decode()
    assert "登录失败与锁定" in listing and "魏远" in listing and "已锁定" in listing
    assert "解除锁定" in listing
    lockout = LoginLockout.objects.get(username="weiyuan")
    response = admin.post(
        "/admin/core/loginlockout/",
        {"action": "unlock", "_selected_action": [lockout.pk]},
        follow=True,
    )
    assert "已解除 1 个登录锁定" in response.content.decode()
    assert not LoginLockout.objects.exists()
    entry = AuditEntry.objects.get(action="login.unlock")
    assert entry.actor == office and "weiyuan" in entry.summary

    response = _attempt(client, "/accounts/login/", "weiyuan", PASSWORD)
    assert response.status_code == 302 and response.url == "/my-work/"


def test_only_the_office_unlocks(client, make_user):
    UserFactory(username="weiyuan")
    _lock(client, "/accounts/login/", "weiyuan")
    leader = make_user(Role.LEADING_GROUP, is_staff=True)
    reader = Client()
    reader.force_login(leader)
    listing = reader.get("/admin/core/loginlockout/")
    assert listing.status_code == 200 and "解除锁定" not in listing.content.decode()
    lockout = LoginLockout.objects.get(username="weiyuan")
    reader.post("/admin/core/loginlockout/", {"action": "unlock", "_selected_action": [lockout.pk]})
    assert LoginLockout.objects.filter(pk=lockout.pk).exists()


def test_wrong_passwords_are_recorded_without_the_password(client):
    UserFactory(username="weiyuan")
    _attempt(client, "/accounts/login/", "weiyuan", "my-secret-guess-1")
    lockout = LoginLockout.objects.get()
    assert lockout.failures_since_start == 1 and lockout.ip_address == "127.0.0.1"
    assert "my-secret-guess-1" not in lockout.post_data


def _request(rf, **meta):
    return rf.get("/", **meta)


def test_client_ip_reads_the_peer_unless_it_is_a_trusted_proxy(rf):
    forged = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}
    assert client_ip(_request(rf, **forged)) == "10.0.0.1"
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
        # The proxy appended the real peer; what the client wrote before it is ignored.
        chain = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
        assert client_ip(_request(rf, **chain)) == "203.0.113.9"
        garbage = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"}
        assert client_ip(_request(rf, **garbage)) == "127.0.0.1"
