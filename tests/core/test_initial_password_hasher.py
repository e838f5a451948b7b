"""Printed initial passwords take the lighter hasher and are re-hashed at the first login."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from core.roles import Role
from core.services import account_create, initial_passwords

pytestmark = pytest.mark.django_db

FULL = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "core.hashers.InitialPasswordHasher",
]


@override_settings(PASSWORD_HASHERS=FULL)
def test_initial_password_is_long_random_lightly_hashed_and_upgraded_at_login(client):
    user, initial = account_create(username="m200", full_name="委员", role=Role.MEMBER)
    assert len(initial) == 12
    assert user.password.startswith("pbkdf2_initial$20000$")
    assert (
        client.post("/accounts/login/", {"username": "m200", "password": initial}).status_code
        == 302
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert user.password.startswith("pbkdf2_sha256$")  # re-hashed with the full rounds
    assert user.check_password(initial)


@override_settings(PASSWORD_HASHERS=FULL)
def test_imports_hash_with_the_initial_hasher():
    pairs = initial_passwords(3)
    assert len({p for p, _ in pairs}) == 3
    assert all(h.startswith("pbkdf2_initial$") for _, h in pairs)
