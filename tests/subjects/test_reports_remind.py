"""催报 on the duty-report overview: overdue reports are red, the count chips filter, and a
reminder goes out once per press — a notification, a queued e-mail, a timeline entry."""

import datetime

import pytest
import time_machine

from core.models import AuditEntry, Notification, OutgoingEmail
from core.roles import Role
from subjects.models import ReportKind
from subjects.services import (
    campaign_report_deadlines_set,
    duty_report_accept,
    duty_report_upload,
)
from tests.factories import CampaignFactory, SubjectFactory, pdf_upload

pytestmark = pytest.mark.django_db

# After the draft's deadline (1 Sep), before the final's (11 Sep).
TODAY = datetime.datetime(2017, 9, 5, 10, tzinfo=datetime.UTC)


@pytest.fixture
def world(office):
    campaign = campaign_report_deadlines_set(
        actor=office,
        campaign=CampaignFactory(actor=office),
        draft_due=datetime.date(2017, 9, 1),
        final_due=datetime.date(2017, 9, 11),
    )
    silent = SubjectFactory(campaign=campaign, person_name="金立新", user__email="jin@example.org")
    done = SubjectFactory(campaign=campaign, person_name="唐晓云")
    version = duty_report_upload(
        actor=done.user, subject=done, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    duty_report_accept(actor=office, version=version)
    with time_machine.travel(TODAY, tick=False):
        yield campaign, silent, done


def _page(client, campaign, query=""):
    return client.get(f"/campaigns/{campaign.pk}/reports/{query}").content.decode()


def test_overdue_drafts_are_red_and_the_chips_filter(client, office, world):
    campaign, silent, done = world
    client.force_login(office)
    page = _page(client, campaign)
    row = page[page.index(f'data-subject="{silent.person_name}"') :]
    assert row.startswith('data-subject="金立新" class="table-danger"')
    assert "未提交（初稿已逾期）" in row[: row.index("</tr>")]
    assert 'href="?state=overdue"' in page and "逾期 1" in page

    overdue = _page(client, campaign, "?state=overdue")
    assert 'data-subject="金立新"' in overdue and 'data-subject="唐晓云"' not in overdue
    accepted = _page(client, campaign, "?state=accepted")
    assert 'data-subject="唐晓云"' in accepted and 'data-subject="金立新"' not in accepted
    assert 'data-subject="金立新"' in _page(client, campaign, "?state=nonsense")  # all


def test_remind_one_subject_notifies_mails_and_records(client, office, world):
    campaign, silent, done = world
    client.force_login(office)
    response = client.post(
        f"/campaigns/{campaign.pk}/reports/remind/",
        {"subject": silent.pk, "back": "?state=overdue"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?state=overdue")
    note = Notification.objects.get(user=silent.user)
    assert "请尽快提交述职报告初稿" in note.title and "2017年9月1日" in note.title
    assert note.url == f"/subjects/{silent.pk}/"
    mail = OutgoingEmail.objects.get(recipient="jin@example.org")
    assert "已逾期 4 天" in mail.subject
    entry = AuditEntry.objects.get(subject=silent, action="duty_report.remind")
    assert entry.actor == office
    page = _page(client, campaign)
    assert "已催报 1 次" in page

    # Pressing again sends one more, and says so.
    client.post(f"/campaigns/{campaign.pk}/reports/remind/", {"subject": silent.pk})
    assert Notification.objects.filter(user=silent.user).count() == 2
    assert "已催报 2 次" in _page(client, campaign)


def test_nothing_to_remind_is_said_and_nothing_written(client, office, world):
    campaign, silent, done = world
    client.force_login(office)
    for subject in (done.pk, "abc", "999999", ""):
        response = client.post(
            f"/campaigns/{campaign.pk}/reports/remind/", {"subject": subject}, follow=True
        )
        assert "催报" in response.content.decode()
    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="duty_report.remind").exists()


def test_remind_every_overdue_one_at_once(client, office, world):
    campaign, silent, done = world
    late = SubjectFactory(campaign=campaign, person_name="伍光明")
    client.force_login(office)
    client.post(f"/campaigns/{campaign.pk}/reports/remind/", {"subject": "overdue"})
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        silent.user.username,
        late.user.username,
    }


def test_only_the_office_reminds(client, world, make_user):
    campaign, silent, done = world
    client.force_login(make_user(Role.MEMBER))
    response = client.post(f"/campaigns/{campaign.pk}/reports/remind/", {"subject": silent.pk})
    assert response.status_code == 403
    assert not Notification.objects.exists()
