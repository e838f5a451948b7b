"""Rectification concluded by the director's meeting (主任会议决定), without a ballot:
the campaign's method, the meeting's date, its minutes through core.files, 满意 or 继续整改
with a new due date; the groups' checks heard first when they oversee rectification."""

import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from rectification.models import RectificationReport, RectificationReportStatus, VersionStatus
from rectification.services import (
    rectification_assessment_open,
    rectification_check_record,
    rectification_meeting_decide,
)
from reviews.services import campaign_update
from tests.factories import (
    AssessmentGroupFactory,
    RectificationReportFactory,
    SubjectFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(office):
    subject = SubjectFactory()
    campaign_update(
        actor=office, campaign=subject.campaign, rectification_conclusion="directors_meeting"
    )
    RectificationReportFactory(subject=subject, status=RectificationReportStatus.SUBMITTED)
    subject.refresh_from_db()
    return subject


def test_satisfied_by_the_meeting_ends_rectification(office, submitted):
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="不组织测评"):
        rectification_assessment_open(actor=office, subject=submitted)
    report = rectification_meeting_decide(
        actor=office,
        subject=submitted,
        decided_on=today,
        minutes=pdf_upload("主任会议纪要.pdf"),
        outcome="satisfied",
    )
    assert report.status == RectificationReportStatus.SATISFIED and report.ballot is None
    assert report.decided_on == today and report.minutes_name == "主任会议纪要.pdf"
    version = submitted.rectification_versions.get(kind="report")
    assert version.status == VersionStatus.SATISFIED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"rectification.meeting_decision", "rectification_report.satisfied"} <= actions


def test_continued_by_the_meeting_opens_a_new_round(make_user, submitted):
    director = make_user(Role.DIRECTORS_MEETING)
    due = timezone.localdate() + datetime.timedelta(days=60)
    with pytest.raises(ApplicationError, match="继续整改的报告期限"):
        rectification_meeting_decide(
            actor=director,
            subject=submitted,
            decided_on=timezone.localdate(),
            minutes=pdf_upload(),
            outcome="continued",
        )
    new = rectification_meeting_decide(
        actor=director,
        subject=submitted,
        decided_on=timezone.localdate(),
        minutes=pdf_upload(),
        outcome="continued",
        new_due_on=due,
    )
    assert new.round == 2 and new.due_on == due and new.status == RectificationReportStatus.DRAFT
    first = RectificationReport.objects.get(subject=submitted, round=1)
    assert (
        first.status == RectificationReportStatus.CONTINUED
        and first.ordered_on == timezone.localdate()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minutes": None}, "请上传主任会议纪要"),
        ({"outcome": "maybe"}, "满意或继续整改"),
        ({"decided_on": datetime.date.today() + datetime.timedelta(days=3)}, "不晚于今天"),
    ],
)
def test_refusals_write_nothing(office, submitted, changes, message):
    args = {
        "decided_on": timezone.localdate(),
        "minutes": pdf_upload(),
        "outcome": "satisfied",
        **changes,
    }
    with pytest.raises(ApplicationError, match=message):
        rectification_meeting_decide(actor=office, subject=submitted, **args)
    report = RectificationReport.objects.get(subject=submitted)
    assert report.status == RectificationReportStatus.SUBMITTED and not report.minutes


def test_only_office_and_directors_meeting_and_only_by_the_campaigns_method(
    office, make_user, submitted
):
    with pytest.raises(ApplicationError, match="主任会议成员"):
        rectification_meeting_decide(
            actor=make_user(Role.MEMBER),
            subject=submitted,
            decided_on=timezone.localdate(),
            minutes=pdf_upload(),
            outcome="satisfied",
        )
    campaign_update(actor=office, campaign=submitted.campaign, rectification_conclusion="ballot")
    submitted.campaign.refresh_from_db()
    with pytest.raises(ApplicationError, match="满意度测评"):
        rectification_meeting_decide(
            actor=office,
            subject=submitted,
            decided_on=timezone.localdate(),
            minutes=pdf_upload(),
            outcome="satisfied",
        )


def test_the_meeting_hears_the_groups_check_first(office, submitted):
    group = AssessmentGroupFactory(campaign=submitted.campaign, subjects=[submitted])
    campaign_update(actor=office, campaign=submitted.campaign, groups_oversee_rectification=True)
    submitted.refresh_from_db()
    args = {"decided_on": timezone.localdate(), "outcome": "satisfied"}
    with pytest.raises(ApplicationError, match="尚未提出整改检查意见"):
        rectification_meeting_decide(actor=office, subject=submitted, minutes=pdf_upload(), **args)
    check = rectification_check_record(actor=group.leader, subject=submitted, text="整改到位")
    rectification_meeting_decide(actor=office, subject=submitted, minutes=pdf_upload(), **args)
    check.refresh_from_db()
    assert check.heard_on == timezone.localdate()


def test_over_http_the_page_offers_the_decision_and_keeps_the_minutes(
    client, office, make_user, submitted
):
    director = make_user(Role.DIRECTORS_MEETING)
    url = f"/subjects/{submitted.pk}/rectification/"
    client.force_login(director)
    work = client.get("/my-work/").content.decode()
    assert "主任会议决定第 1 轮整改情况" in work and url in work
    page = client.get(url).content.decode()
    assert 'data-testid="decision-form"' in page and "组织整改情况满意度测评" not in page
    response = client.post(
        f"{url}decision/",
        {
            "decided_on": timezone.localdate().isoformat(),
            "minutes": pdf_upload("第十次主任会议纪要.pdf"),
            "outcome": "satisfied",
            "new_due_on": "",
        },
    )
    assert response.status_code == 302
    report = RectificationReport.objects.get(subject=submitted)
    assert report.status == RectificationReportStatus.SATISFIED
    page = client.get(url).content.decode()
    assert "主任会议决定满意" in page and "第十次主任会议纪要.pdf" in page
    minutes = client.get(f"{url}reports/{report.pk}/minutes/")
    assert minutes.status_code == 200 and b"%PDF" in b"".join(minutes.streaming_content)
    # The subject sees the decision and its minutes too; a member does not.
    client.force_login(submitted.user)
    assert client.get(f"{url}reports/{report.pk}/minutes/").status_code == 200
    client.force_login(make_user(Role.MEMBER))
    assert client.get(f"{url}reports/{report.pk}/minutes/").status_code == 404


def test_over_http_a_refusal_writes_nothing(client, office, submitted):
    client.force_login(office)
    response = client.post(
        f"/subjects/{submitted.pk}/rectification/decision/",
        {
            "decided_on": timezone.localdate().isoformat(),
            "outcome": "continued",
            "new_due_on": "",
            "minutes": pdf_upload(),
        },
    )
    assert response.status_code == 400 and "继续整改的报告期限" in response.content.decode()
    report = RectificationReport.objects.get(subject=submitted)
    assert report.status == RectificationReportStatus.SUBMITTED and not report.decided_on


def test_the_method_is_set_on_the_campaigns_settings_page(client, office):
    subject = SubjectFactory()
    campaign = subject.campaign
    client.force_login(office)
    url = f"/campaigns/{campaign.pk}/rectification/settings/"
    page = client.get(url).content.decode()
    version = page.split('name="version" value="')[1].split('"')[0]
    response = client.post(
        f"{url}conclusion/",
        {
            "version": version,
            "rectification_conclusion": "directors_meeting",
            "groups_oversee_rectification": "on",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.rectification_conclusion == "directors_meeting"
    assert campaign.groups_oversee_rectification
    # The same page drawn earlier is stale now.
    client.post(f"{url}conclusion/", {"version": version, "rectification_conclusion": "ballot"})
    campaign.refresh_from_db()
    assert campaign.rectification_conclusion == "directors_meeting"
    page = client.get(f"/campaigns/{campaign.pk}/rectification/").content.decode()
    assert "整改结论方式：主任会议决定" in page
