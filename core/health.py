"""What /health/ checks, named so that its public page shows no host, path or address.

The page needs no login (a monitor or the office's IT person opens it), so every check
shows a fixed name: django-health-check's own names would print the host name, the disk
path and the Celery app's repr. Failure texts come from the library and carry no
credentials (the database check keeps only the text before the first colon).

The HTML page is in Chinese (core/health.html, standing alone like 500.html, since the
database may be what failed); JSON and plain text keep the machine keys and "OK", and
say a failure in Chinese followed by the library's own text in brackets.
"""

import dataclasses
import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from health_check import Cache, Database
from health_check.contrib.celery import Ping
from health_check.contrib.psutil import Disk
from health_check.views import HealthCheckView


class _Named:
    name = ""
    # What the office's IT person reads on the page.
    label = ""
    failure = ""

    def __repr__(self):
        return self.name

    @property
    def labels(self) -> dict[str, str]:
        return {"check": self.name}


@dataclasses.dataclass(repr=False)
class DatabaseCheck(_Named, Database):
    name = "database"
    label = "数据库"
    failure = "数据库无法连接或查询失败，请检查 PostgreSQL 服务。"


@dataclasses.dataclass(repr=False)
class CacheCheck(_Named, Cache):
    """A write and a read: Redis when REDIS_URL is set, else the process's memory."""

    name = "cache"
    label = "缓存"
    failure = "缓存读写失败，请检查 Redis 服务。"


@dataclasses.dataclass(repr=False)
class WorkerCheck(_Named, Ping):
    """A worker answers a ping and consumes the default queue."""

    name = "celery-worker"
    label = "后台任务进程（Celery worker）"
    failure = (
        "没有后台任务进程应答：提醒、邮件、导入和生成 PDF 不会执行，请检查 shuzhi-worker 服务。"
    )
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3))


@dataclasses.dataclass(repr=False)
class DiskCheck(_Named, Disk):
    """Uploaded documents and backups fill this disk first."""

    name = "disk"
    label = "磁盘空间"
    failure = "存放上传文件的磁盘空间不足或无法读取，请清理或扩容。"


def status_text(result) -> str:
    """ "OK", or the Chinese reason followed by the library's own text."""
    if not result.error:
        return "OK"
    return f"{result.check.failure}（{result.error}）"


class HealthView(HealthCheckView):
    """HTML (Chinese), or JSON / plain text by Accept header or ?format=json|text; 500 if
    any fails."""

    template_name = "core/health.html"

    def get_checks(self):
        return health_checks()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {
                "label": result.check.label,
                "ok": not result.error,
                "failure": result.check.failure,
                "detail": str(result.error) if result.error else "",
                "seconds": result.time_taken,
            }
            for result in self.results
        ]
        return context

    def render_to_response_json(self, status):
        return JsonResponse(
            {repr(result.check): status_text(result) for result in self.results}, status=status
        )

    def render_to_response_text(self, status):
        lines = "".join(f"{result.check!r}: {status_text(result)}\n" for result in self.results)
        return HttpResponse(lines, content_type="text/plain; charset=utf-8", status=status)


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
