import io
import random
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from core.files import DOC, DOCX, PDF, XLSX, check_original_name, check_upload
from tests.factories import doc_bytes, docx_bytes, pdf_upload, xlsx_upload

PDF_BYTES = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("述职报告.pdf", PDF_BYTES, PDF),
        ("述职报告.pdf", PDF_BYTES + b"\r\n" + b" " * 500, PDF),  # junk after %%EOF
        ("述职报告.docx", docx_bytes(), DOCX),
        ("述职报告.DOC", doc_bytes(), DOC),
    ],
)
def test_real_documents_pass(name, content, kind):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.kind == kind
    assert checked.original_name == name


def test_an_excel_file_passes_where_excel_is_asked_for():
    upload = xlsx_upload([["姓名"], ["王"]], name="名单.xlsx")
    assert check_upload(upload, allowed=(XLSX,)).kind == XLSX
    with pytest.raises(ApplicationError, match="内容不是"):
        check_upload(xlsx_upload([["姓名"]], name="名单.xlsx"))  # not among documents


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "内容不是"),
        ("report.docx", b"<html><body>hi</body></html>", "内容不是"),
        ("report.pdf", b"", "空文件"),
        ("report.docx", PDF_BYTES, "扩展名与内容不符"),
        # A PDF header without its trailer: cut short, or something else wearing the header.
        ("report.pdf", b"%PDF-1.4 " + b"x" * 4096, "内容不是"),
        # An OLE2 compound file that is not Word (an old Excel sheet, or junk after the magic).
        ("sheet.doc", doc_bytes(stream="Workbook"), "内容不是"),
        ("sheet.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "内容不是"),
        # A zip naming word/document.xml, without the content type that makes it a document.
        (
            "x.docx",
            _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "内容不是",
        ),
        # A macro-enabled document (.docm) declares another content type.
        (
            "x.docx",
            _zip(
                {
                    "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml",
                    "word/document.xml": b"<w/>",
                }
            ),
            "内容不是",
        ),
        ("x.docx", _zip({"evil.exe": b"MZ"}), "内容不是"),
    ],
)
def test_bad_files_refused_with_chinese_message(name, content, message):
    with pytest.raises(ApplicationError) as exc:
        check_upload(SimpleUploadedFile(name, content))
    assert message in exc.value.message


def test_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = b"%PDF-" + b"0" * 2000 + b"%%EOF"
    with pytest.raises(ApplicationError, match="超过"):
        check_upload(SimpleUploadedFile("big.pdf", big))
    assert check_upload(SimpleUploadedFile("ok.pdf", b"%PDF-" + b"0" * 500 + b"%%EOF")).kind == PDF


# --- Zip bombs ----------------------------------------------------------------------------
def _bomb(megabytes: int) -> bytes:
    """A DOCX whose document part is `megabytes` MB of zeros: about 1 MB on the wire."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", docx_bytes_content_types())
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = bytes(1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return buffer.getvalue()


def docx_bytes_content_types() -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as archive:
        return archive.read("[Content_Types].xml")


def test_a_zip_bomb_is_refused_from_its_directory():
    content = _bomb(200)
    assert len(content) < 2 * 1024 * 1024
    with pytest.raises(ApplicationError, match="压缩比为 .* 倍，超过 100 倍的上限"):
        check_upload(SimpleUploadedFile("述职报告.docx", content))


def _claim_size(content: bytes, member: str, size: int) -> bytes:
    """The same archive, its central directory claiming `member` inflates to `size` bytes."""
    data = bytearray(content)
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<L", data, at + 24, size)
            return bytes(data)
        at += 4


def test_a_claimed_gigabyte_is_refused_without_inflating():
    content = _claim_size(docx_bytes(), "word/document.xml", 1024**3)
    with pytest.raises(ApplicationError, match="可能是恶意构造的文件"):
        check_upload(SimpleUploadedFile("述职报告.docx", content))


def test_the_total_and_overall_ratio_are_limited(settings):
    # Thirty parts of 900 KB of zeros: each under the per-entry floor, together a bomb.
    parts = {f"word/media/p{i}.xml": bytes(900 * 1024) for i in range(30)}
    with pytest.raises(ApplicationError, match="整体压缩比"):
        check_upload(SimpleUploadedFile("述职报告.docx", docx_bytes(parts)))
    settings.UPLOAD_ZIP_MAX_BYTES = 1024 * 1024
    incompressible = {"word/media/photo.jpg": random.Random(1).randbytes(2 * 1024 * 1024)}
    with zipfile.ZipFile(io.BytesIO(docx_bytes(incompressible))) as archive:
        assert archive.getinfo("word/media/photo.jpg").file_size == 2 * 1024 * 1024
    with pytest.raises(ApplicationError, match="解压后超过 1 MB 的上限"):
        check_upload(SimpleUploadedFile("述职报告.docx", docx_bytes(incompressible)))


def _many_entries(count: int) -> bytes:
    """A DOCX-looking archive of `count` empty entries, written directly (zipfile would take
    seconds): local headers, central directory, zip64 end records, end record."""
    content_types = docx_bytes_content_types()
    body, directory = bytearray(), bytearray()
    names = [b"[Content_Types].xml", b"word/document.xml"] + [
        f"word/p{i}.xml".encode() for i in range(count - 2)
    ]
    for name in names:
        data = content_types if name == b"[Content_Types].xml" else b""
        crc = zipfile.crc32(data)
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0
        )
        body += name + data
        directory += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            0,
            0,
            0,
            0,
            crc,
            len(data),
            len(data),
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        directory += name
    start = len(body)
    zip64_end = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), start
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, start + len(directory), 1)
    shown = min(count, 0xFFFF)  # 0xFFFF: "see the zip64 record"
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, shown, shown, len(directory), start, 0)
    return bytes(body + directory + zip64_end + locator + end)


def test_a_docx_of_a_hundred_thousand_entries_is_refused():
    content = _many_entries(100_000)
    with pytest.raises(ApplicationError, match="65535 个以上压缩条目，超过 2000 个的上限"):
        check_upload(SimpleUploadedFile("述职报告.docx", content))


def test_entry_count_under_the_zip64_mark_is_limited_too():
    with zipfile.ZipFile(io.BytesIO(_many_entries(3000))) as archive:  # well-formed
        assert len(archive.infolist()) == 3000 and archive.testzip() is None
    with pytest.raises(ApplicationError, match="3000 个压缩条目，超过 2000 个的上限"):
        check_upload(SimpleUploadedFile("述职报告.docx", _many_entries(3000)))
    assert check_upload(SimpleUploadedFile("述职报告.docx", _many_entries(1500))).kind == DOCX


def test_normal_office_files_pass_the_limits():
    # A long report: 3 MB of text compresses about 5 times, well within the limits.
    text = ("<w:p><w:r><w:t>" + "人大常委会述职评议工作报告。" * 20 + "</w:t></w:r></w:p>") * 700
    parts = {"word/document.xml": text.encode()}
    content = docx_bytes()
    assert check_upload(SimpleUploadedFile("述职报告.docx", content)).kind == DOCX
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes()), "r") as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        target.writestr("[Content_Types].xml", source.read("[Content_Types].xml"))
        target.writestr("word/document.xml", parts["word/document.xml"])
    assert check_upload(SimpleUploadedFile("长报告.docx", buffer.getvalue())).kind == DOCX


# --- Names --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../../x.pdf", "..\\x.pdf", "/etc/passwd.pdf", ".hidden.pdf"])
def test_names_with_path_parts_refused(name):
    with pytest.raises(ApplicationError, match="路径或非法字符"):
        check_original_name(name)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("报告\u202efdp.exe", "报告fdp.exe"),  # right-to-left override: shows as "报告exe.pdf"
        ("述职\u200b报告\u200d.pdf", "述职报告.pdf"),  # zero-width space and joiner
        ("a\x00b\x1f\x7f.pdf", "ab.pdf"),  # C0 controls and DEL
        ("a\x85\x9bb.pdf", "ab.pdf"),  # C1 controls
        ("\ufeff\u2066报告\u2069\u200e.pdf", "报告.pdf"),  # BOM, isolates, marks
        ("行\u2028段\u2029.pdf", "行段.pdf"),  # line and paragraph separators
        ("　全角空格 报告.pdf", "全角空格 报告.pdf"),  # visible characters stay
    ],
)
def test_invisible_and_reordering_characters_are_stripped(sent, kept):
    assert check_original_name(sent) == kept


def test_a_name_of_nothing_but_invisible_characters_is_refused():
    with pytest.raises(ApplicationError, match="文件名为空"):
        check_original_name("\u202e\u200b\x00")


def test_the_stored_name_is_the_sanitised_one():
    upload = pdf_upload("述职报告\u202e.pdf")
    upload.client_name = "述职报告\u202e.pdf"
    assert check_upload(upload).original_name == "述职报告.pdf"
    # An extension hidden behind an override is judged as what it really is.
    with pytest.raises(ApplicationError, match="扩展名与内容不符"):
        check_upload(SimpleUploadedFile("报告\u202efdp.docx", PDF_BYTES))


@pytest.mark.django_db
def test_replacing_a_stored_file_removes_the_old_one_after_commit(
    office, django_capture_on_commit_callbacks
):
    import datetime
    from pathlib import Path

    from reviews.services import campaign_implementation_plan_attach
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(actor=office)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_implementation_plan_attach(
            actor=office,
            campaign=campaign,
            document=pdf_upload("一稿.pdf"),
            approved_on=datetime.date(2017, 8, 1),
        )
    campaign.refresh_from_db()
    first = Path(campaign.implementation_plan.path)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_implementation_plan_attach(
            actor=office,
            campaign=campaign,
            document=pdf_upload("二稿.pdf"),
            approved_on=datetime.date(2017, 8, 2),
        )
    campaign.refresh_from_db()
    assert not first.exists() and Path(campaign.implementation_plan.path).is_file()
    assert campaign.implementation_plan_name == "二稿.pdf"
