"""Nothing lost while the mail server is down: every e-mail is an outbox row, retried with
backoff, sent exactly once when the server is back."""

import datetime
import smtplib
import threading
import time
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, connections
from django.test import TestCase
from django.utils import timezone

from ballots.models import BallotStatus
from ballots.services import ballot_remind
from core.models import EmailStatus, OutgoingEmail
from core.outbox import Mail, email_queue, max_attempts, outbox_send_due
from core.tasks import outbox_send_task
from tests.factories import (
    BallotFactory,
    CampaignFactory,
    MemberFactory,
    SubjectFactory,
    close_and_count,
)
from workbench.reminders import reminders_sweep

pytestmark = pytest.mark.django_db

DUE = datetime.date(2017, 9, 11)
WEEK_BEFORE = DUE - datetime.timedelta(days=7)
CLOSED_PORT = 8549  # nothing listens here: a real SMTP connection is refused


def at(day: datetime.date, hour: int = 9):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour)).astimezone(datetime.UTC)
    )


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", CLOSED_PORT, 2
    return settings


@pytest.fixture
def subject(office):
    office.email = "office@example.org"
    office.save()
    campaign = CampaignFactory(actor=office, report_final_due=DUE)
    return SubjectFactory(campaign=campaign, person_name="金立新", user__email="jin@example.org")


def test_with_smtp_down_the_sweep_loses_nothing_and_says_so(subject, smtp_down):
    with at(WEEK_BEFORE), TestCase.captureOnCommitCallbacks(execute=True):
        report = reminders_sweep(today=WEEK_BEFORE)
    # The sender ran on commit, found the server refusing, and kept both mails.
    rows = list(OutgoingEmail.objects.order_by("recipient"))
    assert [r.recipient for r in rows] == ["jin@example.org", "office@example.org"]
    for row in rows:
        assert row.status == EmailStatus.QUEUED and row.attempts == 1
        assert row.last_error.startswith("邮件服务器拒绝连接")
        wait = row.next_attempt_at - row.created_at  # the first retry comes after a minute
        assert datetime.timedelta(seconds=59) < wait < datetime.timedelta(minutes=2)
    assert mail.outbox == []
    # Taken inside the test's transaction, the report still counts what was delivered.
    assert str(report) == "已提醒 1 项，邮件 2 封已排队，0 封已发出（其余由后台继续发送）。"

    # The hourly sweep again: nothing new, nothing lost.
    with at(WEEK_BEFORE, 10), TestCase.captureOnCommitCallbacks(execute=True):
        assert reminders_sweep(today=WEEK_BEFORE).reminders == 0
    assert OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).count() == 2

    # The mail server is back; the periodic sender delivers each mail once.
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(WEEK_BEFORE, 10):
        assert outbox_send_task.apply().get() == {"sent": 2, "failed": 0, "error": ""}
        assert outbox_send_task.apply().get()["sent"] == 0  # a rerun sends none twice
    assert sorted(m.to[0] for m in mail.outbox) == ["jin@example.org", "office@example.org"]
    assert "还有 7 天截止" in mail.outbox[0].subject
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


@pytest.mark.django_db(transaction=True)
def test_the_command_reports_reminders_queued_and_delivered(subject, smtp_down):
    """The sweep commits, its e-mails are handed to the sender (in-process here), and the
    report counts what actually went out."""
    out = StringIO()
    with at(WEEK_BEFORE):
        call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == (
        "已提醒 1 项，邮件 2 封已排队，0 封已发出（邮件服务器拒绝连接，将自动重试）。"
    )
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(DUE):
        out = StringIO()
        call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "已提醒 1 项，邮件 2 封已排队，2 封已发出。"
    assert len(mail.outbox) == 4  # the week-old two went out too


def test_retries_back_off_then_give_up_with_the_error(subject, smtp_down):
    with at(WEEK_BEFORE):
        email_queue(kind="test", mails=[Mail("k", "a@example.org", "主题", "正文")])
    row = OutgoingEmail.objects.get()
    start = datetime.datetime.combine(WEEK_BEFORE, datetime.time(9)).astimezone(datetime.UTC)
    gaps = []
    with time_machine.travel(start, tick=False) as clock:
        while row.status == EmailStatus.QUEUED:
            clock.move_to(row.next_attempt_at)
            before = timezone.now()
            outbox_send_due()
            row.refresh_from_db()
            if row.next_attempt_at:
                gaps.append(round((row.next_attempt_at - before).total_seconds() / 60))
            assert outbox_send_due().failed == 0, "nothing is due before its next attempt"
    assert gaps == [1, 5, 30, 120, 360, 720, 1440]
    assert row.status == EmailStatus.FAILED and row.attempts == max_attempts() == 8
    assert row.get_status_display() == "已放弃"
    assert "ConnectionRefusedError" in row.last_error


class RecipientRefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})


def test_a_recipient_refused_for_good_is_given_up_at_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RecipientRefusingBackend"
    email_queue(kind="test", mails=[Mail("k", "nobody@example.org", "主题", "正文")])
    run = outbox_send_due()
    row = OutgoingEmail.objects.get()
    assert (run.failed, run.error) == (1, "")  # not the server's fault: others are still tried
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 1)
    assert row.last_error.startswith("邮件服务器拒收该地址")


def test_each_cause_queues_a_mail_once(db):
    mails = [Mail("r1", "a@example.org", "主题", "正文")]
    with TestCase.captureOnCommitCallbacks(execute=True):
        email_queue(kind="test", mails=mails)
        email_queue(kind="test", mails=mails)
    assert OutgoingEmail.objects.count() == 1 and len(mail.outbox) == 1


def test_ballot_reminders_go_through_the_outbox_and_are_withdrawn_at_close(
    office, smtp_down, ballot_world
):
    ballot, voters = ballot_world
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert ballot_remind(actor=office, ballot=ballot) == 3
    assert mail.outbox == []
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("queued", 1)}
    close_and_count(actor=office, ballot=ballot)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"cancelled"}
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert outbox_send_due().sent == 0
    assert mail.outbox == []


def test_ballot_reminders_are_delivered_once_the_server_is_back(office, smtp_down, ballot_world):
    ballot, voters = ballot_world
    with TestCase.captureOnCommitCallbacks(execute=True):
        ballot_remind(actor=office, ballot=ballot)
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert outbox_send_due().sent == 3
        assert outbox_send_due().sent == 0
    assert sorted(m.to[0] for m in mail.outbox) == [v.email for v in voters]


@pytest.fixture
def ballot_world(office):
    voters = [MemberFactory(user__email=f"m{i}@example.org").user for i in range(3)]
    ballot = BallotFactory(
        campaign=CampaignFactory(actor=office, composition_size=3),
        actor=office,
        status=BallotStatus.OPEN,
    )
    return ballot, voters


def test_the_office_retries_now_from_the_admin(client, office, smtp_down):
    with TestCase.captureOnCommitCallbacks(execute=True):
        email_queue(kind="test", mails=[Mail("k", "a@example.org", "请参加会议", "正文")])
    row = OutgoingEmail.objects.get()
    client.force_login(office)
    page = client.get("/admin/core/outgoingemail/").content.decode()
    for heading in ("状态", "尝试次数", "下次尝试", "错误", "待发送", "邮件服务器拒绝连接"):
        assert heading in page
    assert client.get(f"/admin/core/outgoingemail/{row.pk}/change/").status_code == 200
    assert client.get("/admin/core/outgoingemail/add/").status_code == 403

    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        "/admin/core/outgoingemail/",
        {"action": "retry_now", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "已将 1 封邮件重新排队发送" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1
    response = client.post(
        "/admin/core/outgoingemail/",
        {"action": "retry_now", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "无需重试" in response.content.decode() and len(mail.outbox) == 1


class SlowBackend(BaseEmailBackend):
    """Takes a while per message, so that two senders overlap; records what it sent."""

    sent: list[str] = []
    lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(0.02)
        with self.lock:
            SlowBackend.sent.extend(m.to[0] for m in messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent connections")
def test_two_senders_at_once_send_each_mail_exactly_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    SlowBackend.sent = []
    with connection.cursor():  # queued without a kick: the two senders below do the work
        OutgoingEmail.objects.bulk_create(
            OutgoingEmail(
                kind="test",
                key="k",
                recipient=f"p{i}@example.org",
                subject="主题",
                body="正文",
                next_attempt_at=timezone.now(),
            )
            for i in range(40)
        )
    barrier = threading.Barrier(2)

    def sender():
        try:
            barrier.wait()
            outbox_send_due()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(SlowBackend.sent) == sorted(f"p{i}@example.org" for i in range(40))
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 40


def _queue(count: int, start: int = 0) -> None:
    email_queue(
        kind="test",
        mails=[
            Mail(key=f"m{n}", recipient=f"p{n}@example.org", subject="提醒", body="请办理。")
            for n in range(start, start + count)
        ],
    )


def test_the_sender_works_in_batches_so_its_queries_do_not_grow_with_the_mail(
    django_assert_max_num_queries,
):
    """One lock, one UPDATE and one commit per batch of 50: 10 mails and 50 mails cost the
    same queries, 200 mails four batches' worth."""
    _queue(10)
    with django_assert_max_num_queries(10) as ten:
        assert outbox_send_due().sent == 10
    _queue(50, start=10)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        assert outbox_send_due().sent == 50
    _queue(200, start=60)
    with django_assert_max_num_queries(4 * len(ten.captured_queries) + 1):
        assert outbox_send_due().sent == 200
    assert len(mail.outbox) == 260
    assert not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists()
