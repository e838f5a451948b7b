from celery import shared_task
from django.utils import timezone

from .reminders import reminders_sweep


@shared_task(name="core.reminders_sweep")
def reminders_sweep_task() -> int:
    """Periodic and idempotent: safe to run twice, late, or on two workers."""
    return reminders_sweep(today=timezone.localdate())
