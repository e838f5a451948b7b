import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from core.models import AuditEntry
from reviews.models import CampaignStage
from reviews.services import campaign_implementation_plan_attach, campaign_stage_move
from subjects.models import DutyReportStatus, DutyReportVersion, ReportKind
from subjects.selectors import ReportState, campaign_report_rows
from subjects.services import (
    campaign_report_deadlines_set,
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    duty_reports_distribute,
    report_deadlines_suggested,
)
from tests.factories import CampaignFactory, SubjectFactory, docx_upload, pdf_upload

pytestmark = pytest.mark.django_db


def _stored() -> set[Path]:
    return {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.fixture
def campaign(office):
    return campaign_report_deadlines_set(
        actor=office,
        campaign=CampaignFactory(actor=office),
        draft_due=datetime.date(2017, 9, 1),
        final_due=datetime.date(2017, 9, 11),
    )


@pytest.fixture
def subject(campaign):
    return SubjectFactory(campaign=campaign, person_name="金立新")


def test_suggested_deadlines_are_20_and_10_days_before_the_meeting():
    assert report_deadlines_suggested(datetime.date(2017, 9, 21)) == (
        datetime.date(2017, 9, 1),
        datetime.date(2017, 9, 11),
    )


def test_final_before_draft_refused(office, campaign):
    with pytest.raises(ApplicationError, match="定稿截止日期不能早于初稿"):
        campaign_report_deadlines_set(
            actor=office,
            campaign=campaign,
            draft_due=datetime.date(2017, 9, 11),
            final_due=datetime.date(2017, 9, 1),
        )


@time_machine.travel(datetime.datetime(2017, 8, 25, 10, tzinfo=datetime.UTC))
def test_upload_makes_versions_and_keeps_old_ones(subject):
    first = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.DRAFT, upload=pdf_upload("初稿.pdf")
    )
    second = duty_report_upload(
        actor=subject.user,
        subject=subject,
        kind=ReportKind.DRAFT,
        upload=docx_upload("初稿修改.docx"),
    )
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.status == DutyReportStatus.SUPERSEDED and Path(first.file.path).is_file()
    assert second.original_name == "初稿修改.docx" and second.content_kind == "docx"
    assert "初稿" not in Path(second.file.path).name
    assert not first.is_late
    assert (
        AuditEntry.objects.filter(subject=subject, action="duty_report.upload.draft").count() == 2
    )


def test_late_upload_accepted_but_marked(subject):
    with time_machine.travel(datetime.datetime(2017, 9, 12, 10, tzinfo=datetime.UTC)):
        version = duty_report_upload(
            actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
        )
    assert version.is_late
    assert "逾期提交" in AuditEntry.objects.get(action="duty_report.upload.final").summary


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200), "内容不是"),
        (SimpleUploadedFile("report.docx", b"<html><body>report</body></html>"), "内容不是"),
        (SimpleUploadedFile("report.pdf", b""), "空文件"),
        (None, "请选择"),
    ],
)
def test_bad_uploads_refused_and_nothing_stored(subject, upload, message):
    before = _stored()
    with pytest.raises(ApplicationError, match=message):
        duty_report_upload(
            actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=upload
        )
    assert not DutyReportVersion.objects.exists()
    assert _stored() == before


def test_over_the_limit_refused(subject, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ApplicationError, match="上限"):
        duty_report_upload(
            actor=subject.user,
            subject=subject,
            kind=ReportKind.FINAL,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"1" * 4096 + b"%%EOF"),
        )
    assert not DutyReportVersion.objects.exists()


def test_only_the_subject_uploads_own_report(subject, office, campaign):
    other = SubjectFactory(campaign=campaign)
    for actor in (other.user, office):
        with pytest.raises(ApplicationError, match="本人"):
            duty_report_upload(
                actor=actor, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
            )
    assert not DutyReportVersion.objects.exists()


def test_return_reupload_accept_and_lock(office, subject):
    final = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    with pytest.raises(ApplicationError, match="必须写明理由"):
        duty_report_return(actor=office, version=final, reason=" ")
    duty_report_return(actor=office, version=final, reason="未突出个人履职，请补充本人作用")
    final.refresh_from_db()
    assert final.status == DutyReportStatus.RETURNED and final.return_reason.startswith("未突出")
    with pytest.raises(ApplicationError, match="不能接受"):
        duty_report_accept(actor=office, version=final)

    second = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    duty_report_accept(actor=office, version=second)
    second.refresh_from_db()
    assert second.status == DutyReportStatus.ACCEPTED and second.reviewed_by == office

    with pytest.raises(ApplicationError, match="锁定"):
        duty_report_upload(
            actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
        )
    with pytest.raises(ApplicationError, match="锁定"):
        duty_report_upload(
            actor=subject.user, subject=subject, kind=ReportKind.DRAFT, upload=pdf_upload()
        )
    with pytest.raises(ApplicationError):
        duty_report_return(actor=office, version=second, reason="改主意了")
    assert DutyReportVersion.objects.filter(subject=subject).count() == 2
    actions = list(AuditEntry.objects.filter(subject=subject).values_list("action", flat=True))
    assert {"duty_report.upload.final", "duty_report.returned", "duty_report.accepted"} <= set(
        actions
    )


def test_database_keeps_one_accepted_final(subject):
    from django.db import IntegrityError, transaction

    a = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    b = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    DutyReportVersion.objects.filter(pk=a.pk).update(status=DutyReportStatus.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyReportVersion.objects.filter(pk=b.pk).update(status=DutyReportStatus.ACCEPTED)


def test_uploads_close_after_the_review_stage(office, campaign, subject):
    campaign_implementation_plan_attach(
        actor=office,
        campaign=campaign,
        document=pdf_upload(),
        approved_on=campaign.created_at.date(),
    )
    for stage in (CampaignStage.PRELIMINARY, CampaignStage.REVIEW, CampaignStage.RECTIFICATION):
        campaign_stage_move(
            actor=office,
            campaign=campaign,
            to_stage=stage,
            override_reason="本测试不涉及阶段条件",
            confirmed=True,
        )
    with pytest.raises(ApplicationError, match="停止上传"):
        duty_report_upload(
            actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
        )


def test_non_office_cannot_review_or_distribute(subject, member_user):
    version = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    for call in (
        lambda: duty_report_accept(actor=subject.user, version=version),
        lambda: duty_report_return(actor=member_user, version=version, reason="x"),
        lambda: duty_reports_distribute(actor=member_user, campaign=subject.campaign),
    ):
        with pytest.raises(ApplicationError, match="只有评议办公室"):
            call()


def test_distribution_needs_an_accepted_final_and_happens_once(office, subject, campaign):
    with pytest.raises(ApplicationError, match="还没有已接受"):
        duty_reports_distribute(actor=office, campaign=campaign)
    version = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    duty_report_accept(actor=office, version=version)
    duty_reports_distribute(actor=office, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.reports_distributed_at and campaign.reports_distributed_by == office
    with pytest.raises(ApplicationError, match="已经分发"):
        duty_reports_distribute(actor=office, campaign=campaign)


def test_distribute_button_asks_first_and_says_how_many_are_missing(
    client, office, subject, campaign
):
    for _ in range(3):
        SubjectFactory(campaign=campaign)
    version = duty_report_upload(
        actor=subject.user, subject=subject, kind=ReportKind.FINAL, upload=pdf_upload()
    )
    duty_report_accept(actor=office, version=version)
    client.force_login(office)
    page = client.get(f"/campaigns/{campaign.pk}/reports/").content.decode()
    assert 'data-confirm="仅 1/4 份述职报告定稿已接受，其余 3 份不会分发。' in page
    assert "不能撤回。确认分发？" in page


def test_overview_states(office, campaign):
    missing = SubjectFactory(campaign=campaign, person_name="未交")
    draft = SubjectFactory(campaign=campaign, person_name="初稿")
    submitted = SubjectFactory(campaign=campaign, person_name="待审")
    returned = SubjectFactory(campaign=campaign, person_name="退回")
    accepted = SubjectFactory(campaign=campaign, person_name="接受")
    with time_machine.travel(datetime.datetime(2017, 8, 25, tzinfo=datetime.UTC)):
        duty_report_upload(
            actor=draft.user, subject=draft, kind=ReportKind.DRAFT, upload=pdf_upload()
        )
        duty_report_upload(
            actor=submitted.user, subject=submitted, kind=ReportKind.FINAL, upload=pdf_upload()
        )
        v = duty_report_upload(
            actor=returned.user, subject=returned, kind=ReportKind.FINAL, upload=pdf_upload()
        )
        duty_report_return(actor=office, version=v, reason="请补充")
        v = duty_report_upload(
            actor=accepted.user, subject=accepted, kind=ReportKind.FINAL, upload=pdf_upload()
        )
        duty_report_accept(actor=office, version=v)
    before_due = {
        r.subject.person_name: r.state
        for r in campaign_report_rows(campaign, today=datetime.date(2017, 9, 5))
    }
    assert before_due == {
        "未交": ReportState.MISSING,
        "初稿": ReportState.DRAFT,
        "待审": ReportState.SUBMITTED,
        "退回": ReportState.RETURNED,
        "接受": ReportState.ACCEPTED,
    }
    after_due = {
        r.subject.person_name: r.state
        for r in campaign_report_rows(campaign, today=datetime.date(2017, 9, 12))
    }
    assert after_due["未交"] == after_due["初稿"] == after_due["退回"] == ReportState.LATE
    assert after_due["待审"] == ReportState.SUBMITTED and after_due["接受"] == ReportState.ACCEPTED
    assert missing.pk


def test_overview_queries_do_not_grow(office, campaign, django_assert_num_queries):
    for _ in range(3):
        s = SubjectFactory(campaign=campaign)
        duty_report_upload(actor=s.user, subject=s, kind=ReportKind.DRAFT, upload=pdf_upload())
    with django_assert_num_queries(2):
        rows = campaign_report_rows(campaign)
    for _ in range(5):
        s = SubjectFactory(campaign=campaign)
        duty_report_upload(actor=s.user, subject=s, kind=ReportKind.FINAL, upload=pdf_upload())
    with django_assert_num_queries(2):
        rows = campaign_report_rows(campaign)
    assert len(rows) == 8
