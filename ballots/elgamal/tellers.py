"""Tellers (监票人), k of n: distributed key generation and shared decryption.

Key generation (Pedersen's DKG, as Belenios' threshold mode): teller i (numbered 1..n)
picks a random polynomial f_i of degree k-1, publishes g^(coefficient) for each
coefficient with a proof that it knows the constant term, and an ephemeral public key
for receiving shares. It then sends f_i(j) to every teller j, encrypted to j's ephemeral
key (`share_seal`). Teller j checks each share against the sender's commitments
(`share_verify`) and keeps x_j = sum of the shares it received. Nobody ever holds the
joint secret x = sum f_i(0): the joint key is the product of the constant commitments,
and teller j's verification key g^(x_j) is computable by anyone from the commitments.

Decryption: teller j posts d = a^(x_j) for each summed ciphertext (a, b) with a
Chaum–Pedersen proof that it used the x_j behind its verification key. Any k valid
partials combine by Lagrange interpolation at 0 into a^x, and b / a^x = g^count.

Share transport, kept simple: an ElGamal-style hybrid in the same group. The sender picks
e, sends R = g^e, and both sides derive an AES-256-GCM key from H(R, E_j, E_j^e) (E_j the
recipient's ephemeral key); the ballot and both indices are authenticated data, so a
share cannot be redirected. A fresh e per share makes the fixed zero nonce safe.

Why the proofs of knowledge: without them a teller who publishes last could choose its
constant commitment to cancel the others' and decrypt alone (a rogue key).
Known limit, accepted as in Belenios: a teller who publishes last can bias the joint key
(not learn it); for ElGamal encryption this does not weaken secrecy.
"""

from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .elgamal import Ciphertext
from .group import (
    CryptoError,
    L,
    Point,
    Rng,
    Scalar,
    base_mul,
    mul,
    point_add,
    point_from_hex,
    point_sum,
    random_scalar,
    scalar_add,
    scalar_from_int,
    scalar_inv,
    scalar_mul,
    scalar_sub,
    transcript,
)
from .proofs import (
    LABEL_DECRYPTION,
    EqualityProof,
    equality_prove,
    equality_verify,
    knowledge_prove,
    knowledge_verify,
)

LABEL_SHARE_KEY = "share-key"
NONCE = bytes(12)


@dataclass(frozen=True)
class TellerPublic:
    """What a teller publishes in the first round."""

    index: int
    commitments: list[Point]
    proof: EqualityProof  # knowledge of the constant term
    ephemeral: Point

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "commitments": [p.hex() for p in self.commitments],
            "proof": self.proof.to_json(),
            "ephemeral": self.ephemeral.hex(),
        }

    @classmethod
    def from_json(cls, data: object, what: str = "teller") -> "TellerPublic":
        if not isinstance(data, dict) or set(data) != {
            "index",
            "commitments",
            "proof",
            "ephemeral",
        }:
            raise CryptoError(
                f"{what}: expected exactly the keys commitments, ephemeral, index, proof"
            )
        commitments = data["commitments"]
        if not isinstance(commitments, list) or not isinstance(data["index"], int):
            raise CryptoError(f"{what}: malformed")
        return cls(
            data["index"],
            [point_from_hex(p, f"{what}.commitments") for p in commitments],
            EqualityProof.from_json(data["proof"], f"{what}.proof"),
            point_from_hex(data["ephemeral"], f"{what}.ephemeral"),
        )


def _dkg_context(ballot_id: str, n: int, k: int, index: int) -> tuple:
    return (ballot_id, n, k, index)


def teller_start(
    *, ballot_id: str, n: int, k: int, index: int, rng: Rng = random_scalar
) -> tuple[list[Scalar], Scalar, TellerPublic]:
    """A teller's first round: its polynomial (secret), ephemeral secret, and what it publishes.
    Random draws: k coefficients (constant first), the ephemeral secret, the proof's w."""
    if not 1 <= k <= n or not 1 <= index <= n:
        raise CryptoError("tellers: need 1 <= k <= n and 1 <= index <= n")
    coefficients = [rng() for _ in range(k)]
    ephemeral = rng()
    commitments = [base_mul(a) for a in coefficients]
    context = _dkg_context(ballot_id, n, k, index) + tuple(commitments)
    proof = knowledge_prove(coefficients[0], commitments[0], context, rng)
    return coefficients, ephemeral, TellerPublic(index, commitments, proof, base_mul(ephemeral))


def teller_public_verify(public: TellerPublic, *, ballot_id: str, n: int, k: int) -> None:
    if len(public.commitments) != k or not 1 <= public.index <= n:
        raise CryptoError(f"teller {public.index}: expected {k} commitments")
    context = _dkg_context(ballot_id, n, k, public.index) + tuple(public.commitments)
    if not knowledge_verify(public.commitments[0], public.proof, context):
        raise CryptoError(f"teller {public.index}: proof of knowledge does not check")


def polynomial_at(coefficients: list[Scalar], j: int) -> Scalar:
    """f(j) by Horner's rule, in scalars modulo L."""
    x, value = scalar_from_int(j), bytes(32)
    for a in reversed(coefficients):
        value = scalar_add(scalar_mul(value, x), a)
    return value


def commitments_at(commitments: list[Point], j: int) -> Point:
    """g^(f(j)) from the commitments alone, by Horner's rule on points."""
    x = scalar_from_int(j)
    value = commitments[-1]
    for p in reversed(commitments[:-1]):
        value = point_add(mul(x, value), p)
    return value


def share_verify(commitments: list[Point], j: int, share: Scalar) -> bool:
    return base_mul(share) == commitments_at(commitments, j)


def _share_key(ballot_id: str, sender: int, recipient: int, r: Point, e: Point, shared: Point):
    return transcript(LABEL_SHARE_KEY, ballot_id, sender, recipient, r, e, shared)[:32]


def _aad(ballot_id: str, sender: int, recipient: int) -> bytes:
    return f"{ballot_id}|{sender}|{recipient}".encode()


def share_seal(
    *,
    ballot_id: str,
    sender: int,
    recipient: int,
    ephemeral: Point,
    share: Scalar,
    rng: Rng = random_scalar,
) -> str:
    """The share f_sender(recipient), readable only with the recipient's ephemeral secret.
    Returns hex of R (32 bytes) then the AES-GCM ciphertext and tag (48). Random draws: e."""
    e = rng()
    r = base_mul(e)
    key = _share_key(ballot_id, sender, recipient, r, ephemeral, mul(e, ephemeral))
    box = AESGCM(key).encrypt(NONCE, share, _aad(ballot_id, sender, recipient))
    return (r + box).hex()


def share_open(
    *, ballot_id: str, sender: int, recipient: int, ephemeral_secret: Scalar, sealed: str
) -> Scalar:
    if not isinstance(sealed, str) or len(sealed) != 160:
        raise CryptoError(f"share from teller {sender}: malformed")
    r = point_from_hex(sealed[:64], f"share from teller {sender}")
    e = base_mul(ephemeral_secret)
    key = _share_key(ballot_id, sender, recipient, r, e, mul(ephemeral_secret, r))
    try:
        share = AESGCM(key).decrypt(
            NONCE, bytes.fromhex(sealed[64:]), _aad(ballot_id, sender, recipient)
        )
    except (InvalidTag, ValueError):
        raise CryptoError(f"share from teller {sender}: cannot be opened with this key") from None
    if len(share) != 32 or int.from_bytes(share, "little") >= L:
        raise CryptoError(f"share from teller {sender}: malformed")
    return share


def joint_key(publics: list[TellerPublic]) -> Point:
    return point_sum(p.commitments[0] for p in publics)


def verification_key(publics: list[TellerPublic], j: int) -> Point:
    """g^(x_j), computed by anyone from the published commitments."""
    return point_sum(commitments_at(p.commitments, j) for p in publics)


def decryption_context(joint: Point, ballot_id: str, subject: int, slot: int, teller: int):
    return (joint, ballot_id, subject, slot, teller)


def partial_decrypt(
    *, secret: Scalar, ciphertext: Ciphertext, context: tuple, rng: Rng = random_scalar
) -> tuple[Point, EqualityProof]:
    """d = a^(x_j) with a proof against g^(x_j). Random draws: w."""
    d = mul(secret, ciphertext.a)
    proof = equality_prove(
        LABEL_DECRYPTION, ciphertext.a, base_mul(secret), d, secret, context, rng
    )
    return d, proof


def partial_verify(
    *, key: Point, ciphertext: Ciphertext, d: Point, proof: EqualityProof, context: tuple
) -> bool:
    return equality_verify(LABEL_DECRYPTION, ciphertext.a, key, d, proof, context)


def lagrange_at_zero(indices: list[int]) -> dict[int, Scalar]:
    """lambda_j = prod over m != j of m / (m - j), modulo L: interpolation at 0."""
    if len(set(indices)) != len(indices) or not all(i >= 1 for i in indices):
        raise CryptoError("teller indices must be distinct and positive")
    result = {}
    for j in indices:
        num, den = scalar_from_int(1), scalar_from_int(1)
        for m in indices:
            if m != j:
                num = scalar_mul(num, scalar_from_int(m))
                den = scalar_mul(den, scalar_sub(scalar_from_int(m), scalar_from_int(j)))
        result[j] = scalar_mul(num, scalar_inv(den))
    return result


def partials_combine(partials: dict[int, Point]) -> Point:
    """a^x from k partials {teller index: a^(x_j)}."""
    weights = lagrange_at_zero(sorted(partials))
    return point_sum(mul(weights[j], d) for j, d in partials.items())
