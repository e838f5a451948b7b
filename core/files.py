"""Uploaded documents: checked by content, stored under unguessable names, never served by URL.

A file is judged by what it is, not by its name: puremagic reads the magic numbers, then
each kind's structure is checked (a PDF's trailer, a Word or Excel archive's content
types, a .doc's Word stream). Word (DOCX) and Excel (XLSX) files are zip archives, so
their directory is checked against inflate limits before a byte is inflated.
"""

import contextlib
import os
import re
import struct
import unicodedata
import uuid
import weakref
import zipfile
from dataclasses import dataclass

import olefile
import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

from .errors import ApplicationError

PDF, DOCX, DOC, XLSX = "pdf", "docx", "doc", "xlsx"
KIND_LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", DOC: "Word (DOC)", XLSX: "Excel (XLSX)"}
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DOC: "application/msword",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_KINDS = (PDF, DOCX, DOC)

# The part an Office archive must have, and the content type [Content_Types].xml must give
# it: a macro-enabled document (.docm, .xlsm) or a template declares another and is refused.
_OFFICE_MAIN_PARTS = {
    DOCX: (
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: (
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
_CONTENT_TYPES_PART = "[Content_Types].xml"
_CONTENT_TYPES_MAX = 1024 * 1024
# A PDF ends with %%EOF, possibly followed by a little whitespace or junk (ISO 32000: look
# in the last 1024 bytes).
_PDF_TRAILER_WINDOW = 1024
# Compression ratios of small entries say nothing about a bomb; the limits apply from here.
_RATIO_FLOOR = 1024 * 1024
_MB = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    original_name: str
    size: int


# --- Names ---------------------------------------------------------------------------------
# Control characters (C0, C1), format characters (bidi overrides such as U+202E, zero-width
# spaces and joiners, BOM), surrogates and line/paragraph separators: invisible or
# reordering, they let "report\u202efdp.exe" show as "reportexe.pdf".
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def clean_file_name(name: str) -> str:
    """The name without invisible or reordering characters, NFC-normalised and trimmed."""
    name = unicodedata.normalize("NFC", name or "")
    return "".join(c for c in name if unicodedata.category(c) not in _INVISIBLE_CATEGORIES).strip()


def check_original_name(name: str) -> str:
    """The name to keep for a file as sent: sanitised, or refused when it names a path."""
    cleaned = clean_file_name(name)
    if not cleaned:
        raise ApplicationError("文件名为空，请重新选择文件。")
    if "/" in cleaned or "\\" in cleaned or cleaned.startswith("."):
        raise ApplicationError(f"文件名“{cleaned}”含有路径或非法字符，请改名后重新上传。")
    if len(cleaned) > 200:
        raise ApplicationError("文件名过长（不超过 200 个字符），请改名后重新上传。")
    return cleaned


# --- Zip archives (DOCX, XLSX) -------------------------------------------------------------
_END_RECORD = struct.Struct("<4s4H2LH")  # end of central directory, without its comment


def _check_end_record(fileobj, size: int, name: str) -> None:
    """Entry count and directory size from the end record: read before zipfile parses
    (and keeps in memory) one object per entry."""
    tail = min(size, _END_RECORD.size + 0xFFFF)
    fileobj.seek(size - tail)
    data = fileobj.read(tail)
    fileobj.seek(0)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) - at < _END_RECORD.size:
        raise zipfile.BadZipFile("no end of central directory")
    _, _, _, _, entries, directory_size, _, _ = _END_RECORD.unpack_from(data, at)
    limit = settings.UPLOAD_ZIP_MAX_ENTRIES
    if entries > limit:  # 0xFFFF means "more, see the zip64 record": more than any limit
        shown = "65535 个以上" if entries == 0xFFFF else f"{entries} 个"
        raise ApplicationError(
            f"文件“{name}”内含{shown}压缩条目，超过 {limit} 个的上限，不能上传。"
        )
    if directory_size > limit * 1100:  # 46-byte records with names of up to ~1000 bytes
        raise ApplicationError(f"文件“{name}”的压缩目录异常庞大，可能是恶意构造的文件，不能上传。")


def check_zip_limits(archive: zipfile.ZipFile, size: int, name: str) -> None:
    """Refuse an archive that would inflate beyond the limits, judged from its directory.

    zipfile never inflates an entry past the size its directory gives (and then fails the
    CRC), so these declared sizes bound whatever is read afterwards."""
    max_bytes, max_ratio = settings.UPLOAD_ZIP_MAX_BYTES, settings.UPLOAD_ZIP_MAX_RATIO
    entries = archive.infolist()
    if len(entries) > settings.UPLOAD_ZIP_MAX_ENTRIES:
        raise ApplicationError(
            f"文件“{name}”内含 {len(entries)} 个压缩条目，"
            f"超过 {settings.UPLOAD_ZIP_MAX_ENTRIES} 个的上限，不能上传。"
        )
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ApplicationError(f"文件“{name}”已加密，请去除密码后重新上传。")
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ApplicationError(f"文件“{name}”使用了不支持的压缩方式，请另存后重新上传。")
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= _RATIO_FLOOR and ratio > max_ratio:
            raise ApplicationError(
                f"文件“{name}”中的“{entry.filename[:60]}”压缩比为 {ratio:.0f} 倍，"
                f"超过 {max_ratio} 倍的上限，可能是恶意构造的文件，不能上传。"
            )
        total += entry.file_size
        if total > max_bytes:
            raise ApplicationError(
                f"文件“{name}”解压后超过 {max_bytes / _MB:.0f} MB 的上限，"
                "可能是恶意构造的文件，不能上传。"
            )
    if total >= _RATIO_FLOOR and total / max(size, 1) > max_ratio:
        raise ApplicationError(
            f"文件“{name}”整体压缩比为 {total / max(size, 1):.0f} 倍，"
            f"超过 {max_ratio} 倍的上限，可能是恶意构造的文件，不能上传。"
        )


def zip_open_checked(fileobj, size: int, name: str) -> zipfile.ZipFile:
    """Open an Office archive once its end record and directory pass the inflate limits.

    Raises ApplicationError (limits) or zipfile.BadZipFile (not a zip)."""
    _check_end_record(fileobj, size, name)
    archive = zipfile.ZipFile(fileobj)
    try:
        check_zip_limits(archive, size, name)
    except ApplicationError:
        archive.close()
        raise
    return archive


def zip_read_capped(archive: zipfile.ZipFile, member: str, limit: int, name: str) -> bytes:
    """Read one entry, never inflating more than `limit` bytes of it."""
    with archive.open(member) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ApplicationError(f"文件“{name}”中的“{member}”超过 {limit / _MB:.0f} MB，不能处理。")
    return data


def _office_kind(upload, name: str) -> str | None:
    try:
        archive = zip_open_checked(upload, upload.size, name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    try:
        names = set(archive.namelist())
        if _CONTENT_TYPES_PART not in names:
            return None
        types = zip_read_capped(archive, _CONTENT_TYPES_PART, _CONTENT_TYPES_MAX, name)
        for kind, (part, content_type) in _OFFICE_MAIN_PARTS.items():
            if part in names and content_type in types:
                return kind
        return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        archive.close()
        upload.seek(0)


# --- Other kinds ---------------------------------------------------------------------------
def _pdf_ok(upload) -> bool:
    upload.seek(0)
    head = upload.read(5)
    upload.seek(max(upload.size - _PDF_TRAILER_WINDOW, 0))
    tail = upload.read(_PDF_TRAILER_WINDOW)
    upload.seek(0)
    return head == b"%PDF-" and b"%%EOF" in tail


def _word_97_ok(upload) -> bool:
    """An OLE2 compound file is also what old Excel and PowerPoint use: require the
    directory to hold Word's stream."""
    upload.seek(0)
    try:
        with olefile.OleFileIO(upload) as ole:
            return ole.exists("WordDocument")
    except Exception:  # noqa: BLE001 - olefile raises many types for a damaged file
        return False
    finally:
        upload.seek(0)


def _sniff(upload: UploadedFile, name: str = "") -> str | None:
    """The kind the content really is, or None. Raises ApplicationError for an archive
    beyond the inflate limits (a message of its own, not just "not a document")."""
    upload.seek(0)
    try:
        matches = puremagic.magic_stream(upload)
    except (puremagic.PureError, ValueError, OSError):
        return None
    finally:
        upload.seek(0)
    found = {m.extension.lower() for m in matches if m.offset == 0}
    if ".pdf" in found:
        return PDF if _pdf_ok(upload) else None
    if found & {".docx", ".xlsx", ".pptx", ".zip"}:
        return _office_kind(upload, name or upload.name or "")
    if ".doc" in found:
        return DOC if _word_97_ok(upload) else None
    return None


def check_upload(
    upload: UploadedFile | None,
    *,
    allowed: tuple[str, ...] = DOCUMENT_KINDS,
    max_bytes: int | None = None,
) -> CheckedFile:
    """Refuse anything that is not really one of `allowed`, judged by content, not by name."""
    if upload is None:
        raise ApplicationError("请选择要上传的文件。")
    # The name as sent (kept by core.uploads) when there is one; Django's is already cleaned.
    name = check_original_name(getattr(upload, "client_name", None) or upload.name or "")
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    if not upload.size:
        raise ApplicationError(f"文件“{name}”是空文件，请检查后重新上传。")
    if upload.size > limit:
        raise ApplicationError(
            f"文件“{name}”大小为 {upload.size / _MB:.1f} MB，超过 {limit / _MB:.0f} MB 的上限。"
        )
    allowed_labels = "、".join(KIND_LABELS[k] for k in allowed)
    kind = _sniff(upload, name)
    if kind not in allowed:
        raise ApplicationError(f"文件“{name}”的内容不是 {allowed_labels} 文件，不能上传。")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension != kind:
        raise ApplicationError(
            f"文件“{name}”的扩展名与内容不符（内容为 {KIND_LABELS[kind]}），请改正扩展名后重新上传。"
        )
    return CheckedFile(kind=kind, original_name=name, size=upload.size)


# --- Storing -------------------------------------------------------------------------------
_SAFE_EXTENSION = re.compile(r"^\.[a-z0-9]{1,8}$")


@deconstructible
class PrivateUploadTo:
    """upload_to giving a random name under `prefix`, so a stored path reveals nothing."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
        if not _SAFE_EXTENSION.match(extension):
            extension = ""
        return f"{self.prefix}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


def private_file_response(field_file, original_name: str) -> FileResponse:
    """Serve a stored document under its original name; callers check who asks first."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    kind = os.path.splitext(field_file.name)[1].lower().lstrip(".")
    response = FileResponse(
        handle,
        as_attachment=True,
        # Names stored before they were sanitised are cleaned on the way out too.
        filename=clean_file_name(original_name) or f"file.{kind}",
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _delete_quietly(storage, name: str) -> None:
    with contextlib.suppress(OSError):
        storage.delete(name)


class _KeepOnCommit:
    """The on-commit hook of one stored file.

    Django runs it when the transaction commits, and discards it when the transaction, or
    a savepoint around the write, rolls back. Discarding drops the last reference to it,
    and its finaliser then deletes the file: so a refused save leaves nothing on disk,
    without every caller having to catch and clean up."""

    def __init__(self, storage, new: str, old: str):
        self._storage, self._old, self._new = storage, old, new
        self._discard = weakref.finalize(self, _delete_quietly, storage, new)

    def __call__(self) -> None:
        self._discard.detach()
        if self._old and self._old != self._new:
            _delete_quietly(self._storage, self._old)


def file_store(field_file, name: str, content) -> None:
    """Write `content` as the field's file; the caller saves the row in the same transaction.

    The file is written now, so a full disk fails the save; it is kept only if the
    transaction commits (then the file it replaces is deleted), and deleted if it rolls back.
    """
    if not transaction.get_connection().in_atomic_block:
        # In autocommit the hook would run at once, and a failing save would leave the file.
        raise RuntimeError("file_store() must be called inside transaction.atomic().")
    old = field_file.name or ""
    field_file.save(name, content, save=False)
    transaction.on_commit(_KeepOnCommit(field_file.storage, field_file.name, old))
