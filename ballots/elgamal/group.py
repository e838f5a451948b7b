"""The group: ristretto255 (RFC 9496), through libsodium's core operations (pysodium).

Why ristretto255: it is a group of prime order L by construction, built on ed25519's
curve, so every valid encoding is a group element and there is no cofactor, no torsion
and no small-order point to rule out (ed25519's subgroup needed a subgroup check on every
received point and, inside libsodium, again on every multiplication: 40 % of a sheet's
verification). Each element has exactly one encoding, which is what the hashes,
trackers and sums rely on.

Why libsodium and not our own arithmetic: every point and scalar operation here is one
call into an audited constant-time library, and the browser does the same with
`@noble/curves`' `ristretto255`. pysodium is a ctypes wrapper over the system's
libsodium; every call here goes to `pysodium.sodium.<function>` directly, with a fresh
32-byte output buffer each (safe across threads): pysodium's own wrappers check the
library's version on every call. This module only names those calls, parses what
arrives from outside (hex on the wire) and defines the one hash-to-scalar that provers
and verifiers share.

Why every received point goes through `point_from_hex`: libsodium's
`crypto_core_ristretto255_is_valid_point` refuses non-canonical encodings (a field
element not reduced, a negative one) and strings that decode to no point at all; bit
255, which libsodium 1.0.18 ignores, is checked here (`point_hex_spelling`); the
identity (32 zero bytes) is a valid encoding and is refused here too, since no honest
party ever sends it. Scalars must be canonical (< L) for the same reason trackers must
be unique: `s` and `s + L` are the same proof in two spellings.

The identity can arise inside a computation (g^0 when a count is 0); `point_add` and
`point_sub` handle it, and a scalar multiplication that would produce it (libsodium
refuses) raises `CryptoError`, which a verifier reports as a failed check.
"""

import ctypes
import hashlib
import itertools
import os
from collections.abc import Callable

import pysodium

PROTOCOL = "shuzhi-pingyi/elgamal/v2"
# v2: ristretto255 (v1 was ed25519's prime-order subgroup).
GROUP = "ristretto255"
# The order of the group (RFC 9496: the order of ed25519's prime-order subgroup, "L").
L = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes(32)

Point = bytes
Scalar = bytes
Rng = Callable[[], Scalar]

_sodium = pysodium.sodium
_is_valid_point = _sodium.crypto_core_ristretto255_is_valid_point
_scalarmult = _sodium.crypto_scalarmult_ristretto255
_scalarmult_base = _sodium.crypto_scalarmult_ristretto255_base
_add = _sodium.crypto_core_ristretto255_add
_sub = _sodium.crypto_core_ristretto255_sub
_Out = ctypes.c_char * 32  # a fresh output buffer per call: no state shared across threads


class CryptoError(ValueError):
    """Anything received that is malformed, or any proof or share that does not check."""


def _base(s: Scalar) -> Point:
    out = _Out()
    if len(s) != 32 or _scalarmult_base(out, s) != 0:
        raise CryptoError("scalar multiplication gave the identity")
    return out.raw


BASE = _base((1).to_bytes(32, "little"))


def point_from_hex(value: object, what: str = "point") -> Point:
    """A received point: 64 lowercase hex digits, the canonical encoding of a
    ristretto255 element other than the identity."""
    raw = point_hex_spelling(value, what)
    if raw == IDENTITY or _is_valid_point(raw) != 1:
        raise CryptoError(f"{what}: not a point of ristretto255")
    return raw


def point_hex_spelling(value: object, what: str = "point") -> bytes:
    """32 bytes from 64 lowercase hex digits with bit 255 clear, not yet decoded (see
    Ciphertext.from_json_unchecked for the one caller and why).

    Why bit 255 here: RFC 9496 encodings are 255-bit field elements, so a set top bit is
    a second spelling of the same element, but libsodium 1.0.18 (Debian 12's) ignores
    that bit when decoding: its is_valid_point and its arithmetic accept it. Refused
    here, every point received has one spelling, as noble's decoding requires too."""
    raw = _hex32(value, what)
    if raw[31] & 0x80:
        raise CryptoError(f"{what}: not a point of ristretto255")
    return raw


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
    if s == IDENTITY:  # the zero scalar has the same 32 bytes
        return IDENTITY
    return _base(s)


def mul(s: Scalar, p: Point) -> Point:
    """p^s (written multiplicatively). libsodium decodes p (refusing an encoding that is
    not canonical or no point) and refuses a result that is the identity."""
    out = _Out()
    if len(s) != 32 or len(p) != 32 or _scalarmult(out, s, p) != 0:
        raise CryptoError("scalar multiplication on an invalid point or giving the identity")
    return out.raw


def point_add(p: Point, q: Point) -> Point:
    out = _Out()
    if len(p) != 32 or len(q) != 32 or _add(out, p, q) != 0:
        raise CryptoError("point addition on an invalid point")
    return out.raw


def point_sub(p: Point, q: Point) -> Point:
    out = _Out()
    if len(p) != 32 or len(q) != 32 or _sub(out, p, q) != 0:
        raise CryptoError("point subtraction on an invalid point")
    return out.raw


def point_sum(points) -> Point:
    total = IDENTITY
    for n, p in enumerate(points):
        total = p if n == 0 else point_add(total, p)
    return total


def _scalar_op(name: str, checked: bool = False) -> Callable[..., Scalar]:
    """A libsodium scalar function modulo L, called directly (pysodium's wrappers check
    the library's version on every call): 32-byte arguments, 32-byte result. Only a
    `checked` function returns a status; the others are void in C, so ctypes' int result
    means nothing."""
    function = getattr(_sodium, f"crypto_core_ristretto255_scalar_{name}")

    def op(*args: Scalar) -> Scalar:
        if any(len(x) != 32 for x in args):
            raise CryptoError("a scalar is 32 bytes")
        out = _Out()
        status = function(out, *args)
        if checked and status != 0:
            raise CryptoError(f"scalar {name} failed")
        return out.raw

    op.__name__ = f"scalar_{name}"
    return op


scalar_add = _scalar_op("add")
scalar_sub = _scalar_op("sub")
scalar_mul = _scalar_op("mul")
scalar_neg = _scalar_op("negate")
scalar_inv = _scalar_op("invert", checked=True)  # refuses 0


def scalar_reduce(wide: bytes) -> Scalar:
    """64 bytes as a little-endian integer, reduced modulo L (uniform for random input)."""
    if len(wide) != 64:
        raise CryptoError("a wide scalar is 64 bytes")
    out = _Out()
    _sodium.crypto_core_ristretto255_scalar_reduce(out, wide)
    return out.raw


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
    return scalar_reduce(transcript(label, *items))


def random_scalar() -> Scalar:
    """A uniform non-zero scalar from the OS's random source (64 bytes reduced: no bias)."""
    while True:
        s = scalar_reduce(os.urandom(64))
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
