"""ristretto255 and the proofs of the election record, for verify_record.py: libsodium's
point and scalar operations (through pysodium's library handle), strict parsing of every
point and scalar, the Fiat–Shamir challenge and the two proof checks (Chaum–Pedersen
equality, a slot's 0-or-1 proof), and Lagrange weights. Written from the published
description (README.md), like verify_record.py, and importing only the standard library
and pysodium; keep the two files together.
"""

import ctypes
import hashlib
import json

import pysodium as sodium

PROTOCOL = "shuzhi-pingyi/elgamal/v2"
GROUP = "ristretto255"
L = 2**252 + 27742317777372353535851937790883648493
IDENTITY = bytes(32)
G = sodium.crypto_scalarmult_ristretto255_base((1).to_bytes(32, "little"))


def _direct(name):
    """libsodium's `name` (32-byte output first, 32-byte inputs) called without
    pysodium's wrapper, which checks the library's version on every call: a few hundred
    thousand calls for a ballot. Raises ValueError, as the wrapper does, when libsodium
    refuses (an encoding of no point, a product that is the identity). Every argument
    here is 32 bytes (spelled() or a previous result)."""
    function = getattr(sodium.sodium, name)
    out_type = ctypes.c_char * 32

    def call(*args):
        out = out_type()
        if function(out, *args) != 0:
            raise ValueError(name)
        return out.raw

    return call


add = _direct("crypto_core_ristretto255_add")
sub = _direct("crypto_core_ristretto255_sub")
_mul = _direct("crypto_scalarmult_ristretto255")
_gmul = _direct("crypto_scalarmult_ristretto255_base")


class Invalid(Exception):
    """The record is wrong; the message says where."""


def spelled(value, what):
    """64 lowercase hex digits as 32 bytes with bit 255 clear (RFC 9496's encodings are
    255 bits; libsodium 1.0.18 ignores that bit, so a point spelled with it would pass
    as a second spelling of the same point); not yet decoded."""
    if not isinstance(value, str) or len(value) != 64 or value != value.lower():
        raise Invalid(f"{what}: expected 64 lowercase hex digits")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise Invalid(f"{what}: expected 64 lowercase hex digits") from None
    if raw[31] & 0x80:
        raise Invalid(f"{what}: not a point of ristretto255")
    return raw


def point(value, what):
    raw = spelled(value, what)
    if raw == IDENTITY or not sodium.crypto_core_ristretto255_is_valid_point(raw):
        raise Invalid(f"{what}: not a point of ristretto255")
    return raw


def scalar(value, what):
    if not isinstance(value, str) or len(value) != 64 or value != value.lower():
        raise Invalid(f"{what}: expected 64 lowercase hex digits")
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        raise Invalid(f"{what}: expected 64 lowercase hex digits") from None
    if int.from_bytes(raw, "little") >= L:
        raise Invalid(f"{what}: scalar not reduced modulo L")
    return raw


def keys(value, expected, what):
    if not isinstance(value, dict) or set(value) != set(expected):
        raise Invalid(f"{what}: expected exactly the keys {', '.join(sorted(expected))}")
    return value


def listof(value, length, what):
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise Invalid(f"{what}: expected a list" + (f" of {length}" if length is not None else ""))
    return value


def gmul(s):
    return IDENTITY if s == bytes(32) else _gmul(s)


def mul(s, p):
    return _mul(s, p)  # raises on no point / identity


def num(n):
    return (n % L).to_bytes(32, "little")


def challenge(label, *items):
    h = hashlib.sha512()
    for value in (PROTOCOL, label, GROUP, *items):
        value = str(value) if isinstance(value, int) else value
        value = value.encode() if isinstance(value, str) else value
        h.update(len(value).to_bytes(4, "big") + value)
    return sodium.crypto_core_ristretto255_scalar_reduce(h.digest())


def equality_ok(label, p, x, y, c, s, context):
    """Chaum–Pedersen: log_g(x) == log_p(y)."""
    try:
        u = sub(gmul(s), mul(c, x))
        v = sub(mul(s, p), mul(c, y))
    except ValueError:
        return False
    return challenge(label, *context, x, p, y, u, v) == c


def zero_one_ok(h, a, b, c0, c1, s0, s1, context):
    try:
        a0, b0 = sub(gmul(s0), mul(c0, a)), sub(mul(s0, h), mul(c0, b))
        a1, b1 = sub(gmul(s1), mul(c1, a)), sub(mul(s1, h), mul(c1, sub(b, G)))
    except ValueError:
        return False
    expected = challenge("slot-is-0-or-1", *context, a, b, a0, b0, a1, b1)
    return sodium.crypto_core_ristretto255_scalar_add(c0, c1) == expected


def canonical(data):
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def at_index(commitments, j):
    value = commitments[-1]
    for p in reversed(commitments[:-1]):
        value = add(mul(num(j), value), p)
    return value


def lagrange(indices):
    weights = {}
    for j in indices:
        num_, den = num(1), num(1)
        for m in indices:
            if m != j:
                num_ = sodium.crypto_core_ristretto255_scalar_mul(num_, num(m))
                den = sodium.crypto_core_ristretto255_scalar_mul(den, num(m - j))
        weights[j] = sodium.crypto_core_ristretto255_scalar_mul(
            num_, sodium.crypto_core_ristretto255_scalar_invert(den)
        )
    return weights
