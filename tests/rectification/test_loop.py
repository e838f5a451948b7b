import datetime

import pytest
import time_machine

from ballots.services import ballot_publish
from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from rectification.models import (
    OpinionStatus,
    PlanStatus,
    ProblemSource,
    RectificationReport,
    RectificationReportStatus,
    RowStatus,
)
from rectification.selectors import rectification_plan_due
from rectification.services import (
    rectification_assessment_conclude,
    rectification_assessment_open,
    rectification_plan_approve,
    rectification_plan_return,
    rectification_plan_save,
    rectification_plan_submit,
    rectification_report_save,
    rectification_report_submit,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from reviews.services import campaign_update
from surveys.models import FindingKind
from surveys.services import finding_add
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    MemberFactory,
    SubjectFactory,
    UserFactory,
    cast,
    close_and_count,
    make_group,
    open_ballot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office):
    campaign = campaign_update(
        actor=office, campaign=CampaignFactory(actor=office), composition_size=3
    )
    committee = LiaisonCommitteeFactory(name="财政经济工作委员会")
    liaison = UserFactory(role=Role.LIAISON)
    committee.users.add(liaison)
    subject = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=committee)
    group = make_group(campaign, name="第一组", subjects=[subject], actor=office)
    items = list(campaign.content_items.all())
    finding_add(
        actor=group.leader,
        subject=subject,
        content_item=items[1],
        kind=FindingKind.PROBLEM,
        text="审批时限长",
    )
    finding_add(
        actor=group.leader,
        subject=subject,
        content_item=items[0],
        kind=FindingKind.ACHIEVEMENT,
        text="依法行政好",
    )
    voters = [MemberFactory().user for _ in range(3)]
    return campaign, subject, liaison, items, voters


def _rows(opinion, **override):
    return {
        p.pk: {
            "measures": f"措施{p.position}",
            "responsible": "金立新",
            "time_limit": datetime.date(2018, 3, 1),
            "target": "按期完成",
            **override,
        }
        for p in opinion.problems.all()
    }


@time_machine.travel(datetime.datetime(2017, 10, 8, 2, tzinfo=datetime.UTC))
def test_the_whole_loop_through_services(office, world, make_user):
    campaign, subject, liaison, items, voters = world
    director = make_user(Role.DIRECTORS_MEETING)

    opinion = review_opinion_draft(actor=office, subject=subject, summary="总体满意，存在以下问题")
    first = opinion.problems.get()
    assert first.source == ProblemSource.FINDING and first.finding.text == "审批时限长"
    review_opinion_problem_add(
        actor=office,
        opinion=opinion,
        content_item=items[3],
        text="接受询问时回答不够具体",
        source=ProblemSource.DELIBERATION,
    )
    review_opinion_approve(actor=director, opinion=opinion, approved_on=datetime.date(2017, 10, 1))
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=datetime.date(2017, 10, 8))
    opinion.refresh_from_db()
    subject.refresh_from_db()
    assert opinion.status == OpinionStatus.DELIVERED
    assert rectification_plan_due(subject) == datetime.date(
        2017, 11, 8
    ) and subject.rectification_reports.get(round=1).due_on == datetime.date(2018, 1, 8)

    # A plan leaving a problem without a row is refused, naming the problem.
    rows = _rows(opinion)
    second_id = opinion.problems.get(position=2).pk
    rectification_plan_save(actor=subject.user, subject=subject, rows={first.pk: rows[first.pk]})
    with pytest.raises(ApplicationError, match="问题 2：接受询问时回答不够具体"):
        rectification_plan_submit(actor=subject.user, subject=subject)
    with pytest.raises(ApplicationError, match="须填写完整"):
        rectification_plan_save(
            actor=subject.user,
            subject=subject,
            rows={second_id: {**rows[second_id], "responsible": ""}},
        )
    rectification_plan_save(actor=subject.user, subject=subject, rows=rows)
    rectification_plan_submit(actor=subject.user, subject=subject)

    # Returned, fixed, resubmitted, approved.
    with pytest.raises(ApplicationError, match="写明理由"):
        rectification_plan_return(actor=liaison, subject=subject, reason="")
    rectification_plan_return(actor=liaison, subject=subject, reason="措施不够具体，请明确时间节点")
    assert (
        subject.rectification_plan.__class__.objects.get(subject=subject).status
        == PlanStatus.RETURNED
    )
    rectification_plan_save(
        actor=subject.user,
        subject=subject,
        rows=_rows(opinion, measures="推行并联审批，11月底前上线"),
    )
    rectification_plan_submit(actor=subject.user, subject=subject)
    rectification_plan_approve(actor=liaison, subject=subject)

    # The report, assessed unsatisfied by more than half of the composition.
    def report_everything(status):
        rectification_report_save(
            actor=subject.user,
            subject=subject,
            text="整改情况如下",
            rows={
                p.pk: {"status": status, "done": "已推行并联审批"} for p in opinion.problems.all()
            },
        )
        rectification_report_submit(actor=subject.user, subject=subject)

    report_everything(RowStatus.IN_PROGRESS)
    ballot = rectification_assessment_open(actor=office, subject=subject)
    ballot = open_ballot(actor=office, ballot=ballot)  # its tellers make keys, the office opens
    for voter, choice in zip(voters, ["不满意", "不满意", "满意"], strict=True):
        cast(actor=voter, ballot=ballot, choices={subject.pk: choice})
    close_and_count(actor=office, ballot=ballot)
    with pytest.raises(ApplicationError, match="尚未公布"):
        rectification_assessment_conclude(
            actor=director, subject=subject
        )  # the verdict waits for publication
    ballot_publish(actor=office, ballot=ballot)
    with pytest.raises(ApplicationError, match="报告期限"):
        rectification_assessment_conclude(actor=director, subject=subject)
    second = rectification_assessment_conclude(
        actor=director, subject=subject, new_due_on=datetime.date(2018, 3, 31)
    )
    assert second.round == 2 and second.due_on == datetime.date(2018, 3, 31)
    assert (
        RectificationReport.objects.get(subject=subject, round=1).status
        == RectificationReportStatus.CONTINUED
    )

    # The second report satisfies.
    report_everything(RowStatus.DONE)
    ballot = rectification_assessment_open(actor=office, subject=subject)
    ballot = open_ballot(actor=office, ballot=ballot)  # its tellers make keys, the office opens
    for voter, choice in zip(voters, ["满意", "基本满意", "不满意"], strict=True):
        cast(actor=voter, ballot=ballot, choices={subject.pk: choice})
    close_and_count(actor=office, ballot=ballot)
    ballot_publish(actor=office, ballot=ballot)
    final = rectification_assessment_conclude(actor=office, subject=subject)
    assert final.round == 2 and final.status == RectificationReportStatus.SATISFIED
    actions = set(AuditEntry.objects.filter(subject=subject).values_list("action", flat=True))
    assert {
        "rectification_plan.returned",
        "rectification_plan.approved",
        "rectification_report.continued",
        "rectification.continued",
        "rectification_report.satisfied",
    } <= actions


def test_only_the_right_people_act(office, world, make_user):
    campaign, subject, liaison, items, voters = world
    opinion = review_opinion_draft(actor=office, subject=subject)
    with pytest.raises(ApplicationError, match="主任会议"):
        review_opinion_approve(actor=liaison, opinion=opinion, approved_on=datetime.date.today())
    review_opinion_approve(actor=office, opinion=opinion, approved_on=datetime.date.today())
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=datetime.date.today())
    subject.refresh_from_db()
    other = SubjectFactory(campaign=campaign)
    with pytest.raises(ApplicationError, match="本人"):
        rectification_plan_save(actor=other.user, subject=subject, rows={})
    rectification_plan_save(actor=subject.user, subject=subject, rows=_rows(opinion))
    rectification_plan_submit(actor=subject.user, subject=subject)
    other_liaison = UserFactory(role=Role.LIAISON)
    LiaisonCommitteeFactory(name="法制工作委员会").users.add(other_liaison)
    with pytest.raises(ApplicationError, match="财政经济工作委员会审核"):
        rectification_plan_approve(actor=other_liaison, subject=subject)
    with pytest.raises(ApplicationError, match="不能修改"):
        rectification_plan_save(actor=subject.user, subject=subject, rows=_rows(opinion))


def test_configured_day_limits(office, world):
    campaign, subject, liaison, items, voters = world
    (
        campaign.rectification_plan_limit,
        campaign.rectification_plan_limit_unit,
        campaign.rectification_report_limit,
        campaign.rectification_report_limit_unit,
    ) = 15, "days", 4, "months"
    campaign.save()
    opinion = review_opinion_draft(actor=office, subject=subject)
    review_opinion_approve(actor=office, opinion=opinion, approved_on=datetime.date(2017, 11, 29))
    with time_machine.travel(datetime.datetime(2017, 12, 1, 2, tzinfo=datetime.UTC)):
        review_opinion_deliver(
            actor=office, opinion=opinion, delivered_on=datetime.date(2017, 11, 30)
        )
    subject.refresh_from_db()
    assert rectification_plan_due(subject) == datetime.date(2017, 12, 15)
    assert subject.rectification_reports.get(round=1).due_on == datetime.date(2018, 3, 30)
    assert RectificationReport.objects.get(subject=subject).due_on == datetime.date(2018, 3, 30)


def test_report_evidence_checked_before_anything_is_written(office, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rectification.models import ReportRow
    from tests.factories import pdf_upload

    campaign, subject, liaison, items, voters = world
    opinion = review_opinion_draft(actor=office, subject=subject)
    review_opinion_approve(actor=office, opinion=opinion, approved_on=datetime.date.today())
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=datetime.date.today())
    subject.refresh_from_db()
    rectification_plan_save(actor=subject.user, subject=subject, rows=_rows(opinion))
    rectification_plan_submit(actor=subject.user, subject=subject)
    rectification_plan_approve(actor=liaison, subject=subject)
    problem = opinion.problems.get()
    row = {problem.pk: {"status": RowStatus.DONE, "done": "已完成"}}
    with pytest.raises(ApplicationError, match="内容不是"):
        rectification_report_save(
            actor=subject.user,
            subject=subject,
            text="报告",
            rows=row,
            evidence={problem.pk: SimpleUploadedFile("佐证.pdf", b"MZ" + b"\0" * 50)},
        )
    assert not ReportRow.objects.exists()
    rectification_report_save(
        actor=subject.user,
        subject=subject,
        text="报告",
        rows=row,
        evidence={problem.pk: pdf_upload("佐证材料.pdf")},
    )
    assert ReportRow.objects.get().evidence_name == "佐证材料.pdf"
