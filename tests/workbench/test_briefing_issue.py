"""Briefings as issued: numbering may continue a paper series, articles take a safe
Markdown subset, 签发 freezes the issue (live blocks and PDF), a correction keeps the
original."""

import datetime

import pytest

from core.documents import document_render
from core.errors import ApplicationError
from core.models import RenderedDocument
from reviews.models import CampaignStage
from reviews.services import campaign_stage_move
from tests.factories import CampaignFactory, SubjectFactory
from workbench.documents import articles_html, briefing_render
from workbench.models import BRIEFING_DOCUMENT, BriefingBlock
from workbench.services.briefings import (
    briefing_create,
    briefing_issue,
    briefing_update,
)

pytestmark = pytest.mark.django_db

FIELDS = {
    "title": "述职评议工作进展",
    "issuing_office": "县人大常委会述职评议工作领导小组办公室",
    "issued_on": datetime.date(2017, 9, 1),
    "articles": "## 动员会召开\n\n会议强调：**一要**提高认识；**二要**突出重点。\n\n1. 听取汇报\n2. 实地查看",
    "editor": "柏素洁",
    "reviewer": "陈蓬",
    "issuer": "王恒亮",
    "distribution": "市人大办、县委办，存档。",
}


def test_first_issue_may_continue_a_paper_series(office):
    campaign = CampaignFactory(actor=office)
    assert briefing_create(actor=office, campaign=campaign, number=5, **FIELDS).number == 5
    assert briefing_create(actor=office, campaign=campaign, **FIELDS).number == 6
    with pytest.raises(ApplicationError, match="本期为第 7 期"):
        briefing_create(actor=office, campaign=campaign, number=3, **FIELDS)
    assert briefing_create(actor=office, campaign=campaign, number=7, **FIELDS).number == 7


def test_articles_take_bold_heads_lists_and_nothing_else():
    html = articles_html(
        FIELDS["articles"] + "\n\n<script>alert(1)</script><a href='x' onclick='y'>链接</a>"
    )
    assert "<h2>动员会召开</h2>" in html
    assert "<strong>一要</strong>" in html and "<strong>二要</strong>" in html
    assert "<ol>" in html and "<li>听取汇报</li>" in html
    assert "<script" not in html and "onclick" not in html and "<a" not in html


def test_issuing_freezes_live_blocks_and_pdf(client, office, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign)
    briefing = briefing_create(
        actor=office, campaign=campaign, blocks=[BriefingBlock.STAGES], **FIELDS
    )
    with django_capture_on_commit_callbacks(execute=True):
        briefing = briefing_issue(actor=office, briefing=briefing)
    document = RenderedDocument.objects.get(kind=BRIEFING_DOCUMENT, object_id=briefing.pk)
    assert document.status == "done"
    rendered_at, pdf_name = document.rendered_at, document.pdf.name
    frozen = briefing.issued_html
    assert "进行中" in frozen and "<strong>一要</strong>" in frozen
    # The campaign moves on; the issued page and its PDF do not.
    campaign.refresh_from_db()
    campaign_stage_move(
        actor=office,
        campaign=campaign,
        to_stage=CampaignStage.PRELIMINARY,
        override_reason="测试",
    )
    template, context, _ = briefing_render(briefing.pk)
    assert template == "workbench/briefing_frozen.html" and context["html"] == frozen
    with pytest.raises(ApplicationError, match="已签发"):
        briefing_update(actor=office, briefing=briefing, title="改标题")
    document = document_render(document_id=document.pk)
    assert (document.rendered_at, document.pdf.name) == (rendered_at, pdf_name)
    client.force_login(office)
    response = client.post(f"/briefings/{briefing.pk}/", {**FIELDS, "title": "偷偷改"})
    assert response.status_code == 400 and "不能再修改" in response.content.decode()
    briefing.refresh_from_db()
    assert briefing.title == FIELDS["title"]


def test_correction_is_a_new_issue_and_keeps_the_original(client, office):
    campaign = CampaignFactory(actor=office)
    briefing = briefing_create(actor=office, campaign=campaign, **FIELDS)
    briefing_issue(actor=office, briefing=briefing)
    client.force_login(office)
    response = client.post(f"/briefings/{briefing.pk}/correct/")
    correction = campaign.briefings.get(number=2)
    assert response.url == f"/briefings/{correction.pk}/"
    assert correction.corrects == briefing and correction.title.startswith("更正：")
    assert correction.status == "draft"
    briefing.refresh_from_db()
    assert briefing.status == "issued" and briefing.title == FIELDS["title"]
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    assert "已由" in page and "第 2 期" in page


def test_render_button_saves_edits_first(client, office):
    campaign = CampaignFactory(actor=office)
    briefing = briefing_create(actor=office, campaign=campaign, **FIELDS)
    client.force_login(office)
    posted = {**FIELDS, "issued_on": "2017-09-01", "title": "未保存就生成"}
    client.post(f"/briefings/{briefing.pk}/render/", posted)
    briefing.refresh_from_db()
    assert briefing.title == "未保存就生成"
