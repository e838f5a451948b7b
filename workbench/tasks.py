from celery import shared_task
from django.utils import timezone

from .reminders import reminders_sweep
from .services.briefings import briefing_render


@shared_task(name="workbench.briefing_render")
def briefing_render_task(briefing_id: int) -> str:
    """Thin and idempotent: render (or re-render) one briefing's PDF."""
    return briefing_render(briefing_id=briefing_id).status


@shared_task(name="workbench.reminders_sweep")
def reminders_sweep_task() -> dict:
    """Periodic and idempotent: safe to run twice, late, or on two workers. The result
    counts reminders recorded, e-mails queued and e-mails delivered so far."""
    return reminders_sweep(today=timezone.localdate()).as_dict()
