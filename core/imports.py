"""Excel imports that open logins run as jobs.

Opening a login means hashing its initial password, about 0.2 s of a core each: two
thousand rows would hold one request for minutes. So the office's page checks the whole
file at once (any bad row: nothing is imported, every problem is named), queues an
ImportJob and shows its progress; a Celery task hashes the initial passwords on every
core, then creates every record in one transaction, and leaves an Excel of the new logins
with their initial passwords that only the person who ran the import may download, once.
Not downloaded within a day (IMPORT_RESULT_TTL), it is deleted by the hourly sweep.

The importers (members, subjects) live in the apps above and register here from their
AppConfig.ready, so core never imports them.
"""

import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .actors import Actor
from .audit import AuditAction, audit_log
from .errors import ApplicationError
from .files import check_original_name, file_store
from .models import ImportJob
from .queue import enqueue
from .services import initial_passwords, require_office
from .workflow import transition
from .workflows import IMPORT_WORKFLOW
from .xlsx import ImportRejected, ImportResult, Row
from .xlsx_writer import Sheet, SheetColumn, write_workbook

logger = logging.getLogger(__name__)

# The list of initial passwords is deleted this long after the import, if not downloaded.
IMPORT_RESULT_TTL = datetime.timedelta(days=1)
# A job still running after this long is taken as lost (its worker died: its transaction
# rolled back) and runs again when the task is delivered again.
STALE_IMPORT = datetime.timedelta(minutes=30)

ACCOUNT_COLUMNS = [
    SheetColumn("姓名", width=14),
    SheetColumn("登录名", width=16),
    SheetColumn("初始密码", width=16),
]


@dataclass(frozen=True)
class Importer:
    """One kind of import.

    check(actor, upload, params) -> rows: reads and checks the file; raises ImportRejected.
    logins_needed(rows, params) -> how many rows open a new login.
    create(actor, rows, params, passwords) -> ImportResult: creates every row in the
        caller's transaction, taking a prehashed (password, hash) from `passwords` for each
        new login; raises ImportRejected when a row no longer passes."""

    label: str
    check: Callable[..., list[Row]]
    logins_needed: Callable[..., int]
    create: Callable[..., ImportResult]


IMPORTERS: dict[str, Importer] = {}


def importer_register(name: str, *, label: str, check, logins_needed, create) -> None:
    IMPORTERS[name] = Importer(label=label, check=check, logins_needed=logins_needed, create=create)


def import_now(*, actor: Actor, kind: str, upload, params: dict | None = None) -> ImportResult:
    """Check and import a file in this process: for scripts and tests, not for pages."""
    importer = IMPORTERS[kind]
    params = params or {}
    rows = importer.check(actor=actor, upload=upload, params=params)
    passwords = initial_passwords(importer.logins_needed(rows=rows, params=params))
    with transaction.atomic():
        return importer.create(actor=actor, rows=rows, params=params, passwords=passwords)


# --- Rows as JSON ---------------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"date"}:
        return datetime.date.fromisoformat(value["date"])
    return value


def _rows_to_json(rows: list[Row]) -> list[dict]:
    return [
        {"number": r.number, "values": {k: _encode(v) for k, v in r.values.items()}} for r in rows
    ]


def _rows_from_json(data: list[dict]) -> list[Row]:
    return [
        Row(number=r["number"], values={k: _decode(v) for k, v in r["values"].items()})
        for r in data
    ]


# --- Queue and run ------------------------------------------------------------------------
def import_job_queue(*, actor: Actor, kind: str, upload, params: dict | None = None) -> ImportJob:
    """Check the file now; queue the import of its rows. Raises ImportRejected for a bad
    file (nothing queued) and ApplicationError when the task queue cannot be reached."""
    from .tasks import import_job_run_task  # tasks import this module

    require_office(actor)
    importer = IMPORTERS[kind]
    params = params or {}
    rows = importer.check(actor=actor, upload=upload, params=params)
    name = check_original_name(getattr(upload, "client_name", None) or upload.name or "导入.xlsx")
    job = ImportJob.objects.create(
        kind=kind,
        label=importer.label,
        requested_by=actor,
        file_name=name,
        params=params,
        rows=_rows_to_json(rows),
        total=len(rows),
    )

    def not_started(message: str) -> None:
        _fail(job, f"{message}导入没有开始。", clear_rows=True)

    try:
        enqueue(import_job_run_task, job.pk, on_failure=not_started)
    except ApplicationError as exc:
        raise ApplicationError(f"{exc.message}导入没有开始，没有导入任何数据。") from exc
    job.refresh_from_db()  # run already, when tasks run in-process
    return job


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def import_job_progress(job: ImportJob) -> tuple[int, int]:
    """(passwords hashed, passwords to hash) while the job runs; written to the cache,
    since the job's own row is inside the import's open transaction."""
    return tuple(cache.get(_progress_key(job.pk)) or (0, 0))


def import_job_state(job: ImportJob) -> dict:
    """What the progress page shows, also as JSON for its polling."""
    hashed, to_hash = import_job_progress(job) if job.status == ImportJob.Status.RUNNING else (0, 0)
    if job.status == ImportJob.Status.QUEUED:
        percent, text = 0, "排队等待后台任务处理……"
    elif job.status == ImportJob.Status.RUNNING and to_hash and hashed < to_hash:
        percent = 5 + 90 * hashed // to_hash
        text = f"正在生成初始密码：{hashed} / {to_hash}"
    elif job.status == ImportJob.Status.RUNNING:
        percent, text = 95, "正在写入数据……"
    elif job.status == ImportJob.Status.DONE:
        percent, text = 100, f"已导入 {job.created_count} 条记录。"
    else:
        percent, text = 100, job.error
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "percent": percent,
        "text": text,
        "total": job.total,
        "created": job.created_count,
        "accounts": job.accounts_count,
        "errors": job.errors,
        "result_ready": bool(job.result),
    }


def _move(job: ImportJob, to: str, **stamp) -> ImportJob:
    """A move of the job by its table (core.workflows), inside the caller's transaction."""
    return transition(
        obj=job, to=to, workflow=IMPORT_WORKFLOW, actor=None, stamp=stamp, check_roles=False
    )


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        move = IMPORT_WORKFLOW.move(job.status, ImportJob.Status.RUNNING)
        if move is None or IMPORT_WORKFLOW.closed(job, move):
            return None  # a duplicate or late delivery, or running on another worker
        return _move(job, ImportJob.Status.RUNNING, started_at=timezone.now())


def _fail(job: ImportJob, message: str, errors: list[str] = (), clear_rows=False) -> None:
    """The job ends failed with the reason (and the rows' problems); nothing was imported."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if IMPORT_WORKFLOW.move(job.status, ImportJob.Status.FAILED):
            _move(
                job,
                ImportJob.Status.FAILED,
                error=message[:2000],
                errors=list(errors),
                finished_at=timezone.now(),
                **({"rows": []} if clear_rows else {}),
            )


def import_job_run(*, job_id: int) -> ImportJob:
    """Run by the worker: hash, then create every row in one transaction, or none."""
    job = _claim(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    importer = IMPORTERS[job.kind]
    rows = _rows_from_json(job.rows)
    try:
        needed = importer.logins_needed(rows=rows, params=job.params)
        cache.set(_progress_key(job.pk), (0, needed), timeout=3600)
        passwords = initial_passwords(
            needed,
            progress=lambda n: cache.set(_progress_key(job.pk), (n, needed), timeout=3600),
        )
        with transaction.atomic():
            result = importer.create(
                actor=job.requested_by, rows=rows, params=job.params, passwords=passwords
            )
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if result.new_accounts:
                buffer = io.BytesIO()
                write_workbook([Sheet("初始密码", ACCOUNT_COLUMNS, result.new_accounts)], buffer)
                file_store(job.result, "accounts.xlsx", ContentFile(buffer.getvalue()))
            _move(
                job,
                ImportJob.Status.DONE,
                result=job.result,
                finished_at=timezone.now(),
                rows=[],
                created_count=len(result.created),
                accounts_count=len(result.new_accounts),
            )
    except ImportRejected as exc:
        _fail(job, exc.message, [str(e) for e in exc.errors])
    except ApplicationError as exc:
        _fail(job, exc.message)
    except Exception as exc:  # noqa: BLE001 - the job must end, with its reason
        logger.exception("import job %s failed", job_id)
        _fail(job, f"导入时出错，没有导入任何数据：{exc}")
    finally:
        cache.delete(_progress_key(job_id))
    return ImportJob.objects.get(pk=job_id)


# --- Reading the job and its result -------------------------------------------------------
def import_job_for_user(*, user, pk: int) -> ImportJob:
    """Only whoever ran an import sees its job (and its passwords); others get 404."""
    job = ImportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404("没有这个导入任务。")
    return job


def import_job_result_take(*, actor: Actor, job: ImportJob) -> tuple[bytes, str]:
    """The Excel of new logins, handed out once: the file is deleted when this commits."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.requested_by_id != actor.pk:
            raise Http404("没有这个导入任务。")
        if not job.result:
            raise ApplicationError(
                "初始密码名单已下载过或已超过保存期限被删除。"
                "如需重新分发，请在“用户”中为相关人员重设密码。"
            )
        with job.result.open("rb") as handle:
            content = handle.read()
        _result_delete(job)
        job.result_taken_at = timezone.now()
        job.save(update_fields=["result", "result_taken_at"])
        audit_log(
            actor=actor,
            action=AuditAction.IMPORT_RESULT_DOWNLOAD,
            summary=f"下载{job.label}的初始密码名单（{job.accounts_count} 个账号），名单随即删除",
            target=job,
        )
    stamp = timezone.localtime(job.finished_at or timezone.now())
    return content, f"{job.label}初始密码_{stamp:%Y%m%d%H%M}.xlsx"


def _result_delete(job: ImportJob) -> None:
    storage, name = job.result.storage, job.result.name
    job.result = ""
    transaction.on_commit(lambda: storage.delete(name))


def import_results_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the lists of initial passwords nobody downloaded within IMPORT_RESULT_TTL."""
    cutoff = (now or timezone.now()) - IMPORT_RESULT_TTL
    expired = 0
    for job_id in (
        ImportJob.objects.filter(finished_at__lt=cutoff)
        .exclude(result="")
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.result:
                _result_delete(job)
                job.save(update_fields=["result"])
                expired += 1
    return expired
