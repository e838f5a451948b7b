"""Deterministic test vectors of `ballots.elgamal`, for the JavaScript side and the verifier.

Why deterministic: with the seeded random source both implementations must produce the
same bytes, so the browser's encoder is checked against Python's, not only its output
against Python's verifier. `python -m tests.ballots.elgamal_vectors` rewrites
`tests/ballots/vectors/*.json`; `test_elgamal_vectors.py` fails if they are stale.
"""

import json
from pathlib import Path

from ballots.elgamal.elgamal import Ciphertext, encrypt
from ballots.elgamal.group import (
    BASE,
    IDENTITY,
    L,
    hash_to_scalar,
    point_add,
    scalar_add,
    seeded_rng,
)
from ballots.elgamal.keyfile import keyfile_seal
from ballots.elgamal.proofs import sum_is_one_prove, zero_one_prove
from ballots.elgamal.sheet import sheet_encrypt, sheet_verify, tracker
from ballots.elgamal.tally import tally_counts, tally_partial, tally_partial_verify, tally_sum
from ballots.elgamal.tellers import (
    joint_key,
    polynomial_at,
    share_open,
    share_seal,
    teller_start,
    verification_key,
)

VECTORS = Path(__file__).parent / "vectors"
BALLOT = "ballot:test-vectors:1"
N, K = 3, 2
LAYOUT = [3, 4, 2]
# Encodings that every parser must refuse: the identity (a valid encoding, refused as no
# honest party sends it), and from RFC 9496's bad encodings (appendix A.2) a non-canonical
# field element (s = p), a negative one (s odd), one whose x^2 is no square, one giving a
# negative x·y, and s = -1 (y = 0); last an ed25519 point (its base point), which is no
# ristretto255 encoding: a sheet of protocol v1 is refused, not misread.
NON_CANONICAL = "ed" + "ff" * 30 + "7f"
BAD_POINTS = {
    "identity": "00" * 32,
    "non-canonical": NON_CANONICAL,
    "negative": "01" + "00" * 31,
    "non-square": "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
    "negative xy": "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
    "s = -1": "ec" + "ff" * 30 + "7f",
    "ed25519 base point": "58" + "66" * 31,
}


def top_bit_set(point_hex: str) -> str:
    """A second spelling of a valid point: bit 255, which no canonical encoding uses."""
    raw = bytearray.fromhex(point_hex)
    raw[31] |= 0x80
    return raw.hex()


def ceremony(ballot_id: str, n: int, k: int) -> tuple[list, dict[int, bytes]]:
    """A whole key ceremony in one process, with real randomness: for tests only (a real
    ballot runs each teller in its own browser). Returns the publics and every x_j."""
    starts = {i: teller_start(ballot_id=ballot_id, n=n, k=k, index=i) for i in range(1, n + 1)}
    publics = [starts[i][2] for i in sorted(starts)]
    secrets = {}
    for j in starts:
        x = bytes(32)
        for i in starts:
            x = scalar_add(x, polynomial_at(starts[i][0], j))
        secrets[j] = x
    return publics, secrets


def _dkg() -> tuple[dict, dict[int, bytes]]:
    starts = {
        i: teller_start(ballot_id=BALLOT, n=N, k=K, index=i, rng=seeded_rng(f"dkg-teller-{i}"))
        for i in range(1, N + 1)
    }
    publics = [starts[i][2] for i in sorted(starts)]
    shares, secrets = [], {}
    for j in range(1, N + 1):
        x = bytes(32)
        for i in range(1, N + 1):
            share = polynomial_at(starts[i][0], j)
            sealed = share_seal(
                ballot_id=BALLOT,
                sender=i,
                recipient=j,
                ephemeral=publics[j - 1].ephemeral,
                share=share,
                rng=seeded_rng(f"share-{i}-{j}"),
            )
            opened = share_open(
                ballot_id=BALLOT,
                sender=i,
                recipient=j,
                ephemeral_secret=starts[j][1],
                sealed=sealed,
            )
            assert opened == share
            shares.append({"sender": i, "recipient": j, "share": share.hex(), "sealed": sealed})
            x = scalar_add(x, share)
        secrets[j] = x
    dkg = {
        "ballot": BALLOT, "n": N, "k": K,
        "tellers": [
            {
                "published": starts[i][2].to_json(),
                "coefficients": [a.hex() for a in starts[i][0]],
                "ephemeral_secret": starts[i][1].hex(),
            }
            for i in sorted(starts)
        ],
        "shares": shares,
        "secrets": {str(j): x.hex() for j, x in secrets.items()},
        "verification_keys": {str(j): verification_key(publics, j).hex() for j in secrets},
        "joint_key": joint_key(publics).hex(),
        "key_file": {
            "passphrase": "demo12345",
            "file": keyfile_seal(
                ballot_id=BALLOT, teller=1, secret=secrets[1], passphrase="demo12345",
                iterations=100_000, salt=bytes(range(16)), nonce=bytes(range(12)),
            ),
        },
    }  # fmt: skip
    return dkg, secrets


def _sheets(h: bytes, secrets: dict[int, bytes], dkg: dict) -> dict:
    choices = [[0, 3, 1], [2, 0, 0], [1, 1, 1], [0, 2, 1]]
    sheets = []
    for n, chosen in enumerate(choices):
        sheet = sheet_encrypt(
            joint_key=h, ballot_id=BALLOT, layout=LAYOUT, choices=chosen,
            rng=seeded_rng(f"sheet-{n}"),
        )  # fmt: skip
        sheets.append(
            {"seed": f"sheet-{n}", "choices": chosen, "sheet": sheet, "tracker": tracker(sheet)}
        )
    verified = [
        sheet_verify(s["sheet"], joint_key=h, ballot_id=BALLOT, layout=LAYOUT) for s in sheets
    ]
    total = tally_sum(verified, LAYOUT)
    partials, points = {}, {}
    for t in (1, 3):
        partial = tally_partial(
            secret=secrets[t], tally=total, joint_key=h, ballot_id=BALLOT, teller=t,
            rng=seeded_rng(f"partial-{t}"),
        )  # fmt: skip
        partials[str(t)] = {"seed": f"partial-{t}", "partial": partial}
        points[t] = tally_partial_verify(
            key=bytes.fromhex(dkg["verification_keys"][str(t)]), tally=total, partial=partial,
            joint_key=h, ballot_id=BALLOT, teller=t,
        )  # fmt: skip
    return {
        "ballot": BALLOT, "joint_key": h.hex(), "layout": LAYOUT, "sheets": sheets,
        "tally": [[ct.to_json() for ct in row] for row in total],
        "partials": partials, "counts": tally_counts(total, points, len(sheets)),
    }  # fmt: skip


def forged_subject(h: bytes, plain: list[int], subject: int, seed: str) -> dict:
    """A subject whose slots encrypt `plain` (possibly 2, or two 1s), with proofs made as
    an honest prover would for the nearest valid claim: what a cheating browser sends."""
    rng = seeded_rng(seed)
    slots, cts, total_r = [], [], bytes(32)
    for slot, m in enumerate(plain):
        ct, r = encrypt(h, m, rng)
        proof = zero_one_prove(h, ct, min(m, 1), r, (h, BALLOT, subject, slot), rng)
        slots.append(ct.to_json() | proof.to_json())
        cts.append(ct)
        total_r = scalar_add(total_r, r)
    a = b = IDENTITY
    for ct in cts:
        a, b = point_add(a, ct.a), point_add(b, ct.b)
    proof = sum_is_one_prove(h, Ciphertext(a, b), total_r, (h, BALLOT, subject), rng)
    return {"slots": slots} | proof.to_json()


def _negative(h: bytes, good: dict, other_key: str) -> dict:
    def variant(name: str, error: str, change, **verify_with) -> dict:
        sheet = json.loads(json.dumps(good))
        change(sheet)
        return {"name": name, "error": error, "sheet": sheet, "verify_with": verify_with}

    def put(path, value):
        def change(sheet):
            node = sheet
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value

        return change

    def swap_slots(sheet):
        slots = sheet["subjects"][1]["slots"]
        slots[0], slots[1] = slots[1], slots[0]

    def copy_subject(sheet):
        sheet["subjects"][2] = json.loads(json.dumps(sheet["subjects"][0]))
        sheet["subjects"][2]["slots"] = sheet["subjects"][2]["slots"][:2]

    sheet_slot = ("subjects", 0, "slots", 1)
    s0 = int.from_bytes(bytes.fromhex(good["subjects"][0]["slots"][1]["s0"]), "little")
    non_canonical = (s0 + L).to_bytes(32, "little").hex()  # the same scalar, spelled + L
    cases = [
        variant("a slot encrypting 2", "subject 1 slot 1: the proof that it holds 0 or 1",
                put(("subjects", 0), forged_subject(h, [2, 0, 0], 0, "forge-2"))),
        variant("two 1s for one subject", "subject 2: the proof of exactly one choice",
                put(("subjects", 1), forged_subject(h, [1, 1, 0, 0], 1, "forge-11"))),
        variant("a negative vote", "subject 1 slot 1: the proof that it holds 0 or 1",
                put(("subjects", 0), forged_subject(h, [(L - 1), 1, 1], 0, "forge-neg"))),
        variant("the ballot id changed", "subject 1 slot 1: the proof",
                put(("ballot",), "ballot:test-vectors:2"), ballot="ballot:test-vectors:2"),
        variant("another joint key", "subject 1 slot 1: the proof", lambda sheet: None,
                joint_key=other_key),
        variant("a non-canonical encoding", "subject 1 slot 2.a: not a point",
                put((*sheet_slot, "a"), NON_CANONICAL)),
        variant("the identity as a point", "subject 1 slot 2.b: not a point",
                put((*sheet_slot, "b"), BAD_POINTS["identity"])),
        variant("a valid point with its unused top bit set", "subject 1 slot 2.b: not a point",
                put((*sheet_slot, "b"), top_bit_set(good["subjects"][0]["slots"][1]["b"]))),
        variant("a proof replayed on another slot", "subject 2 slot 1: the proof", swap_slots),
        variant("a subject copied onto another", "subject 3 slot 1: the proof", copy_subject),
        variant("an unreduced scalar", "subject 1 slot 2.s0: scalar not reduced",
                put((*sheet_slot, "s0"), non_canonical)),
        variant("an extra key", "sheet: expected exactly the keys",
                put(("voter",), "member 7")),
        variant("a missing subject", "sheet: expected 3 subjects",
                lambda sheet: sheet["subjects"].pop()),
    ]  # fmt: skip
    return {"ballot": BALLOT, "joint_key": h.hex(), "layout": LAYOUT, "cases": cases}


def _group() -> dict:
    items = [["joint", "ballot:x", 0, 3], ["", "中文 ballot", 123456789], [bytes(32).hex()]]
    hashes = []
    for n, raw in enumerate(items):
        parts = [bytes.fromhex(x) if isinstance(x, str) and len(x) == 64 else x for x in raw]
        hashes.append({
            "label": f"label-{n}",
            "items": [{"hex": p.hex()} if isinstance(p, bytes) else {"int": p} if isinstance(p, int) else {"str": p} for p in parts],
            "scalar": hash_to_scalar(f"label-{n}", *parts).hex(),
        })  # fmt: skip
    rng = seeded_rng("vector")
    return {
        "base": BASE.hex(),
        "hashes": hashes,
        "rng": {"seed": "vector", "scalars": [rng().hex() for _ in range(4)]},
        "bad_points": BAD_POINTS,
    }


def build() -> dict[str, dict]:
    dkg, secrets = _dkg()
    h = bytes.fromhex(dkg["joint_key"])
    sheets = _sheets(h, secrets, dkg)
    other = bytes.fromhex(dkg["verification_keys"]["1"]).hex()
    negative = _negative(h, sheets["sheets"][0]["sheet"], other)
    return {"group": _group(), "dkg": dkg, "sheets": sheets, "negative": negative}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    VECTORS.mkdir(exist_ok=True)
    for name, data in build().items():
        (VECTORS / f"{name}.json").write_text(render(data))
        print(f"wrote {VECTORS / name}.json")
