"""The county campaign's 情况简报 第 1 期, modelled on seed 000, queued for rendering
through core's one PDF pipeline."""

from ballots.models import Ballot, BallotStatus
from reviews.models import Campaign, CampaignStage

from ..models import BriefingBlock
from ..services.briefings import briefing_create, briefing_render_request


def briefing_write(campaign: Campaign, *, office, today) -> None:
    """Issue 1 of the campaign's briefing, modelled on seed 000, queued for rendering."""

    blocks = [BriefingBlock.STAGES]
    if Ballot.objects.filter(campaign=campaign, status=BallotStatus.PUBLISHED).exists():
        blocks.append(BriefingBlock.RESULTS)
    briefing = briefing_create(
        actor=office,
        campaign=campaign,
        title="县人大常委会召开国家机关工作人员述职评议工作动员会",
        issuing_office=campaign.issuing_office,
        issued_on=min(today, campaign.stages.get(kind=CampaignStage.PREPARATION).planned_end),
        articles=(
            "## 在全县国家机关工作人员述职评议工作动员会上的讲话（摘要）\n\n"
            "开展述职评议，是人大及其常委会依法履行监督职权的重要形式，目的是促进评议对象勤政廉政、履职为民。\n\n"
            "评议对象要认真写好述职报告，述职报告要自己动手写，突出“我”字，注重“实”字。"
        ),
        editor="柏晓洁",
        reviewer="陈蓬远",
        issuer="王恒明",
        distribution="市人大办、县委办、政府办、政协办，县法院、检察院，存档。",
        blocks=blocks,
    )
    briefing_render_request(actor=office, briefing=briefing)
