"""Factories for core: the audit log, notifications, reminders, rendered documents,
import jobs."""

import datetime
import uuid

import factory

from core.audit import AuditAction, audit_log
from core.documents import document_render, document_request
from core.imports import import_job_queue
from core.models import (
    AuditEntry,
    DocumentStatus,
    EmailStatus,
    ImportJob,
    Notification,
    OutgoingEmail,
    PasswordChangeRequired,
    Reminder,
    RenderedDocument,
    UserPreference,
)
from core.outbox import Mail, email_cancel, email_queue, outbox_send_due
from core.services import password_change_require, user_preference_set

from .base import ServiceFactory, UserFactory, default_office, xlsx_upload


class AuditEntryFactory(ServiceFactory):
    """Written by core.audit.audit_log, the log's only writer (the action must be a
    registered code)."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    action = AuditAction.USER_UPDATE
    summary = factory.Sequence(lambda n: f"测试记录 {n}")
    target = None
    campaign = None
    subject = None
    data = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return audit_log(**kwargs)


class NotificationFactory(factory.django.DjangoModelFactory):
    """A plain row: the reminder sweep writes notifications in bulk, the page marks them read."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"述职报告定稿还有 {n} 天截止")
    url = "/my-work/"


class ReminderFactory(factory.django.DjangoModelFactory):
    """A plain row: the reminder sweep's claim that one reminder went out."""

    class Meta:
        model = Reminder

    key = factory.Sequence(lambda n: f"test-deadline-{n}:before_7:2017-09-04")
    deadline = factory.Sequence(lambda n: f"test-deadline-{n}")
    kind = "before_7"
    day = datetime.date(2017, 9, 4)
    claim = factory.LazyFunction(uuid.uuid4)
    summary = "述职报告定稿还有 7 天截止"
    recipients = 1


class RenderedDocumentFactory(ServiceFactory):
    """A PDF job requested through core.documents (document_request), rendered by
    document_render when `status` is done or failed. By default a briefing's: a new issue,
    which to fail carries a results block with no published results to show."""

    class Meta:
        model = RenderedDocument

    kind = "briefing"
    object_id = None
    requested_by = factory.LazyFunction(default_office)
    status = DocumentStatus.QUEUED

    @classmethod
    def _create(cls, model_class, *, kind, object_id, requested_by, status):
        if object_id is None:
            object_id = _document_object(kind, fail=status == DocumentStatus.FAILED)
        document = document_request(actor=requested_by, kind=kind, object_id=object_id)
        if status in (DocumentStatus.DONE, DocumentStatus.FAILED):
            document = document_render(document_id=document.pk)
        if document.status != status:
            raise ValueError(f"the document is {document.status}, not {status}: {document.error}")
        return document


def _document_object(kind: str, *, fail: bool) -> int:
    from workbench.models import BriefingBlock

    from .rectification import ReviewOpinionFactory
    from .surveys import InvestigationReportFactory
    from .workbench import BriefingFactory

    if kind == "briefing":
        return BriefingFactory(blocks=[BriefingBlock.RESULTS] if fail else []).pk
    if fail:
        raise ValueError(f"RenderedDocumentFactory fails only briefings, not {kind}")
    if kind == "opinion":
        return ReviewOpinionFactory().subject_id
    if kind == "investigation":
        return InvestigationReportFactory().pk
    if kind == "ballot_paper":
        from .ballots import BallotFactory

        return BallotFactory().voter_groups.get(is_committee=True).pk
    raise ValueError(f"no document kind {kind}")


class OutgoingEmailFactory(ServiceFactory):
    """A mail queued in the outbox (email_queue), then sent by outbox_send_due (to the
    test mail backend) or cancelled (email_cancel), as `status` says. (A test that commits
    sends at once: the sender is kicked on commit.)"""

    class Meta:
        model = OutgoingEmail

    kind = "test"
    key = factory.Sequence(lambda n: f"test-{n}")
    recipient = factory.Sequence(lambda n: f"user{n}@example.org")
    subject = "述职报告定稿还有 7 天截止"
    body = "请按时提交述职报告定稿。"
    status = EmailStatus.QUEUED

    @classmethod
    def _create(cls, model_class, *, kind, key, recipient, status, **text):
        email_queue(kind=kind, mails=[Mail(key=key, recipient=recipient, **text)])
        if status == EmailStatus.SENT:
            outbox_send_due()
        elif status == EmailStatus.CANCELLED:
            email_cancel(kind=kind, key_prefix=key, reason="不再需要")
        elif status != EmailStatus.QUEUED:
            raise ValueError(
                f"OutgoingEmailFactory makes queued, sent or cancelled mail, not {status}"
            )
        return OutgoingEmail.objects.get(kind=kind, key=key, recipient=recipient)


class PasswordChangeRequiredFactory(ServiceFactory):
    """A login that must choose its own password first, flagged through the service."""

    class Meta:
        model = PasswordChangeRequired

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, user, **kwargs):
        password_change_require(user=user)
        return model_class.objects.get(user=user)


class UserPreferenceFactory(ServiceFactory):
    """A login's display preference (大字模式), set through the service."""

    class Meta:
        model = UserPreference

    user = factory.SubFactory(UserFactory)
    large_text = True

    @classmethod
    def _create(cls, model_class, user, large_text):
        return user_preference_set(user=user, large_text=large_text)


class ImportJobFactory(ServiceFactory):
    """An Excel import of `count` committee members, queued through core.imports
    (import_job_queue). Tasks run in-process in tests, so the job is done by the time it is
    returned, with its list of initial passwords."""

    class Meta:
        model = ImportJob

    requested_by = factory.LazyFunction(default_office)
    prefix = factory.Sequence(lambda n: f"imp{n}x")
    count = 2

    @classmethod
    def _create(cls, model_class, *, requested_by, prefix, count):
        from reviews.imports import MEMBER_COLUMNS

        rows = [[f"委员{prefix}{n}", "常委会委员", f"{prefix}{n}", "是"] for n in range(count)]
        upload = xlsx_upload([[c.header for c in MEMBER_COLUMNS], *rows])
        return import_job_queue(actor=requested_by, kind="members", upload=upload)
