"""Uploaded documents: checked by content, stored under unguessable names, never served by URL."""

import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
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

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    original_name: str
    size: int


def _sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_OLE_MAGIC):
        # A compound file is also what old Excel and PowerPoint use: require Word's stream.
        data = upload.read(min(upload.size, 4 * 1024 * 1024))
        upload.seek(0)
        return DOC if _WORD_STREAM in data else None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def check_original_name(name: str) -> str:
    if not name or not name.strip():
        raise ApplicationError("文件名为空，请重新选择文件。")
    if "/" in name or "\\" in name or name.startswith(".") or any(ord(c) < 32 for c in name):
        raise ApplicationError(f"文件名“{name}”含有路径或非法字符，请改名后重新上传。")
    if len(name) > 200:
        raise ApplicationError("文件名过长（不超过 200 个字符），请改名后重新上传。")
    return name.strip()


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
            f"文件“{name}”大小为 {upload.size / 1024 / 1024:.1f} MB，超过 {limit / 1024 / 1024:.0f} MB 的上限。"
        )
    allowed_labels = "、".join(KIND_LABELS[k] for k in allowed)
    kind = _sniff(upload)
    if kind not in allowed:
        raise ApplicationError(f"文件“{name}”的内容不是 {allowed_labels} 文件，不能上传。")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension != kind:
        raise ApplicationError(
            f"文件“{name}”的扩展名与内容不符（内容为 {KIND_LABELS[kind]}），请改正扩展名后重新上传。"
        )
    return CheckedFile(kind=kind, original_name=name, size=upload.size)


@deconstructible
class PrivateUploadTo:
    """upload_to giving a random name under `prefix`, so a stored path reveals nothing."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()
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
        filename=original_name,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def replace_file(field_file, name: str, content) -> None:
    """Store `content` as the field's file (the instance is saved by the caller); the file
    it replaces is deleted only once the surrounding transaction commits."""
    from django.db import transaction

    old = field_file.name if field_file else ""
    field_file.save(name, content, save=False)
    if old and old != field_file.name:
        storage = field_file.storage
        transaction.on_commit(lambda: storage.delete(old))
