"""City-size demo data (`load_demo --scale city`): the county demo, grown to 50 campaigns
across every stage, 5,000 subjects and 500 members, to measure pages at the size of a
city's standing committee (benchmarks/pages.py) and to try the office's pages with it.

Campaigns are made and moved through the services (campaign_create, campaign_stage_move
with the office's written override where a gate is not met). Rows that the services
would write one by one — subjects and their logins, members, assessment groups, most of
the review opinions and rectification plans — are bulk-inserted, one transaction per
campaign. What must be real is real: each campaign from the review stage on has a
satisfaction ballot cast, counted and decrypted through the services
(workbench.demo_city_ballot), and in each campaign in rectification the first subjects go
through the rectification services one state each (see STATES), so every state of an
opinion, a plan and a report is on the pages.

The sizes are parameters (CitySize) so that the test suite runs the same code small.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core.roles import GROUP_NAMES, Role, user_add_role
from rectification.dates import rectification_due_dates
from rectification.models import (
    OpinionStatus,
    PlanStatus,
    ProblemSource,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    ReviewOpinion,
)
from rectification.services import (
    rectification_meeting_decide,
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
from reviews.models import Campaign, CampaignStage, Member
from reviews.services import STAGE_ORDER, campaign_create, campaign_stage_move, campaign_update
from subjects.models import LiaisonCommittee, ReviewForm, Subject, Unit
from surveys.models import AssessmentGroup, GroupAssignment

from .demo import DEMO_PASSWORD, _pdf, demo_load, plan_rows
from .demo_city_ballot import city_ballot

# The office's written reason for moving a city campaign past a gate it has not met.
CITY_OVERRIDE = "城市规模演示数据：只要阶段，不涉及阶段条件"
CITY_STAGES = [
    CampaignStage.PREPARATION,
    CampaignStage.PRELIMINARY,
    CampaignStage.REVIEW,
    CampaignStage.RECTIFICATION,
    CampaignStage.CLOSED,
]
# One subject in each of these states at the head of every campaign in rectification;
# the others are bulk-inserted with their plan approved and their report being written.
STATES = [
    "opinion_draft",
    "opinion_approved",
    "plan_overdue",
    "plan_draft",
    "plan_submitted",
    "plan_returned",
    "plan_approved",
    "report_draft",
    "report_submitted",
    "report_satisfied",
    "report_continued",
]
CITY_NAME = "市人大常委会述职评议"


@dataclass(frozen=True)
class CitySize:
    campaigns: int = 50
    subjects_each: int = 100
    members: int = 500
    composition: int = 60  # members who count toward the composition (and vote)
    sheets: int = 3  # web sheets per ballot (each is encrypted and its proofs checked)
    groups_each: int = 5


CITY = CitySize()


def _members(size: CitySize, password: str) -> list:
    """Members up to `size.members`; the first `size.composition` count toward it."""
    User = get_user_model()
    have = Member.objects.count()
    counting = Member.objects.filter(counts_toward_composition=True).count()
    users = User.objects.bulk_create(
        User(username=f"cm{n}", first_name=f"委员{n}", password=password)
        for n in range(have, size.members)
    )
    group = Group.objects.get(name=GROUP_NAMES[Role.MEMBER])
    User.groups.through.objects.bulk_create(User.groups.through(user=u, group=group) for u in users)
    rows = []
    for n, user in enumerate(users, start=have):
        counts = counting < size.composition
        counting += counts
        rows.append(
            Member(
                user=user,
                name=f"委员{n}",
                title="常委会委员" if counts else "列席人员",
                counts_toward_composition=counts,
                position=n + 1,
            )
        )
    Member.objects.bulk_create(rows)
    return list(
        Member.objects.filter(counts_toward_composition=True)
        .select_related("user")
        .order_by("position")
    )


def _subjects(campaign: Campaign, size: CitySize, units, committees, password: str) -> list:
    """Subjects (each with a login) up to `size.subjects_each` in the campaign."""
    User = get_user_model()
    have = campaign.subjects.count()
    users = User.objects.bulk_create(
        User(username=f"c{campaign.pk}s{n}", first_name=f"对象{n}", password=password)
        for n in range(have, size.subjects_each)
    )
    group = Group.objects.get(name=GROUP_NAMES[Role.SUBJECT])
    User.groups.through.objects.bulk_create(User.groups.through(user=u, group=group) for u in users)
    Subject.objects.bulk_create(
        Subject(
            campaign=campaign,
            person_name=f"城{campaign.pk}对象{n}",
            post="局长" if n % 3 else "副局长",
            unit=units[n % len(units)],
            appointed_on=datetime.date(2020, 3, 1),
            review_form=ReviewForm.ON_SITE if n % 2 else ReviewForm.WRITTEN,
            liaison_committee=committees[n % len(committees)],
            user=user,
            position=n + 1,
        )
        for n, user in enumerate(users, start=have)
    )
    return list(campaign.subjects.select_related("user", "liaison_committee").order_by("position"))


def _groups(campaign: Campaign, subjects: list, voters: list, size: CitySize) -> None:
    """Assessment groups, each led by a member, the subjects shared out among them."""
    groups = AssessmentGroup.objects.bulk_create(
        AssessmentGroup(
            campaign=campaign,
            name=f"第{n + 1}评议调查组",
            leader=voters[(campaign.pk + n) % len(voters)].user,
            position=n + 1,
        )
        for n in range(size.groups_each)
    )
    through = AssessmentGroup.members.through
    through.objects.bulk_create(
        through(assessmentgroup=g, user=voters[(campaign.pk + n + 7) % len(voters)].user)
        for n, g in enumerate(groups)
    )
    GroupAssignment.objects.bulk_create(
        (GroupAssignment(subject=s, group=groups[n % len(groups)]) for n, s in enumerate(subjects)),
        update_conflicts=True,
        unique_fields=["subject"],
        update_fields=["group"],
    )


def _move(campaign: Campaign, stage: str, office) -> Campaign:
    campaign.refresh_from_db()
    for next_stage in STAGE_ORDER[STAGE_ORDER.index(campaign.stage) + 1 :]:
        if campaign.stage == stage:
            break
        campaign_stage_move(
            actor=office,
            campaign=campaign,
            to_stage=next_stage,
            override_reason=CITY_OVERRIDE,
            confirmed=True,
        )
        campaign.refresh_from_db()
    return campaign


def _rectification_state(subject: Subject, state: str, *, office, delivered_on, minutes) -> None:
    """One subject taken through the rectification services up to `state`."""
    steps = STATES[: STATES.index(state) + 1]
    opinion = review_opinion_draft(actor=office, subject=subject, summary="总体上能够依法履职。")
    item = subject.campaign.content_items.first()
    review_opinion_problem_add(
        actor=office,
        opinion=opinion,
        content_item=item,
        source=ProblemSource.DELIBERATION,
        text="审批时限长，群众反映办事难。",
    )
    if "opinion_approved" in steps:
        review_opinion_approve(actor=office, opinion=opinion, approved_on=delivered_on)
    if "plan_overdue" in steps:
        review_opinion_deliver(actor=office, opinion=opinion, delivered_on=delivered_on)
        subject.refresh_from_db()
    if "plan_draft" in steps:
        rows = plan_rows(subject, delivered_on + datetime.timedelta(days=80))
        rectification_plan_save(actor=subject.user, subject=subject, rows=rows)
    if "plan_submitted" in steps:
        rectification_plan_submit(actor=subject.user, subject=subject)
    if state == "plan_returned":
        rectification_plan_return(actor=office, subject=subject, reason="整改措施不够具体。")
        return
    if "plan_approved" in steps:
        rectification_plan_approve(actor=office, subject=subject)
    if "report_draft" in steps:
        rectification_report_save(
            actor=subject.user,
            subject=subject,
            text="按照评议意见逐条整改。",
            rows={
                p.pk: {"status": "done", "done": "已完成。"} for p in subject.opinion.problems.all()
            },
        )
    if "report_submitted" in steps:
        rectification_report_submit(actor=subject.user, subject=subject)
    if state in ("report_satisfied", "report_continued"):
        rectification_meeting_decide(
            actor=office,
            subject=subject,
            decided_on=timezone.localdate(),
            minutes=minutes(),
            outcome="satisfied" if state == "report_satisfied" else "continued",
            new_due_on=timezone.localdate() + datetime.timedelta(days=60),
        )


def _rectification_bulk(campaign: Campaign, subjects: list, *, delivered_on, concluded) -> None:
    """The other subjects: opinion delivered, plan approved; the report being written,
    or (`concluded`) found satisfactory — the rows the services leave behind."""
    today = timezone.localdate()
    plan_due, report_due = rectification_due_dates(campaign, delivered_on)
    now = timezone.now()
    ReviewOpinion.objects.bulk_create(
        ReviewOpinion(
            subject=s,
            summary="总体上能够依法履职。",
            status=OpinionStatus.DELIVERED,
            approved_on=delivered_on,
            delivered_on=delivered_on,
            updated_at=now,
        )
        for s in subjects
    )
    RectificationPlan.objects.bulk_create(
        RectificationPlan(
            subject=s,
            status=PlanStatus.APPROVED,
            due_on=plan_due,
            submitted_on=plan_due - datetime.timedelta(days=3),
            decided_on=plan_due,
        )
        for s in subjects
    )
    RectificationReport.objects.bulk_create(
        RectificationReport(
            subject=s,
            round=1,
            due_on=report_due,
            status=RectificationReportStatus.SATISFIED
            if concluded
            else RectificationReportStatus.DRAFT,
            submitted_on=min(today, report_due) if concluded else None,
            decided_on=today if concluded else None,
        )
        for s in subjects
    )


def _campaign(n: int, size: CitySize, *, people: dict, units, committees, voters, password):
    office, clerk = people["office"], people["clerk"]
    stage = CITY_STAGES[n % len(CITY_STAGES)]
    today = timezone.localdate()
    campaign = campaign_create(
        actor=office,
        name=f"{today.year - n // 10}年度{CITY_NAME}（第{n + 1:02d}批）",
        year=today.year - n // 10,
        term="市十五届人大常委会",
        composition_size=size.composition,
        issuing_office="市人大常委会述职评议工作领导小组办公室",
        implementation_plan_approved_on=today - datetime.timedelta(days=120),
    )
    campaign = campaign_update(
        actor=office, campaign=campaign, rectification_conclusion="directors_meeting"
    )
    subjects = _subjects(campaign, size, units, committees, password)
    if stage == CampaignStage.PREPARATION:
        return campaign
    _groups(campaign, subjects, voters, size)
    if stage == CampaignStage.PRELIMINARY:
        return _move(campaign, stage, office)
    campaign = _move(campaign, CampaignStage.REVIEW, office)
    city_ballot(
        campaign,
        subjects,
        voters,
        size,
        office=office,
        clerk=clerk,
        publish=stage != CampaignStage.REVIEW,
    )
    if stage == CampaignStage.REVIEW:
        return campaign
    campaign = _move(campaign, CampaignStage.RECTIFICATION, office)
    delivered_on = today - datetime.timedelta(days=45)
    head = STATES if stage == CampaignStage.RECTIFICATION else []
    for subject, state in zip(subjects, head, strict=False):
        _rectification_state(
            subject,
            state,
            office=office,
            delivered_on=delivered_on,
            minutes=lambda: SimpleUploadedFile(
                "主任会议纪要.pdf", people["minutes"], "application/pdf"
            ),
        )
    _rectification_bulk(
        campaign,
        subjects[len(head) :],
        delivered_on=delivered_on,
        concluded=stage == CampaignStage.CLOSED,
    )
    if stage == CampaignStage.CLOSED:
        campaign = _move(campaign, CampaignStage.CLOSED, office)
    return campaign


def city_load(size: CitySize = CITY, *, log: Callable[[str], None] = print) -> Campaign:
    """The county demo (demo_load), then campaigns up to `size.campaigns`. Runs again
    without harm: campaigns already there are kept, the missing ones added."""
    start, cpu = time.perf_counter(), time.process_time()
    county, _ = demo_load()
    log(f"县级演示数据：{time.perf_counter() - start:.1f} 秒")
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    office = User.objects.get(username="office")
    clerk, _ = User.objects.get_or_create(
        username="office2",
        defaults={"first_name": "录入员", "password": password, "is_staff": True},
    )
    user_add_role(user=clerk, role=Role.OFFICE)
    # The director's meeting minutes every concluded report carries: rendered once.
    minutes = _pdf("主任会议纪要.pdf", "主任会议纪要", ["（演示数据）"]).read()
    people = {"office": office, "clerk": clerk, "minutes": minutes}
    with transaction.atomic():
        voters = _members(size, password)
        for n in range(60):
            Unit.objects.get_or_create(name=f"市第{n + 1}局")
    units = list(Unit.objects.order_by("pk"))
    committees = list(LiaisonCommittee.objects.order_by("pk"))
    # The county demo's campaigns grow to the same size, so that their pages are measured
    # at city size too.
    for campaign in Campaign.objects.exclude(name__contains=CITY_NAME):
        with transaction.atomic():
            _subjects(campaign, size, units, committees, password)
    city = Campaign.objects.filter(name__contains=CITY_NAME).count()
    others = Campaign.objects.count() - city
    for n in range(city, size.campaigns - others):
        begin = time.perf_counter()
        with transaction.atomic():
            campaign = _campaign(
                n,
                size,
                people=people,
                units=units,
                committees=committees,
                voters=voters,
                password=password,
            )
        log(
            f"{campaign.name}：{campaign.get_stage_display()}，{time.perf_counter() - begin:.1f} 秒"
        )
    log(
        f"共 {Campaign.objects.count()} 次评议活动、{Subject.objects.count()} 名评议对象、"
        f"{Member.objects.count()} 名组成人员；用时 {time.perf_counter() - start:.0f} 秒"
        f"（本进程 CPU {time.process_time() - cpu:.0f} 秒；其余是数据库和本机其他负载）"
    )
    return county
