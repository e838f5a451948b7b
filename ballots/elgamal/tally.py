"""The count: add every sheet slot by slot, let k tellers decrypt only the sums.

Why only sums: a single sheet is never decrypted, not even by the tellers, because they
are only ever asked to decrypt the summed ciphertexts (the server posts those, and anyone
can recompute them from the published sheets).

Wire format of one teller's partial decryption: for every subject, for every slot,
{"d": a^(x_j), "c", "s"}, all hex.
"""

from .elgamal import ZERO, Ciphertext, DiscreteLog, ciphertext_add
from .group import CryptoError, Point, Rng, Scalar, point_from_hex, point_sub, random_scalar
from .proofs import EqualityProof
from .tellers import decryption_context, partial_decrypt, partial_verify, partials_combine


def tally_sum(sheets: list[list[list[Ciphertext]]], layout: list[int]) -> list[list[Ciphertext]]:
    """Slot-by-slot sum of verified sheets (as returned by `sheet_verify`)."""
    total = [[ZERO] * n for n in layout]
    for sheet in sheets:
        for i, subject in enumerate(sheet):
            for j, ct in enumerate(subject):
                total[i][j] = ciphertext_add(total[i][j], ct)
    return total


def tally_to_json(tally: list[list[Ciphertext]]) -> list[list[dict]]:
    return [[ct.to_json() for ct in subject] for subject in tally]


def tally_partial(
    *,
    secret: Scalar,
    tally: list[list[Ciphertext]],
    joint_key: Point,
    ballot_id: str,
    teller: int,
    rng: Rng = random_scalar,
) -> list[list[dict]]:
    """Teller `teller`'s partial decryption of every summed slot, with proofs."""
    result = []
    for i, subject in enumerate(tally):
        row = []
        for j, ct in enumerate(subject):
            context = decryption_context(joint_key, ballot_id, i, j, teller)
            d, proof = partial_decrypt(secret=secret, ciphertext=ct, context=context, rng=rng)
            row.append({"d": d.hex()} | proof.to_json())
        result.append(row)
    return result


def tally_partial_verify(
    *,
    key: Point,
    tally: list[list[Ciphertext]],
    partial: object,
    joint_key: Point,
    ballot_id: str,
    teller: int,
) -> list[list[Point]]:
    """Check one teller's partials against its verification key; returns the d points."""
    where = f"teller {teller}"
    if not isinstance(partial, list) or len(partial) != len(tally):
        raise CryptoError(f"{where}: expected {len(tally)} subjects")
    result = []
    for i, (row, subject) in enumerate(zip(partial, tally, strict=True)):
        if not isinstance(row, list) or len(row) != len(subject):
            raise CryptoError(f"{where} subject {i + 1}: expected {len(subject)} slots")
        points = []
        for j, (entry, ct) in enumerate(zip(row, subject, strict=True)):
            at = f"{where} subject {i + 1} slot {j + 1}"
            if not isinstance(entry, dict) or set(entry) != {"d", "c", "s"}:
                raise CryptoError(f"{at}: expected exactly the keys c, d, s")
            d = point_from_hex(entry["d"], at)
            proof = EqualityProof.from_json({"c": entry["c"], "s": entry["s"]}, at)
            context = decryption_context(joint_key, ballot_id, i, j, teller)
            if not partial_verify(key=key, ciphertext=ct, d=d, proof=proof, context=context):
                raise CryptoError(f"{at}: the proof of correct decryption does not check")
            points.append(d)
        result.append(points)
    return result


def tally_counts(
    tally: list[list[Ciphertext]], partials: dict[int, list[list[Point]]], maximum: int
) -> list[list[int]]:
    """Counts from k verified partials {teller index: points from `tally_partial_verify`}."""
    solver = DiscreteLog(maximum)
    counts = []
    for i, subject in enumerate(tally):
        row = []
        for j, ct in enumerate(subject):
            ax = partials_combine({t: points[i][j] for t, points in partials.items()})
            row.append(solver.solve(point_sub(ct.b, ax)))
        counts.append(row)
    return counts
