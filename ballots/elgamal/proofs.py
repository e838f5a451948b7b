"""Zero-knowledge proofs, non-interactive by Fiat–Shamir, in compact (challenge, response) form.

Every proof sends scalars only; the verifier recomputes the commitments from the
statement and checks that hashing them (with every public input: protocol, group,
joint key, ballot, position, statement) gives back the challenge. Hashing the statement
is what stops a proof from being re-randomised with its ciphertext, and hashing the
position (subject, slot, teller) is what stops it from being replayed elsewhere.

`context` is the list of public inputs fixed by the caller, e.g. (joint key, ballot id,
subject index, slot index); each proof kind has its own label.
"""

from dataclasses import dataclass

from .elgamal import Ciphertext
from .group import (
    BASE,
    CryptoError,
    Point,
    Rng,
    Scalar,
    base_mul,
    hash_to_scalar,
    mul,
    point_add,
    point_sub,
    random_scalar,
    scalar_add,
    scalar_from_hex,
    scalar_mul,
    scalar_neg,
    scalar_sub,
)

LABEL_ZERO_OR_ONE = "slot-is-0-or-1"
LABEL_SUM_IS_ONE = "subject-sums-to-1"
LABEL_DECRYPTION = "partial-decryption"
LABEL_KNOWLEDGE = "coefficient-knowledge"


def _scalars(data: object, keys: tuple[str, ...], what: str) -> list[Scalar]:
    if not isinstance(data, dict) or set(data) != set(keys):
        raise CryptoError(f"{what}: expected exactly the keys {', '.join(keys)}")
    return [scalar_from_hex(data[k], f"{what}.{k}") for k in keys]


@dataclass(frozen=True)
class ZeroOneProof:
    """CDS disjunction: (g, h, a, b) or (g, h, a, b/g) is a Diffie–Hellman tuple."""

    c0: Scalar
    c1: Scalar
    s0: Scalar
    s1: Scalar

    def to_json(self) -> dict:
        return {"c0": self.c0.hex(), "c1": self.c1.hex(), "s0": self.s0.hex(), "s1": self.s1.hex()}

    @classmethod
    def from_json(cls, data: object, what: str = "proof") -> "ZeroOneProof":
        return cls(*_scalars(data, ("c0", "c1", "s0", "s1"), what))


def zero_one_prove(
    h: Point, ct: Ciphertext, m: int, r: Scalar, context: tuple, rng: Rng = random_scalar
) -> ZeroOneProof:
    """Prove ct encrypts m in {0, 1}, knowing r.

    The simulated branch j = 1 - m would need p^c for the voter's own points; since the
    prover knows r and m, a^c = g^(rc) and (b / g^j)^c = h^(rc) · g^(c(m - j)), so every
    multiplication is by g or h and the result is identical to the textbook one.
    Random draws, in order: w (real branch), c_j, s_j (simulated branch).
    """
    if m not in (0, 1):
        raise CryptoError("a slot holds 0 or 1")
    j = 1 - m
    w, c_fake, s_fake = rng(), rng(), rng()
    t = scalar_sub(s_fake, scalar_mul(c_fake, r))
    shift = c_fake if m < j else scalar_neg(c_fake)  # g^(-c (m - j))
    fake = (base_mul(t), point_add(mul(t, h), base_mul(shift)))
    real = (base_mul(w), mul(w, h))
    commits = (real, fake) if m == 0 else (fake, real)
    c = hash_to_scalar(LABEL_ZERO_OR_ONE, *context, ct.a, ct.b, *commits[0], *commits[1])
    c_real = scalar_sub(c, c_fake)
    s_real = scalar_add(w, scalar_mul(c_real, r))
    if m == 0:
        return ZeroOneProof(c_real, c_fake, s_real, s_fake)
    return ZeroOneProof(c_fake, c_real, s_fake, s_real)


def zero_one_verify(h: Point, ct: Ciphertext, proof: ZeroOneProof, context: tuple) -> bool:
    try:
        shifted = point_sub(ct.b, BASE)
        a0 = point_sub(base_mul(proof.s0), mul(proof.c0, ct.a))
        b0 = point_sub(mul(proof.s0, h), mul(proof.c0, ct.b))
        a1 = point_sub(base_mul(proof.s1), mul(proof.c1, ct.a))
        b1 = point_sub(mul(proof.s1, h), mul(proof.c1, shifted))
    except CryptoError:
        return False
    c = hash_to_scalar(LABEL_ZERO_OR_ONE, *context, ct.a, ct.b, a0, b0, a1, b1)
    return scalar_add(proof.c0, proof.c1) == c


@dataclass(frozen=True)
class EqualityProof:
    """Chaum–Pedersen: log_g(x) == log_p(y), for one secret."""

    c: Scalar
    s: Scalar

    def to_json(self) -> dict:
        return {"c": self.c.hex(), "s": self.s.hex()}

    @classmethod
    def from_json(cls, data: object, what: str = "proof") -> "EqualityProof":
        return cls(*_scalars(data, ("c", "s"), what))


def equality_prove(
    label: str, p: Point, x: Point, y: Point, secret: Scalar, context: tuple, rng: Rng
) -> EqualityProof:
    """Prove x = g^secret and y = p^secret. Random draws: w."""
    w = rng()
    c = hash_to_scalar(label, *context, x, p, y, base_mul(w), mul(w, p))
    return EqualityProof(c, scalar_add(w, scalar_mul(c, secret)))


def equality_verify(
    label: str, p: Point, x: Point, y: Point, proof: EqualityProof, context: tuple
) -> bool:
    try:
        u = point_sub(base_mul(proof.s), mul(proof.c, x))
        v = point_sub(mul(proof.s, p), mul(proof.c, y))
    except CryptoError:
        return False
    return hash_to_scalar(label, *context, x, p, y, u, v) == proof.c


def sum_is_one_prove(
    h: Point, total: Ciphertext, r: Scalar, context: tuple, rng: Rng = random_scalar
) -> EqualityProof:
    """The subject's slots, added, encrypt exactly 1: (g^R, h^R · g) with R the sum of r."""
    return equality_prove(LABEL_SUM_IS_ONE, h, total.a, point_sub(total.b, BASE), r, context, rng)


def sum_is_one_verify(h: Point, total: Ciphertext, proof: EqualityProof, context: tuple) -> bool:
    return equality_verify(LABEL_SUM_IS_ONE, h, total.a, point_sub(total.b, BASE), proof, context)


def knowledge_prove(secret: Scalar, point: Point, context: tuple, rng: Rng) -> EqualityProof:
    """Schnorr proof of knowledge of log_g(point): a teller cannot publish a key it
    derived from the others' (a rogue key), because it would not know its logarithm.
    Random draws: w."""
    w = rng()
    c = hash_to_scalar(LABEL_KNOWLEDGE, *context, point, base_mul(w))
    return EqualityProof(c, scalar_add(w, scalar_mul(c, secret)))


def knowledge_verify(point: Point, proof: EqualityProof, context: tuple) -> bool:
    try:
        u = point_sub(base_mul(proof.s), mul(proof.c, point))
    except CryptoError:
        return False
    return hash_to_scalar(LABEL_KNOWLEDGE, *context, point, u) == proof.c
