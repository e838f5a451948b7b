"""Which address a request is counted under (login lockouts, questionnaire-code throttle):
X-Forwarded-For is believed only from the proxies listed in TRUSTED_PROXIES."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from core.clientip import client_ip
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
NGINX = ["127.0.0.1", "::1"]


def _ip(rf, remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **meta))


def test_a_direct_client_cannot_pick_its_address(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert _ip(rf, "198.51.100.7", "1.2.3.4") == "198.51.100.7"
    # Trusting nginx does not make a client that bypasses it a proxy.
    settings.TRUSTED_PROXIES = NGINX
    assert _ip(rf, "198.51.100.7", "1.2.3.4, 127.0.0.1") == "198.51.100.7"


def test_through_a_trusted_proxy_the_first_untrusted_hop_from_the_right(rf, settings):
    settings.TRUSTED_PROXIES = [*NGINX, "10.0.0.0/24"]
    # nginx appended the visitor; the client's own entries on the left do not count.
    assert _ip(rf, "127.0.0.1", "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert _ip(rf, "::1", "2001:db8::5") == "2001:db8::5"
    # A load balancer in the trusted network in front of nginx: skipped as well.
    assert _ip(rf, "127.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.3") == "203.0.113.9"
    # A dual-stack socket reports the IPv4 loopback as ::ffff:127.0.0.1.
    assert _ip(rf, "::ffff:127.0.0.1", "203.0.113.9") == "203.0.113.9"


def test_garbage_stops_at_the_last_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = [*NGINX, "10.0.0.0/24"]
    assert _ip(rf, "127.0.0.1", "203.0.113.9, not-an-address") == "127.0.0.1"
    assert _ip(rf, "127.0.0.1", "203.0.113.9, junk, 10.0.0.3") == "10.0.0.3"
    # Only trusted hops (a request made on the proxy's host): the left-most of them.
    assert _ip(rf, "127.0.0.1", "10.0.0.3") == "10.0.0.3"
    assert _ip(rf, "127.0.0.1") == "127.0.0.1"
    assert _ip(rf, "not-an-address") is None


def _wrong_password(client, address: str, **meta):
    return client.post(
        "/accounts/login/",
        {"username": "weiyuan", "password": "wrong-password-1"},
        REMOTE_ADDR=address,
        **meta,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("trusted", [[], NGINX])
def test_a_direct_client_cannot_escape_the_lockout_by_rotating_the_header(trusted):
    UserFactory(username="weiyuan")
    client = Client()
    with override_settings(TRUSTED_PROXIES=trusted):
        for n in range(5):
            _wrong_password(client, "198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
        response = client.post(
            "/accounts/login/",
            {"username": "weiyuan", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR="10.9.9.99",
        )
    assert response.status_code == 429 and "暂时不能登录" in response.content.decode()


@pytest.mark.django_db
def test_behind_nginx_a_client_cannot_escape_the_lockout_by_rotating_the_header():
    """nginx appends the real peer: whatever the client prepends changes nothing."""
    UserFactory(username="weiyuan")
    client = Client()
    with override_settings(TRUSTED_PROXIES=NGINX):
        for n in range(5):
            forged = f"10.9.9.{n}, 203.0.113.9"
            _wrong_password(client, "127.0.0.1", HTTP_X_FORWARDED_FOR=forged)
        locked = client.post(
            "/accounts/login/",
            {"username": "weiyuan", "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.9",
        )
        # Another visitor behind the same nginx is not locked out.
        other = Client().post(
            "/accounts/login/",
            {"username": "weiyuan", "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.10",
        )
    assert locked.status_code == 429
    assert other.status_code == 302


def _load_settings(**variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PROXY_COUNT"}
    env.update(variables, DJANGO_SETTINGS_MODULE="config.settings.local")
    probe = "import django; django.setup(); from django.conf import settings as s; print(s.TRUSTED_PROXIES)"
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_an_old_proxy_count_stops_the_settings_with_what_to_do():
    out = _load_settings(PROXY_COUNT="1")
    assert out.returncode != 0
    assert "PROXY_COUNT 已不再使用" in out.stderr and "TRUSTED_PROXIES=127.0.0.1,::1" in out.stderr


def test_trusted_proxies_are_parsed_or_refused():
    assert _load_settings(TRUSTED_PROXIES="127.0.0.1,::1,10.0.0.0/8").stdout.strip() == (
        "['127.0.0.1', '::1', '10.0.0.0/8']"
    )
    out = _load_settings(TRUSTED_PROXIES="127.0.0.1,nginx")
    assert out.returncode != 0 and "“nginx”不是 IP 地址或网段" in out.stderr
