import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "core.hashers.InitialPasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker started by a test inherits the test's directory through the environment.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT") or tempfile.mkdtemp(prefix="shuzhi-test-media-")
)
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
SEALING_KEY_DIR = Path(
    os.environ.get("SEALING_KEY_DIR") or tempfile.mkdtemp(prefix="shuzhi-test-keys-")
)
ALLOWED_HOSTS = ["*"]
# Static files straight from the apps and static/, as for `make run` (no collectstatic).
WHITENOISE_USE_FINDERS = True

# Tests call services directly; tasks run in-process even when Redis is the broker.
# The worker test starts a real worker and turns this off for itself.
CELERY_TASK_ALWAYS_EAGER = True

# `make test` runs the suite in parallel worker processes (pytest-xdist), each on a test
# database of its own; they share one Redis database, so each keeps its cache under a key
# prefix of its own and empties only that between tests (tests/conftest.py).
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if TEST_WORKER:
    CACHES["default"]["KEY_PREFIX"] = f"test-{TEST_WORKER}"  # noqa: F405
DEMO_TELLERS_DIR = Path(tempfile.mkdtemp(prefix="shuzhi-test-demo-tellers-"))
