"""Factories for the workbench: briefings, drafted, queued, rendered or failed."""

import datetime

import factory

from workbench.models import Briefing, BriefingBlock, RenderStatus
from workbench.services.briefings import briefing_create, briefing_render, briefing_render_request

from .base import ServiceFactory, default_office
from .reviews import CampaignFactory


class BriefingFactory(ServiceFactory):
    """briefing_create, then as far as `status` says: queued by briefing_render_request (the
    task runs on commit, so a test that commits gets it rendered at once), rendered by
    briefing_render (done), or failed: a results block with nothing published to show."""

    class Meta:
        model = Briefing

    campaign = factory.SubFactory(CampaignFactory)
    title = "县人大常委会召开述职评议工作动员会"
    issuing_office = "县人大常委会述职评议工作领导小组办公室"
    issued_on = datetime.date(2017, 8, 16)
    articles = "## 在全县述职评议工作动员会上的讲话（摘要）\n\n开展述职评议，是人大监督的重要形式。"
    blocks = factory.LazyAttribute(
        lambda o: [BriefingBlock.RESULTS] if o.status == RenderStatus.FAILED else []
    )
    editor = "柏素洁"
    reviewer = "陈蓬"
    issuer = "王恒亮"
    distribution = "市人大办、县委办、政府办，县法院、检察院，存档。"
    status = RenderStatus.DRAFT
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, status, actor, **fields):
        actor = actor or default_office()
        briefing = briefing_create(actor=actor, campaign=campaign, **fields)
        if status == RenderStatus.DRAFT:
            return briefing
        briefing = briefing_render_request(actor=actor, briefing=briefing)
        if status in (RenderStatus.DONE, RenderStatus.FAILED):
            briefing = briefing_render(briefing_id=briefing.pk)
        if briefing.status != status:
            raise ValueError(f"the briefing is {briefing.status}, not {status}: {briefing.error}")
        return briefing
