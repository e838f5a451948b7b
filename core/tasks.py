from celery import shared_task
from django.utils import timezone

from .reminders import reminders_sweep


@shared_task(name="core.reminders_sweep")
def reminders_sweep_task() -> int:
    """Periodic and idempotent: safe to run twice, late, or on two workers."""
    return reminders_sweep(today=timezone.localdate())


@shared_task(name="core.document_render")
def document_render_task(document_id: int) -> str:
    from .documents import document_render

    return document_render(document_id=document_id).status
