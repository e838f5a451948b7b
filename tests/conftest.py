import pytest
from django.conf import settings
from django.core.cache import cache

from core.roles import Role
from tests.factories import UserFactory


def _backend() -> str:
    db = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    return f"database backend: {db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']}); celery broker: {broker}"


def pytest_report_header(config):
    return _backend()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(_backend())


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttles count failures in the cache, which outlives a test when it is Redis: each
    test starts with nothing counted. (Tasks run eagerly, so no broker message is lost.)
    Parallel workers share the Redis database: each deletes only the keys under its own
    prefix (config/settings/test.py), where a flush would empty the other's mid-test."""
    if settings.TEST_WORKER and settings.REDIS_URL:
        client = cache._cache.get_client(write=True)  # Django's RedisCache keeps the client
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def office(db):
    return UserFactory(role=Role.OFFICE, is_staff=True, first_name="柏办公")


@pytest.fixture
def member_user(db):
    return UserFactory(role=Role.MEMBER)


@pytest.fixture
def make_user(db):
    def make(role: Role | None = None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make
