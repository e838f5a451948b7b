"""Reporting steps: the campaign's own list (name, who it goes to, days after the
meeting), the seeds' three by default when the review meeting is recorded, each due its
days after the meeting and moving with its date until the first step is done; the office
edits the list on the campaign's rectification settings page."""

import datetime

import pytest

from ballots.services import meeting_create, meeting_delete, meeting_update
from core.errors import ApplicationError
from core.forms import version_of
from rectification.models import ReportingStep, StepRecipient
from rectification.services import (
    reporting_step_add,
    reporting_step_delete,
    reporting_step_done,
    reporting_step_update,
)
from reviews.services import campaign_update
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def _dues(campaign):
    return sorted({s.due_on for s in ReportingStep.objects.filter(campaign=campaign)})


def test_steps_follow_the_meeting_until_the_first_is_done(client, office):
    campaign = CampaignFactory(actor=office)
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/rectification/").content.decode()
    assert 'data-testid="steps-pending"' in page
    meeting = meeting_create(
        actor=office, campaign=campaign, name="第五次会议", held_on=datetime.date(2024, 11, 20)
    )
    assert ReportingStep.objects.filter(campaign=campaign).count() == 3
    assert _dues(campaign) == [datetime.date(2024, 11, 27)]
    meeting_update(actor=office, meeting=meeting, held_on=datetime.date(2024, 11, 22))
    assert _dues(campaign) == [datetime.date(2024, 11, 29)]
    campaign_update(actor=office, campaign=campaign, reporting_days=10)
    assert _dues(campaign) == [datetime.date(2024, 12, 2)]
    page = client.get(f"/campaigns/{campaign.pk}/rectification/").content.decode()
    assert "2024年12月2日" in page and "会后 10 日" in page
    step = ReportingStep.objects.filter(campaign=campaign).first()
    reporting_step_done(actor=office, step=step, done_on=datetime.date(2024, 11, 30))
    meeting_update(actor=office, meeting=meeting, held_on=datetime.date(2024, 11, 25))
    assert _dues(campaign) == [datetime.date(2024, 12, 2)]  # the office has started


def test_no_meeting_no_due_dates_but_the_list_is_kept(office):
    campaign = CampaignFactory(actor=office)
    meeting = meeting_create(
        actor=office, campaign=campaign, name="误登记的会议", held_on=datetime.date(2024, 11, 20)
    )
    meeting_delete(actor=office, meeting=meeting)
    steps = ReportingStep.objects.filter(campaign=campaign)
    assert steps.count() == 3 and not steps.filter(due_on__isnull=False).exists()
    with pytest.raises(ApplicationError, match="评议会议登记后"):
        reporting_step_done(actor=office, step=steps.first(), done_on=datetime.date(2024, 11, 21))


def test_the_default_list_is_the_seeds(office):
    campaign = CampaignFactory(actor=office)
    meeting_create(actor=office, campaign=campaign, name="会议", held_on=datetime.date(2024, 5, 6))
    steps = list(campaign.reporting_steps.order_by("position"))
    assert [(s.name, s.recipient, s.due_days) for s in steps] == [
        ("向党委报送评议结果和评议意见", StepRecipient.PARTY_COMMITTEE, 7),
        ("抄送一府一委两院", StepRecipient.ORGANS, 7),
        ("在人大网站公开", StepRecipient.WEBSITE, 7),
    ]


def test_the_office_edits_the_list_through_services(office, member_user):
    campaign = CampaignFactory(actor=office)
    meeting_create(actor=office, campaign=campaign, name="会议", held_on=datetime.date(2024, 5, 6))
    media = reporting_step_add(
        actor=office,
        campaign=campaign,
        name="通过新闻媒体向社会公开",
        recipient=StepRecipient.MEDIA,
        due_days=15,
    )
    assert media.due_on == datetime.date(2024, 5, 21) and media.position == 4
    with pytest.raises(ApplicationError, match="已在清单中"):
        reporting_step_add(
            actor=office, campaign=campaign, name="在人大网站公开", recipient="website", due_days=7
        )
    with pytest.raises(ApplicationError):
        reporting_step_add(
            actor=member_user,
            campaign=campaign,
            name="向评议对象反馈",
            recipient="subjects",
            due_days=7,
        )
    publish = campaign.reporting_steps.get(name="在人大网站公开")
    publish = reporting_step_update(
        actor=office, step=publish, name="在人大网站公开述职情况", recipient="website", due_days=3
    )
    assert publish.due_on == datetime.date(2024, 5, 9)
    for step in campaign.reporting_steps.exclude(pk=media.pk):
        reporting_step_delete(actor=office, step=step)
    with pytest.raises(ApplicationError, match="至少保留一项"):
        reporting_step_delete(actor=office, step=media)
    reporting_step_done(actor=office, step=media, done_on=datetime.date(2024, 5, 20))
    with pytest.raises(ApplicationError, match="已登记完成"):
        reporting_step_update(
            actor=office, step=media, name="新闻媒体", recipient="media", due_days=1
        )


def test_the_office_edits_the_list_on_the_settings_page(client, office, member_user):
    campaign = CampaignFactory(actor=office)
    meeting_create(actor=office, campaign=campaign, name="会议", held_on=datetime.date(2024, 5, 6))
    url = f"/campaigns/{campaign.pk}/rectification/settings/"
    client.force_login(member_user)
    assert client.get(url).status_code == 403
    client.force_login(office)
    page = client.get(url).content.decode()
    # Xuyi 2017's steps are offered; the defaults already in the list are not.
    suggestions = page.split('data-testid="step-suggestions"')[1].split("</ul>")[0]
    for name in ("向一府两院通报评议结果", "通过新闻媒体向社会公开", "向评议对象反馈评议结果"):
        assert name in suggestions
    assert "抄送一府一委两院" not in suggestions and 'value="抄送一府一委两院"' in page
    response = client.post(
        f"/campaigns/{campaign.pk}/rectification/steps/",
        {"name": "向评议对象反馈评议结果", "recipient": "subjects", "due_days": "10"},
    )
    assert response.status_code == 302
    feedback = campaign.reporting_steps.get(name="向评议对象反馈评议结果")
    assert feedback.due_on == datetime.date(2024, 5, 16)
    step = campaign.reporting_steps.get(name="抄送一府一委两院")
    edit = f"/campaigns/{campaign.pk}/rectification/steps/{step.pk}/"
    stale = {"name": "抄送", "recipient": "organs", "due_days": "5", "version": "old"}
    client.post(edit, stale)
    step.refresh_from_db()
    assert step.name == "抄送一府一委两院"  # a stale form is refused
    client.post(edit, {**stale, "version": version_of(step)})
    step.refresh_from_db()
    assert (step.name, step.due_days, step.due_on) == ("抄送", 5, datetime.date(2024, 5, 11))
    client.post(f"/campaigns/{campaign.pk}/rectification/steps/{step.pk}/delete/")
    assert not campaign.reporting_steps.filter(pk=step.pk).exists()
    page = client.get(f"/campaigns/{campaign.pk}/rectification/").content.decode()
    assert "向评议对象反馈评议结果" in page and "评议对象</td>" in page
