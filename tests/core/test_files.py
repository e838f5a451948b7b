import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from core.files import DOC, DOCX, PDF, check_original_name, check_upload


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _doc_bytes() -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + "WordDocument".encode("utf-16-le") + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("述职报告.pdf", b"%PDF-1.7\n...", PDF),
        ("述职报告.docx", _docx_bytes(), DOCX),
        ("述职报告.DOC", _doc_bytes(), DOC),
    ],
)
def test_real_documents_pass(name, content, kind):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.kind == kind
    assert checked.original_name == name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "内容不是"),
        ("report.docx", b"<html><body>hi</body></html>", "内容不是"),
        ("report.pdf", b"", "空文件"),
        ("report.docx", b"%PDF-1.4 a pdf with the wrong name", "扩展名与内容不符"),
        ("sheet.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "内容不是"),
    ],
)
def test_bad_files_refused_with_chinese_message(name, content, message):
    with pytest.raises(ApplicationError) as exc:
        check_upload(SimpleUploadedFile(name, content))
    assert message in exc.value.message


def test_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ApplicationError, match="超过 0 MB|超过"):
        check_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000))
    assert check_upload(SimpleUploadedFile("ok.pdf", b"%PDF-" + b"0" * 500)).kind == PDF


def test_zip_that_is_not_word_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    with pytest.raises(ApplicationError, match="内容不是"):
        check_upload(SimpleUploadedFile("x.docx", buffer.getvalue()))


@pytest.mark.parametrize(
    "name", ["../../x.pdf", "..\\x.pdf", "/etc/passwd.pdf", ".hidden.pdf", "a\x00b.pdf"]
)
def test_names_with_path_parts_refused(name):
    with pytest.raises(ApplicationError, match="路径或非法字符"):
        check_original_name(name)


@pytest.mark.django_db
def test_replacing_a_stored_file_removes_the_old_one_after_commit(
    office, django_capture_on_commit_callbacks
):
    import datetime
    from pathlib import Path

    from reviews.services import campaign_implementation_plan_attach
    from tests.factories import CampaignFactory, pdf_upload

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
