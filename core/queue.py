"""Handing work to Celery without hanging a request when the broker is down.

Left to its defaults, publishing a task with Redis unreachable retries for about 20 s (the
broker connection, then the result backend's subscription) and ends in a 500, while the
job it was for stays "queued". `enqueue` fails at once instead: the broker connection is
tried once with a short timeout (CELERY_BROKER_TRANSPORT_OPTIONS, CELERY_TASK_PUBLISH_RETRY
in settings), no result subscription is made (callers poll their own job rows), and the
failure becomes an ApplicationError with a message for the user — after `on_failure` has
marked the caller's job failed, so that it can be asked for again right away.
"""

import contextlib
import logging
from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import OperationalError

from .errors import ApplicationError

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = "任务队列暂时不可用，请稍后重试。"


def enqueue(task, *args, on_failure: Callable[[str], None] | None = None) -> None:
    """Publish `task(*args)` now. Eagerly configured (no Redis), the task runs here and its
    own errors propagate unchanged."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=args)
        return
    try:
        task.apply_async(args=args, ignore_result=True)
    except (OperationalError, OSError) as exc:
        logger.warning("could not publish %s%r: %s", task.name, args, exc)
        if on_failure is not None:
            on_failure(QUEUE_UNAVAILABLE)
        raise ApplicationError(QUEUE_UNAVAILABLE) from exc


def enqueue_on_commit(task, *args, on_failure: Callable[[str], None] | None = None) -> None:
    """Publish once the current transaction has committed (at once outside one), so the
    worker finds the rows it is given. If publishing fails, the ApplicationError reaches
    whoever committed: the view around a service's transaction shows it to the user.
    (Django runs no later on-commit callback of that transaction then; register this one
    last.)"""
    transaction.on_commit(lambda: enqueue(task, *args, on_failure=on_failure))


def enqueue_quietly_on_commit(task, *args) -> None:
    """For work that is also picked up periodically (the e-mail outbox): a broker that is
    down only delays it, so the failure is logged and nobody is told."""

    def publish() -> None:
        # Logged by enqueue; beat picks the work up once the broker is back.
        with contextlib.suppress(ApplicationError):
            enqueue(task, *args)

    transaction.on_commit(publish)
