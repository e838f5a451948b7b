"""A real Celery worker process, fed through Redis, writing to the test's PostgreSQL."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app
from core.models import DocumentStatus, Reminder
from tests.factories import BriefingFactory, CampaignFactory, SubjectFactory
from workbench.services.briefings import briefing_render_request
from workbench.tasks import reminders_sweep_task

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs Redis and PostgreSQL (as CI has)",
    ),
]


@pytest.fixture
def worker():
    """Start a worker on a queue of its own; tasks of this test are published there."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_default_queue
    conf.task_always_eager, conf.task_default_queue = False, queue
    try:
        yield queue
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        process.terminate()
        process.wait(timeout=30)
        connection.close()


def test_worker_runs_the_reminder_sweep_and_renders_a_briefing(worker, office):
    today = datetime.date.today()
    campaign = CampaignFactory(actor=office, report_final_due=today + datetime.timedelta(days=7))
    SubjectFactory(campaign=campaign, person_name="金立新")

    report = reminders_sweep_task.apply_async().get(timeout=120)
    assert report["reminders"] == 1
    assert Reminder.objects.get().kind == "before_7"
    again = reminders_sweep_task.apply_async().get(timeout=60)
    assert again["reminders"] == 0  # the second run sends nothing

    briefing = BriefingFactory(campaign=campaign, actor=office, blocks=["stages"])
    document = briefing_render_request(actor=office, briefing=briefing)  # to Redis on commit
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in (DocumentStatus.DONE, DocumentStatus.FAILED):
            break
        time.sleep(0.5)
    assert document.status == DocumentStatus.DONE, document.error
    assert Path(document.pdf.path).read_bytes().startswith(b"%PDF-")


def test_worker_runs_an_import_job(worker, office):
    from core.imports import import_job_queue
    from core.models import ImportJob
    from reviews.imports import MEMBER_COLUMNS
    from reviews.models import Member
    from tests.factories import xlsx_upload

    rows = [[f"委员{n}", "常委会委员", f"w{n:03d}", "是"] for n in range(20)]
    upload = xlsx_upload([[c.header for c in MEMBER_COLUMNS], *rows])
    job = import_job_queue(actor=office, kind="members", upload=upload)  # published to Redis
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
            break
        time.sleep(0.5)
    assert job.status == ImportJob.Status.DONE, job.error
    assert Member.objects.count() == 20 and job.accounts_count == 20
    assert Path(job.result.path).is_file()
