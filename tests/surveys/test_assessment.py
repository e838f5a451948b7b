import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from core.roles import Role
from surveys.models import (
    ActivityKind,
    Finding,
    FindingKind,
    InvestigationActivity,
    InvestigationReportStatus,
)
from surveys.services import (
    activity_record,
    finding_add,
    finding_delete,
    group_create,
    investigation_report_mark_heard,
    investigation_report_prefill,
    investigation_report_return,
    investigation_report_save,
    investigation_report_submit,
    subjects_assign,
)
from tests.factories import CampaignFactory, SubjectFactory, UserFactory, make_group, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office):
    campaign = CampaignFactory(actor=office)
    leader = UserFactory(role=Role.MEMBER, first_name="王组长")
    member = UserFactory(role=Role.MEMBER, first_name="李组员")
    s1 = SubjectFactory(campaign=campaign, person_name="金立新")
    s2 = SubjectFactory(campaign=campaign, person_name="唐晓云")
    group = make_group(
        campaign, name="第一组", leader=leader, members=[member], subjects=[s1], actor=office
    )
    other = make_group(campaign, name="第二组", subjects=[s2], actor=office)
    return campaign, group, other, leader, member, s1, s2


def _activity(actor, group, subjects, **kwargs):
    values = dict(
        actor=actor,
        group=group,
        subjects=subjects,
        kind=ActivityKind.FORUM,
        held_on=datetime.date(2017, 8, 25),
        place="县发改委会议室",
        participant_count=12,
        participants="服务对象代表 8 人、基层干部 4 人",
        notes="座谈情况",
    )
    values.update(kwargs)
    return activity_record(**values)


def test_only_office_forms_groups(world, member_user):
    campaign, *_ = world
    with pytest.raises(ApplicationError, match="只有评议办公室"):
        group_create(actor=member_user, campaign=campaign, name="第三组", leader=member_user)


def test_assignment_checks_campaign(world, office):
    campaign, group, other, *_, s1, s2 = world
    foreign = SubjectFactory(campaign=CampaignFactory(actor=office))
    with pytest.raises(ApplicationError, match="不属于本次评议活动"):
        subjects_assign(actor=office, campaign=campaign, assignments={foreign.pk: group.pk})
    foreign_group = make_group(foreign.campaign, name="外组", actor=office)
    with pytest.raises(ApplicationError, match="小组不属于"):
        subjects_assign(actor=office, campaign=campaign, assignments={s1.pk: foreign_group.pk})
    assert (
        subjects_assign(
            actor=office, campaign=campaign, assignments={s1.pk: other.pk, s2.pk: other.pk}
        )
        == 1
    )
    s1.refresh_from_db()
    assert s1.group_assignment.group == other


def test_member_records_activity_with_attachment(world):
    _, group, _, _, member, s1, _ = world
    activity = _activity(member, group, [s1], attachments=[pdf_upload("座谈记录.pdf")])
    assert list(activity.subjects.all()) == [s1]
    attachment = activity.attachments.get()
    assert attachment.original_name == "座谈记录.pdf" and Path(attachment.file.path).is_file()


def test_bad_attachment_stores_nothing(world):
    _, group, _, _, member, s1, _ = world
    before = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
    with pytest.raises(ApplicationError, match="内容不是"):
        _activity(
            member,
            group,
            [s1],
            attachments=[pdf_upload("好.pdf"), SimpleUploadedFile("坏.pdf", b"MZ" + b"\0" * 64)],
        )
    assert not InvestigationActivity.objects.exists()
    assert {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()} == before


def test_outsiders_and_foreign_subjects_refused(world, member_user):
    _, group, _, _, member, s1, s2 = world
    with pytest.raises(ApplicationError, match="不是第一组的成员"):
        _activity(member_user, group, [s1])
    with pytest.raises(ApplicationError, match="唐晓云不在第一组"):
        _activity(member, group, [s1, s2])
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        _activity(member, group, [s1], held_on=datetime.date.today() + datetime.timedelta(days=1))
    assert not InvestigationActivity.objects.exists()


def test_findings_numbered_linked_and_checked(world):
    campaign, group, other, _, member, s1, s2 = world
    items = list(campaign.content_items.all())
    activity = _activity(member, group, [s1])
    f1 = finding_add(
        actor=member,
        subject=s1,
        content_item=items[0],
        kind=FindingKind.PROBLEM,
        text="重审批轻服务",
        activity=activity,
    )
    f2 = finding_add(
        actor=member,
        subject=s1,
        content_item=items[1],
        kind=FindingKind.ACHIEVEMENT,
        text="项目推进有力",
    )
    assert (f1.number, f2.number) == (1, 2) and f1.activity == activity
    with pytest.raises(ApplicationError, match="不是第二组的成员"):
        finding_add(
            actor=member, subject=s2, content_item=items[0], kind=FindingKind.PROBLEM, text="x"
        )
    other_activity = _activity(other.leader, other, [s2])
    with pytest.raises(ApplicationError, match="来源活动"):
        finding_add(
            actor=member,
            subject=s1,
            content_item=items[0],
            kind=FindingKind.PROBLEM,
            text="x",
            activity=other_activity,
        )
    foreign_item = CampaignFactory().content_items.first()
    with pytest.raises(ApplicationError, match="评议内容不属于"):
        finding_add(
            actor=member, subject=s1, content_item=foreign_item, kind=FindingKind.PROBLEM, text="x"
        )
    with pytest.raises(ApplicationError):
        finding_add(
            actor=member, subject=s1, content_item=items[0], kind=FindingKind.PROBLEM, text="  "
        )


def test_report_prefilled_submitted_by_leader_heard_then_frozen(world, make_user, office):
    campaign, group, _, leader, member, s1, _ = world
    items = list(campaign.content_items.all())
    problem = finding_add(
        actor=member,
        subject=s1,
        content_item=items[0],
        kind=FindingKind.PROBLEM,
        text="重审批轻服务",
    )
    finding_add(
        actor=member,
        subject=s1,
        content_item=items[0],
        kind=FindingKind.ACHIEVEMENT,
        text="依法行政意识强",
    )
    finding_add(
        actor=member,
        subject=s1,
        content_item=items[4],
        kind=FindingKind.SUGGESTION,
        text="建立信访台账",
    )
    text = investigation_report_prefill(s1)
    assert (
        text.index(items[0].title)
        < text.index("成绩：")
        < text.index("依法行政意识强")
        < text.index("问题：")
    )
    assert items[4].title in text and items[1].title not in text

    report = investigation_report_save(actor=member, subject=s1, body=text)
    with pytest.raises(ApplicationError, match="组长提交"):
        investigation_report_submit(actor=member, report=report)
    investigation_report_submit(actor=leader, report=report)
    with pytest.raises(ApplicationError, match="已提交"):
        finding_add(
            actor=member, subject=s1, content_item=items[0], kind=FindingKind.PROBLEM, text="补充"
        )
    with pytest.raises(ApplicationError, match="已提交"):
        finding_delete(actor=member, finding=problem)
    with pytest.raises(ApplicationError, match="调查报告已提交，不能修改"):
        investigation_report_save(actor=member, subject=s1, body="改")

    with pytest.raises(ApplicationError, match="主任会议"):
        investigation_report_mark_heard(actor=member, report=report, heard_on=datetime.date.today())
    investigation_report_return(actor=office, report=report, reason="请补充问卷调查情况")
    report.refresh_from_db()
    assert report.status == InvestigationReportStatus.DRAFT
    investigation_report_submit(actor=leader, report=report)
    director = make_user(Role.DIRECTORS_MEETING)
    investigation_report_mark_heard(actor=director, report=report, heard_on=datetime.date.today())
    report.refresh_from_db()
    assert report.status == InvestigationReportStatus.HEARD and report.heard_recorded_by == director
    assert Finding.objects.get(pk=problem.pk).number == 1  # problems keep their identity
