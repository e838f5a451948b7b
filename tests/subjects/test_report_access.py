"""Duty reports tried from the attacker's side, over HTTP."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from core.roles import Role
from subjects.models import DutyReportStatus, DutyReportVersion, ReportKind
from subjects.services import duty_report_accept, duty_report_upload, duty_reports_distribute
from tests.factories import CampaignFactory, SubjectFactory, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(office):
    campaign = CampaignFactory(actor=office)
    mine = SubjectFactory(campaign=campaign, person_name="金立新")
    theirs = SubjectFactory(campaign=campaign, person_name="唐晓云")
    draft = duty_report_upload(
        actor=theirs.user, subject=theirs, kind=ReportKind.DRAFT, upload=pdf_upload("初稿.pdf")
    )
    final = duty_report_upload(
        actor=theirs.user, subject=theirs, kind=ReportKind.FINAL, upload=pdf_upload("定稿.pdf")
    )
    duty_report_accept(actor=office, version=final)
    return campaign, mine, theirs, draft, final


def _multipart(filename: str, content: bytes, kind: str = "final") -> tuple[bytes, str]:
    boundary = "----shuzhiBoundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_anonymous_gets_login(client, setup):
    _, _, _, draft, _ = setup
    response = client.get(f"/reports/{draft.pk}/download/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_subject_cannot_reach_another_subjects_report(client, setup):
    campaign, mine, theirs, draft, final = setup
    client.force_login(mine.user)
    for version in (draft, final):
        assert client.get(f"/reports/{version.pk}/download/").status_code == 404
    assert (
        client.get(
            f"/reports/{draft.pk}/download/".replace(str(draft.pk)[:8], "00000000")
        ).status_code
        == 404
    )
    assert client.get(f"/subjects/{theirs.pk}/").status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/reports/").status_code == 403
    assert client.get(f"/campaigns/{campaign.pk}/reports.zip").status_code == 403
    response = client.post(
        f"/subjects/{theirs.pk}/reports/upload/", {"kind": "final", "file": pdf_upload()}
    )
    assert response.status_code == 404
    # A version they may not see: 404, as for its download (its existence is not revealed).
    assert client.post(f"/reports/{final.pk}/move/returned/", {"reason": "x"}).status_code == 404
    final.refresh_from_db()
    assert final.status == DutyReportStatus.ACCEPTED
    assert DutyReportVersion.objects.filter(subject=theirs).count() == 2


def test_subject_reads_own_versions(client, setup):
    _, _, theirs, draft, final = setup
    client.force_login(theirs.user)
    response = client.get(f"/reports/{draft.pk}/download/")
    assert response.status_code == 200
    assert "filename*=utf-8''%E5%88%9D%E7%A8%BF.pdf" in response["Content-Disposition"]
    body = client.get(f"/subjects/{theirs.pk}/").content.decode()
    assert "初稿.pdf" in body and "已被办公室接受并锁定" in body


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADING_GROUP, Role.DIRECTORS_MEETING])
def test_readers_wait_for_distribution_then_read_only_accepted_finals(
    client, office, make_user, setup, role
):
    campaign, _, _, draft, final = setup
    client.force_login(make_user(role))
    assert client.get(f"/reports/{final.pk}/download/").status_code == 404
    assert "尚未分发" in client.get(f"/campaigns/{campaign.pk}/reports/").content.decode()
    duty_reports_distribute(actor=office, campaign=campaign)
    assert client.get(f"/reports/{final.pk}/download/").status_code == 200
    assert client.get(f"/reports/{draft.pk}/download/").status_code == 404
    body = client.get(f"/campaigns/{campaign.pk}/reports/").content.decode()
    assert "定稿.pdf" in body and "初稿.pdf" not in body
    assert client.get(f"/campaigns/{campaign.pk}/reports.zip").status_code == 403


def test_liaison_cannot_read_reports(client, office, make_user, setup):
    campaign, _, theirs, _, final = setup
    duty_reports_distribute(actor=office, campaign=campaign)
    user = make_user(Role.LIAISON)
    theirs.liaison_committee.users.add(user)
    client.force_login(user)
    assert client.get(f"/reports/{final.pk}/download/").status_code == 404


def test_forged_name_with_path_parts_refused_nothing_stored(client, setup):
    _, mine, _, _, _ = setup
    client.force_login(mine.user)
    before = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
    for name in ("../../x.pdf", "..\\..\\x.pdf", "/etc/x.pdf"):
        body, content_type = _multipart(name, b"%PDF-1.4 forged")
        response = client.generic(
            "POST", f"/subjects/{mine.pk}/reports/upload/", body, content_type=content_type
        )
        assert response.status_code == 400
        assert "含有路径或非法字符" in response.content.decode()
    assert not DutyReportVersion.objects.filter(subject=mine).exists()
    assert {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()} == before


def test_plain_multipart_upload_works(client, setup):
    _, mine, _, _, _ = setup
    client.force_login(mine.user)
    body, content_type = _multipart("我的述职报告.pdf", b"%PDF-1.4 real enough\n%%EOF\n")
    response = client.generic(
        "POST", f"/subjects/{mine.pk}/reports/upload/", body, content_type=content_type
    )
    assert response.status_code == 302
    version = DutyReportVersion.objects.get(subject=mine)
    assert version.original_name == "我的述职报告.pdf"


def test_a_name_with_a_right_to_left_override_is_stored_sanitised(client, setup):
    """ "述职报告\u202efdp.exe" shows as "述职报告exe.pdf": the override is dropped, and
    what remains ends in .exe, so the PDF is refused as misnamed."""
    _, mine, _, _, _ = setup
    client.force_login(mine.user)
    pdf = b"%PDF-1.4 real enough\n%%EOF\n"
    body, content_type = _multipart("述职报告\u202efdp.exe", pdf)
    response = client.generic(
        "POST", f"/subjects/{mine.pk}/reports/upload/", body, content_type=content_type
    )
    assert response.status_code == 400 and "述职报告fdp.exe" in response.content.decode()
    body, content_type = _multipart("述职\u200b报告\u202e\x07.pdf", pdf)
    response = client.generic(
        "POST", f"/subjects/{mine.pk}/reports/upload/", body, content_type=content_type
    )
    assert response.status_code == 302
    version = DutyReportVersion.objects.get(subject=mine)
    assert version.original_name == "述职报告.pdf"
    response = client.get(f"/reports/{version.pk}/download/")
    assert "%E8%BF%B0%E8%81%8C%E6%8A%A5%E5%91%8A.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 64, "内容不是"),
        ("report.docx", b"<html>hi</html>", "内容不是"),
        ("report.pdf", b"", "述职报告文件：所提交的是空文件。"),
    ],
)
def test_bad_files_over_http(client, setup, name, content, message):
    _, mine, _, _, _ = setup
    client.force_login(mine.user)
    body, content_type = _multipart(name, content)
    response = client.generic(
        "POST", f"/subjects/{mine.pk}/reports/upload/", body, content_type=content_type
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DutyReportVersion.objects.filter(subject=mine).exists()


def test_office_return_needs_reason_over_http(client, office, setup):
    campaign, mine, _, _, _ = setup
    version = duty_report_upload(
        actor=mine.user, subject=mine, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    client.force_login(office)
    response = client.post(f"/reports/{version.pk}/move/returned/", {"reason": ""}, follow=True)
    assert "必须写明理由" in response.content.decode()
    version.refresh_from_db()
    assert version.status == DutyReportStatus.SUBMITTED
    client.post(f"/reports/{version.pk}/move/returned/", {"reason": "请突出个人履职"})
    version.refresh_from_db()
    assert version.status == DutyReportStatus.RETURNED
    client.force_login(mine.user)
    body = client.get(f"/subjects/{mine.pk}/").content.decode()
    assert "请突出个人履职" in body and "请修改后重新上传" in body


def test_office_zip_named_by_subject(client, office, setup):
    campaign, mine, _, _, _ = setup
    version = duty_report_upload(
        actor=mine.user, subject=mine, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    duty_report_accept(actor=office, version=version)
    client.force_login(office)
    response = client.get(f"/campaigns/{campaign.pk}/reports.zip")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 2
    assert any("金立新_述职报告.pdf" in n for n in names) and any(
        "唐晓云_述职报告.pdf" in n for n in names
    )


def test_office_overview_counts(client, office, setup):
    campaign, _, _, _, _ = setup
    client.force_login(office)
    body = client.get(f"/campaigns/{campaign.pk}/reports/").content.decode()
    assert 'data-state="accepted"' in body and "已接受 1" in body and "未提交 1" in body
