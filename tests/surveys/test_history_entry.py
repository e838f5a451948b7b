"""补录: the office enters a past campaign's hearing with its real date, earlier than the
report's submission in this system; the entry is marked and audited."""

import datetime

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from surveys.services import (
    investigation_report_mark_heard,
    investigation_report_save,
    investigation_report_submit,
)
from tests.factories import CampaignFactory, SubjectFactory, make_group

pytestmark = pytest.mark.django_db


def test_past_hearing_recorded_only_as_marked_office_entry(client, office, make_user):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    group = make_group(campaign, name="第一组", subjects=[subject], actor=office)
    report = investigation_report_save(actor=group.leader, subject=subject, body="2017年的报告")
    investigation_report_submit(actor=group.leader, report=report)
    url = f"/investigation-reports/{report.pk}/move/heard/"
    past = {"heard_on": "2017-09-20"}
    client.force_login(make_user(Role.DIRECTORS_MEETING))
    response = client.post(url, past, follow=True)
    assert "请勾选“补录”" in response.content.decode()
    response = client.post(url, {**past, "backdated": "on"}, follow=True)
    assert "只有评议办公室可以补录" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    client.force_login(office)
    client.post(url, {**past, "backdated": "on"})
    report.refresh_from_db()
    assert report.status == "heard" and report.heard_on == datetime.date(2017, 9, 20)
    assert report.heard_backdated
    entry = AuditEntry.objects.get(action="investigation_report.heard")
    assert "补录" in entry.summary
    page = client.get(f"/investigation-reports/{report.pk}/").content.decode()
    assert 'data-testid="backdated"' in page


def test_a_hearing_after_submission_is_not_marked(office):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign)
    group = make_group(campaign, name="第一组", subjects=[subject], actor=office)
    report = investigation_report_save(actor=group.leader, subject=subject, body="报告")
    investigation_report_submit(actor=group.leader, report=report)
    report = investigation_report_mark_heard(
        actor=office, report=report, heard_on=datetime.date.today(), backdated=True
    )
    assert not report.heard_backdated
    with pytest.raises(ApplicationError):
        investigation_report_mark_heard(actor=office, report=report, heard_on=datetime.date.today())
