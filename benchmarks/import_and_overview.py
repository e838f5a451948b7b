"""How the subject import and the office overview scale with data.

Run: .venv/bin/python benchmarks/import_and_overview.py   (uses DATABASE_URL if set)

Prints, for a small and a large input measured in the same process, the time and the
number of SQL queries, and their ratios. Linear import cost shows as a per-row time ratio
near 1; the overview's query count should not grow with the number of campaigns.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def measure(fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
    return elapsed, len(queries.captured_queries)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client

        from core.roles import Role
        from subjects.imports import SUBJECT_COLUMNS, subjects_import
        from tests.factories import (
            CampaignFactory,
            LiaisonCommitteeFactory,
            SubjectFactory,
            UnitFactory,
            UserFactory,
            xlsx_upload,
        )

        office = UserFactory(role=Role.OFFICE, is_staff=True)
        units = [UnitFactory(name=f"县第{i}局").name for i in range(20)]
        LiaisonCommitteeFactory(name="财政经济工作委员会")
        header = [c.header for c in SUBJECT_COLUMNS]

        def rows(n):
            return [header] + [
                [
                    f"对象{i}",
                    units[i % 20],
                    "局长",
                    "2014-03-01",
                    "现场" if i % 2 else "书面",
                    "财政经济工作委员会",
                    "",
                ]
                for i in range(n)
            ]

        results = {}
        for n in (50, 500):
            campaign = CampaignFactory(actor=office)
            upload = xlsx_upload(rows(n))
            results[n] = measure(
                lambda c=campaign, u=upload: subjects_import(actor=office, campaign=c, upload=u)
            )
        (t_small, q_small), (t_large, q_large) = results[50], results[500]
        print("subject import")
        print(
            f"  50 rows:  {t_small * 1000:8.1f} ms  {q_small:5d} queries  ({t_small / 50 * 1000:.2f} ms/row)"
        )
        print(
            f"  500 rows: {t_large * 1000:8.1f} ms  {q_large:5d} queries  ({t_large / 500 * 1000:.2f} ms/row)"
        )
        print(f"  per-row time ratio (500/50): {(t_large / 500) / (t_small / 50):.2f}")
        print(f"  per-row query ratio (500/50): {(q_large / 500) / (q_small / 50):.2f}")

        client = Client()
        client.force_login(office)
        counts = {}
        for target in (5, 50):
            from reviews.models import Campaign

            while Campaign.objects.count() < target:
                SubjectFactory(campaign=CampaignFactory(actor=office))
            client.get("/office/")  # warm up templates
            counts[target] = measure(lambda: client.get("/office/"))
        print("office overview page")
        for target, (elapsed, queries) in counts.items():
            print(f"  {target:3d} campaigns: {elapsed * 1000:8.1f} ms  {queries:3d} queries")
        print(
            f"  query ratio (50/5): {counts[50][1] / counts[5][1]:.2f}  time ratio: {counts[50][0] / counts[5][0]:.2f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
