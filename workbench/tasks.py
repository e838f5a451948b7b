from celery import shared_task
from django.utils import timezone

from .reminders import reminders_sweep


@shared_task(name="workbench.reminders_sweep")
def reminders_sweep_task() -> dict:
    """Periodic and idempotent: safe to run twice, late, or on two workers. The result
    counts reminders recorded, e-mails queued and e-mails delivered so far."""
    return reminders_sweep(today=timezone.localdate()).as_dict()
