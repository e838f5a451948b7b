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


# The demo's attachments, rendered once per test process: {(file name, title, lines): PDF}.
_DEMO_PDFS: dict[tuple, bytes] = {}


@pytest.fixture(autouse=True)
def _demo_pdfs_rendered_once(monkeypatch):
    """The demo world attaches real PDFs (workbench.demo.files, WeasyPrint with CJK fonts),
    about a third of a demo load's time, and a dozen tests load the demo. The same file
    name, title and lines make the same document: each is rendered once per process and
    every later demo gets a fresh upload of the same bytes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workbench.demo import files

    render = files.demo_pdf

    def pdf(filename: str, title: str, lines: list[str]) -> SimpleUploadedFile:
        key = (filename, title, tuple(lines))
        if key not in _DEMO_PDFS:
            _DEMO_PDFS[key] = render(filename, title, lines).read()
        return SimpleUploadedFile(filename, _DEMO_PDFS[key], "application/pdf")

    monkeypatch.setattr(files, "demo_pdf", pdf)


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
