"""Fixed-size sealed records: AES-256-GCM over a plaintext padded to one length.

Why fixed size: a database reader sees every row's length, live or dead. If a sealed
record's length followed its content, it could be matched by length to the row it later
became, undoing the shuffle that separates the two. Every record sealed for the same
purpose therefore has exactly the same length. The key comes from core.keystore and never
reaches the database.
"""

import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
LENGTH_BYTES = 4


def sealing_key_new() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal_fixed(*, key: bytes, plaintext: bytes, size: int, aad: bytes) -> bytes:
    """Encrypt plaintext padded to `size` bytes; the result is always the same length."""
    if len(plaintext) > size:
        raise ValueError("plaintext longer than its fixed size")
    padded = len(plaintext).to_bytes(LENGTH_BYTES, "big") + plaintext
    padded += bytes(size + LENGTH_BYTES - len(padded))
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, padded, aad)


def unseal_fixed(*, key: bytes, sealed: bytes, aad: bytes) -> bytes:
    sealed = bytes(sealed)
    padded = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    length = int.from_bytes(padded[:LENGTH_BYTES], "big")
    return padded[LENGTH_BYTES : LENGTH_BYTES + length]
