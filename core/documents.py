"""PDFs of documents other than briefings — 评议意见书, investigation reports — rendered the
same way: a request queues a job, a Celery task renders it with WeasyPrint, the job ends
done or failed with the reason, and the file is served only through a checking view."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .files import replace_file
from .models import RenderedDocument, render_in_progress

logger = logging.getLogger(__name__)


def _opinion_context(object_id: int) -> tuple[str, dict, str]:
    from subjects.models import Subject

    subject = Subject.objects.select_related(
        "campaign", "unit", "liaison_committee", "opinion"
    ).get(pk=object_id)
    problems = subject.opinion.problems.select_related("content_item").order_by(
        "content_item__position", "position"
    )
    return (
        "rectification/opinion_print.html",
        {"subject": subject, "opinion": subject.opinion, "problems": problems, "pdf": True},
        f"{subject.person_name}评议意见书.pdf",
    )


def _investigation_context(object_id: int) -> tuple[str, dict, str]:
    from reviews.models import InvestigationReport

    report = InvestigationReport.objects.select_related(
        "subject__unit", "subject__campaign", "group"
    ).get(pk=object_id)
    return (
        "reviews/investigation_report_pdf.html",
        {"report": report},
        f"{report.subject.person_name}调查报告.pdf",
    )


KINDS = {"opinion": _opinion_context, "investigation": _investigation_context}


@transaction.atomic
def document_request(*, actor, kind: str, object_id: int) -> RenderedDocument:
    from .tasks import document_render_task

    document, created = RenderedDocument.objects.select_for_update().get_or_create(
        kind=kind, object_id=object_id, defaults={"requested_by": actor}
    )
    if not created and render_in_progress(document.status, document.requested_at):
        return document  # already on its way
    document.status, document.error, document.requested_by = "queued", "", actor
    document.requested_at = timezone.now()
    document.save(update_fields=["status", "error", "requested_by", "requested_at"])
    transaction.on_commit(lambda: document_render_task.delay(document.pk))
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
        template, context, name = KINDS[document.kind](document.object_id)
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
