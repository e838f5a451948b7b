"""What /health/ checks, named so that its public page shows no host, path or address.

The page needs no login (a monitor or the office's IT person opens it), so every check
shows a fixed name: django-health-check's own names would print the host name, the disk
path and the Celery app's repr. Failure texts come from the library and carry no
credentials (the database check keeps only the text before the first colon).
"""

import dataclasses
import datetime

from django.conf import settings
from health_check import Cache, Database
from health_check.contrib.celery import Ping
from health_check.contrib.psutil import Disk
from health_check.views import HealthCheckView


class _Named:
    name = ""

    def __repr__(self):
        return self.name

    @property
    def labels(self) -> dict[str, str]:
        return {"check": self.name}


@dataclasses.dataclass(repr=False)
class DatabaseCheck(_Named, Database):
    name = "database"


@dataclasses.dataclass(repr=False)
class CacheCheck(_Named, Cache):
    """A write and a read: Redis when REDIS_URL is set, else the process's memory."""

    name = "cache"


@dataclasses.dataclass(repr=False)
class WorkerCheck(_Named, Ping):
    """A worker answers a ping and consumes the default queue."""

    name = "celery-worker"
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3))


@dataclasses.dataclass(repr=False)
class DiskCheck(_Named, Disk):
    """Uploaded documents and backups fill this disk first."""

    name = "disk"


class HealthView(HealthCheckView):
    """HTML, or JSON / plain text by Accept header or ?format=json|text; 500 if any fails."""

    def get_checks(self):
        return health_checks()


def health_checks() -> list:
    checks: list = [
        DatabaseCheck(),
        CacheCheck(),
        DiskCheck(
            path=settings.PRIVATE_MEDIA_ROOT
            if settings.PRIVATE_MEDIA_ROOT.exists()
            else settings.BASE_DIR,
            max_disk_usage_percent=settings.HEALTH_DISK_MAX_PERCENT,
        ),
    ]
    # Without Redis tasks run in-process: there is no worker to ask.
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks.append(WorkerCheck())
    return checks
