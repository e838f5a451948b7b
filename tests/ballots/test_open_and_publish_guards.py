"""The guards on a ballot's two irreversible acts, through the office's pages: 开始投票 only
after a confirmation page, and outside the ballot's stage only with a written reason that
is recorded and shown; 公布结果 only after a preview whose text is exactly what /public/
then shows; practice ballots and 试运行 campaigns never on /public/."""

import re

import pytest

from ballots.models import Ballot, BallotPurpose, BallotStatus, Eligibility
from core.models import AuditEntry
from reviews.models import CampaignStage
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    tellers_ready,
)

pytestmark = pytest.mark.django_db

PUBLIC_BLOCK = re.compile(r'<section class="mb-3" data-testid="public-ballot">.*?</section>', re.S)


def _draft(office, *, stage: str, purpose: str = BallotPurpose.REVIEW, **campaign) -> Ballot:
    """A draft ballot whose tellers have all made their keys: ready to open but for the stage."""
    campaign = CampaignFactory(actor=office, composition_size=3, stage=stage, **campaign)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    MemberFactory.create_batch(3)
    ballot = BallotFactory(campaign=campaign, actor=office, name="满意度测评", purpose=purpose)
    tellers_ready(ballot, actor=office)
    return ballot


def _text(response) -> str:
    return response.content.decode()


def test_outside_the_review_stage_a_ballot_opens_only_with_a_written_reason(client, office):
    ballot = _draft(office, stage=CampaignStage.PRELIMINARY)
    client.force_login(office)
    url = f"/ballots/{ballot.pk}/open/"
    # The ballot's page offers the confirmation page, never a one-click open.
    detail = _text(client.get(f"/ballots/{ballot.pk}/"))
    assert f'href="{url}"' in detail and f"/ballots/{ballot.pk}/move/open/" not in detail
    response = client.post(f"/ballots/{ballot.pk}/move/open/", follow=True)
    assert "开始投票须先在确认页面核对" in _text(response)
    # The confirmation page says what opens, for whom and under which rule, and why a
    # reason is asked for.
    page = _text(client.get(url))
    assert "满意度测评" in page and "金立新" in page and "唐晓云" in page
    assert "网上投票人（3 人）" in page
    assert ballot.rule_text in page
    assert "评议活动现在处于初评阶段，述职评议满意度测评应在评议阶段开始投票" in page
    assert 'name="reason"' in page
    # Confirmed without a reason: refused, nothing written.
    response = client.post(url, {"confirmed": "on", "reason": ""})
    assert response.status_code == 400
    assert "必须写明现在开始投票的理由" in _text(response)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.DRAFT and ballot.open_reason == ""
    assert not Eligibility.objects.filter(ballot=ballot).exists()
    # A reason without the confirmation tick: refused too.
    response = client.post(url, {"reason": "会期提前"})
    assert response.status_code == 400 and "请先核对并勾选确认" in _text(response)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DRAFT
    # With both: open, the reason recorded on the ballot and in the audit log, and shown.
    reason = "常委会会议提前到初评阶段末召开，经主任会议同意当场测评"
    response = client.post(url, {"confirmed": "on", "reason": reason}, follow=True)
    assert "已开始投票" in _text(response)
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN
    assert reason in ballot.open_reason and "初评阶段" in ballot.open_reason
    assert Eligibility.objects.filter(ballot=ballot).count() == 3
    entry = AuditEntry.objects.filter(action="ballot.open").latest("pk")
    assert reason in entry.summary
    shown = re.search(r'data-testid="open-reason">(.*?)</div>', _text(response), re.S)
    assert shown and reason in shown.group(1)


def test_in_the_review_stage_the_ballot_opens_after_the_confirmation_alone(client, office):
    ballot = _draft(office, stage=CampaignStage.REVIEW)
    client.force_login(office)
    url = f"/ballots/{ballot.pk}/open/"
    page = _text(client.get(url))
    assert 'name="reason"' not in page and "应在评议阶段开始投票" not in page
    response = client.post(url, {})
    assert response.status_code == 400 and "请先核对并勾选确认" in _text(response)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.DRAFT
    client.post(url, {"confirmed": "on"})
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.OPEN and ballot.open_reason == ""
    assert 'data-testid="open-reason"' not in _text(client.get(f"/ballots/{ballot.pk}/"))


def test_a_practice_ballot_opens_in_any_stage_without_a_reason(client, office):
    ballot = _draft(office, stage=CampaignStage.PREPARATION, purpose=BallotPurpose.PRACTICE)
    client.force_login(office)
    assert 'name="reason"' not in _text(client.get(f"/ballots/{ballot.pk}/open/"))
    client.post(f"/ballots/{ballot.pk}/open/", {"confirmed": "on"})
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.OPEN


def test_publishing_shows_the_exact_public_text_first(client, office):
    campaign = CampaignFactory(actor=office, composition_size=3, stage=CampaignStage.REVIEW)
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="述职评议满意度测评",
        status=BallotStatus.CLOSED,
        votes=["满意", "基本满意", "不满意"],
    )
    client.force_login(office)
    detail = f"/ballots/{ballot.pk}/"
    # One click publishes nothing; neither does the confirmation without a preview.
    response = client.post(f"/ballots/{ballot.pk}/move/published/", follow=True)
    assert "公布结果须先预览公布文本" in _text(response)
    response = client.post(f"/ballots/{ballot.pk}/publish/", {}, follow=True)
    assert "请先预览公布文本" in _text(response)
    response = client.post(f"/ballots/{ballot.pk}/publish/preview/", {}, follow=True)
    assert "请从测评页面点“公布结果”进入预览" in _text(response)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.CLOSED
    assert not AuditEntry.objects.filter(action="ballot.publish_preview").exists()
    # The preview: the block /public/ will show, read before anything is published, and the
    # look is on record.
    assert 'name="step" value="preview"' in _text(client.get(detail))
    preview = _text(client.post(f"/ballots/{ballot.pk}/publish/preview/", {"step": "preview"}))
    block = PUBLIC_BLOCK.search(preview).group(0)
    assert "金立新" in block and "唐晓云" in block and "满意率" in block
    assert "公开页面" in preview and "公布后不能撤回" in preview
    assert AuditEntry.objects.filter(action="ballot.publish_preview").count() == 1
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.CLOSED
    assert client.get(f"/public/campaigns/{campaign.pk}/").status_code == 404
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', preview).group(1)
    # A confirmation that does not match the text read is refused.
    response = client.post(f"/ballots/{ballot.pk}/publish/", {"digest": "0" * 64}, follow=True)
    assert "公布文本与预览时不一致，未公布" in _text(response)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.CLOSED
    response = client.post(f"/ballots/{ballot.pk}/publish/", {"digest": digest}, follow=True)
    assert "测评结果已公布" in _text(response)
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.PUBLISHED
    # What /public/ shows is the previewed text, character for character.
    client.logout()
    public = _text(client.get(f"/public/campaigns/{campaign.pk}/"))
    assert PUBLIC_BLOCK.findall(public) == [block]


@pytest.mark.parametrize("practice", ["ballot", "campaign"])
def test_practice_never_reaches_public_even_published_through_the_preview(client, office, practice):
    campaign = CampaignFactory(
        actor=office,
        composition_size=3,
        stage=CampaignStage.REVIEW,
        is_practice=practice == "campaign",
    )
    SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="试投票（测试手机）" if practice == "ballot" else "述职评议满意度测评",
        purpose=BallotPurpose.PRACTICE if practice == "ballot" else BallotPurpose.REVIEW,
        status=BallotStatus.CLOSED,
        votes=["满意", "满意"],
    )
    client.force_login(office)
    preview = _text(client.post(f"/ballots/{ballot.pk}/publish/preview/", {"step": "preview"}))
    assert 'data-testid="not-public"' in preview and "不在公开页面公示" in preview
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', preview).group(1)
    client.post(f"/ballots/{ballot.pk}/publish/", {"digest": digest})
    assert Ballot.objects.get(pk=ballot.pk).status == BallotStatus.PUBLISHED
    client.logout()
    index = _text(client.get("/public/"))
    assert campaign.name not in index and "金立新" not in index
    assert client.get(f"/public/campaigns/{campaign.pk}/").status_code == 404
