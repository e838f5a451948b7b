"""情况简报: numbered per campaign in order (never reused), rendered to PDF by a Celery task."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from ballots.models import Ballot, BallotPurpose, BallotStatus
from ballots.selectors import ballot_results, ballot_turnout, published_ballots
from core.audit import audit_log
from core.errors import ApplicationError
from core.files import replace_file
from core.models import render_in_progress
from core.queue import enqueue_on_commit
from core.services import require_office, validate_or_raise
from rectification.selectors import rectification_rows
from reviews.models import Campaign
from reviews.selectors import campaign_stage_rows

from ..models import Briefing, BriefingBlock, RenderStatus
from ..selectors import campaigns_with_progress

logger = logging.getLogger(__name__)

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
    if briefing.status in (RenderStatus.QUEUED, RenderStatus.RENDERING):
        raise ApplicationError("简报正在生成 PDF，请稍后再修改。")
    if "blocks" in fields:
        fields["blocks"] = _check_blocks(fields["blocks"])
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ApplicationError("该项不能修改。")
        setattr(briefing, name, value)
    validate_or_raise(briefing)
    briefing.status = RenderStatus.DRAFT  # the stored PDF no longer matches
    briefing.save()
    return briefing


@transaction.atomic
def briefing_render_request(*, actor, briefing: Briefing) -> Briefing:
    from ..tasks import briefing_render_task  # tasks import this module

    require_office(actor)
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if render_in_progress(briefing.status, briefing.requested_at):
        raise ApplicationError("简报已在生成中。")
    briefing.status, briefing.error, briefing.requested_at = RenderStatus.QUEUED, "", timezone.now()
    briefing.save(update_fields=["status", "error", "requested_at"])
    audit_log(
        actor=actor,
        action="briefing.render",
        summary=f"生成情况简报第 {briefing.number} 期 PDF",
        target=briefing,
        campaign=briefing.campaign,
    )
    pk = briefing.pk
    # With the task queue down the job ends failed (so it can be asked for again at once)
    # and the ApplicationError tells the office why.
    enqueue_on_commit(
        briefing_render_task,
        pk,
        on_failure=lambda reason: Briefing.objects.filter(pk=pk, status=RenderStatus.QUEUED).update(
            status=RenderStatus.FAILED, error=reason
        ),
    )
    return briefing


def _paragraphs(text: str) -> list[dict]:
    items = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("## "):
            title, _, rest = chunk[3:].partition("\n")
            items.append({"heading": title.strip()})
            if rest.strip():
                items.append({"text": rest.strip()})
        else:
            items.append({"text": chunk})
    return items


def briefing_context(briefing: Briefing) -> dict:
    """What the PDF shows; a block that has no data to show makes the render fail, with why."""

    campaign = campaigns_with_progress().get(pk=briefing.campaign_id)
    context = {"b": briefing, "campaign": campaign, "paragraphs": _paragraphs(briefing.articles)}
    blocks = set(briefing.blocks)
    if BriefingBlock.STAGES in blocks:
        context["stages"] = campaign_stage_rows(campaign)
    if BriefingBlock.TURNOUT in blocks:
        ballot = (
            Ballot.objects.filter(campaign=campaign)
            .exclude(status=BallotStatus.DRAFT)
            .order_by("-opened_at")
            .first()
        )
        if ballot is None:
            raise ApplicationError("本次评议还没有开始过满意度测评，不能插入“测评参加情况”。")
        context["turnout_ballot"], context["turnout"] = ballot, ballot_turnout(ballot)
    if BriefingBlock.RESULTS in blocks:
        ballot = (
            published_ballots()
            .filter(campaign=campaign)
            .exclude(purpose=BallotPurpose.PRACTICE)
            .order_by("-published_at")
            .first()
        )
        if ballot is None:
            raise ApplicationError("本次评议还没有已公布的测评结果，不能插入“测评结果统计表”。")
        context["results_ballot"], context["results"] = ballot, ballot_results(ballot)
    if BriefingBlock.RECTIFICATION in blocks:
        context["rectification"] = rectification_rows(campaign.subjects.all())
    return context


def briefing_render(*, briefing_id: int) -> Briefing:
    """Run by the worker: queued → rendering → done, or failed with the reason. Safe to rerun."""
    from weasyprint import HTML

    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().get(pk=briefing_id)
        if briefing.status not in (
            RenderStatus.QUEUED,
            RenderStatus.FAILED,
            RenderStatus.RENDERING,
        ):
            return briefing  # a duplicate delivery after it was done
        briefing.status = RenderStatus.RENDERING
        briefing.save(update_fields=["status"])
    try:
        html = render_to_string("workbench/briefing_pdf.html", briefing_context(briefing))
        pdf = HTML(string=html).write_pdf()
    except ApplicationError as exc:
        return _fail(briefing, exc.message)
    except Exception as exc:  # noqa: BLE001 - any failure must end the job, not leave it stuck
        logger.exception("briefing %s failed to render", briefing_id)
        return _fail(briefing, f"生成 PDF 时出错：{exc}")
    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().get(pk=briefing_id)
        replace_file(briefing.pdf, f"briefing-{briefing.number}.pdf", ContentFile(pdf))
        briefing.status, briefing.error, briefing.rendered_at = (
            RenderStatus.DONE,
            "",
            timezone.now(),
        )
        briefing.save(update_fields=["pdf", "status", "error", "rendered_at"])
    return briefing


def _fail(briefing: Briefing, message: str) -> Briefing:
    Briefing.objects.filter(pk=briefing.pk).update(status=RenderStatus.FAILED, error=message[:2000])
    briefing.refresh_from_db()
    return briefing
