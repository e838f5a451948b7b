"""The deadline reminder sweep at two sizes: queries and time, from collecting the deadlines
to the e-mails handed to the mail server, in one process.

Run: .venv/bin/python benchmarks/reminder_sweep.py [small] [large]   (default 10 and 2000)
Uses DATABASE_URL when set (PostgreSQL in CI). For each size it builds a campaign whose
`size` subjects all owe their final duty report in 7 days (each reminder goes to the
subject and to the office: two notifications and two e-mails), then runs reminders_sweep
with the outbox's sender run on commit (as Celery's eager mode does), counting every query.
Prints each size's reminders, e-mails, queries and time, and the ratio of queries
(goal: flat — the same few queries per 50 e-mails, not per e-mail).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import TestCase  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DUE = datetime.date(2017, 9, 11)
WEEK_BEFORE = DUE - datetime.timedelta(days=7)


def _world(size: int):
    from core.roles import Role
    from subjects.models import Subject, Unit
    from tests.factories import CampaignFactory, LiaisonCommitteeFactory, UserFactory

    office = UserFactory(role=Role.OFFICE, is_staff=True, email="office@example.org")
    campaign = CampaignFactory(actor=office, report_final_due=DUE)
    committee = LiaisonCommitteeFactory()
    users = [UserFactory(role=Role.SUBJECT, email=f"s{n}@example.org") for n in range(size)]
    units = Unit.objects.bulk_create([Unit(name=f"县第{size}-{n}局") for n in range(size)])
    Subject.objects.bulk_create(
        Subject(
            campaign=campaign,
            person_name=f"对象{n}",
            post="局长",
            unit=unit,
            appointed_on=datetime.date(2014, 3, 1),
            review_form="on_site",
            liaison_committee=committee,
            user=user,
            position=n,
        )
        for n, (unit, user) in enumerate(zip(units, users, strict=True))
    )
    return campaign


def _measure(size: int) -> dict:
    from core.models import OutgoingEmail, Reminder
    from workbench.reminders import reminders_sweep

    campaign = _world(size)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = reminders_sweep(today=WEEK_BEFORE)
        seconds = time.perf_counter() - start
    figures = {
        "size": size,
        "reminders": report.reminders,
        "emails": OutgoingEmail.objects.count(),
        "sent": OutgoingEmail.objects.filter(status="sent").count(),
        "queries": len(queries.captured_queries),
        "seconds": seconds,
    }
    # Leave nothing for the next size.
    OutgoingEmail.objects.all().delete()
    Reminder.objects.all().delete()
    campaign.subjects.all().delete()
    return figures


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:3]] or [10, 2000]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = [_measure(size) for size in sizes]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    for r in results:
        print(
            f"{r['size']:>5} deadlines: {r['reminders']} reminders, {r['emails']} e-mails queued, "
            f"{r['sent']} sent by this run's sender (it takes 500 a run; beat runs it again), "
            f"{r['queries']} queries, {r['seconds']:.2f} s"
        )
    small, large = results[0], results[-1]
    print(
        f"queries ×{large['queries'] / small['queries']:.1f} for ×{large['size'] / small['size']:.0f}"
        f" the deadlines ({large['queries'] / large['sent']:.3f} queries per e-mail sent at "
        f"{large['size']}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
