"""ballots.elgamal in Python: encryption, proofs, the tellers' key and the count.

Each forged input a cheating browser, teller or database writer could send is refused
with a message naming what is wrong.
"""

import ast
import hashlib
import itertools
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ballots.elgamal.elgamal import DiscreteLog, ciphertext_sum, decrypt_to_point, encrypt
from ballots.elgamal.group import (
    CryptoError,
    base_mul,
    point_from_hex,
    random_scalar,
    scalar_add,
    scalar_from_hex,
)
from ballots.elgamal.keyfile import WrongKeyFile, WrongPassphrase, keyfile_open, keyfile_seal
from ballots.elgamal.sheet import canonical_json, sheet_encrypt, sheet_verify, tracker
from ballots.elgamal.tally import tally_counts, tally_partial, tally_partial_verify, tally_sum
from ballots.elgamal.tellers import (
    TellerPublic,
    polynomial_at,
    share_open,
    share_seal,
    share_verify,
    teller_public_verify,
    teller_start,
    verification_key,
)
from ballots.elgamal.tellers import joint_key as joint_key_of
from tests.ballots.elgamal_vectors import BAD_POINTS, ceremony

BALLOT = "ballot:unit:1"
LAYOUT = [3, 4, 3]
ROOT = Path(__file__).resolve().parents[2]
NEGATIVE = json.loads((Path(__file__).parent / "vectors" / "negative.json").read_text())


@pytest.fixture(scope="module")
def keys():
    return ceremony(BALLOT, 3, 2)


def test_sums_of_encryptions_decrypt_to_the_sum():
    x = random_scalar()
    h = base_mul(x)
    cts = [encrypt(h, m)[0] for m in (0, 1, 1, 0, 1)]
    solver = DiscreteLog(10)
    assert solver.solve(decrypt_to_point(x, ciphertext_sum(cts))) == 3
    assert solver.solve(decrypt_to_point(x, ciphertext_sum(cts[:1]))) == 0


def test_discrete_log_finds_every_count_up_to_the_maximum_and_nothing_beyond():
    solver = DiscreteLog(100_000)
    for m in (0, 1, 316, 317, 318, 99_999, 100_000):
        assert solver.solve(base_mul(m.to_bytes(32, "little")) if m else bytes(32)) == m
    with pytest.raises(CryptoError, match="not a count"):
        solver.solve(base_mul((100_001).to_bytes(32, "little")))


@pytest.mark.parametrize("why", sorted(BAD_POINTS))
def test_every_bad_point_is_refused(why):
    with pytest.raises(CryptoError, match="not a point"):
        point_from_hex(BAD_POINTS[why])


# Not even a field element below 2^255 (libsodium's decoding fails at its first step).
UNDECODABLE = "ff" * 32


@pytest.mark.parametrize("part", ["a", "b"])
@pytest.mark.parametrize("why", sorted(BAD_POINTS) + ["undecodable"])
def test_a_sheet_with_a_bad_point_is_refused_naming_it(keys, why, part):
    """sheet_verify leaves the points' checks to the proofs' multiplications; a bad point
    anywhere still fails, with the message a checked parse gives, and never escapes as
    another exception."""
    h = joint_key_of(keys[0])
    sheet = sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=[3, 2], choices=[1, 0])
    sheet["subjects"][1]["slots"][0][part] = BAD_POINTS.get(why, UNDECODABLE)
    with pytest.raises(CryptoError, match=rf"^subject 2 slot 1\.{part}: not a point"):
        sheet_verify(sheet, joint_key=h, ballot_id=BALLOT, layout=[3, 2])


def test_an_unreduced_scalar_is_refused():
    with pytest.raises(CryptoError, match="not reduced"):
        scalar_from_hex("ff" * 32)


def test_a_sheet_verifies_and_its_length_does_not_depend_on_the_choice(keys):
    h = joint_key_of(keys[0])
    lengths = set()
    for choices in itertools.product(range(3), range(4), range(3)):
        if random.random() > 0.2:
            continue
        sheet = sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=list(choices))
        sheet_verify(sheet, joint_key=h, ballot_id=BALLOT, layout=LAYOUT)
        lengths.add(len(canonical_json(sheet)))
    assert len(lengths) == 1


def test_an_invalid_choice_cannot_be_encrypted(keys):
    h = joint_key_of(keys[0])
    with pytest.raises(CryptoError, match="one choice per subject"):
        sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=[0, 4, 0])
    with pytest.raises(CryptoError, match="one choice per subject"):
        sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=[0, 1])


@pytest.mark.parametrize("case", NEGATIVE["cases"], ids=lambda c: c["name"])
def test_a_forged_sheet_is_refused_naming_what_is_wrong(case):
    joint = bytes.fromhex(case["verify_with"].get("joint_key", NEGATIVE["joint_key"]))
    ballot = case["verify_with"].get("ballot", NEGATIVE["ballot"])
    with pytest.raises(CryptoError) as error:
        sheet_verify(case["sheet"], joint_key=joint, ballot_id=ballot, layout=NEGATIVE["layout"])
    assert case["error"] in str(error.value)


def test_a_sheet_for_another_ballot_is_refused(keys):
    h = joint_key_of(keys[0])
    sheet = sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=[0, 0, 0])
    with pytest.raises(CryptoError, match="another ballot"):
        sheet_verify(sheet, joint_key=h, ballot_id="ballot:unit:2", layout=LAYOUT)


def test_any_two_of_three_tellers_count_and_one_alone_cannot(keys):
    publics, secrets = keys
    h = joint_key_of(publics)
    choices = [[random.randrange(n) for n in LAYOUT] for _ in range(12)]
    expected = [[sum(c[i] == j for c in choices) for j in range(n)] for i, n in enumerate(LAYOUT)]
    sheets = [
        sheet_verify(
            sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=c),
            joint_key=h, ballot_id=BALLOT, layout=LAYOUT,
        )
        for c in choices
    ]  # fmt: skip
    total = tally_sum(sheets, LAYOUT)
    points = {}
    for t in (1, 2, 3):
        partial = tally_partial(
            secret=secrets[t], tally=total, joint_key=h, ballot_id=BALLOT, teller=t
        )
        points[t] = tally_partial_verify(
            key=verification_key(publics, t), tally=total, partial=partial, joint_key=h,
            ballot_id=BALLOT, teller=t,
        )  # fmt: skip
    for pair in ((1, 2), (1, 3), (2, 3)):
        assert tally_counts(total, {t: points[t] for t in pair}, 12) == expected
    with pytest.raises(CryptoError, match="not a count"):
        tally_counts(total, {1: points[1]}, 12)


def test_a_forged_partial_decryption_is_refused(keys):
    publics, secrets = keys
    h = joint_key_of(publics)
    sheet = sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=[0, 0, 0])
    total = tally_sum([sheet_verify(sheet, joint_key=h, ballot_id=BALLOT, layout=LAYOUT)], LAYOUT)
    partial = tally_partial(secret=secrets[1], tally=total, joint_key=h, ballot_id=BALLOT, teller=1)
    args = {"tally": total, "joint_key": h, "ballot_id": BALLOT}
    forged = json.loads(json.dumps(partial))
    forged[1][2]["d"] = base_mul(random_scalar()).hex()
    with pytest.raises(CryptoError, match="teller 1 subject 2 slot 3: the proof of correct"):
        tally_partial_verify(key=verification_key(publics, 1), partial=forged, teller=1, **args)
    # Teller 2 posting teller 1's partials (its key, its index) is refused.
    with pytest.raises(CryptoError, match="teller 2 subject 1 slot 1: the proof"):
        tally_partial_verify(key=verification_key(publics, 2), partial=partial, teller=2, **args)
    with pytest.raises(CryptoError, match="teller 1 subject 1 slot 1: the proof"):
        tally_partial_verify(key=verification_key(publics, 1), partial=partial, teller=1,
                             **args | {"ballot_id": "ballot:unit:2"})  # fmt: skip


def test_shares_open_only_for_their_recipient_and_verify_against_commitments():
    coefficients, _, public = teller_start(ballot_id=BALLOT, n=3, k=2, index=1)
    _, eph2, pub2 = teller_start(ballot_id=BALLOT, n=3, k=2, index=2)
    _, eph3, _ = teller_start(ballot_id=BALLOT, n=3, k=2, index=3)
    share = polynomial_at(coefficients, 2)
    sealed = share_seal(
        ballot_id=BALLOT, sender=1, recipient=2, ephemeral=pub2.ephemeral, share=share
    )
    opened = share_open(
        ballot_id=BALLOT, sender=1, recipient=2, ephemeral_secret=eph2, sealed=sealed
    )
    assert opened == share and share_verify(public.commitments, 2, opened)
    assert not share_verify(public.commitments, 2, scalar_add(share, share))
    assert not share_verify(public.commitments, 3, share)
    with pytest.raises(CryptoError, match="cannot be opened"):
        share_open(ballot_id=BALLOT, sender=1, recipient=2, ephemeral_secret=eph3, sealed=sealed)
    with pytest.raises(CryptoError, match="cannot be opened"):  # redirected to teller 3
        share_open(ballot_id=BALLOT, sender=1, recipient=3, ephemeral_secret=eph2, sealed=sealed)


def test_a_rogue_or_replayed_teller_key_is_refused():
    _, _, public = teller_start(ballot_id=BALLOT, n=3, k=2, index=1)
    teller_public_verify(TellerPublic.from_json(public.to_json()), ballot_id=BALLOT, n=3, k=2)
    as_two = TellerPublic(2, public.commitments, public.proof, public.ephemeral)
    with pytest.raises(CryptoError, match="teller 2: proof of knowledge"):
        teller_public_verify(as_two, ballot_id=BALLOT, n=3, k=2)
    with pytest.raises(CryptoError, match="proof of knowledge"):
        teller_public_verify(public, ballot_id="ballot:unit:2", n=3, k=2)
    # A key chosen to cancel the others' (g^x minus theirs) comes without a valid proof.
    rogue = TellerPublic(
        1, [base_mul(random_scalar()), public.commitments[1]], public.proof, public.ephemeral
    )
    with pytest.raises(CryptoError, match="proof of knowledge"):
        teller_public_verify(rogue, ballot_id=BALLOT, n=3, k=2)


def test_the_tracker_is_the_sha256_of_the_canonical_sheet(keys):
    h = joint_key_of(keys[0])
    sheet = sheet_encrypt(joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=[1, 1, 1])
    text = json.dumps(sheet, sort_keys=True, separators=(",", ":"))
    assert tracker(sheet) == hashlib.sha256(text.encode()).hexdigest()
    assert " " not in canonical_json(sheet)


def test_a_key_file_opens_only_for_its_ballot_teller_and_passphrase():
    secret = random_scalar()
    data = keyfile_seal(
        ballot_id=BALLOT, teller=2, secret=secret, passphrase="demo12345", iterations=100_000
    )
    assert keyfile_open(data, ballot_id=BALLOT, passphrase="demo12345") == (2, secret)
    assert secret.hex() not in json.dumps(data)
    with pytest.raises(WrongPassphrase):
        keyfile_open(data, ballot_id=BALLOT, passphrase="demo12346")
    with pytest.raises(WrongKeyFile, match="another ballot"):
        keyfile_open(data, ballot_id="ballot:unit:2", passphrase="demo12345")
    with pytest.raises(WrongKeyFile, match="teller 2's, not teller 1's"):
        keyfile_open(data, ballot_id=BALLOT, passphrase="demo12345", teller=1)
    for broken in (
        {},
        [],
        "x",
        data | {"format": "other"},
        data | {"kdf": data["kdf"] | {"iterations": 1000}},
    ):
        with pytest.raises(WrongKeyFile, match="not a teller's key file"):
            keyfile_open(broken, ballot_id=BALLOT, passphrase="demo12345")
    # Another teller's verification key put in the file: the authenticated data no longer match.
    with pytest.raises(CryptoError):
        keyfile_open(
            data | {"verification_key": base_mul(random_scalar()).hex()},
            ballot_id=BALLOT,
            passphrase="demo12345",
        )


def test_the_layer_imports_no_django_and_nothing_of_the_app():
    """So that the verifier, the vectors and the browser can be checked against it alone."""
    code = (
        "import sys, ballots.elgamal.record, ballots.elgamal.keyfile;"
        "print(sorted({m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(ast.literal_eval(done.stdout))
    assert not loaded & {"django", "core", "reviews", "subjects", "surveys", "rectification"}
    assert {"pysodium", "cryptography"} <= loaded
    assert "nacl" not in loaded


def test_the_browser_code_is_csp_friendly():
    """Served as static files under a strict Content-Security-Policy: no code from strings."""
    for path in ("static/js/ballot_crypto.js", "static/vendor/noble/noble.js"):
        source = (ROOT / path).read_text()
        assert not re.search(r"\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(", source), path
