"""The close of a tellers' ballot (#22) against a plain count of the same votes.

Run: .venv/bin/python benchmarks/ballot_close.py [voters] [subjects]
Uses DATABASE_URL when set. Builds a ballot of `voters` members x `subjects` subjects
(default 200 x 20) with three tellers, encrypts every sheet as a browser would
(ballots.browser, in Python), casts each through ballot_cast (every proof verified), then
times:
- the close: add every sheet slot by slot (ballot_close), then two tellers' partial
  decryptions, each checked, the count and the stored results (ballot_decrypt);
  the tellers' own computation (their browsers' part) is timed apart;
- the verifier (tools/verify_ballot.py's check) over the published record;
- a baseline: the same votes as plaintext rows in a scratch table, counted by one SQL
  GROUP BY (what a close that stored one row per vote would at least have to do).
Prints the times and their ratio, and the cost of one cast's encryption.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
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


def browser_partial(ballot, index, seed):
    """Teller `index`'s browser: x_j from its seed and shares, the partial decryption."""
    from ballots.elgamal.ceremony import teller_secret
    from ballots.elgamal.group import point_from_hex
    from ballots.elgamal.tally import tally_partial
    from ballots.services.tellers import tally_parsed, tellers_public, tellers_shares_for

    x = teller_secret(
        seed=seed, ballot_id=ballot.crypto_id, n=ballot.teller_count,
        k=ballot.teller_threshold, index=index, publics=tellers_public(ballot),
        sealed=tellers_shares_for(ballot, index),
    )  # fmt: skip
    return tally_partial(
        secret=x, tally=tally_parsed(ballot), joint_key=point_from_hex(ballot.joint_key),
        ballot_id=ballot.crypto_id, teller=index,
    )  # fmt: skip


def main() -> None:
    voters = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    subject_count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from ballots import browser
        from ballots.models import BallotResult
        from ballots.services import (
            ballot_cast,
            ballot_close,
            ballot_create,
            ballot_decrypt,
            ballot_open,
            ballot_publish,
        )
        from ballots.services.record import ballot_record
        from reviews.services import campaign_update
        from tests.factories import (
            TELLER_SEEDS,
            CampaignFactory,
            MemberFactory,
            SubjectFactory,
            UserFactory,
            open_reason,
            tellers_ready,
        )
        from tools.verify_ballot import check

        office = UserFactory(is_staff=True, role="office")
        campaign = campaign_update(
            actor=office, campaign=CampaignFactory(actor=office), composition_size=voters
        )
        subjects = [SubjectFactory(campaign=campaign) for _ in range(subject_count)]
        members = [MemberFactory().user for _ in range(voters)]
        ballot = ballot_create(actor=office, campaign=campaign, name="计票基准")
        start = time.perf_counter()
        tellers_ready(ballot, actor=office)
        ballot = ballot_open(actor=office, ballot=ballot, reason=open_reason(ballot))
        open_time = time.perf_counter() - start
        rng = random.Random(1)
        votes, sheets = [], []
        start = time.perf_counter()
        for _member in members:
            choices = {s.pk: rng.choice(ballot.options) for s in subjects}
            sheets.append(browser.sheet_for(ballot, choices))
            votes += [(sid, ballot.options.index(o)) for sid, o in choices.items()]
        encrypt_time = time.perf_counter() - start
        start = time.perf_counter()
        for member, sheet in zip(members, sheets, strict=True):
            ballot_cast(actor=member, ballot=ballot, sheet=sheet)
        cast_time = time.perf_counter() - start

        seeds = TELLER_SEEDS[ballot.pk]
        start = time.perf_counter()
        ballot = ballot_close(actor=office, ballot=ballot)
        close_time = time.perf_counter() - start
        partials, teller_time = {}, 0.0
        for index in (1, 2):  # what the tellers' browsers compute, timed apart
            start = time.perf_counter()
            partials[index] = browser_partial(ballot, index, seeds[index])
            teller_time += time.perf_counter() - start
        start = time.perf_counter()
        for index, partial in partials.items():
            user = ballot.tellers.get(index=index).user
            ballot = ballot_decrypt(actor=user, ballot=ballot, partial=partial)
        close_time += time.perf_counter() - start
        ballot_publish(actor=office, ballot=ballot)
        record = ballot_record(ballot)
        assert all(ok for ok, _ in check(record))
        # The verifier as anyone runs it: a fresh Python on the downloaded record.
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(record, f, ensure_ascii=False)
        start = time.perf_counter()
        verified = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "verify_ballot.py"), f.name],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        verify_time = time.perf_counter() - start
        os.unlink(f.name)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        counted = sum(
            sum(r.web_counts.values()) for r in BallotResult.objects.filter(ballot=ballot)
        )
        assert counted == len(votes), (counted, len(votes))
        group_by = _baseline(votes)

        print(
            f"database: {connection.vendor}; {voters} voters x {subject_count} subjects "
            f"= {len(votes)} votes in {voters} sheets"
        )
        print(f"load average: {os.getloadavg()}")
        print(f"tellers' keys and open:         {open_time * 1000:9.1f} ms")
        print(f"encrypt, per sheet (Python):    {encrypt_time / voters * 1000:9.1f} ms")
        print(f"cast, per sheet (verify+store): {cast_time / voters * 1000:9.1f} ms")
        print(
            f"close: sums + 2 checked partials + count + store: {close_time * 1000:9.1f} ms"
            f"  (goal: at most 5000 ms -> {'met' if close_time <= 5 else 'MISSED'})"
        )
        print(f"(the two tellers' own computation, in Python: {teller_time * 1000:9.1f} ms)")
        print(
            f"tools/verify_ballot.py over the record: {verify_time * 1000:9.1f} ms"
            f"  (goal: at most 30000 ms -> {'met' if verify_time <= 30 else 'MISSED'})"
        )
        print(f"plain GROUP BY over {len(votes)} vote rows:      {group_by * 1000:9.1f} ms")
        print(f"ratio (close / GROUP BY):       {close_time / group_by:9.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
