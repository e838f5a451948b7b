"""Fixed-size sealed records: AES-256-GCM over a plaintext padded to one length.

Why fixed size: a database reader sees every row's length, live or dead. If a sealed
record's length followed its content, it could be matched by length to the row it later
became, undoing the shuffle that separates the two. Every record sealed for the same
purpose therefore has exactly the same length. The key comes from core.keystore and never
reaches the database.

The key is handled as a bytearray (core.keystore.key_held) that its caller overwrites after
use. Why `Cipher(algorithms.AES(key), modes.GCM(...))` and not the shorter `AESGCM`: both
accept a bytearray, but measured on this stack (cryptography 50, OpenSSL 4), one AESGCM
call leaves a copy of the raw key in the process's freed memory that nothing in Python can
overwrite, while `algorithms.AES` keeps a reference to our bytearray and the cipher
context it makes is cleared when freed: after the caller's wipe a scan of the process
finds the key nowhere (tests/surveys/test_anonymity.py). The output is the same as
AESGCM's: nonce, ciphertext, 16-byte tag.
"""

import secrets

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .keystore import key_new

NONCE_BYTES = 12
LENGTH_BYTES = 4
TAG_BYTES = 16


def sealing_key_new() -> bytearray:
    """A 256-bit AES key in a mutable buffer (AESGCM.generate_key returns immutable bytes)."""
    return key_new(size=32)


def seal_fixed(*, key: bytearray, plaintext: bytes, size: int, aad: bytes) -> bytes:
    """Encrypt plaintext padded to `size` bytes; the result is always the same length."""
    if len(plaintext) > size:
        raise ValueError("plaintext longer than its fixed size")
    padded = len(plaintext).to_bytes(LENGTH_BYTES, "big") + plaintext
    padded += bytes(size + LENGTH_BYTES - len(padded))
    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(padded) + encryptor.finalize()
    return nonce + body + encryptor.tag


def unseal_fixed(*, key: bytearray, sealed: bytes, aad: bytes) -> bytes:
    sealed = bytes(sealed)
    nonce, body, tag = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    padded = decryptor.update(body) + decryptor.finalize()  # InvalidTag if tampered with
    length = int.from_bytes(padded[:LENGTH_BYTES], "big")
    return padded[LENGTH_BYTES : LENGTH_BYTES + length]
