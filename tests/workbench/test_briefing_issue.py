"""Briefings as issued: numbering may continue a paper series, articles take a safe
Markdown subset, 签发 freezes the issue (live blocks and PDF), a correction keeps the
original."""

import pytest

from core.documents import document_render
from core.errors import ApplicationError
from core.models import RenderedDocument
from reviews.models import CampaignStage
from reviews.services import campaign_stage_move
from tests.factories import BriefingFactory, CampaignFactory, SubjectFactory, briefing_form_data
from workbench.documents import articles_html, briefing_render
from workbench.models import BRIEFING_DOCUMENT, BriefingBlock
from workbench.services.briefings import briefing_issue, briefing_update

pytestmark = pytest.mark.django_db

ARTICLES = (
    "## 动员会召开\n\n会议强调：**一要**提高认识；**二要**突出重点。\n\n1. 听取汇报\n2. 实地查看"
)


def test_first_issue_may_continue_a_paper_series(office):
    campaign = CampaignFactory(actor=office)
    assert BriefingFactory(campaign=campaign, actor=office, number=5).number == 5
    assert BriefingFactory(campaign=campaign, actor=office).number == 6
    with pytest.raises(ApplicationError, match="本期为第 7 期"):
        BriefingFactory(campaign=campaign, actor=office, number=3)
    assert BriefingFactory(campaign=campaign, actor=office, number=7).number == 7


def test_articles_take_bold_heads_lists_and_nothing_else():
    html = articles_html(ARTICLES + "\n\n<script>alert(1)</script><a href='x' onclick='y'>链接</a>")
    assert "<h2>动员会召开</h2>" in html
    assert "<strong>一要</strong>" in html and "<strong>二要</strong>" in html
    assert "<ol>" in html and "<li>听取汇报</li>" in html
    assert "<script" not in html and "onclick" not in html and "<a" not in html


def test_issuing_freezes_live_blocks_and_pdf(client, office, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign)
    briefing = BriefingFactory(
        campaign=campaign, actor=office, articles=ARTICLES, blocks=[BriefingBlock.STAGES]
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
    title = briefing.title
    response = client.post(
        f"/briefings/{briefing.pk}/", {**briefing_form_data(briefing), "title": "偷偷改"}
    )
    assert response.status_code == 400 and "不能再修改" in response.content.decode()
    briefing.refresh_from_db()
    assert briefing.title == title


def test_correction_is_a_new_issue_and_keeps_the_original(client, office):
    campaign = CampaignFactory(actor=office)
    briefing = BriefingFactory(campaign=campaign, actor=office, status="issued")
    title = briefing.title
    client.force_login(office)
    response = client.post(f"/briefings/{briefing.pk}/correct/")
    correction = campaign.briefings.get(number=2)
    assert response.url == f"/briefings/{correction.pk}/"
    assert correction.corrects == briefing and correction.title.startswith("更正：")
    assert correction.status == "draft"
    briefing.refresh_from_db()
    assert briefing.status == "issued" and briefing.title == title
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    assert "已由" in page and "第 2 期" in page


def test_render_button_saves_edits_first(client, office):
    briefing = BriefingFactory(actor=office)
    client.force_login(office)
    posted = {**briefing_form_data(briefing), "title": "未保存就生成"}
    client.post(f"/briefings/{briefing.pk}/render/", posted)
    briefing.refresh_from_db()
    assert briefing.title == "未保存就生成"
