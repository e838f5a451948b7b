"""Factories for the workbench: briefings, drafted or issued (their PDFs:
RenderedDocumentFactory, kind "briefing")."""

import datetime

import factory
from django.utils import timezone

from core.forms import version_of
from workbench.models import Briefing, WorkVisit
from workbench.services.briefings import (
    EDITABLE,
    briefing_correct,
    briefing_create,
    briefing_issue,
)
from workbench.services.visits import work_visit_record

from .base import ServiceFactory, UserFactory, default_office
from .reviews import CampaignFactory


class BriefingFactory(ServiceFactory):
    """An issue written by briefing_create, numbered in its campaign, and 签发 by
    briefing_issue when `status="issued"`. With `corrects=<an issued briefing>` it is that
    issue's 更正 (briefing_correct, which copies the original)."""

    class Meta:
        model = Briefing

    campaign = factory.SubFactory(CampaignFactory)
    title = "县人大常委会召开述职评议工作动员会"
    issuing_office = "县人大常委会述职评议工作领导小组办公室"
    issued_on = datetime.date(2017, 8, 16)
    articles = "## 在全县述职评议工作动员会上的讲话（摘要）\n\n开展述职评议，是人大监督的重要形式。"
    blocks = ()
    editor = "柏素洁"
    reviewer = "陈蓬"
    issuer = "王恒亮"
    distribution = "市人大办、县委办、政府办，县法院、检察院，存档。"
    status = "draft"
    corrects = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, campaign, actor, blocks, status, corrects, **fields):
        actor = actor or default_office()
        if corrects is not None:
            briefing = briefing_correct(actor=actor, briefing=corrects)
        else:
            briefing = briefing_create(
                actor=actor, campaign=campaign, blocks=list(blocks), **fields
            )
        if status == "issued":
            briefing = briefing_issue(actor=actor, briefing=briefing)
        elif status != "draft":
            raise ValueError(f"a briefing is draft or issued, not {status}")
        return briefing


def briefing_form_data(briefing: Briefing) -> dict:
    """What the briefing page's form posts for this issue as it stands."""
    data = {name: getattr(briefing, name) for name in EDITABLE}
    data["issued_on"] = briefing.issued_on.isoformat()
    data["blocks"] = list(briefing.blocks)
    data["version"] = version_of(Briefing.objects.get(pk=briefing.pk))
    return data


class WorkVisitFactory(ServiceFactory):
    """A person's visit to 我的工作, recorded through the service the page calls."""

    class Meta:
        model = WorkVisit

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, user, **kwargs):
        work_visit_record(user=user, now=timezone.now())
        return model_class.objects.get(user=user)
