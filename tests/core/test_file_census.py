"""Every upload path, refused after its file was written and then accepted: afterwards
every file on disk is named by exactly one row, and every file a row names is on disk.

Runs with real commits (transaction=True), so what stays is what production keeps."""

import datetime
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.db import DatabaseError, models

from core import audit
from core.documents import (
    KINDS,
    DocumentKind,
    document_discard,
    document_render,
    document_request,
)
from core.errors import ApplicationError
from core.imports import import_job_queue, import_job_result_take
from core.models import RenderedDocument
from core.roles import Role
from rectification.models import ProblemSource, RowStatus
from rectification.services import plans as rectification_plans
from rectification.services import (
    rectification_plan_approve,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_save,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from reviews.services import campaign_implementation_plan_attach
from subjects.models import ReportKind
from subjects.services import duty_report_upload
from surveys.models import ActivityKind
from surveys.services import activity_attach, activity_record
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    SubjectFactory,
    UserFactory,
    docx_upload,
    make_group,
    pdf_upload,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "注入的拒绝：文件写入之后保存失败"


def census(root: Path) -> tuple[set[str], Counter]:
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    referenced: Counter = Counter()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names = model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                referenced.update(names)
    return on_disk, referenced


def assert_no_orphans(root: Path) -> None:
    on_disk, referenced = census(root)
    assert on_disk - set(referenced) == set(), "files on disk that no row names"
    assert set(referenced) - on_disk == set(), "rows naming files that are not on disk"
    assert [name for name, n in referenced.items() if n > 1] == []


def _refuse(*args, **kwargs):
    raise ApplicationError(REFUSED)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def fake_pdf(monkeypatch):
    """WeasyPrint's part is not under test here: any HTML renders to a small PDF at once."""
    import weasyprint

    class HTML:
        def __init__(self, string=""):
            pass

        def write_pdf(self):
            return b"%PDF-1.4\n%%EOF\n"

    monkeypatch.setattr(weasyprint, "HTML", HTML)


def test_every_upload_path_leaves_no_orphans(media, office, monkeypatch, fake_pdf):
    today = datetime.date.today()
    campaign = CampaignFactory(actor=office)
    committee = LiaisonCommitteeFactory()
    liaison = UserFactory(role=Role.LIAISON)
    committee.users.add(liaison)
    subject = SubjectFactory(campaign=campaign, liaison_committee=committee)
    leader = UserFactory(role=Role.MEMBER)
    group = make_group(campaign, name="第一组", leader=leader, subjects=[subject], actor=office)

    def twice(module: str, attribute: str, call) -> None:
        """Once refused after the file was written, once accepted."""
        with monkeypatch.context() as patch:
            patch.setattr(f"{module}.{attribute}", _refuse)
            with pytest.raises(ApplicationError, match=REFUSED):
                call()
        assert_no_orphans(media)
        call()
        assert_no_orphans(media)

    # The work plan (实施方案), twice accepted: the replaced file goes on commit.
    def plan():
        return campaign_implementation_plan_attach(
            actor=office, campaign=campaign, document=pdf_upload(), approved_on=today
        )

    twice("reviews.services.campaigns", "audit_log", plan)
    plan()
    assert_no_orphans(media)

    # Duty report versions.
    twice(
        "subjects.services.reports",
        "audit_log",
        lambda: duty_report_upload(
            actor=subject.user, subject=subject, kind=ReportKind.DRAFT, upload=docx_upload()
        ),
    )

    # Investigation activities with attachments, and an attachment added later.
    def record():
        return activity_record(
            actor=leader,
            group=group,
            subjects=[subject],
            kind=ActivityKind.FORUM,
            held_on=today,
            place="会议室",
            participant_count=3,
            participants="代表 3 人",
            attachments=[pdf_upload("记录.pdf"), docx_upload("名单.docx")],
        )

    twice("surveys.services.assessment", "audit_log", record)
    activity = group.activities.get()
    twice(
        "surveys.services.assessment",
        "audit_log",
        lambda: activity_attach(actor=leader, activity=activity, upload=pdf_upload("补充.pdf")),
    )

    # The rectification plan's document.
    opinion = review_opinion_draft(actor=office, subject=subject, summary="意见")
    items = list(campaign.content_items.all())
    for text in ("问题一", "问题二"):
        review_opinion_problem_add(
            actor=office,
            opinion=opinion,
            content_item=items[0],
            text=text,
            source=ProblemSource.DELIBERATION,
        )
    review_opinion_approve(actor=office, opinion=opinion, approved_on=today)
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=today)
    subject.refresh_from_db()
    rows = {
        p.pk: {"measures": "措施", "responsible": "责任人", "time_limit": today, "target": "目标"}
        for p in opinion.problems.all()
    }
    twice(
        "rectification.services.plans",
        "_log",
        lambda: rectification_plan_save(
            actor=subject.user, subject=subject, rows=rows, document=pdf_upload("方案.pdf")
        ),
    )
    # Submitting keeps a copy of the plan's document with the version.
    record = rectification_plans.plan_version_record

    def record_then_refuse(**kwargs):
        record(**kwargs)
        raise ApplicationError(REFUSED)

    with monkeypatch.context() as patch:
        patch.setattr(rectification_plans, "plan_version_record", record_then_refuse)
        with pytest.raises(ApplicationError, match=REFUSED):
            rectification_plan_submit(actor=subject.user, subject=subject)
    assert_no_orphans(media)
    rectification_plan_submit(actor=subject.user, subject=subject)
    assert_no_orphans(media)
    rectification_plan_approve(actor=liaison, subject=subject)

    # The rectification report's evidence: the attacker's case, refused by the service itself
    # after the first row's evidence was written (the second row is incomplete).
    first, second = opinion.problems.order_by("position")
    with pytest.raises(ApplicationError, match="须选择完成情况"):
        rectification_report_save(
            actor=subject.user,
            subject=subject,
            text="报告",
            rows={
                first.pk: {"status": RowStatus.DONE, "done": "已完成"},
                second.pk: {"status": "", "done": "做了一部分"},
            },
            evidence={first.pk: pdf_upload("佐证.pdf")},
        )
    assert_no_orphans(media)
    done = {"status": RowStatus.DONE, "done": "已完成"}
    rectification_report_save(
        actor=subject.user,
        subject=subject,
        text="报告",
        rows={first.pk: done, second.pk: done},
        evidence={first.pk: pdf_upload("佐证.pdf"), second.pk: docx_upload("佐证.docx")},
    )
    assert_no_orphans(media)

    # Rendered documents (opinions, investigation reports, briefings): the row's last save
    # fails after the PDF was written.
    monkeypatch.setitem(
        KINDS,
        "census",
        DocumentKind(render=lambda pk: ("t.html", {}, "文书.pdf"), title_for=lambda u, pk: "文书"),
    )
    monkeypatch.setattr("core.documents.render_to_string", lambda template, context: "<p/>")
    monkeypatch.setitem(audit._LABELS, "census.render", "申请生成 PDF（测试）")
    with monkeypatch.context() as patch:
        patch.setattr("core.documents.enqueue_on_commit", lambda *a, **k: None)
        document = document_request(actor=office, kind="census", object_id=1)
    failing_save(monkeypatch, RenderedDocument, lambda: document_render(document_id=document.pk))
    assert_no_orphans(media)
    assert document_render(document_id=document.pk).status == "done"
    assert_no_orphans(media)

    # A changed object's PDF is discarded with its row.
    document_discard(kind="census", object_id=1)
    assert_no_orphans(media)
    assert document_render(
        document_id=document_request(actor=office, kind="census", object_id=1).pk
    )
    assert_no_orphans(media)

    # An import's list of initial passwords: written with the records, gone once taken.
    header = ["姓名", "职务", "登录名", "计入组成人员"]
    with monkeypatch.context() as patch:
        patch.setattr("reviews.imports.audit_log", _refuse)
        job = import_job_queue(
            actor=office, kind="members", upload=xlsx_upload([header, ["甲", "委员", "jia", "是"]])
        )
    assert job.status == "failed" and REFUSED in job.error
    assert_no_orphans(media)
    job = import_job_queue(
        actor=office, kind="members", upload=xlsx_upload([header, ["乙", "委员", "yi", "是"]])
    )
    assert job.result
    assert_no_orphans(media)
    import_job_result_take(actor=office, job=job)
    assert_no_orphans(media)

    on_disk, referenced = census(media)
    assert len(on_disk) == 10  # every accepted file once, every replaced or refused one gone


def failing_save(monkeypatch, model, call) -> None:
    """Run `call` with `model`'s save failing whenever it writes the file field."""
    original = model.save

    def save(self, *args, **kwargs):
        if "pdf" in (kwargs.get("update_fields") or ()):
            raise DatabaseError("disk quota exceeded")
        return original(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(model, "save", save)
        with pytest.raises(DatabaseError):
            call()
