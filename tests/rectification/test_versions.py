"""Every submitted version of a plan and a report is kept with the decision on it; a
report can be returned for rework before members assess it."""

import datetime

import pytest

from core.errors import ApplicationError
from core.roles import Role
from rectification.models import RectificationReportStatus, RectificationVersion, VersionStatus
from rectification.services import (
    rectification_assessment_open,
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_return,
    rectification_report_save,
    rectification_report_submit,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office):
    campaign = CampaignFactory(actor=office)
    committee = LiaisonCommitteeFactory()
    liaison = UserFactory(role=Role.LIAISON)
    committee.users.add(liaison)
    subject = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=committee)
    other = SubjectFactory(campaign=campaign, person_name="唐晓云", liaison_committee=committee)
    opinion = review_opinion_draft(actor=office, subject=subject)
    problem = review_opinion_problem_add(
        actor=office,
        opinion=opinion,
        content_item=campaign.content_items.first(),
        text="窗口办事效率不高",
        source="inquiry",
    )
    today = datetime.date.today()
    review_opinion_approve(actor=office, opinion=opinion, approved_on=today)
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=today)
    return subject, other, problem, liaison


def _plan(subject, problem, measures, document=None):
    rows = {
        problem.pk: {
            "measures": measures,
            "responsible": "金立新",
            "time_limit": datetime.date(2030, 1, 1),
            "target": "时限减半",
        }
    }
    rectification_plan_save(actor=subject.user, subject=subject, rows=rows, document=document)
    rectification_plan_submit(actor=subject.user, subject=subject)


def test_returned_plan_version_stays_readable_with_its_reason(client, world):
    subject, other, problem, liaison = world
    _plan(subject, problem, "第一稿措施", document=pdf_upload("方案第一稿.pdf"))
    rectification_plan_return(actor=liaison, subject=subject, reason="措施不具体")
    _plan(subject, problem, "第二稿措施", document=pdf_upload("方案第二稿.pdf"))
    rectification_plan_approve(actor=liaison, subject=subject)
    first, second = RectificationVersion.objects.filter(subject=subject).order_by("number")
    assert (first.status, first.return_reason) == (VersionStatus.RETURNED, "措施不具体")
    assert first.rows[0]["measures"] == "第一稿措施" and second.rows[0]["measures"] == "第二稿措施"
    assert second.status == VersionStatus.APPROVED
    base = f"/subjects/{subject.pk}/rectification/"
    for user in (subject.user, liaison):
        client.force_login(user)
        page = client.get(base).content.decode()
        assert "整改方案第 1 版" in page and "措施不具体" in page
        detail = client.get(f"{base}versions/{first.pk}/").content.decode()
        assert "第一稿措施" in detail and "措施不具体" in detail and "方案第一稿.pdf" in detail
    copy = first.files.get()
    response = client.get(f"{base}versions/files/{copy.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    # Another subject reaches neither the version nor its file.
    client.force_login(other.user)
    assert client.get(f"{base}versions/{first.pk}/").status_code == 404
    assert client.get(f"{base}versions/files/{copy.pk}/").status_code == 404
    other_base = f"/subjects/{other.pk}/rectification/"
    assert client.get(f"{other_base}versions/{first.pk}/").status_code == 404
    assert client.get(f"{other_base}versions/files/{copy.pk}/").status_code == 404


def test_report_returned_before_assessment_then_locked_once_put_to_members(client, office, world):
    subject, _, problem, liaison = world
    _plan(subject, problem, "措施")
    rectification_plan_approve(actor=liaison, subject=subject)
    rows = {problem.pk: {"status": "done", "done": "已完成"}}
    rectification_report_save(actor=subject.user, subject=subject, text="第一稿", rows=rows)
    rectification_report_submit(actor=subject.user, subject=subject)
    base = f"/subjects/{subject.pk}/rectification/"
    client.force_login(liaison)
    assert 'data-testid="report-decision"' in client.get(base).content.decode()
    assert client.post(f"{base}report/move/draft/", {"reason": ""}).status_code == 400
    client.post(f"{base}report/move/draft/", {"reason": "佐证材料不足"})
    report = subject.rectification_reports.get()
    assert (
        report.status == RectificationReportStatus.DRAFT and report.return_reason == "佐证材料不足"
    )
    client.force_login(subject.user)
    assert "佐证材料不足" in client.get(base).content.decode()
    rectification_report_save(actor=subject.user, subject=subject, text="第二稿", rows=rows)
    rectification_report_submit(actor=subject.user, subject=subject)
    versions = list(RectificationVersion.objects.filter(subject=subject, kind="report"))
    assert [(v.text, v.status) for v in versions] == [
        ("第一稿", VersionStatus.RETURNED),
        ("第二稿", VersionStatus.SUBMITTED),
    ]
    MemberFactory.create_batch(3)
    rectification_assessment_open(actor=office, subject=subject)
    with pytest.raises(ApplicationError, match="已提请组成人员测评"):
        rectification_report_return(actor=liaison, subject=subject, reason="太晚了")
    client.force_login(liaison)
    assert 'data-testid="report-decision"' not in client.get(base).content.decode()
