"""情况简报: numbered per campaign in order (never reused); the PDF is rendered by
core.documents, as every document is (the briefing's kind is in workbench/documents.py).
Who may do what, and when, is the briefing's table (workbench/workflows.py)."""

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from core.actors import Actor
from core.audit import audit_log
from core.documents import document_discard, document_request
from core.errors import ApplicationError
from core.models import RenderedDocument
from core.services import require_office, validate_or_raise
from core.workflow import transition
from reviews.models import Campaign

from ..audit import AuditAction
from ..documents import briefing_context
from ..models import BRIEFING_DOCUMENT, Briefing, BriefingBlock, BriefingStatus
from ..workflows import BRIEFING_WORKFLOW

EDITABLE = (
    "title",
    "issuing_office",
    "issued_on",
    "articles",
    "blocks",
    "editor",
    "reviewer",
    "issuer",
    "distribution",
)


def _check_blocks(blocks) -> list[str]:
    blocks = list(blocks or [])
    if any(b not in BriefingBlock.values for b in blocks):
        raise ApplicationError("插入内容无效。")
    return blocks


@transaction.atomic
def briefing_create(
    *, actor: Actor, campaign: Campaign, number: int | None = None, corrects=None, **fields
) -> Briefing:
    """A new issue, numbered after the last one. The first issue created here may take a
    later number (`number`), to continue a series the office began on paper."""
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(
        pk=campaign.pk
    )  # numbers in order, one at a time
    last = Briefing.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"]
    if number is not None and last is not None and number != last + 1:
        raise ApplicationError(
            f"期号接续已有的第 {last} 期，本期为第 {last + 1} 期；只有本系统中的第一期可以指定期号。"
        )
    if number is not None and not 1 <= number <= 999:
        raise ApplicationError("期号应在 1 到 999 之间。")
    number = number or (last or 0) + 1
    fields["blocks"] = _check_blocks(fields.get("blocks"))
    briefing = Briefing(
        campaign=campaign,
        number=number,
        created_by=actor,
        corrects=corrects,
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    validate_or_raise(briefing)
    briefing.save()
    audit_log(
        actor=actor,
        action=AuditAction.BRIEFING_CREATE,
        summary=f"编写情况简报第 {number} 期“{briefing.title}”",
        target=briefing,
        campaign=campaign,
    )
    return briefing


def _edit(briefing: Briefing, fields: dict) -> None:
    """Apply a draft's edits to the locked row; its stored PDF no longer matches."""
    if "blocks" in fields:
        fields["blocks"] = _check_blocks(fields["blocks"])
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ApplicationError("该项不能修改。")
        setattr(briefing, name, value)
    validate_or_raise(briefing)
    # The stored PDF no longer matches (refused while one is being rendered).
    document_discard(kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    briefing.save()


@transaction.atomic
def briefing_update(
    *, actor: Actor, briefing: Briefing, fields: dict | None = None, **more
) -> Briefing:
    """A draft's edits (by name, or as `fields`), by the office (BRIEFING_WORKFLOW)."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    BRIEFING_WORKFLOW.edit_check(briefing, actor)
    _edit(briefing, {**(fields or {}), **more})
    return briefing


@transaction.atomic
def briefing_render_request(
    *, actor: Actor, briefing: Briefing, fields: dict | None = None
) -> RenderedDocument:
    """Render the issue's PDF: core's one pipeline, the office only (see documents.py).
    A draft's edits posted with the button (`fields`) are saved first, so nothing typed
    is lost."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    BRIEFING_WORKFLOW.action_check(briefing, actor, "render")
    if fields is not None:
        BRIEFING_WORKFLOW.edit_check(briefing, actor)
        _edit(briefing, dict(fields))
    return document_request(actor=actor, kind=BRIEFING_DOCUMENT, object_id=briefing.pk)


@transaction.atomic
def briefing_issue(*, actor: Actor, briefing: Briefing, fields: dict | None = None) -> Briefing:
    """签发: freeze the issue as it stands now — its articles and its live blocks (stage
    progress, turnout, results, rectification) — and render its PDF from that, once. The
    edits posted with the button (`fields`) are saved first: what was typed is issued."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    BRIEFING_WORKFLOW.check_move(briefing, actor, BriefingStatus.ISSUED)
    if fields is not None:
        _edit(briefing, dict(fields))
    document_discard(kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    transition(
        obj=briefing,
        to=BriefingStatus.ISSUED,
        workflow=BRIEFING_WORKFLOW,
        actor=actor,
        summary=f"签发情况简报第 {briefing.number} 期“{briefing.title}”",
        stamp={
            "issued_html": render_to_string(
                "workbench/briefing_pdf.html", briefing_context(briefing)
            ),
            "issued_at": timezone.now(),
            "issued_by": actor,
        },
        campaign=briefing.campaign,
    )
    document_request(actor=actor, kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    return briefing


@transaction.atomic
def briefing_correct(*, actor: Actor, briefing: Briefing) -> Briefing:
    """更正: a new issue that corrects an issued one; the original stays as issued."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    BRIEFING_WORKFLOW.action_check(briefing, actor, "correct")
    fields = {name: getattr(briefing, name) for name in EDITABLE}
    fields["title"] = f"更正：{briefing.title}"[:200]
    return briefing_create(actor=actor, campaign=briefing.campaign, corrects=briefing, **fields)
