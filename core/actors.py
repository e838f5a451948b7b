"""Who takes a step: the type of every service's `actor` parameter, defined once here so
every app's services say the same thing (`def campaign_create(*, actor: Actor, …)`).

The project keeps Django's own user model (no AUTH_USER_MODEL of its own), so an actor
is a `User`; `audit_log` and system moves also take None, "the system"."""

from typing import TypeAlias

from django.contrib.auth.models import User

Actor: TypeAlias = User
