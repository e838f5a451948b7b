"""情况简报: numbered per campaign in order (never reused); the PDF is rendered by
core.documents, as every document is (the briefing's kind is in workbench/documents.py)."""

from django.db import transaction
from django.db.models import Max

from core.audit import audit_log
from core.documents import document_discard, document_request
from core.errors import ApplicationError
from core.models import RenderedDocument
from core.services import require_office, validate_or_raise
from reviews.models import Campaign

from ..models import BRIEFING_DOCUMENT, Briefing, BriefingBlock

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
def briefing_create(*, actor, campaign: Campaign, **fields) -> Briefing:
    require_office(actor)
    campaign = Campaign.objects.select_for_update().get(
        pk=campaign.pk
    )  # numbers in order, one at a time
    number = (Briefing.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1
    fields["blocks"] = _check_blocks(fields.get("blocks"))
    briefing = Briefing(
        campaign=campaign,
        number=number,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in EDITABLE},
    )
    validate_or_raise(briefing)
    briefing.save()
    audit_log(
        actor=actor,
        action="briefing.create",
        summary=f"编写情况简报第 {number} 期“{briefing.title}”",
        target=briefing,
        campaign=campaign,
    )
    return briefing


@transaction.atomic
def briefing_update(*, actor, briefing: Briefing, **fields) -> Briefing:
    require_office(actor)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
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
    return briefing


def briefing_render_request(*, actor, briefing: Briefing) -> RenderedDocument:
    """Render the issue's PDF: core's one pipeline, the office only (see documents.py)."""
    return document_request(actor=actor, kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
