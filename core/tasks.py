from celery import shared_task

from .documents import document_render
from .imports import import_job_run, import_results_expire
from .outbox import outbox_send_due


@shared_task(name="core.document_render")
def document_render_task(document_id: int) -> str:
    """Thin and idempotent: render (or re-render) one document's PDF."""
    document = document_render(document_id=document_id)
    return document.status if document is not None else "discarded"


@shared_task(name="core.outbox_send")
def outbox_send_task() -> dict:
    """After each commit that queues mail, and every minute by beat; safe on many workers."""
    run = outbox_send_due()
    return {"sent": run.sent, "failed": run.failed, "error": run.error}


@shared_task(name="core.import_job_run")
def import_job_run_task(job_id: int) -> str:
    return import_job_run(job_id=job_id).status


@shared_task(name="core.import_results_expire")
def import_results_expire_task() -> int:
    return import_results_expire()
