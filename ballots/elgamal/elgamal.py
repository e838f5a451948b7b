"""Exponential ElGamal: (g^r, h^r · g^m). Adding ciphertexts adds their plaintexts.

Why exponential: the plaintext sits in the exponent, so the sum of every sheet's slot is
an encryption of that slot's count, and only the sum is ever decrypted. The price is a
discrete logarithm at the end, which is cheap because a count is at most the number of
voters (`DiscreteLog`, baby-step giant-step over one shared table).
"""

import math
from dataclasses import dataclass

from .group import (
    BASE,
    IDENTITY,
    CryptoError,
    Point,
    Rng,
    Scalar,
    base_mul,
    mul,
    point_add,
    point_from_hex,
    point_hex_spelling,
    point_sub,
    random_scalar,
    scalar_from_int,
)


@dataclass(frozen=True)
class Ciphertext:
    a: Point  # g^r
    b: Point  # h^r · g^m

    def to_json(self) -> dict:
        return {"a": self.a.hex(), "b": self.b.hex()}

    @classmethod
    def from_json(cls, data: object, what: str = "ciphertext") -> "Ciphertext":
        if not isinstance(data, dict) or set(data) != {"a", "b"}:
            raise CryptoError(f"{what}: expected exactly the keys a, b")
        return cls(point_from_hex(data["a"], f"{what}.a"), point_from_hex(data["b"], f"{what}.b"))

    @classmethod
    def from_json_unchecked(cls, data: object, what: str = "ciphertext") -> "Ciphertext":
        """The two points' spelling only (64 lowercase hex digits), not yet their validity.

        For a verifier whose next step multiplies both points by a scalar: the spelling
        check refuses bit 255, and libsodium's ristretto255 multiplication then decodes
        each point as `point_from_hex` does (refusing a non-canonical field element or an
        encoding of no point) and refuses the identity (its product is the identity), so
        checking first would decode every point twice. Such a caller
        must treat a refused multiplication as a failed check (zero_one_verify does) and
        use no point whose proof did not check."""
        if not isinstance(data, dict) or set(data) != {"a", "b"}:
            raise CryptoError(f"{what}: expected exactly the keys a, b")
        return cls(
            point_hex_spelling(data["a"], f"{what}.a"), point_hex_spelling(data["b"], f"{what}.b")
        )


ZERO = Ciphertext(IDENTITY, IDENTITY)


def encrypt(h: Point, m: int, rng: Rng = random_scalar) -> tuple[Ciphertext, Scalar]:
    """Encrypt a small non-negative m under h; also returns r, which proofs need."""
    r = rng()
    b = mul(r, h)
    if m:
        b = point_add(b, base_mul(scalar_from_int(m)))
    return Ciphertext(base_mul(r), b), r


def ciphertext_add(x: Ciphertext, y: Ciphertext) -> Ciphertext:
    return Ciphertext(point_add(x.a, y.a), point_add(x.b, y.b))


def ciphertext_sum(items) -> Ciphertext:
    total = None
    for c in items:
        total = c if total is None else ciphertext_add(total, c)
    return total or ZERO


def decrypt_to_point(x: Scalar, c: Ciphertext) -> Point:
    """g^m with the whole secret key: for tests only; a real ballot never holds x."""
    return point_sub(c.b, mul(x, c.a))


class DiscreteLog:
    """Solves g^m -> m for 0 <= m <= maximum by baby-step giant-step.

    One table of ceil(sqrt(maximum + 1)) baby steps serves every slot of a tally, so
    100,000 voters cost 317 additions once and at most 317 subtractions per slot.
    """

    def __init__(self, maximum: int):
        self.maximum = maximum
        self.step = math.isqrt(maximum) + 1
        self.table: dict[bytes, int] = {}
        p = IDENTITY
        for j in range(self.step):
            self.table[p] = j
            p = point_add(p, BASE)
        self.giant = base_mul(scalar_from_int(self.step))

    def solve(self, point: Point) -> int:
        p = point
        for i in range(self.step + 1):
            j = self.table.get(p)
            if j is not None and i * self.step + j <= self.maximum:
                return i * self.step + j
            p = point_sub(p, self.giant)
        raise CryptoError(f"decrypted value is not a count between 0 and {self.maximum}")
