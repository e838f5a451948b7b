"""The three reporting steps come from the meeting record: created when the review
meeting is recorded, due `reporting_days` after it, moving with its date until the first
step is done."""

import datetime

import pytest

from ballots.services import meeting_create, meeting_delete, meeting_update
from rectification.models import ReportingStep
from rectification.services import reporting_step_done
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
    assert "2024年12月2日" in page and "评议会议后 10 日内" in page
    step = ReportingStep.objects.filter(campaign=campaign).first()
    reporting_step_done(actor=office, step=step, done_on=datetime.date(2024, 11, 30))
    meeting_update(actor=office, meeting=meeting, held_on=datetime.date(2024, 11, 25))
    assert _dues(campaign) == [datetime.date(2024, 12, 2)]  # the office has started


def test_no_meeting_no_steps(office):
    campaign = CampaignFactory(actor=office)
    meeting = meeting_create(
        actor=office, campaign=campaign, name="误登记的会议", held_on=datetime.date(2024, 11, 20)
    )
    meeting_delete(actor=office, meeting=meeting)
    assert not ReportingStep.objects.filter(campaign=campaign).exists()
