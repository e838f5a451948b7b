"""The hasher for initial passwords that the office prints on slips.

An initial password is 12 characters drawn at random from 55 (about 69 bits): guessing it
offline is out of reach however fast each guess is, so its hash needs far fewer PBKDF2
rounds than a password a person chose. It lives only until its owner's first login, which
must replace it (core.middleware): the new password is hashed by the default hasher with
Django's full rounds, and Django re-hashes even a login that has not yet changed it
(`must_update`). This is what lets an Excel import open 2,000 logins in seconds instead
of minutes (benchmarks/import_members.py)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class InitialPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_initial"
    iterations = 20_000
