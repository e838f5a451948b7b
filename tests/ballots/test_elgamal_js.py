"""The browser's ballot cryptography (static/js/ballot_crypto.js) against Python's.

Two directions: the node test file checks the JavaScript against the vectors Python
wrote (same bytes from the same seeds, every forged sheet refused), and here Python
verifies what the JavaScript makes with real randomness: a key ceremony, sheets and
partial decryptions. Skipped only when `node` is not installed.
"""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from ballots.elgamal.group import base_mul, random_scalar, scalar_from_hex
from ballots.elgamal.keyfile import WrongPassphrase, keyfile_open
from ballots.elgamal.sheet import sheet_verify, tracker
from ballots.elgamal.tally import tally_counts, tally_partial_verify, tally_sum, tally_to_json
from ballots.elgamal.tellers import (
    TellerPublic,
    joint_key,
    share_open,
    share_verify,
    teller_public_verify,
    verification_key,
)

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the JavaScript side is not checked"
)
BALLOT = "ballot:js:1"


def _node(command: str, request: dict):
    done = subprocess.run(
        [NODE, str(ROOT / "tests/js/js_ceremony.mjs"), command],
        input=json.dumps(request), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_node_test_file_passes():
    done = subprocess.run(
        [NODE, "--test", str(ROOT / "tests/js/ballot_crypto.test.mjs")],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout


def test_a_ballot_made_in_javascript_verifies_and_counts_in_python():
    keys = _node("keys", {"ballot": BALLOT, "n": 3, "k": 2})
    publics = [TellerPublic.from_json(p) for p in keys["published"]]
    for p in publics:
        teller_public_verify(p, ballot_id=BALLOT, n=3, k=2)
    h = joint_key(publics)
    assert h.hex() == keys["joint_key"]
    for s in keys["sealed"]:
        share = share_open(
            ballot_id=BALLOT, sender=s["sender"], recipient=s["recipient"],
            ephemeral_secret=scalar_from_hex(keys["ephemeral_secrets"][s["recipient"] - 1]),
            sealed=s["sealed"],
        )  # fmt: skip
        assert share_verify(publics[s["sender"] - 1].commitments, s["recipient"], share)
    for j, x in keys["secrets"].items():
        assert base_mul(scalar_from_hex(x)) == verification_key(publics, int(j))

    layout = [3, 4, 2, 4]
    choices = [[random.randrange(n) for n in layout] for _ in range(6)]
    made = _node(
        "sheets", {"ballot": BALLOT, "joint_key": h.hex(), "layout": layout, "choices": choices}
    )
    verified = []
    for entry in made:
        assert tracker(entry["sheet"]) == entry["tracker"]
        verified.append(sheet_verify(entry["sheet"], joint_key=h, ballot_id=BALLOT, layout=layout))
    total = tally_sum(verified, layout)

    points = {}
    for t in (2, 3):
        partial = _node("partial", {
            "ballot": BALLOT, "joint_key": h.hex(), "tally": tally_to_json(total), "teller": t,
            "secret": keys["secrets"][str(t)],
        })  # fmt: skip
        points[t] = tally_partial_verify(
            key=verification_key(publics, t), tally=total, partial=partial, joint_key=h,
            ballot_id=BALLOT, teller=t,
        )  # fmt: skip
    expected = [[sum(c[i] == j for c in choices) for j in range(n)] for i, n in enumerate(layout)]
    assert tally_counts(total, points, len(choices)) == expected


def test_a_key_file_written_in_javascript_opens_in_python_only_with_its_passphrase():
    secret = random_scalar()
    data = _node(
        "keyfile",
        {"ballot": BALLOT, "teller": 2, "secret": secret.hex(), "passphrase": "监票 demo12345"},
    )
    assert keyfile_open(data, ballot_id=BALLOT, passphrase="监票 demo12345", teller=2) == (
        2,
        secret,
    )
    with pytest.raises(WrongPassphrase):
        keyfile_open(data, ballot_id=BALLOT, passphrase="demo12345")
