"""A teller's key file (监票密钥文件): a secret scalar sealed under a passphrase the teller
chooses. The app seals the teller's seed (ceremony.py), from which x_j is recomputed at
the count; the format would hold x_j itself just as well.

Why a file and not the server: the share is made in the teller's browser and must reach
the counting only through the teller. The browser writes this file (WebCrypto: PBKDF2-
SHA-256 and AES-256-GCM, the only password hashing it offers natively); Python writes the
same format for the demo's tellers (`load_demo`) and reads it in tests. The file names
its ballot, teller and public verification key in clear, authenticated by AES-GCM, so
loading the wrong file says so before any passphrase is tried, and a wrong passphrase
is told apart from a damaged file by the tag and then by g^x = verification key.

Format (JSON): {"format", "ballot", "teller", "verification_key", "kdf": {"name":
"PBKDF2-SHA256", "iterations", "salt"}, "nonce", "box"}; the additional data is
"<format>|<ballot>|<teller>|<verification key>".
"""

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .group import CryptoError, Point, Scalar, base_mul, point_from_hex, scalar_from_hex

FORMAT = "shuzhi-pingyi/teller-key/v1"
ITERATIONS = 600_000  # OWASP's figure for PBKDF2-SHA256 (2023)
MIN_ITERATIONS = 100_000


class WrongKeyFile(CryptoError):
    """The file is for another ballot or teller, or is not a key file at all."""


class WrongPassphrase(CryptoError):
    """The passphrase does not open the file."""


def _aad(ballot_id: str, teller: int, key: Point) -> bytes:
    return f"{FORMAT}|{ballot_id}|{teller}|{key.hex()}".encode()


def _derive(passphrase: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, iterations, 32)


def keyfile_seal(
    *,
    ballot_id: str,
    teller: int,
    secret: Scalar,
    passphrase: str,
    iterations: int = ITERATIONS,
    salt: bytes | None = None,
    nonce: bytes | None = None,
) -> dict:
    """salt and nonce are random unless given (test vectors only)."""
    salt = salt or os.urandom(16)
    nonce = nonce or os.urandom(12)
    key = base_mul(secret)
    box = AESGCM(_derive(passphrase, salt, iterations)).encrypt(
        nonce, secret, _aad(ballot_id, teller, key)
    )
    return {
        "format": FORMAT,
        "ballot": ballot_id,
        "teller": teller,
        "verification_key": key.hex(),
        "kdf": {"name": "PBKDF2-SHA256", "iterations": iterations, "salt": salt.hex()},
        "nonce": nonce.hex(),
        "box": box.hex(),
    }


def keyfile_open(
    data: object, *, ballot_id: str, passphrase: str, teller: int | None = None
) -> tuple[int, Scalar]:
    """Returns (teller index, x_j). Checks the file is this ballot's (and this teller's,
    when given) before trying the passphrase."""
    try:
        kdf = data["kdf"]
        salt, nonce, box = (bytes.fromhex(x) for x in (kdf["salt"], data["nonce"], data["box"]))
        key = point_from_hex(data["verification_key"])
        index, iterations = data["teller"], kdf["iterations"]
        well_formed = (
            data["format"] == FORMAT
            and kdf["name"] == "PBKDF2-SHA256"
            and isinstance(iterations, int)
            and iterations >= MIN_ITERATIONS
            and isinstance(index, int)
            and len(nonce) == 12
        )
    except (KeyError, TypeError, ValueError):
        well_formed = False
    if not well_formed:
        raise WrongKeyFile("not a teller's key file")
    if data["ballot"] != ballot_id:
        raise WrongKeyFile("this key file is for another ballot")
    if teller is not None and index != teller:
        raise WrongKeyFile(f"this key file is teller {index}'s, not teller {teller}'s")
    try:
        secret = AESGCM(_derive(passphrase, salt, iterations)).decrypt(
            nonce, box, _aad(ballot_id, index, key)
        )
    except InvalidTag:
        raise WrongPassphrase("the passphrase does not open this key file") from None
    secret = scalar_from_hex(secret.hex(), "key file")
    if base_mul(secret) != key:
        raise WrongKeyFile("the key file is damaged")
    return index, secret
