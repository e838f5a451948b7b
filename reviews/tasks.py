from celery import shared_task

from .services.briefings import briefing_render


@shared_task(name="reviews.briefing_render")
def briefing_render_task(briefing_id: int) -> str:
    """Thin and idempotent: render (or re-render) one briefing's PDF."""
    return briefing_render(briefing_id=briefing_id).status
