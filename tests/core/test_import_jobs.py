"""Imports that open logins: checked at once, run as a job, passwords handed out once."""

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from openpyxl import load_workbook

from config.celery_app import app as celery_app
from core.errors import ApplicationError
from core.imports import (
    import_job_queue,
    import_job_run,
    import_job_state,
    import_results_expire,
)
from core.models import AuditEntry, ImportJob
from core.roles import Role
from core.services import initial_passwords
from reviews.imports import MEMBER_COLUMNS
from reviews.models import Member
from tests.factories import UserFactory, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in MEMBER_COLUMNS]
URL = "/admin/reviews/member/import/"


def _members(count: int, prefix: str = "m"):
    rows = [[f"委员{prefix}{n}", "常委会委员", f"{prefix}{n:04d}", "是"] for n in range(count)]
    return xlsx_upload([HEADER, *rows])


@pytest.fixture
def queued(monkeypatch):
    """Queue without running: the worker's part is then called by the test."""
    monkeypatch.setattr("core.tasks.import_job_run_task.apply_async", lambda *a, **k: None)


def test_initial_passwords_are_hashed_with_the_initial_hasher():
    pairs = initial_passwords(5)
    assert len({p for p, _ in pairs}) == 5
    assert all(len(p) == 12 and check_password(p, h) for p, h in pairs)


def test_the_page_checks_queues_runs_and_hands_out_the_passwords_once(client, office):
    client.force_login(office)
    response = client.post(URL, {"file": _members(3)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{job.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert "已导入 3 条记录" in body and "新开通 3 个登录账号" in body
    assert Member.objects.count() == 3
    stored = Path(job.result.path)
    assert stored.is_file()

    response = client.get(f"{URL}{job.pk}/result/")
    assert "no-store" in response["Cache-Control"]
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].values
    )
    assert rows[0] == ("姓名", "登录名", "初始密码") and len(rows) == 4
    users = get_user_model().objects
    assert all(users.get(username=u).check_password(p) for _, u, p in rows[1:])
    job.refresh_from_db()
    assert not job.result and job.result_taken_at is not None
    assert AuditEntry.objects.filter(action="import.result_download").exists()

    # Once only.
    response = client.get(f"{URL}{job.pk}/result/", follow=True)
    assert "已下载过" in response.content.decode()
    assert "已于" in client.get(f"{URL}{job.pk}/").content.decode()


def test_the_file_is_deleted_once_the_download_commits(
    client, office, django_capture_on_commit_callbacks
):
    client.force_login(office)
    client.post(URL, {"file": _members(1)})
    job = ImportJob.objects.get()
    stored = Path(job.result.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"{URL}{job.pk}/result/")
    assert not stored.exists()


def test_only_whoever_ran_the_import_sees_it(client, office):
    client.force_login(office)
    client.post(URL, {"file": _members(1)})
    job = ImportJob.objects.get()
    client.force_login(UserFactory(role=Role.OFFICE, is_staff=True))
    for suffix in ("", "status/", "result/"):
        assert client.get(f"{URL}{job.pk}/{suffix}").status_code == 404
    job.refresh_from_db()
    assert job.result


def test_a_bad_file_is_refused_whole_and_nothing_queued(client, office):
    client.force_login(office)
    upload = xlsx_upload([HEADER, ["王", "委员", "wang", "是"], ["", "委员", "bad name!", "也许"]])
    body = client.post(URL, {"file": upload}).content.decode()
    assert "未导入任何数据" in body
    for problem in ("必填，不能为空", "只能使用字母、数字和 @.+-_", "应填“是”或“否”"):
        assert problem in body
    assert not ImportJob.objects.exists() and not Member.objects.exists()


def test_progress_and_status_while_queued(client, office, queued):
    client.force_login(office)
    client.post(URL, {"file": _members(2)})
    job = ImportJob.objects.get()
    state = client.get(f"{URL}{job.pk}/status/").json()
    assert state["status"] == "queued" and state["percent"] == 0 and state["total"] == 2
    body = client.get(f"{URL}{job.pk}/").content.decode()
    assert 'id="import-progress"' in body and 'http-equiv="refresh"' in body
    assert "js/import_job.js" in body and "cdn" not in body.lower()


def test_a_row_that_fails_at_run_time_imports_nothing(office, queued):
    job = import_job_queue(actor=office, kind="members", upload=_members(3))
    UserFactory(username="m0002")  # taken between the check and the run
    users_before = get_user_model().objects.count()
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED and "未导入任何数据" in job.error
    assert job.errors == ["第 4 行“登录名”列：登录名“m0002”已被占用"]
    assert not Member.objects.exists() and get_user_model().objects.count() == users_before
    assert not job.result
    assert import_job_state(job)["text"] == job.error


def test_a_job_runs_once(office, queued):
    job = import_job_queue(actor=office, kind="members", upload=_members(2))
    assert import_job_run(job_id=job.pk).status == ImportJob.Status.DONE
    assert import_job_run(job_id=job.pk).status == ImportJob.Status.DONE
    assert Member.objects.count() == 2


def test_unread_password_lists_are_deleted_after_a_day(office, django_capture_on_commit_callbacks):
    old = import_job_queue(actor=office, kind="members", upload=_members(1, "a"))
    new = import_job_queue(actor=office, kind="members", upload=_members(1, "b"))
    old_file = Path(ImportJob.objects.get(pk=old.pk).result.path)
    ImportJob.objects.filter(pk=old.pk).update(
        finished_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1, minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_results_expire() == 1
    assert not old_file.exists() and not ImportJob.objects.get(pk=old.pk).result
    assert ImportJob.objects.get(pk=new.pk).result


@pytest.fixture
def broker_down():
    """A real publish to a broker nobody listens on."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, "redis://127.0.0.1:9/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_broker_down_the_office_hears_so_at_once(client, office, broker_down):
    with pytest.raises(
        ApplicationError, match="任务队列暂时不可用.*导入没有开始，没有导入任何数据"
    ):
        import_job_queue(actor=office, kind="members", upload=_members(1))
    client.force_login(office)
    body = client.post(URL, {"file": _members(1, "x")}, follow=True).content.decode()
    assert "任务队列暂时不可用" in body
    assert not Member.objects.exists()
    assert set(ImportJob.objects.values_list("status", flat=True)) == {"failed"}
