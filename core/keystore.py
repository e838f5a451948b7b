"""Secrets that must never reach the database: one file per key under SEALING_KEY_DIR.

Why files: anything PostgreSQL ever held it may still hold (dead tuples, WAL, dumps,
backups). A ballot's private key or a questionnaire's sealing key lives here while the
ballot or questionnaire is open and is destroyed when it closes, so whatever the database
kept of the sealed rows can no longer be opened by anyone, with or without SECRET_KEY.

The directory is created 0700 and each file 0600. Destruction overwrites the file before
unlinking it; on a journaling, copy-on-write or flash file system that is best effort,
which the README says plainly (keep the directory out of backups).
"""

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from .errors import ApplicationError

_NAME = re.compile(r"^[a-z]+-[0-9]+$")


def _dir() -> Path:
    path = Path(settings.SEALING_KEY_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _path(name: str) -> Path:
    if not _NAME.match(name):
        raise ValueError(f"bad key name {name!r}")
    return _dir() / f"{name}.key"


def key_write(*, name: str, data: bytes | bytearray) -> None:
    """Write (or replace) a key atomically, readable by this user only."""
    path = _path(name)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def key_read(*, name: str) -> bytearray:
    """The key in a fresh mutable buffer, read straight into it (unbuffered, so no copy is
    left in an io buffer). Callers overwrite it after use: prefer key_held()."""
    path = _path(name)
    try:
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            buffer = bytearray(size)
            got = handle.readinto(buffer)
    except FileNotFoundError:
        raise ApplicationError(
            "找不到本项的密钥文件，无法计票。请确认服务器的密钥目录（SEALING_KEY_DIR）未被删除或更换。"
        ) from None
    if got != size:
        key_wipe(buffer)
        raise ApplicationError("密钥文件读取不完整，请稍后重试。")
    return buffer


def key_wipe(buffer: bytearray) -> None:
    """Overwrite a key buffer in place (its length stays, every byte becomes zero)."""
    buffer[:] = bytes(len(buffer))


@contextlib.contextmanager
def key_held(*, name: str) -> Iterator[bytearray]:
    """`with key_held(name=...) as key:` the key in a bytearray, overwritten on leaving,
    whatever happened inside."""
    buffer = key_read(name=name)
    try:
        yield buffer
    finally:
        key_wipe(buffer)


def key_new(*, size: int = 32) -> bytearray:
    """Random key bytes read from the kernel straight into a mutable buffer (os.urandom and
    secrets would return immutable bytes that cannot be overwritten)."""
    buffer = bytearray(size)
    with open("/dev/urandom", "rb", buffering=0) as handle:
        got = handle.readinto(buffer)
    if got != size:
        raise OSError("short read from /dev/urandom")
    return buffer


def key_exists(*, name: str) -> bool:
    return _path(name).exists()


def key_destroy(*, name: str) -> None:
    """Overwrite, then unlink. Missing keys are fine: destroying twice is not an error."""
    path = _path(name)
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    except FileNotFoundError:
        return


def key_names(*, prefix: str) -> list[str]:
    return sorted(p.stem for p in _dir().glob(f"{prefix}-*.key"))
