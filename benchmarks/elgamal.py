"""What voter-side encryption (issue #22) costs, next to today's Paillier sheet.

Run: .venv/bin/python benchmarks/elgamal.py [--sheets 200] [--repeats 9] [--record]
Prints, with the machine's load: encrypting and proving a 20-subject x 4-option sheet
and verifying it (Python, and JavaScript under Node when `node` is installed); today's
Paillier encryption of the same sheet in this process, for the ratio; adding up
`--sheets` sheets x 80 slots; the close (two tellers' partial decryptions checked,
combined, counts solved); the key ceremony for 3 tellers, any 2; with `--record`, the
independent verifier over a whole record of `--sheets` sheets.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ballots import crypto as paillier  # noqa: E402
from ballots.elgamal.elgamal import encrypt  # noqa: E402
from ballots.elgamal.group import scalar_add  # noqa: E402
from ballots.elgamal.record import record_build  # noqa: E402
from ballots.elgamal.sheet import sheet_encrypt, sheet_verify  # noqa: E402
from ballots.elgamal.tally import (  # noqa: E402
    tally_counts,
    tally_partial,
    tally_partial_verify,
    tally_sum,
)
from ballots.elgamal.tellers import (  # noqa: E402
    joint_key,
    polynomial_at,
    share_open,
    share_seal,
    share_verify,
    teller_start,
    verification_key,
)

SUBJECTS, OPTIONS = 20, 4
LAYOUT = [OPTIONS] * SUBJECTS
BALLOT = "ballot:bench:1"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _timed(f, repeats: int, clock=time.perf_counter) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = clock()
        result = f()
        times.append(clock() - start)
    return statistics.median(times), result


def _ceremony(n: int = 3, k: int = 2):
    """Everything the three tellers' browsers do, one after the other."""
    starts = {i: teller_start(ballot_id=BALLOT, n=n, k=k, index=i) for i in range(1, n + 1)}
    publics = [starts[i][2] for i in sorted(starts)]
    secrets = {}
    for j in starts:
        x = bytes(32)
        for i in starts:
            sealed = share_seal(
                ballot_id=BALLOT, sender=i, recipient=j, ephemeral=publics[j - 1].ephemeral,
                share=polynomial_at(starts[i][0], j),
            )  # fmt: skip
            share = share_open(
                ballot_id=BALLOT, sender=i, recipient=j, ephemeral_secret=starts[j][1],
                sealed=sealed,
            )  # fmt: skip
            assert share_verify(publics[i - 1].commitments, j, share)
            x = scalar_add(x, share)
        secrets[j] = x
    return publics, secrets


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
          f"sheet {SUBJECTS} subjects x {OPTIONS} options; median of {args.repeats}")  # fmt: skip

    dkg, (publics, secrets) = _timed(_ceremony, 3)
    h = joint_key(publics)
    choose = lambda: [random.randrange(OPTIONS) for _ in LAYOUT]  # noqa: E731
    enc, sheet = _timed(
        lambda: sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=choose()),
        args.repeats,
    )
    ver, _ = _timed(
        lambda: sheet_verify(sheet, joint_key=h, ballot_id=BALLOT, layout=LAYOUT), args.repeats
    )
    # The same, in this process's CPU time: what one core spends, whatever else runs.
    ver_cpu, _ = _timed(
        lambda: sheet_verify(sheet, joint_key=h, ballot_id=BALLOT, layout=LAYOUT),
        args.repeats,
        clock=time.process_time,
    )
    n, _secret = paillier.keypair_new()
    layout = paillier.Layout(SUBJECTS, OPTIONS, paillier.slot_bits_for(args.sheets), n)
    pai, _ = _timed(lambda: paillier.sheet_encrypt(layout, choose()), args.repeats)
    print("Python (pysodium / libsodium, ristretto255)")
    print(f"  encrypt + prove one sheet         {_ms(enc)}")
    print(f"  verify one sheet (server at cast) {_ms(ver)}   "
          f"{ver / pai:.1f}x today's Paillier encryption per cast ({_ms(pai).strip()})")  # fmt: skip
    print(f"    in CPU time                     {_ms(ver_cpu)}   (goal: at most 60 ms)")
    print(f"  key ceremony, 3 tellers, k = 2    {_ms(dkg)}")

    # The tally: sums of --sheets sheets (ciphertexts only; the adding does not look at proofs).
    def fresh_sheet():
        return [[encrypt(h, int(j == c))[0] for j in range(OPTIONS)] for c in choose()]

    sheets = [fresh_sheet() for _ in range(args.sheets)]
    add, total = _timed(lambda: tally_sum(sheets, LAYOUT), 3)
    partials = {
        t: tally_partial(secret=secrets[t], tally=total, joint_key=h, ballot_id=BALLOT, teller=t)
        for t in (1, 3)
    }

    def close():
        points = {
            t: tally_partial_verify(
                key=verification_key(publics, t), tally=total, partial=p, joint_key=h,
                ballot_id=BALLOT, teller=t,
            )
            for t, p in partials.items()
        }  # fmt: skip
        return tally_counts(total, points, args.sheets)

    teller, _ = _timed(
        lambda: tally_partial(secret=secrets[1], tally=total, joint_key=h, ballot_id=BALLOT, teller=1), 3
    )  # fmt: skip
    shut, counts = _timed(close, 3)
    assert all(sum(row) == args.sheets for row in counts)
    slots = SUBJECTS * OPTIONS
    print(f"  tally: add {args.sheets} sheets x {slots} slots  {_ms(add)}")
    print(f"  one teller's partial decryption   {_ms(teller)}   ({slots} slots, with proofs)")
    print(f"  close: check 2 tellers, combine, solve counts {_ms(shut)}")

    node = shutil.which("node")
    if node is None:
        print("JavaScript: skipped (node is not installed)")
    else:
        done = subprocess.run(
            [node, str(ROOT / "benchmarks/elgamal_js.mjs"), str(SUBJECTS), str(OPTIONS), str(args.repeats)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        js = json.loads(done.stdout)
        print(
            f"JavaScript (@noble/curves, Node {subprocess.run([node, '--version'], capture_output=True, text=True).stdout.strip()})"
        )
        print(f"  load the joint key (check, tables) {js['joint_key_load']:7.1f} ms")
        print(
            f"  encrypt + prove one sheet         {js['encrypt']:8.1f} ms   ({js['sheet_bytes']} bytes of JSON)"
        )
        print(f"  verify one sheet                  {js['verify']:8.1f} ms")
        print(f"  one teller's partial decryption   {js['partial']:8.1f} ms")
        print(f"  key ceremony, 3 tellers, k = 2    {js['dkg']:8.1f} ms")

    if args.record:
        _record(h, publics, secrets, args.sheets, choose)


def _record(h, publics, secrets, count, choose) -> None:
    start = time.perf_counter()
    sheets = [
        sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=choose())
        for _ in range(count)
    ]
    verified = [sheet_verify(s, joint_key=h, ballot_id=BALLOT, layout=LAYOUT) for s in sheets]
    total = tally_sum(verified, LAYOUT)
    partials = {
        t: tally_partial(secret=secrets[t], tally=total, joint_key=h, ballot_id=BALLOT, teller=t)
        for t in (1, 2)
    }
    subjects = [
        {"name": f"对象{i + 1}", "options": ["满意", "基本满意", "不满意", "弃权"]}
        for i in range(SUBJECTS)
    ]
    record = record_build(
        ballot_id=BALLOT, subjects=subjects, n=3, k=2, publics=publics, participations=count,
        sheets=sheets, partials=partials,
    )  # fmt: skip
    built = time.perf_counter() - start
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(record, f, ensure_ascii=False)
    size = Path(f.name).stat().st_size
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-I", str(ROOT / "verifier/verify_record.py"), f.name],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - start
    os.unlink(f.name)
    print(
        f"Record of {count} sheets ({size / 1e6:.1f} MB), built and self-checked in {built:.1f} s"
    )
    print(
        f"  verifier/verify_record.py         {took:8.1f} s    {done.stdout.strip().splitlines()[-1]}"
    )


if __name__ == "__main__":
    main()
