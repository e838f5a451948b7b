import datetime

import pytest
import time_machine
from django.core import mail

from core.models import Notification, Reminder
from core.roles import Role
from subjects.models import DutyReportStatus
from tests.factories import CampaignFactory, DutyReportVersionFactory, SubjectFactory, UserFactory
from workbench.reminders import reminders_sweep

pytestmark = pytest.mark.django_db

DUE = datetime.date(2017, 9, 11)


@pytest.fixture
def subject(office):
    office.email = "office@example.org"
    office.save()
    campaign = CampaignFactory(actor=office, report_final_due=DUE)
    return SubjectFactory(campaign=campaign, person_name="金立新", user__email="jin@example.org")


def sweep(day: datetime.date, *, send: bool = True) -> int:
    """How many reminders the day's sweep recorded; their e-mails are handed to the outbox's
    sender when the sweep commits (unless `send` is false)."""
    from django.test import TestCase

    with (
        TestCase.captureOnCommitCallbacks(execute=send),
        time_machine.travel(
            datetime.datetime.combine(day, datetime.time(9)).astimezone(datetime.UTC)
        ),
    ):
        return reminders_sweep(today=day).reminders


def test_reminders_on_the_right_days_once_each(subject):
    sent = {}
    day = DUE - datetime.timedelta(days=10)
    while day <= DUE + datetime.timedelta(days=16):
        n = sweep(day)
        assert sweep(day) == 0, "a second sweep the same day sends nothing"
        if n:
            sent[day] = list(Reminder.objects.filter(day=day).values_list("kind", flat=True))
        day += datetime.timedelta(days=1)
    assert sent == {
        DUE - datetime.timedelta(days=7): ["before_7"],
        DUE - datetime.timedelta(days=1): ["before_1"],
        DUE: ["due"],
        DUE + datetime.timedelta(days=1): ["overdue"],
        DUE + datetime.timedelta(days=8): ["overdue"],
        DUE + datetime.timedelta(days=15): ["overdue"],
    }
    # The subject and the office each get a notification and an e-mail per reminder.
    assert Notification.objects.filter(user=subject.user).count() == 6
    assert len(mail.outbox) == 12
    assert (
        "还有 7 天截止"
        in Notification.objects.filter(user=subject.user).order_by("created_at").first().title
    )


def test_catch_up_after_downtime_sends_the_overdue_notice_not_stale_ones(subject):
    # Nothing ran until three days after the deadline.
    assert sweep(DUE + datetime.timedelta(days=3)) == 1
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["overdue"]
    assert sweep(DUE + datetime.timedelta(days=5)) == 0  # same overdue week
    assert sweep(DUE + datetime.timedelta(days=8)) == 1


def test_done_deadlines_are_not_reminded(subject, office):
    DutyReportVersionFactory(subject=subject, status=DutyReportStatus.ACCEPTED, actor=office)
    assert sweep(DUE) == 0


def test_sweep_queries_do_not_grow(subject, office, django_assert_max_num_queries):
    # The sweep only; the outbox's sender then takes one short transaction per e-mail.
    with django_assert_max_num_queries(20) as few:
        sweep(DUE - datetime.timedelta(days=7), send=False)
    for _ in range(15):
        SubjectFactory(campaign=subject.campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert sweep(DUE - datetime.timedelta(days=1), send=False) == 16


def test_unread_count_in_the_navigation(client, subject):
    sweep(DUE)
    client.force_login(subject.user)
    page = client.get("/my-work/").content.decode()
    assert 'data-testid="notifications">通知 <span class="badge text-bg-danger">1</span>' in page
    assert "今天" in client.get("/notifications/").content.decode()
    # Reading the page leaves it unread; the button marks it read.
    assert 'badge text-bg-danger">1' in client.get("/my-work/").content.decode()
    newest = Notification.objects.get(user=subject.user).pk
    client.post("/notifications/", {"up_to": newest})
    assert 'badge text-bg-danger">1' not in client.get("/my-work/").content.decode()
    other = UserFactory(role=Role.MEMBER)
    client.force_login(other)
    assert "金立新" not in client.get("/notifications/").content.decode()


def test_the_subject_page_and_the_sweep_agree_on_a_final_awaiting_review(client, subject):
    """One deadline rule: a final the subject has handed in is their part done, on the page
    and in the sweep alike (the office's review is the office's to-do, not a reminder)."""
    DutyReportVersionFactory(subject=subject)  # a final, awaiting review
    client.force_login(subject.user)
    page = client.get(f"/subjects/{subject.pk}/").content.decode()
    assert "已完成" in page
    assert sweep(DUE) == 0 and sweep(DUE + datetime.timedelta(days=1)) == 0
