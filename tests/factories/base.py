"""What every factory shares: users, the base for rows written by services, uploads."""

import io
import struct
import zipfile

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.roles import Role, user_add_role

PASSWORD = "pw-for-tests-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            user_add_role(user=self, role=extracted)


def office_user(**kwargs):
    """A new office staff member: the actor of most services."""
    return UserFactory(role=Role.OFFICE, is_staff=True, **kwargs)


FACTORY_OFFICE = "factory-office"


def default_office():
    """Whom factories act as when no `actor` is given: one office account per test, so
    building data does not add a staff member per row."""
    user = get_user_model().objects.filter(username=FACTORY_OFFICE).first()
    return user or office_user(username=FACTORY_OFFICE, first_name="办公室")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A factory whose rows are written by the project's services, as the app writes them.

    `_create` calls the services and returns what they wrote (a state is reached by making
    its moves, never by assigning a status), so a test sees the audit entries, keys, files
    and numbering the real thing has. There is no unsaved `build()`: services save.
    """

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError(f"{cls.__name__} writes through the services: use create()")


def pdf_upload(name: str = "方案.pdf") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, "application/pdf")


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word (DOCX) archive: content types naming the main part, and that part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_upload(name: str = "述职报告.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes())


def doc_bytes(stream: str = "WordDocument") -> bytes:
    """A minimal Word 97 (.doc) compound file: one FAT sector, one directory sector and a
    4 KiB stream named `stream` in regular sectors (no mini stream needed)."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = struct.pack(
        "<8s16sHHHHH6sLLLLLLLLL",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,  # minor version
        3,  # major version: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift
        6,  # mini sector shift
        b"\0" * 6,
        0,  # directory sectors (0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,  # transaction signature
        4096,  # mini stream cutoff
        end,  # first mini FAT sector
        0,  # mini FAT sectors
        end,  # first DIFAT sector
        0,  # DIFAT sectors
    ) + struct.pack("<109L", 0, *([free] * 108))
    fat = [fat_sector, end, *range(3, 10), end]
    fat_bytes = struct.pack(f"<{len(fat)}L", *fat) + struct.pack("<L", free) * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3L", len(encoded), kind, 1, free, free, child)
            + b"\0" * 16  # CLSID
            + b"\0" * 4  # state bits
            + b"\0" * 16  # times
            + struct.pack("<LQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, free, 2, 4096) + b"\0" * 128 * 2
    )
    return header + fat_bytes + directory + b"\0" * 4096


def doc_upload(name: str = "述职报告.doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, doc_bytes())


def xlsx_upload(rows: list[list], name: str = "导入.xlsx") -> SimpleUploadedFile:
    """An .xlsx whose first row is the header, as the office fills in the template."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_download(response):
    """The workbook an export streamed, opened as a reader would (formats and all)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))
