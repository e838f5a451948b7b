"""Stage gates: leaving 初评 needs every investigation report heard, leaving 评议 every
review ballot published, leaving 整改 every subject's rectification concluded or
continued. Each gate names what is missing with a link; the office may go on only with a
written reason, which is recorded and shown; closing is confirmed."""

import datetime

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from reviews.gates import stage_gate_problems
from reviews.models import CampaignStage, StageTransition
from reviews.services import campaign_stage_move
from surveys.models import InvestigationReportStatus
from surveys.services import (
    investigation_report_mark_heard,
    investigation_report_save,
    investigation_report_submit,
)
from tests.factories import (
    AssessmentGroupFactory,
    BallotFactory,
    CampaignFactory,
    InvestigationReportFactory,
    SubjectFactory,
    campaign_move_to,
)

pytestmark = pytest.mark.django_db

OVERRIDE = {"override_reason": "本测试不涉及阶段条件", "confirmed": True}


@pytest.fixture
def campaign(office):
    """In 初评, two subjects in one group, no report written yet."""
    campaign = CampaignFactory(
        actor=office, implementation_plan_approved_on=datetime.date(2017, 8, 1)
    )
    first = SubjectFactory(campaign=campaign, person_name="金立新")
    second = SubjectFactory(campaign=campaign, person_name="唐晓云")
    campaign.group = AssessmentGroupFactory(
        campaign=campaign, name="第一组", subjects=[first, second], actor=office
    )
    campaign.first, campaign.second = first, second
    return campaign_move_to(campaign, CampaignStage.PRELIMINARY, actor=office)


def test_leaving_preliminary_needs_every_investigation_report_heard(office, campaign):
    report = investigation_report_save(
        actor=campaign.group.leader, subject=campaign.first, body="报告"
    )
    problems = stage_gate_problems(campaign)
    assert [p.text for p in problems] == ["金立新的调查报告尚未提交", "唐晓云的调查报告尚未起草"]
    assert problems[0].url == f"/investigation-reports/{report.pk}/"
    assert problems[1].url == f"/groups/{campaign.group.pk}/subjects/{campaign.second.pk}/"
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError, match="唐晓云的调查报告尚未起草"):
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.REVIEW)
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.PRELIMINARY and AuditEntry.objects.count() == before
    investigation_report_submit(actor=campaign.group.leader, report=report)
    assert "尚未经主任会议听取" in stage_gate_problems(campaign)[0].text
    investigation_report_mark_heard(actor=office, report=report, heard_on=datetime.date.today())
    InvestigationReportFactory(subject=campaign.second, status=InvestigationReportStatus.HEARD)
    assert stage_gate_problems(campaign) == []
    campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.REVIEW)
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.REVIEW


def test_override_needs_a_reason_and_is_recorded_and_shown(client, office, campaign):
    transition = campaign_stage_move(
        actor=office,
        campaign=campaign,
        to_stage=CampaignStage.REVIEW,
        override_reason="两组报告已在会上口头听取，书面报告后补",
    )
    assert transition.overridden == ["金立新的调查报告尚未起草", "唐晓云的调查报告尚未起草"]
    entry = AuditEntry.objects.filter(action="campaign.stage.review").get()
    assert "越过未满足的条件" in entry.summary and "书面报告后补" in entry.summary
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "越过未满足条件的阶段推进" in page and "书面报告后补" in page


def test_leaving_review_needs_every_review_ballot_published(office, campaign):
    campaign_move_to(campaign, CampaignStage.REVIEW, actor=office)
    ballot = BallotFactory(campaign=campaign, actor=office, name="满意度测评")
    texts = [p.text for p in stage_gate_problems(campaign)]
    assert texts == [
        "“满意度测评”草稿，结果尚未公布",
        "金立新还没有公布的满意度测评结果",
        "唐晓云还没有公布的满意度测评结果",
    ]
    assert stage_gate_problems(campaign)[0].url == f"/ballots/{ballot.pk}/"
    with pytest.raises(ApplicationError, match="结果尚未公布"):
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.RECTIFICATION)


def test_leaving_rectification_needs_every_subject_concluded(office, campaign):
    campaign_move_to(campaign, CampaignStage.RECTIFICATION, actor=office)
    texts = [p.text for p in stage_gate_problems(campaign)]
    assert texts == ["金立新的评议意见尚未送达", "唐晓云的评议意见尚未送达"]
    with pytest.raises(ApplicationError, match="评议意见尚未送达"):
        campaign_stage_move(
            actor=office, campaign=campaign, to_stage=CampaignStage.CLOSED, confirmed=True
        )


def test_closing_must_be_confirmed(office, campaign):
    campaign_move_to(campaign, CampaignStage.RECTIFICATION, actor=office)
    with pytest.raises(ApplicationError, match="勾选确认"):
        campaign_stage_move(
            actor=office,
            campaign=campaign,
            to_stage=CampaignStage.CLOSED,
            override_reason="测试",
        )
    campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.CLOSED, **OVERRIDE)
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.CLOSED


def test_campaign_page_lists_gate_with_links_and_refuses_without_reason(client, office, campaign):
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="gate-problems"' in page
    assert f'href="/groups/{campaign.group.pk}/subjects/{campaign.first.pk}/"' in page
    url = f"/campaigns/{campaign.pk}/stage/"
    response = client.post(url, {"to_stage": "review"}, follow=True)
    assert "如确需越过，请写明理由" in response.content.decode()
    response = client.post(url, {"to_stage": "review", "override_reason": "x" * 2001}, follow=True)
    assert "越过未满足条件的理由" in response.content.decode()
    assert StageTransition.objects.filter(to_stage="review").count() == 0
    client.post(url, {"to_stage": "review", "override_reason": "书面报告后补"})
    campaign.refresh_from_db()
    assert campaign.stage == CampaignStage.REVIEW
