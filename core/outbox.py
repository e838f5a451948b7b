"""Every e-mail the app sends goes through this outbox.

A mail is a row (core.models.OutgoingEmail) written in the same transaction as whatever
caused it, so it exists exactly when its cause does. The sender (task core.outbox_send:
kicked after each commit that queues mail, and run every minute by beat) takes due rows
one at a time, locked with SKIP LOCKED, hands each to the mail backend and marks it sent
in the same short transaction the moment the server accepts it — so two senders never
send one row, and a sent row is never sent again. A failure leaves the row queued with
the error and the time of the next attempt (EMAIL_OUTBOX_RETRY_MINUTES: 1, 5, 30 min,
2 h, 6 h, 12 h, 24 h); after the last one it is given up (已放弃) with its error, and a
recipient the server rejects for good (5xx) is given up at once. The office sees every
row in the admin and can retry any of them.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .actors import Actor
from .audit import AuditAction, audit_log
from .models import EmailStatus, OutgoingEmail
from .queue import enqueue, enqueue_quietly_on_commit
from .services import require_office
from .workflow import transition_batch
from .workflows import EMAIL_WORKFLOW

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    key: str  # what caused it, within its kind: a reminder's key, a reminder request's id
    recipient: str
    subject: str
    body: str


def email_queue(*, kind: str, mails: list[Mail]) -> int:
    """Queue mails; call inside the transaction that causes them. The sender is kicked
    once it commits. A mail already queued for its cause and recipient is not queued
    again. Returns how many mails (with an address) were given."""
    rows = [
        OutgoingEmail(
            kind=kind,
            key=m.key,
            recipient=m.recipient,
            subject=m.subject[:200],
            body=m.body,
            next_attempt_at=timezone.now(),
        )
        for m in mails
        if m.recipient
    ]
    if not rows:
        return 0
    OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)
    from .tasks import outbox_send_task  # the task module imports this one

    enqueue_quietly_on_commit(outbox_send_task)
    return len(rows)


@transaction.atomic
def email_cancel(*, kind: str, key_prefix: str, reason: str) -> int:
    """Withdraw queued mails that no longer apply (e.g. "please vote" once voting closed)."""
    rows = list(
        OutgoingEmail.objects.select_for_update().filter(
            kind=kind, key__startswith=key_prefix, status=EmailStatus.QUEUED
        )
    )
    for row in rows:
        row.next_attempt_at, row.last_error = None, reason
    _move_batch([(row, EmailStatus.CANCELLED) for row in rows], ["next_attempt_at", "last_error"])
    return len(rows)


def _move_batch(moves: list[tuple[OutgoingEmail, str]], fields: list[str]) -> None:
    """The system's moves of locked mails, checked row by row by the outbox's table and
    saved in one UPDATE (core.workflow.transition_batch)."""
    transition_batch(moves, workflow=EMAIL_WORKFLOW, fields=fields, check_roles=False)


def _retry_delays() -> list[datetime.timedelta]:
    return [datetime.timedelta(minutes=m) for m in settings.EMAIL_OUTBOX_RETRY_MINUTES]


def max_attempts() -> int:
    return len(settings.EMAIL_OUTBOX_RETRY_MINUTES) + 1


def _is_permanent(exc: Exception) -> bool:
    """The server refused this message for good: retrying would be refused again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


def _is_per_message(exc: Exception) -> bool:
    """A refusal of this message; anything else means the server as a whole is unusable."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)


# What the office reads first, before the technical detail; most specific first.
_FAILURE_LABELS: list[tuple[type[Exception], str]] = [
    (ConnectionRefusedError, "邮件服务器拒绝连接"),
    (TimeoutError, "连接邮件服务器超时"),
    (smtplib.SMTPAuthenticationError, "登录邮件服务器失败"),
    (smtplib.SMTPRecipientsRefused, "邮件服务器拒收该地址"),
    (smtplib.SMTPDataError, "邮件服务器拒收该邮件"),
    (smtplib.SMTPServerDisconnected, "邮件服务器断开了连接"),
    (smtplib.SMTPException, "邮件发送失败"),
    (OSError, "邮件服务器不可用"),
]


def _describe(exc: Exception) -> str:
    """The office's label, then the detail: 邮件服务器拒绝连接：ConnectionRefusedError: …"""
    label = next((text for kind, text in _FAILURE_LABELS if isinstance(exc, kind)), "邮件发送失败")
    return f"{label}：{type(exc).__name__}: {exc}"


def _record_failure(row: OutgoingEmail, error: str, *, permanent: bool) -> str:
    """Mark the row (moved and saved with its batch): given up (failed) for good, or due
    again after a delay (still queued). Returns the row's move."""
    row.attempts += 1
    row.last_error = error[:2000]
    if permanent or row.attempts >= max_attempts():
        row.next_attempt_at = None
        return EmailStatus.FAILED
    delays = _retry_delays()
    row.next_attempt_at = timezone.now() + delays[min(row.attempts, len(delays)) - 1]
    return EmailStatus.QUEUED


def _record_sent(row: OutgoingEmail) -> str:
    row.sent_at, row.next_attempt_at = timezone.now(), None
    row.attempts += 1
    row.last_error = ""
    return EmailStatus.SENT


_SAVED = ["sent_at", "next_attempt_at", "attempts", "last_error"]
BATCH = 50


def _due():
    return OutgoingEmail.objects.filter(
        status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")


@dataclass
class SendRun:
    sent: int = 0
    failed: int = 0
    error: str = ""


def outbox_send_due(*, limit: int = 500) -> SendRun:
    """Send what is due over one connection, BATCH rows per transaction; safe to run on
    several workers at once (each locks its batch, skipping rows another holds).

    A batch's rows are locked, sent one by one and saved together with one UPDATE, so the
    queries do not grow with the mail (a sweep of 2,000 reminders is 40 batches, not 2,000
    transactions). The price: if the process dies in the middle of a batch, the batch rolls
    back and the mails it had already handed over are sent again on the next run — at most
    BATCH duplicates, never a lost mail.

    When the server cannot be reached, the rows still due in this run are not tried one by
    one (each would wait for the same timeout): they get the same error and their next
    attempt."""
    run = SendRun()
    connection = get_connection(fail_silently=False)
    opened = False
    try:
        while run.sent + run.failed < limit:
            with transaction.atomic():
                size = min(BATCH, limit - run.sent - run.failed)
                rows = list(_due().select_for_update(skip_locked=True)[:size])
                if not rows:
                    break
                moves = []
                for row in rows:
                    if run.error:  # the server is down: do not knock again in this run
                        moves.append((row, _record_failure(row, run.error, permanent=False)))
                        run.failed += 1
                        continue
                    message = EmailMessage(row.subject, row.body, None, [row.recipient])
                    try:
                        if not opened:
                            connection.open()
                            opened = True
                        if connection.send_messages([message]) != 1:
                            raise smtplib.SMTPException("邮件服务器未接收")
                    except Exception as exc:  # noqa: BLE001 - recorded on the row, retried later
                        logger.warning("e-mail %s to %s not sent: %s", row.pk, row.recipient, exc)
                        failed = _record_failure(row, _describe(exc), permanent=_is_permanent(exc))
                        moves.append((row, failed))
                        run.failed += 1
                        if not _is_per_message(exc):
                            run.error = _describe(exc)
                        continue
                    moves.append((row, _record_sent(row)))
                    run.sent += 1
                _move_batch(moves, _SAVED)
    finally:
        if opened:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - a dying connection after the messages went out
                logger.warning("closing the mail connection failed", exc_info=True)
    return run


@transaction.atomic
def outbox_retry_now(*, actor: Actor, emails) -> int:
    """The office's 立即重试: queued and given-up mails become due now; a given-up one
    gets one more attempt. Sent and cancelled mails are left alone. The caller then kicks
    the sender (outbox_kick)."""
    require_office(actor)
    rows = list(
        OutgoingEmail.objects.select_for_update().filter(
            pk__in=[e.pk for e in emails], status__in=[EmailStatus.QUEUED, EmailStatus.FAILED]
        )
    )
    if rows:
        now = timezone.now()
        for row in rows:
            row.next_attempt_at = now
        _move_batch([(row, EmailStatus.QUEUED) for row in rows], ["next_attempt_at"])
        audit_log(
            actor=actor, action=AuditAction.EMAIL_RETRY, summary=f"立即重试 {len(rows)} 封邮件"
        )
    return len(rows)


def outbox_kick() -> None:
    """Have a worker send what is due now; ApplicationError when the queue is down (the
    periodic run then sends it once the queue is back)."""
    from .tasks import outbox_send_task

    enqueue(outbox_send_task)


@dataclass(frozen=True)
class OutboxProgress:
    queued: int
    sent: int
    pending: int
    error: str

    def sentence(self) -> str:
        """邮件 7 封已排队，0 封已发出（…）"""
        text = f"邮件 {self.queued} 封已排队，{self.sent} 封已发出"
        if self.pending and self.error:
            text += f"（{self.error.split('：')[0]}，将自动重试）"
        elif self.pending:
            text += "（其余由后台继续发送）"
        return text


def outbox_progress(*, kind: str, keys: list[str]) -> OutboxProgress:
    """How far the mails of these causes have got."""
    rows = OutgoingEmail.objects.filter(kind=kind, key__in=keys)
    counts = rows.aggregate(
        queued=Count("pk"),
        sent=Count("pk", filter=Q(status=EmailStatus.SENT)),
        pending=Count("pk", filter=Q(status=EmailStatus.QUEUED)),
    )
    error = (
        rows.filter(status=EmailStatus.QUEUED)
        .exclude(last_error="")
        .values_list("last_error", flat=True)
        .first()
        or ""
    )
    return OutboxProgress(error=error, **counts)
