"""The one table per stateful entity of core: the jobs the system runs for its users.

- a document's PDF (RenderedDocument): queued → rendering → done, or failed with the
  reason; requested again once done or failed, or once taken as lost (STALE_RENDER);
- an Excel import (ImportJob): queued → running → done, or failed (nothing imported);
  running again once taken as lost (STALE_IMPORT);
- an e-mail of the outbox (OutgoingEmail): queued → sent, given up (failed) or cancelled;
  a queued mail is retried later (queued → queued) and the office's 立即重试 queues a
  given-up one again.

These are the system's moves: the worker and the services make them (check_roles=False)
and they write no audit entry of their own (audited=False) — what a user asks for is
recorded by its service (申请生成 PDF, 下载初始密码名单, 邮件立即重试), as before. Every
status change of a job goes through core.workflow.transition(), or for a batch of mails
through transition_batch(); pages ask capabilities() (flags) instead of comparing
status strings.
"""

from django.utils import timezone

from .models import DocumentStatus, EmailStatus, ImportJob, RenderedDocument
from .models import OutgoingEmail as Email
from .workflow import Move, Workflow

SYSTEM = ()  # made by the worker or a service on the system's behalf, never from a page

# --- Document PDF ----------------------------------------------------------------------
DOC = DocumentStatus

DOCUMENT_WORKFLOW = Workflow(
    noun="PDF",
    action="document",
    model=RenderedDocument,
    audited=False,
    moves=(
        # Asked for again: once done or failed, or once taken as lost (see STALE_RENDER;
        # document_request refuses a job still in progress, naming the document).
        *(Move(source, DOC.QUEUED, "生成 PDF", SYSTEM) for source in DOC.values),
        # The worker takes it; a rerun after a lost worker or a late delivery takes it again.
        *(
            Move(source, DOC.RENDERING, "开始生成", SYSTEM)
            for source in (DOC.QUEUED, DOC.RENDERING, DOC.FAILED)
        ),
        # Done; also when it was asked for again while this render ran late (same content).
        Move(DOC.RENDERING, DOC.DONE, "生成完成", SYSTEM),
        Move(DOC.QUEUED, DOC.DONE, "生成完成", SYSTEM),
        # Failed with the reason: the render failed, or the task queue could not be reached.
        Move(DOC.RENDERING, DOC.FAILED, "生成失败", SYSTEM),
        Move(DOC.QUEUED, DOC.FAILED, "生成失败", SYSTEM),
    ),
    labels=dict(DOC.choices),
    flags={"pdf_ready": (DOC.DONE,), "pdf_failed": (DOC.FAILED,)},
)


# --- Excel import job --------------------------------------------------------------------
JOB = ImportJob.Status


def _not_running_elsewhere(job: ImportJob) -> str:
    """A running job is taken again only once taken as lost (its worker died)."""
    from .imports import STALE_IMPORT

    if job.started_at and timezone.now() - job.started_at < STALE_IMPORT:
        return "导入正在进行。"
    return ""


IMPORT_WORKFLOW = Workflow(
    noun="导入任务",
    action="import_job",
    model=ImportJob,
    audited=False,
    moves=(
        Move(JOB.QUEUED, JOB.RUNNING, "开始导入", SYSTEM),
        Move(JOB.RUNNING, JOB.RUNNING, "重新导入", SYSTEM, guard=_not_running_elsewhere),
        Move(JOB.RUNNING, JOB.DONE, "导入完成", SYSTEM),
        Move(JOB.RUNNING, JOB.FAILED, "导入失败", SYSTEM),
        Move(JOB.QUEUED, JOB.FAILED, "导入没有开始", SYSTEM),  # the task queue is down
    ),
    labels=dict(JOB.choices),
    flags={
        "job_in_progress": (JOB.QUEUED, JOB.RUNNING),
        "job_queued": (JOB.QUEUED,),
        "job_running": (JOB.RUNNING,),
        "job_done": (JOB.DONE,),
    },
)


# --- Outbox e-mail -------------------------------------------------------------------------
MAIL = EmailStatus

EMAIL_WORKFLOW = Workflow(
    noun="邮件",
    action="email",
    model=Email,
    audited=False,
    moves=(
        Move(MAIL.QUEUED, MAIL.SENT, "发出", SYSTEM),
        Move(MAIL.QUEUED, MAIL.QUEUED, "稍后重试", SYSTEM),  # failed for now; due again later
        Move(MAIL.QUEUED, MAIL.FAILED, "放弃", SYSTEM),  # refused for good, or the last attempt
        Move(MAIL.QUEUED, MAIL.CANCELLED, "取消", SYSTEM),  # no longer applies
        Move(MAIL.FAILED, MAIL.QUEUED, "立即重试"),  # the office's, through outbox_retry_now
    ),
    labels=dict(MAIL.choices),
    flags={"mail_due": (MAIL.QUEUED,)},
)

WORKFLOWS = (DOCUMENT_WORKFLOW, IMPORT_WORKFLOW, EMAIL_WORKFLOW)
