"""The jobs' tables (core/workflows.py): every status change of a PDF, an import job or
a mail is a move of its table, checked row by row also when a batch of mails moves."""

import pytest
from django.db import transaction

from core.audit import audit_action_known
from core.errors import ApplicationError
from core.models import DocumentStatus, EmailStatus, OutgoingEmail
from core.outbox import Mail, email_cancel, email_queue
from core.workflow import transition_batch
from core.workflows import DOCUMENT_WORKFLOW, EMAIL_WORKFLOW, IMPORT_WORKFLOW

pytestmark = pytest.mark.django_db


def _mails(n: int) -> list[OutgoingEmail]:
    email_queue(
        kind="t", mails=[Mail(f"k{i}", f"p{i}@example.org", "主题", "正文") for i in range(n)]
    )
    return list(OutgoingEmail.objects.filter(kind="t").order_by("pk"))


def test_a_batch_checks_every_row_and_writes_nothing_when_one_is_refused():
    first, second = _mails(2)
    OutgoingEmail.objects.filter(pk=second.pk).update(status=EmailStatus.SENT)
    with pytest.raises(ApplicationError, match="已发出"), transaction.atomic():
        rows = list(OutgoingEmail.objects.select_for_update().order_by("pk"))
        transition_batch(
            [(row, EmailStatus.CANCELLED) for row in rows],
            workflow=EMAIL_WORKFLOW,
            check_roles=False,
        )
    statuses = list(OutgoingEmail.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [EmailStatus.QUEUED, EmailStatus.SENT]


def test_a_batch_checks_the_actor(office):
    """The system's moves are no one's to make from a page, the office included."""
    (mail,) = _mails(1)
    with pytest.raises(ApplicationError), transaction.atomic():
        transition_batch([(mail, EmailStatus.SENT)], workflow=EMAIL_WORKFLOW, actor=office)
    assert OutgoingEmail.objects.get(pk=mail.pk).status == EmailStatus.QUEUED


def test_cancelling_moves_only_queued_mails(django_assert_max_num_queries):
    mails = _mails(5)
    OutgoingEmail.objects.filter(pk=mails[0].pk).update(status=EmailStatus.SENT)
    with django_assert_max_num_queries(4):
        assert email_cancel(kind="t", key_prefix="k", reason="投票已结束") == 4
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {
        EmailStatus.SENT,
        EmailStatus.CANCELLED,
    }


def test_the_jobs_tables_name_their_moves_and_record_none():
    assert DOCUMENT_WORKFLOW.move(DocumentStatus.DONE, DocumentStatus.QUEUED)
    assert DOCUMENT_WORKFLOW.move(DocumentStatus.DONE, DocumentStatus.FAILED) is None
    assert IMPORT_WORKFLOW.move("done", "running") is None
    assert EMAIL_WORKFLOW.move(EmailStatus.SENT, EmailStatus.QUEUED) is None
    assert not any(audit_action_known(f"{w.action}.queued") for w in (DOCUMENT_WORKFLOW,))
    assert not audit_action_known("import_job.running")
