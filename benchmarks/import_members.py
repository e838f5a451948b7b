"""The member import with real password hashing, through the import job's task.

Run: .venv/bin/python benchmarks/import_members.py [--rows 2000] [--sample 20]
(uses DATABASE_URL if set; the test settings otherwise, with production's hashers put
back: PBKDF2-SHA256 with a million rounds for chosen passwords, pbkdf2_initial for the
printed initial ones).

Prints the time of the whole job (check of the file, hashing the initial passwords on
PASSWORD_HASH_WORKERS threads, creating every member in one transaction, the Excel of
passwords) and its rows per second, split into its hashing and its other parts, against
hashing alone on one thread measured on a sample in the same run.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hashers, make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=20, help="hashes timed one at a time")
    args = parser.parse_args()

    from config.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # production's, not the tests' MD5
    get_hashers.cache_clear()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    import core.imports
    from core.imports import import_job_queue
    from core.models import ImportJob
    from core.roles import Role
    from reviews.imports import MEMBER_COLUMNS
    from reviews.models import Member
    from tests.factories import UserFactory, xlsx_upload

    hasher = get_hashers()[0]
    start = time.perf_counter()
    for n in range(args.sample):
        make_password(f"sample{n:04d}")
    per_hash = (time.perf_counter() - start) / args.sample
    serial = per_hash * args.rows
    start = time.perf_counter()
    for n in range(args.sample):
        make_password(f"sample{n:04d}", hasher="pbkdf2_initial")
    per_initial = (time.perf_counter() - start) / args.sample

    hashing = {}
    original = core.imports.initial_passwords

    def timed(count, **kwargs):
        start = time.perf_counter()
        pairs = original(count, **kwargs)
        hashing["seconds"] = time.perf_counter() - start
        return pairs

    core.imports.initial_passwords = timed
    office = UserFactory(role=Role.OFFICE, is_staff=True)
    header = [c.header for c in MEMBER_COLUMNS]
    rows = [[f"委员{n}", "常委会委员", f"m{n:05d}", "是"] for n in range(args.rows)]
    upload = xlsx_upload([header, *rows])
    start = time.perf_counter()
    job = import_job_queue(actor=office, kind="members", upload=upload)
    total = time.perf_counter() - start
    assert job.status == ImportJob.Status.DONE, job.error
    assert Member.objects.count() == args.rows

    workers = settings.PASSWORD_HASH_WORKERS
    print(
        f"hasher: {hasher.algorithm}, {getattr(hasher, 'iterations', '?')} rounds; "
        f"{workers} hashing threads, {os.cpu_count()} cores"
    )
    print(
        f"default hasher alone, one thread: {per_hash * 1000:.0f} ms per hash "
        f"(sample of {args.sample}) -> {serial:.1f} s for {args.rows}"
    )
    print(
        f"initial-password hasher (pbkdf2_initial): {per_initial * 1000:.1f} ms per hash; "
        "the import uses it (core/hashers.py says why)"
    )
    print(f"import job, {args.rows} members: {total:.1f} s, {args.rows / total:.1f} rows/s")
    print(
        f"  of which hashing on {workers} threads: {hashing['seconds']:.1f} s "
        f"({serial / hashing['seconds']:.0f}x faster than the default hasher on one thread); the rest: "
        f"{total - hashing['seconds']:.1f} s"
    )
    print(f"ratio job / default hashing alone on one thread: {total / serial:.3f}")
    print(f"target: {args.rows} rows in under 60 s: {'met' if total < 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
