"""A ballot sheet (测评票): per subject one ciphertext per option, each proved 0 or 1, and
a proof that the subject's slots add up to exactly 1.

Why this shape: the server and any verifier can check that a sheet holds exactly one
choice per subject without learning which, and summing every sheet slot by slot gives an
encryption of every count. Abstention, where a ballot has it, is one more option.

Wire format (canonical JSON: sorted keys, no spaces, ASCII only, so that the browser
and Python produce the same bytes and therefore the same tracker)::

    {"ballot": "<ballot id>",
     "subjects": [{"slots": [{"a", "b", "c0", "c1", "s0", "s1"}, ...], "c", "s"}, ...]}

every value 64 hex digits, so a sheet's length depends only on the ballot's layout,
never on the choices. Nothing else is accepted (unknown keys would let a copied sheet
take a new tracker).

Random draws, in order, per subject: for each slot r, w, c_fake, s_fake; then w of the
sum proof. The JavaScript encoder draws in the same order, so seeded test vectors match
byte for byte.
"""

import hashlib
import json
import re

from .elgamal import Ciphertext, ciphertext_sum, encrypt
from .group import CryptoError, Point, Rng, random_scalar, scalar_add
from .proofs import (
    EqualityProof,
    ZeroOneProof,
    sum_is_one_prove,
    sum_is_one_verify,
    zero_one_prove,
    zero_one_verify,
)

BALLOT_ID = re.compile(r"[\x20-\x7e]{1,200}")


def ballot_id_check(ballot_id: object) -> str:
    """Printable ASCII only: the id is hashed into every proof and must serialise alike."""
    if not isinstance(ballot_id, str) or not BALLOT_ID.fullmatch(ballot_id):
        raise CryptoError("ballot id: 1 to 200 printable ASCII characters")
    return ballot_id


def canonical_json(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def tracker(sheet: dict) -> str:
    """The receipt (回执码): SHA-256 of the canonical sheet, in hex."""
    return hashlib.sha256(canonical_json(sheet).encode()).hexdigest()


def slot_context(joint_key: Point, ballot_id: str, subject: int, slot: int) -> tuple:
    return (joint_key, ballot_id, subject, slot)


def sheet_encrypt(
    *,
    joint_key: Point,
    ballot_id: str,
    layout: list[int],
    choices: list[int],
    rng: Rng = random_scalar,
) -> dict:
    """Encrypt one choice per subject (choices[i] indexes layout[i] options)."""
    ballot_id_check(ballot_id)
    if len(choices) != len(layout) or not all(
        isinstance(c, int) and 0 <= c < n for c, n in zip(choices, layout, strict=True)
    ):
        raise CryptoError("one choice per subject, each a valid option index")
    subjects = []
    for subject, (options, chosen) in enumerate(zip(layout, choices, strict=True)):
        slots, cts, total_r = [], [], bytes(32)
        for slot in range(options):
            m = int(slot == chosen)
            ct, r = encrypt(joint_key, m, rng)
            context = slot_context(joint_key, ballot_id, subject, slot)
            proof = zero_one_prove(joint_key, ct, m, r, context, rng)
            slots.append(ct.to_json() | proof.to_json())
            cts.append(ct)
            total_r = scalar_add(total_r, r)
        total = ciphertext_sum(cts)
        proof = sum_is_one_prove(joint_key, total, total_r, (joint_key, ballot_id, subject), rng)
        subjects.append({"slots": slots} | proof.to_json())
    return {"ballot": ballot_id, "subjects": subjects}


def sheet_verify(
    sheet: object, *, joint_key: Point, ballot_id: str, layout: list[int]
) -> list[list[Ciphertext]]:
    """Check every proof of a received sheet; returns its ciphertexts or raises CryptoError
    naming the first thing wrong (subject and slot are counted from 1 in messages)."""
    if not isinstance(sheet, dict) or set(sheet) != {"ballot", "subjects"}:
        raise CryptoError("sheet: expected exactly the keys ballot, subjects")
    if sheet["ballot"] != ballot_id:
        raise CryptoError("sheet: made for another ballot")
    subjects = sheet["subjects"]
    if not isinstance(subjects, list) or len(subjects) != len(layout):
        raise CryptoError(f"sheet: expected {len(layout)} subjects")
    result = []
    for i, (entry, options) in enumerate(zip(subjects, layout, strict=True)):
        where = f"subject {i + 1}"
        if not isinstance(entry, dict) or set(entry) != {"slots", "c", "s"}:
            raise CryptoError(f"{where}: expected exactly the keys slots, c, s")
        if not isinstance(entry["slots"], list) or len(entry["slots"]) != options:
            raise CryptoError(f"{where}: expected {options} slots")
        cts = []
        for j, raw in enumerate(entry["slots"]):
            at = f"{where} slot {j + 1}"
            if not isinstance(raw, dict) or set(raw) != {"a", "b", "c0", "c1", "s0", "s1"}:
                raise CryptoError(f"{at}: expected exactly the keys a, b, c0, c1, s0, s1")
            # Both points are checked by the proof's own multiplications (a^c0, b^c0);
            # only when it fails are they checked apart, to name an invalid point.
            ct = Ciphertext.from_json_unchecked({"a": raw["a"], "b": raw["b"]}, at)
            proof = ZeroOneProof.from_json({k: raw[k] for k in ("c0", "c1", "s0", "s1")}, at)
            context = slot_context(joint_key, ballot_id, i, j)
            if not zero_one_verify(joint_key, ct, proof, context):
                Ciphertext.from_json({"a": raw["a"], "b": raw["b"]}, at)
                raise CryptoError(f"{at}: the proof that it holds 0 or 1 does not check")
            cts.append(ct)
        sum_proof = EqualityProof.from_json({"c": entry["c"], "s": entry["s"]}, where)
        if not sum_is_one_verify(
            joint_key, ciphertext_sum(cts), sum_proof, (joint_key, ballot_id, i)
        ):
            raise CryptoError(f"{where}: the proof of exactly one choice does not check")
        result.append(cts)
    return result
