"""上传述职报告: the subject itself, while the campaign collects reports and no final is
accepted; a newer upload of the same kind replaces the one waiting for review."""

import pytest

from reviews.models import Campaign, CampaignStage
from subjects.models import DutyReportStatus, DutyReportVersion, ReportKind
from tests.factories import DutyReportVersionFactory, pdf_upload

from .conftest import audited, refused

pytestmark = pytest.mark.django_db

ONLY_THE_SUBJECT = "只有评议对象本人可以上传自己的述职报告。"


def _url(subject) -> str:
    return f"/subjects/{subject.pk}/reports/upload/"


def _data(kind=ReportKind.DRAFT) -> dict:
    return {"kind": kind, "file": pdf_upload("述职报告.pdf")}


def test_the_subject_uploads_and_a_newer_upload_replaces_the_waiting_one(client, world):
    client.force_login(world.subject.user)
    response = client.post(_url(world.subject), _data())
    assert response.status_code == 302 and response["Location"] == f"/subjects/{world.subject.pk}/"
    first = DutyReportVersion.objects.get(subject=world.subject)
    assert (first.status, first.number, first.uploaded_by) == (
        DutyReportStatus.SUBMITTED,
        1,
        world.subject.user,
    )
    assert first.original_name == "述职报告.pdf" and first.size > 0 and first.content_kind
    assert audited("duty_report.upload.draft", subject=world.subject) == 1

    assert client.post(_url(world.subject), _data()).status_code == 302
    first.refresh_from_db()
    assert first.status == DutyReportStatus.SUPERSEDED
    assert audited("duty_report.superseded", subject=world.subject) == 1
    page = client.get(f"/subjects/{world.subject.pk}/").content.decode()
    assert "已被新版本替代" in page and "上传述职报告" in page


@pytest.mark.parametrize(
    "who", ["office", "liaison", "director", "leading", "member", "other_subject"]
)
def test_no_one_else_uploads(client, world, who):
    # Who may not see the subject gets 404; who may see it, the refusal.
    status = 404 if who in ("other_subject",) else 400
    refused(
        client,
        getattr(world, who),
        _url(world.subject),
        _data(),
        ONLY_THE_SUBJECT,
        campaign=world.campaign,
        status=status,
    )


def test_another_committee_does_not_see_the_subject(client, world):
    refused(
        client,
        world.other_liaison,
        _url(world.subject),
        _data(),
        "",
        campaign=world.campaign,
        status=404,
    )


def test_uploads_close_after_the_review_stage(client, world):
    Campaign.objects.filter(pk=world.campaign.pk).update(stage=CampaignStage.RECTIFICATION)
    refused(
        client,
        world.subject.user,
        _url(world.subject),
        _data(),
        "述职报告已停止上传。",
        campaign=world.campaign,
    )


def test_an_accepted_final_locks_the_report(client, world):
    DutyReportVersionFactory(subject=world.subject, status=DutyReportStatus.ACCEPTED)
    refused(
        client,
        world.subject.user,
        _url(world.subject),
        _data(ReportKind.DRAFT),
        "您的述职报告定稿已被接受并锁定，不能再上传新的版本。",
        campaign=world.campaign,
    )


def test_a_refused_upload_shows_the_form_again_with_the_reason(client, world):
    response = refused(
        client,
        world.subject.user,
        _url(world.subject),
        {"kind": ReportKind.FINAL},
        "未保存，请修改后再提交",
        campaign=world.campaign,
    )
    page = response.content.decode()
    # What was chosen is kept: the final is still checked.
    assert 'value="final"' in page and "checked" in page.split('value="final"')[1][:40]
