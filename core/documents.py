"""PDFs of documents other than briefings — 评议意见书, investigation reports — rendered the
same way: a request queues a job, a Celery task renders it with WeasyPrint, the job ends
done or failed with the reason, and the file is served only through a checking view."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from .files import replace_file
from .models import RenderedDocument, render_in_progress
from .queue import enqueue_on_commit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document: how to render one, and who may see it (the same rule as its page).

    render(object_id) -> (template, context, file name)
    title_for(user, object_id) -> the document's title, or Http404 when not allowed."""

    render: Callable[[int], tuple[str, dict, str]]
    title_for: Callable[[Any, int], str]


# Filled by the apps that own the documents, from their AppConfig.ready: core never
# imports a feature app.
KINDS: dict[str, DocumentKind] = {}


def document_kind_register(name: str, *, render, title_for) -> None:
    KINDS[name] = DocumentKind(render=render, title_for=title_for)


def document_title_for(*, user, kind: str, object_id: int) -> str:
    """The one access check for rendered documents."""
    if kind not in KINDS:
        raise Http404("没有这种文件。")
    return KINDS[kind].title_for(user, object_id)


@transaction.atomic
def document_request(*, actor, kind: str, object_id: int) -> RenderedDocument:
    """Queue a render. With the task queue down the job ends failed with the reason (so it
    can be asked for again at once) and ApplicationError says so to the user."""
    from .tasks import document_render_task

    document, created = RenderedDocument.objects.select_for_update().get_or_create(
        kind=kind, object_id=object_id, defaults={"requested_by": actor}
    )
    if not created and render_in_progress(document.status, document.requested_at):
        return document  # already on its way
    document.status, document.error, document.requested_by = "queued", "", actor
    document.requested_at = timezone.now()
    document.save(update_fields=["status", "error", "requested_by", "requested_at"])
    enqueue_on_commit(
        document_render_task,
        document.pk,
        on_failure=lambda reason: RenderedDocument.objects.filter(
            pk=document.pk, status="queued"
        ).update(status="failed", error=reason),
    )
    return document


def document_render(*, document_id: int) -> RenderedDocument:
    from weasyprint import HTML

    with transaction.atomic():
        document = RenderedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == "done":
            return document
        document.status = "rendering"
        document.save(update_fields=["status"])
    try:
        template, context, name = KINDS[document.kind].render(document.object_id)
        pdf = HTML(string=render_to_string(template, context)).write_pdf()
    except Exception as exc:  # noqa: BLE001 - the job must end, with its reason
        logger.exception("document %s failed", document_id)
        RenderedDocument.objects.filter(pk=document_id).update(
            status="failed", error=f"生成 PDF 时出错：{exc}"[:2000]
        )
        document.refresh_from_db()
        return document
    replace_file(document.pdf, f"{document.kind}-{document.object_id}.pdf", ContentFile(pdf))
    document.name, document.status, document.rendered_at = name, "done", timezone.now()
    document.save(update_fields=["pdf", "name", "status", "rendered_at"])
    return document
