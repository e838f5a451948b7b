from celery import shared_task

from .documents import document_render


@shared_task(name="core.document_render")
def document_render_task(document_id: int) -> str:
    return document_render(document_id=document_id).status
