"""Every PDF the system renders — 评议意见书, investigation reports, 情况简报 — goes one way.

A request queues a job (RenderedDocument); a Celery task renders the kind's HTML with
WeasyPrint; the job ends done, or failed with the reason; the file is served only through
a view that asks the kind who may see it. A job queued or rendering for longer than
STALE_RENDER is taken as lost and may be requested again, and the task is safe to run
twice or late. A change to the object discards its PDF, which no longer matches.

Kinds are registered by the apps that own the documents, from their AppConfig.ready:
core never imports a feature app.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone

from .actors import Actor
from .audit import audit_actions_register, audit_log
from .errors import ApplicationError
from .files import file_store, private_file_response
from .models import DocumentStatus, RenderedDocument
from .queue import enqueue_on_commit
from .workflow import transition
from .workflows import DOCUMENT_WORKFLOW

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document: how to render one, and who may see it (the same rule as its page).

    render(object_id) -> (template, context, file name); an ApplicationError it raises
        fails the job with its message (e.g. a block with nothing to show).
    title_for(user, object_id) -> the document's title, or Http404/PermissionDenied.
    check_request(user) raises ApplicationError when the user may see but not render it.
    campaign_of(object_id) -> the campaign the audit entry of a request is filed under.
    """

    render: Callable[[int], tuple[str, dict, str]]
    title_for: Callable[[Any, int], str]
    check_request: Callable[[Any], None] | None = None
    campaign_of: Callable[[int], Any] | None = None


KINDS: dict[str, DocumentKind] = {}


def document_kind_register(
    name: str, *, render, title_for, check_request=None, campaign_of=None, title: str = ""
) -> None:
    KINDS[name] = DocumentKind(
        render=render, title_for=title_for, check_request=check_request, campaign_of=campaign_of
    )
    audit_actions_register([(f"{name}.render", f"申请生成 PDF（{title}）")])


def document_title_for(*, user, kind: str, object_id: int) -> str:
    """The one access check for rendered documents."""
    if kind not in KINDS:
        raise Http404("没有这种文件。")
    return KINDS[kind].title_for(user, object_id)


def document_for(*, kind: str, object_id: int) -> RenderedDocument | None:
    return RenderedDocument.objects.filter(kind=kind, object_id=object_id).first()


def documents_for(*, kind: str, object_ids: Iterable[int]) -> dict[int, RenderedDocument]:
    """The PDF jobs of many objects in one query, by object id (for lists)."""
    return {
        d.object_id: d
        for d in RenderedDocument.objects.filter(kind=kind, object_id__in=list(object_ids))
    }


@transaction.atomic
def document_request(*, actor: Actor, kind: str, object_id: int) -> RenderedDocument:
    """Queue a render of the object's PDF (again, when it was done or failed). With the
    task queue down the job ends failed with the reason (so it can be asked for again at
    once) and ApplicationError says so to the user."""
    from .tasks import document_render_task

    title = document_title_for(user=actor, kind=kind, object_id=object_id)
    spec = KINDS[kind]
    if spec.check_request is not None:
        spec.check_request(actor)
    document, created = RenderedDocument.objects.select_for_update().get_or_create(
        kind=kind,
        object_id=object_id,
        defaults={"requested_by": actor, "requested_at": timezone.now()},
    )
    if not created:
        if document.in_progress:
            raise ApplicationError(f"{title}已在生成中，请稍候。")
        _move(
            document,
            DocumentStatus.QUEUED,
            error="",
            requested_by=actor,
            requested_at=timezone.now(),
        )
    audit_log(
        actor=actor,
        action=f"{kind}.render",
        summary=f"生成“{title}”PDF",
        target=document,
        campaign=spec.campaign_of(object_id) if spec.campaign_of else None,
    )
    pk = document.pk
    enqueue_on_commit(  # last: nothing registered after it runs when publishing fails
        document_render_task, pk, on_failure=lambda reason: _not_started(pk, reason)
    )
    return document


def _move(document: RenderedDocument, to: str, **stamp) -> RenderedDocument:
    """A move of the job by its table (core.workflows), inside the caller's transaction."""
    return transition(
        obj=document, to=to, workflow=DOCUMENT_WORKFLOW, actor=None, stamp=stamp, check_roles=False
    )


def _locked(document_id: int) -> RenderedDocument | None:
    return RenderedDocument.objects.select_for_update().filter(pk=document_id).first()


def _not_started(document_id: int, reason: str) -> None:
    """The task queue could not be reached: a job still queued fails with the reason."""
    with transaction.atomic():
        document = _locked(document_id)
        if document is not None and DOCUMENT_WORKFLOW.move(document.status, DocumentStatus.FAILED):
            _move(document, DocumentStatus.FAILED, error=reason)


@transaction.atomic
def document_discard(*, kind: str, object_id: int) -> None:
    """The object changed, so its PDF no longer matches: remove it (until rendered again).
    Refused while a render runs, which would store the old content."""
    document = (
        RenderedDocument.objects.select_for_update().filter(kind=kind, object_id=object_id).first()
    )
    if document is None:
        return
    if document.in_progress:
        raise ApplicationError("正在生成 PDF，请稍后再修改。")
    if document.pdf:
        storage, name = document.pdf.storage, document.pdf.name
        transaction.on_commit(lambda: storage.delete(name))
    document.delete()


def pdf_render(template: str, context: dict) -> bytes:
    """The one WeasyPrint call: a template rendered to PDF. Every document's job comes
    here, and so do the demo's attachments (workbench.demo.files)."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def document_render(*, document_id: int) -> RenderedDocument | None:
    """Run by the worker: queued → rendering → done, or failed with the reason. Safe to
    rerun; None when the job was discarded meanwhile."""
    with transaction.atomic():
        document = _locked(document_id)
        if document is None or not DOCUMENT_WORKFLOW.move(
            document.status, DocumentStatus.RENDERING
        ):
            return document  # discarded, or a duplicate delivery after it was done
        _move(document, DocumentStatus.RENDERING)
    try:
        template, context, name = KINDS[document.kind].render(document.object_id)
        pdf = pdf_render(template, context)
    except ApplicationError as exc:
        return _fail(document, exc.message)
    except Exception as exc:  # noqa: BLE001 - the job must end, with its reason
        logger.exception("document %s failed to render", document_id)
        return _fail(document, f"生成 PDF 时出错：{exc}")
    with transaction.atomic():
        document = _locked(document_id)
        if document is None:
            return None  # the object changed while rendering: this PDF is already stale
        if not DOCUMENT_WORKFLOW.move(document.status, DocumentStatus.DONE):
            return document  # another run has ended it meanwhile
        file_store(document.pdf, f"{document.kind}-{document.object_id}.pdf", ContentFile(pdf))
        _move(
            document,
            DocumentStatus.DONE,
            pdf=document.pdf,
            name=name,
            error="",
            rendered_at=timezone.now(),
        )
    return document


def _fail(document: RenderedDocument, message: str) -> RenderedDocument | None:
    with transaction.atomic():
        document = _locked(document.pk)
        if document is not None and DOCUMENT_WORKFLOW.move(document.status, DocumentStatus.FAILED):
            _move(document, DocumentStatus.FAILED, error=message[:2000])
    return document


def document_response(*, user, kind: str, object_id: int) -> FileResponse:
    """The rendered PDF as a download, for those who may see the document."""
    document_title_for(user=user, kind=kind, object_id=object_id)
    document = RenderedDocument.objects.filter(
        kind=kind, object_id=object_id, status=DocumentStatus.DONE
    ).first()
    if document is None or not document.pdf:
        raise Http404("PDF 尚未生成。")
    return private_file_response(document.pdf, document.name)
