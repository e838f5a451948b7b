"""The homomorphic close against a plain count of the same votes, in one process.

Run: .venv/bin/python benchmarks/ballot_close.py [voters] [subjects]
Uses DATABASE_URL when set. Builds a ballot of `voters` members x `subjects` subjects
(default 200 x 20), casts every sheet through ballot_cast (one Paillier encryption each),
then times:
- the close: multiply every sheet, decrypt only the product, verify it, store results;
- a baseline: the same votes as plaintext rows in a scratch table, counted by one SQL
  GROUP BY (what a close that stored one row per vote would at least have to do).
Prints the times and their ratio, and the cost of one cast's encryption.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def _baseline(votes: list[tuple[int, int]]) -> float:
    """Insert the plaintext votes into a scratch table, then time one GROUP BY over them."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_vote (subject_id integer, option integer)")
        cursor.executemany("INSERT INTO bench_vote VALUES (%s, %s)", votes)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            cursor.execute(
                "SELECT subject_id, option, count(*) FROM bench_vote GROUP BY subject_id, option"
            )
            rows = cursor.fetchall()
            best = min(best, time.perf_counter() - start)
        assert sum(n for *_, n in rows) == len(votes)
        cursor.execute("DROP TABLE bench_vote")
    return best


def main() -> None:
    voters = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    subject_count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from ballots.models import BallotResult
        from ballots.services import ballot_cast, ballot_close, ballot_create, ballot_open
        from reviews.services import campaign_update
        from tests.factories import CampaignFactory, MemberFactory, SubjectFactory, UserFactory

        office = UserFactory(is_staff=True, role="office")
        campaign = campaign_update(
            actor=office, campaign=CampaignFactory(actor=office), composition_size=voters
        )
        subjects = [SubjectFactory(campaign=campaign) for _ in range(subject_count)]
        members = [MemberFactory().user for _ in range(voters)]
        ballot = ballot_create(actor=office, campaign=campaign, name="计票基准")
        start = time.perf_counter()
        ballot = ballot_open(actor=office, ballot=ballot)
        open_time = time.perf_counter() - start
        rng = random.Random(1)
        votes = []
        start = time.perf_counter()
        for member in members:
            sheet = {s.pk: rng.choice(ballot.options) for s in subjects}
            ballot_cast(actor=member, ballot=ballot, choices=sheet)
            votes += [(sid, ballot.options.index(o)) for sid, o in sheet.items()]
        cast_time = time.perf_counter() - start

        start = time.perf_counter()
        ballot_close(actor=office, ballot=ballot)
        close_time = time.perf_counter() - start
        counted = sum(
            sum(r.web_counts.values()) for r in BallotResult.objects.filter(ballot=ballot)
        )
        assert counted == len(votes), (counted, len(votes))
        group_by = _baseline(votes)

        print(
            f"database: {connection.vendor}; {voters} voters x {subject_count} subjects "
            f"= {len(votes)} votes in {voters} sheets"
        )
        print(f"open (2048-bit Paillier key):   {open_time * 1000:9.1f} ms")
        print(f"cast, per sheet (service call): {cast_time / voters * 1000:9.1f} ms")
        print(f"close (multiply, decrypt product, verify, store): {close_time * 1000:9.1f} ms")
        print(f"plain GROUP BY over {len(votes)} vote rows:      {group_by * 1000:9.1f} ms")
        print(f"ratio (close / GROUP BY):       {close_time / group_by:9.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
