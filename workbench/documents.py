"""The 情况简报 as a rendered document (registered with core.documents in apps.py): the
office renders an issue, the leading group and the director's meeting read it too."""

import markdown
import nh3
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ballots.models import Ballot, BallotPurpose, BallotStatus
from ballots.selectors import ballot_results, ballot_turnout, published_ballots
from core.errors import ApplicationError
from core.roles import LEADERSHIP, user_has_role
from rectification.selectors import rectification_rows
from reviews.selectors import campaign_stage_rows

from .models import Briefing, BriefingBlock
from .selectors import campaigns_with_progress


def briefing_render(object_id: int) -> tuple[str, dict, str]:
    """An issued briefing renders from the page frozen when it was issued; a draft from
    the data as it is now."""
    briefing = Briefing.objects.select_related("campaign").get(pk=object_id)
    name = f"{briefing.campaign.name}情况简报第{briefing.number}期.pdf"
    if briefing.is_issued:
        return "workbench/briefing_frozen.html", {"html": briefing.issued_html}, name
    return "workbench/briefing_pdf.html", briefing_context(briefing), name


# The Markdown subset of articles, which the editor's toolbar writes (static/js/
# briefing_editor.js): paragraphs, article heads (##), bold run-in heads (**一要**),
# numbered and bulleted lists, tables, line breaks. Everything else is escaped or dropped.
ARTICLE_TAGS = {
    "p", "h2", "h3", "strong", "em", "ol", "ul", "li", "br",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def articles_html(text: str) -> str:
    html = markdown.markdown(
        text or "", extensions=["sane_lists", "nl2br", "tables"], output_format="html"
    )
    return nh3.clean(html, tags=ARTICLE_TAGS, attributes={})


def briefing_title_for(user, object_id: int) -> str:
    if not user_has_role(user, *LEADERSHIP):
        raise PermissionDenied("您没有权限访问此页面。")
    briefing = Briefing.objects.filter(pk=object_id).first()
    if briefing is None:
        raise Http404("没有找到该简报。")
    return str(briefing)


def briefing_campaign(object_id: int):
    return Briefing.objects.select_related("campaign").get(pk=object_id).campaign


def briefing_context(briefing: Briefing) -> dict:
    """What the PDF shows; a block that has no data to show makes the render fail, with why."""

    campaign = campaigns_with_progress().get(pk=briefing.campaign_id)
    context = {"b": briefing, "campaign": campaign, "articles": articles_html(briefing.articles)}
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
        results = ballot_results(ballot)
        for r in results:  # the stored counts have no order: the sheet's, as the headers
            r.ordered_counts = [r.counts.get(o, 0) for o in ballot.sheet_options]
        context["results_ballot"], context["results"] = ballot, results
    if BriefingBlock.RECTIFICATION in blocks:
        context["rectification"] = rectification_rows(campaign.subjects.all())
    return context
