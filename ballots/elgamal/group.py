"""The group: ed25519's prime-order subgroup, through libsodium's core operations (PyNaCl).

Why libsodium and not our own arithmetic: every point and scalar operation here is one
call into an audited constant-time library, and the browser does the same with
`@noble/curves`. This module only names those calls, parses what arrives from outside
(hex on the wire) and defines the one hash-to-scalar that provers and verifiers share.

Why every received point goes through `point_from_hex`: libsodium's
`crypto_core_ed25519_is_valid_point` refuses non-canonical encodings, the identity, the
small-order points and anything outside the prime-order subgroup. A proof over a point
with a torsion component could be made to verify for a false statement, so nothing
received is ever used before this check. Scalars must be canonical (< L) for the same
reason trackers must be unique: `s` and `s + L` are the same proof in two spellings.

The identity cannot be sent (it is not a valid point), but it can arise inside a
computation (g^0 when a count is 0); `point_add`/`point_sub` handle it, and a scalar
multiplication that would produce it (libsodium refuses) raises `CryptoError`, which a
verifier reports as a failed check.
"""

import hashlib
import itertools
import os
from collections.abc import Callable

import nacl.bindings as sodium
from nacl.exceptions import CryptoError as SodiumError

PROTOCOL = "shuzhi-pingyi/elgamal/v1"
GROUP = "ed25519"
# The order of the prime-order subgroup (RFC 8032, "L").
L = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes([1]) + bytes(31)
BASE = sodium.crypto_scalarmult_ed25519_base_noclamp((1).to_bytes(32, "little"))

Point = bytes
Scalar = bytes
Rng = Callable[[], Scalar]


class CryptoError(ValueError):
    """Anything received that is malformed, or any proof or share that does not check."""


def point_from_hex(value: object, what: str = "point") -> Point:
    """A received point: 64 lowercase hex digits of a valid prime-order-subgroup point."""
    raw = _hex32(value, what)
    if not sodium.crypto_core_ed25519_is_valid_point(raw):
        raise CryptoError(f"{what}: not a point of the prime-order subgroup")
    return raw


def point_hex_spelling(value: object, what: str = "point") -> bytes:
    """32 bytes from 64 lowercase hex digits, not yet checked to be a valid point (see
    Ciphertext.from_json_unchecked for the one caller and why)."""
    return _hex32(value, what)


def scalar_from_hex(value: object, what: str = "scalar") -> Scalar:
    """A received scalar: 64 lowercase hex digits, little-endian, canonical (< L)."""
    raw = _hex32(value, what)
    if int.from_bytes(raw, "little") >= L:
        raise CryptoError(f"{what}: scalar not reduced modulo L")
    return raw


def _hex32(value: object, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64 or value != value.lower():
        raise CryptoError(f"{what}: expected 64 lowercase hex digits")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise CryptoError(f"{what}: expected 64 lowercase hex digits") from None


def scalar_from_int(n: int) -> Scalar:
    """A small public integer (an index, a count) as a scalar."""
    return (n % L).to_bytes(32, "little")


def base_mul(s: Scalar) -> Point:
    """g^s. A zero scalar gives the identity, which libsodium's call refuses to return."""
    if s == bytes(32):
        return IDENTITY
    return sodium.crypto_scalarmult_ed25519_base_noclamp(s)


def mul(s: Scalar, p: Point) -> Point:
    """p^s (written multiplicatively). libsodium re-checks that p is in the subgroup."""
    try:
        return sodium.crypto_scalarmult_ed25519_noclamp(s, p)
    except SodiumError as error:
        raise CryptoError("scalar multiplication gave the identity or an invalid point") from error


def point_add(p: Point, q: Point) -> Point:
    try:
        return sodium.crypto_core_ed25519_add(p, q)
    except SodiumError as error:  # an encoding that is no point at all
        raise CryptoError("point addition on an invalid point") from error


def point_sub(p: Point, q: Point) -> Point:
    try:
        return sodium.crypto_core_ed25519_sub(p, q)
    except SodiumError as error:
        raise CryptoError("point subtraction on an invalid point") from error


def point_sum(points) -> Point:
    total = IDENTITY
    for p in points:
        total = sodium.crypto_core_ed25519_add(total, p)
    return total


scalar_add = sodium.crypto_core_ed25519_scalar_add
scalar_sub = sodium.crypto_core_ed25519_scalar_sub
scalar_mul = sodium.crypto_core_ed25519_scalar_mul
scalar_neg = sodium.crypto_core_ed25519_scalar_negate
scalar_inv = sodium.crypto_core_ed25519_scalar_invert


def _item(value: bytes | str | int) -> bytes:
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        value = value.encode()
    return len(value).to_bytes(4, "big") + value


def transcript(label: str, *items: bytes | str | int) -> bytes:
    """SHA-512 of length-prefixed items, after the protocol, the label and the group.

    Length prefixes make the encoding injective (no two different item lists hash the
    same bytes); the label separates the proof kinds so that no proof can be replayed as
    another kind. Integers are hashed as decimal text, points and scalars as their 32 bytes.
    """
    h = hashlib.sha512()
    for value in (PROTOCOL, label, GROUP, *items):
        h.update(_item(value))
    return h.digest()


def hash_to_scalar(label: str, *items: bytes | str | int) -> Scalar:
    """The Fiat–Shamir challenge: the transcript's 64 bytes reduced modulo L (uniform)."""
    return sodium.crypto_core_ed25519_scalar_reduce(transcript(label, *items))


def random_scalar() -> Scalar:
    """A uniform non-zero scalar from the OS's random source (64 bytes reduced: no bias)."""
    while True:
        s = sodium.crypto_core_ed25519_scalar_reduce(os.urandom(64))
        if s != bytes(32):
            return s


def seeded_rng(seed: str) -> Rng:
    """Deterministic scalars for published test vectors only: the i-th is H("test-rng", seed, i).

    The JavaScript side implements the same sequence, so a vector made here with a seed is
    rebuilt there byte for byte. Never used for a real ballot.
    """
    counter = itertools.count()

    def draw() -> Scalar:
        while True:
            s = hash_to_scalar("test-rng", seed, next(counter))
            if s != bytes(32):
                return s

    return draw
