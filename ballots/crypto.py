"""Counting without opening: a ballot sheet is one Paillier encryption of all its choices.

Why Paillier: multiplying ciphertexts adds their plaintexts, so the product of every
cast sheet decrypts, once, into every count. No single sheet is ever decrypted, not even
at close, and the private key never touches the database (it lives in core.keystore while
the ballot is open and is destroyed on close). The group arithmetic is python-paillier's
(`phe`, on gmpy2); this module only packs choices into slots and multiplies.

Packing: one slot per (subject, option), each `slot_bits` wide with 2**slot_bits larger
than the number of eligible voters, so counts never carry into the next slot. A sheet
puts 1 in the chosen slot of each subject. A plaintext holds as many slots as fit below
n; a larger ballot uses a few ciphertexts per sheet, always the same number, and every
ciphertext is written at the same fixed width, so a sheet's length never depends on what
was chosen.

Proof of the count: for the product C with plaintext M, we also publish R with
C = (1 + n)^M * R^n mod n^2 (R is the product of the sheets' random factors, recovered
with the private key). Anyone holding the stored sheets can recompute C and check the
equation, so the published counts are bound to the stored sheets without revealing any
single one.
"""

import hashlib
import json
from base64 import b32encode
from dataclasses import dataclass

import gmpy2
from phe import PaillierPrivateKey, PaillierPublicKey, generate_paillier_keypair

KEY_BITS = 2048


@dataclass(frozen=True)
class Layout:
    """Where each (subject, option) lives in a sheet."""

    subjects: int
    options: int
    slot_bits: int
    n: int

    @property
    def slots_per_chunk(self) -> int:
        return (self.n.bit_length() - 2) // self.slot_bits

    @property
    def chunks(self) -> int:
        total = self.subjects * self.options
        return -(-total // self.slots_per_chunk)

    @property
    def chunk_bytes(self) -> int:
        return ((self.n * self.n).bit_length() + 7) // 8

    @property
    def sheet_bytes(self) -> int:
        return self.chunks * self.chunk_bytes


def slot_bits_for(voters: int) -> int:
    """Wide enough that even every voter choosing one slot cannot overflow it."""
    return max(voters, 1).bit_length() + 1


def keypair_new() -> tuple[int, bytes]:
    """A fresh key: the public modulus n for the database, the private key for the key file."""
    public, private = generate_paillier_keypair(n_length=KEY_BITS)
    secret = json.dumps({"p": hex(private.p), "q": hex(private.q)}).encode()
    return public.n, secret


def _private(n: int, secret: bytes) -> PaillierPrivateKey:
    data = json.loads(secret)
    return PaillierPrivateKey(PaillierPublicKey(n), int(data["p"], 16), int(data["q"], 16))


def sheet_encrypt(layout: Layout, chosen: list[int]) -> bytes:
    """chosen[i] is the option index for subject i. Returns a fixed-width ciphertext."""
    if len(chosen) != layout.subjects or not all(0 <= c < layout.options for c in chosen):
        raise ValueError("a choice per subject, each a valid option index")
    public = PaillierPublicKey(layout.n)
    plain = [0] * layout.chunks
    for subject, option in enumerate(chosen):
        slot = subject * layout.options + option
        chunk, offset = divmod(slot, layout.slots_per_chunk)
        plain[chunk] += 1 << (offset * layout.slot_bits)
    return b"".join(int(public.raw_encrypt(m)).to_bytes(layout.chunk_bytes, "big") for m in plain)


def _chunks(layout: Layout, sheet: bytes) -> list[int]:
    sheet = bytes(sheet)
    if len(sheet) != layout.sheet_bytes:
        raise ValueError("sheet has the wrong length")
    size = layout.chunk_bytes
    return [int.from_bytes(sheet[i : i + size], "big") for i in range(0, len(sheet), size)]


def sheets_multiply(layout: Layout, sheets) -> list[int]:
    """The product of all sheets, chunk by chunk: the encryption of the sums."""
    modulus = gmpy2.mpz(layout.n) ** 2
    product = [gmpy2.mpz(1)] * layout.chunks
    for sheet in sheets:
        for i, c in enumerate(_chunks(layout, sheet)):
            product[i] = product[i] * c % modulus
    return [int(p) for p in product]


def product_decrypt(
    layout: Layout, secret: bytes, product: list[int]
) -> tuple[list[int], list[int]]:
    """Decrypt the product only. Returns the plaintexts and, for each, the proof factor R."""
    private = _private(layout.n, secret)
    n = gmpy2.mpz(layout.n)
    phi = (gmpy2.mpz(private.p) - 1) * (gmpy2.mpz(private.q) - 1)
    inverse = gmpy2.invert(n, phi)
    plains, proofs = [], []
    for c in product:
        m = private.raw_decrypt(c)
        plains.append(int(m))
        proofs.append(int(gmpy2.powmod(gmpy2.mpz(c) % n, inverse, n)))
    return plains, proofs


def product_verify(
    layout: Layout, product: list[int], plains: list[int], proofs: list[int]
) -> bool:
    """C == (1 + n)^M * R^n (mod n^2) for every chunk: the counts belong to these sheets."""
    n = gmpy2.mpz(layout.n)
    n2 = n * n
    return len(product) == len(plains) == len(proofs) == layout.chunks and all(
        gmpy2.powmod(gmpy2.mpz(r), n, n2) * (1 + gmpy2.mpz(m) * n) % n2 == c
        for c, m, r in zip(product, plains, proofs, strict=True)
    )


def counts_unpack(layout: Layout, plains: list[int]) -> list[list[int]]:
    """counts[subject][option] from the decrypted plaintexts."""
    mask = (1 << layout.slot_bits) - 1
    counts = []
    for subject in range(layout.subjects):
        row = []
        for option in range(layout.options):
            chunk, offset = divmod(subject * layout.options + option, layout.slots_per_chunk)
            row.append((plains[chunk] >> (offset * layout.slot_bits)) & mask)
        counts.append(row)
    return counts


def tracker(sheet: bytes) -> str:
    """A sheet's receipt: a short hash of its ciphertext (Helios' smart ballot tracker)."""
    return b32encode(hashlib.sha256(bytes(sheet)).digest()).decode()[:12]
