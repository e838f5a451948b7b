"""Reads across stages: campaigns with the counts the overview shows, and the office's
to-dos derived from them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ballots.models import Ballot, BallotStatus
from core.formats import cn_date
from rectification.models import ReportingStep
from rectification.selectors import (
    rectification_overdue_q,
    rectification_rows,
    subjects_matching,
)
from reviews.gates import stage_gate_problems, stage_gates_problems
from reviews.models import Campaign, CampaignStage, Stage
from reviews.selectors import campaign_stage_rows
from subjects.models import DutyReportStatus, DutyReportVersion, ReportKind, ReviewForm, Subject
from surveys.models import InvestigationReport, InvestigationReportStatus


def _count(qs: QuerySet, campaign_field: str):
    """A correlated COUNT per campaign: no joins that multiply each other's rows."""
    grouped = qs.filter(**{campaign_field: OuterRef("pk")}).order_by().values(campaign_field)
    return Coalesce(
        Subquery(grouped.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
    )


def campaigns_with_progress() -> QuerySet[Campaign]:
    """Campaigns with their stages and the counts their pages show, in a fixed number of queries."""
    subjects = Subject.objects.all()
    versions = DutyReportVersion.objects.all()
    return Campaign.objects.annotate(
        subject_count=_count(subjects, "campaign"),
        on_site_count=_count(subjects.filter(review_form=ReviewForm.ON_SITE), "campaign"),
        written_count=_count(subjects.filter(review_form=ReviewForm.WRITTEN), "campaign"),
        no_account_count=_count(subjects.filter(user__isnull=True), "campaign"),
        unassigned_count=_count(subjects.filter(group_assignment__isnull=True), "campaign"),
        awaiting_hearing_count=_count(
            InvestigationReport.objects.filter(status=InvestigationReportStatus.SUBMITTED),
            "subject__campaign",
        ),
        pending_report_count=_count(
            versions.filter(status=DutyReportStatus.SUBMITTED), "subject__campaign"
        ),
        open_ballot_count=_count(Ballot.objects.filter(status=BallotStatus.OPEN), "campaign"),
        accepted_report_count=_count(
            versions.filter(status=DutyReportStatus.ACCEPTED, kind=ReportKind.FINAL),
            "subject__campaign",
        ),
    ).prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))


def campaigns_open() -> QuerySet[Campaign]:
    return campaigns_with_progress().exclude(stage=CampaignStage.CLOSED)


def stage_labels() -> dict[str, str]:
    """Each stage's name, translated once per page: a model's get_FOO_display rebuilds its
    choices on every call, which at a few hundred calls a page was most of its time."""
    return {stage.value: str(stage.label) for stage in CampaignStage}


def campaign_cards(campaigns: list[Campaign], today: datetime.date | None = None) -> list[dict]:
    """Each campaign with its stage's name (`campaign.stage_label`) and its timeline, every
    row carrying its stage's name (`label`), for pages that list many campaigns: the
    templates draw them in a loop without a per-stage method call or a per-campaign include."""
    labels = stage_labels()
    cards = []
    for campaign in campaigns:
        campaign.stage_label = labels[campaign.stage]
        stages = campaign_stage_rows(campaign, today)
        for row in stages:
            row["label"] = labels[row["stage"].kind]
        cards.append({"campaign": campaign, "stages": stages})
    return cards


@dataclass(frozen=True)
class Todo:
    text: str
    urgent: bool = False
    url: str = ""  # the page where it is done (office pages: shown to the office only)
    stage: str = ""  # the stage it belongs to, for grouping
    due: datetime.date | None = None


def _current_stage(campaign: Campaign) -> Stage | None:
    return next((s for s in campaign.stages.all() if s.kind == campaign.stage), None)


def _rectification_todo_data(campaigns: list[Campaign], today: datetime.date) -> dict[int, tuple]:
    """For each campaign in rectification: the rows of its subjects whose plan or report may
    be overdue, its pending reporting steps, and how many opinions are not yet delivered.
    Only the rows that can become a to-do are read in full; the rest is counted in SQL, so
    the cost follows the overdue subjects, not all of them."""
    data: dict[int, tuple] = {c.pk: ([], [], 0) for c in campaigns}
    if not campaigns:
        return data
    subjects = Subject.objects.filter(campaign__in=campaigns)
    rows: dict[int, list] = defaultdict(list)
    for row in rectification_rows(
        subjects_matching(subjects, rectification_overdue_q(today)), today
    ):
        rows[row.subject.campaign_id].append(row)
    steps: dict[int, list] = defaultdict(list)
    pending = ReportingStep.objects.filter(
        campaign__in=campaigns, done_on__isnull=True, due_on__isnull=False
    )
    for step in pending.order_by("position", "pk"):
        steps[step.campaign_id].append(step)
    undelivered = dict(
        subjects.filter(Q(opinion__isnull=True) | Q(opinion__delivered_on__isnull=True))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values_list("campaign", "n")
    )
    return {c.pk: (rows[c.pk], steps[c.pk], undelivered.get(c.pk, 0)) for c in campaigns}


def campaigns_office_todos(
    campaigns: list[Campaign], today: datetime.date | None = None
) -> dict[int, list[Todo]]:
    """campaign_office_todos of many campaigns, their rectification rows and reporting steps
    read in one query each for all of them (a page of campaigns does not query per campaign)."""
    today = today or timezone.localdate()
    rectifying = [c for c in campaigns if c.stage == CampaignStage.RECTIFICATION]
    rectification = _rectification_todo_data(rectifying, today)
    return {
        c.pk: campaign_office_todos(c, today, rectification=rectification.get(c.pk))
        for c in campaigns
    }


def campaign_office_todos(
    campaign: Campaign, today: datetime.date | None = None, *, rectification=None
) -> list[Todo]:
    """What the office must still do for a campaign, derived from its data (annotated
    queryset), each with the page where it is done. `rectification`: its possibly overdue
    rectification rows, pending reporting steps and undelivered opinions when already read
    (campaigns_office_todos)."""
    today = today or timezone.localdate()
    todos: list[Todo] = []
    P, PRE, REV, REC = (
        CampaignStage.PREPARATION,
        CampaignStage.PRELIMINARY,
        CampaignStage.REVIEW,
        CampaignStage.RECTIFICATION,
    )
    settings_url = reverse("admin:reviews_campaign_change", args=[campaign.pk])
    reports_url = reverse("campaign_duty_reports", args=[campaign.pk])
    subjects_url = (
        reverse("admin:subjects_subject_changelist") + f"?campaign__id__exact={campaign.pk}"
    )
    if campaign.stage == P:
        if not campaign.implementation_plan_approved_on:
            todos.append(Todo("登记实施方案的批准日期并上传方案文件", url=settings_url, stage=P))
        if not campaign.subject_count:
            todos.append(Todo("确定评议对象（可从 Excel 导入）", url=subjects_url, stage=P))
        elif campaign.no_account_count:
            todos.append(
                Todo(
                    f"为 {campaign.no_account_count} 名评议对象开通登录账号",
                    url=subjects_url,
                    stage=P,
                )
            )
    if campaign.stage in (P, PRE):
        if campaign.subject_count and campaign.unassigned_count:
            todos.append(
                Todo(
                    f"将 {campaign.unassigned_count} 名评议对象分配到履职初评小组",
                    url=reverse("group_assign", args=[campaign.pk]),
                    stage=PRE,
                )
            )
        if campaign.awaiting_hearing_count:
            todos.append(
                Todo(
                    f"{campaign.awaiting_hearing_count} 份调查报告已提交，待主任会议听取",
                    url=reverse("investigation_report_list", args=[campaign.pk]),
                    stage=PRE,
                )
            )
    if campaign.stage == REV and campaign.open_ballot_count:
        todos.append(
            Todo(
                "满意度测评正在投票，投票结束后请结束投票并计票",
                urgent=True,
                url=reverse("ballot_list", args=[campaign.pk]),
                stage=REV,
            )
        )
    if campaign.stage in (P, PRE, REV):
        if not (campaign.report_draft_due and campaign.report_final_due):
            todos.append(Todo("设定述职报告初稿和定稿的截止日期", url=settings_url, stage=P))
        if campaign.pending_report_count:
            todos.append(
                Todo(
                    f"审核 {campaign.pending_report_count} 份待审核的述职报告",
                    urgent=True,
                    url=reports_url,
                    stage=campaign.stage,
                )
            )
        missing = campaign.subject_count - campaign.accepted_report_count
        if campaign.report_final_due and campaign.report_final_due < today and missing:
            todos.append(
                Todo(
                    f"{missing} 名评议对象的述职报告定稿逾期未被接受，请催交",
                    urgent=True,
                    url=reports_url,
                    stage=campaign.stage,
                    due=campaign.report_final_due,
                )
            )
        all_in = campaign.accepted_report_count == campaign.subject_count
        due_passed = campaign.report_final_due is not None and campaign.report_final_due < today
        if (
            campaign.accepted_report_count
            and not campaign.reports_distributed_at
            and (all_in or due_passed)
        ):
            todos.append(
                Todo(
                    f"分发述职报告（已接受定稿 {campaign.accepted_report_count}/{campaign.subject_count} 份）",
                    url=reports_url,
                    stage=REV,
                )
            )
    if campaign.stage == REC:
        rect_url = reverse("campaign_rectification", args=[campaign.pk])
        if rectification is None:
            rectification = _rectification_todo_data([campaign], today)[campaign.pk]
        rows, steps, undelivered = rectification
        if undelivered:
            todos.append(
                Todo(f"{undelivered} 名评议对象的评议意见尚未送达", url=rect_url, stage=REC)
            )
        for r in rows:
            url = reverse("subject_rectification", args=[r.subject.pk])
            if r.plan_overdue:
                todos.append(
                    Todo(
                        f"{r.subject.person_name}的整改方案{r.plan_state}",
                        urgent=True,
                        url=url,
                        stage=REC,
                        due=r.plan_due,
                    )
                )
            if r.report_overdue:
                todos.append(
                    Todo(
                        f"{r.subject.person_name}的{r.report_state}整改情况报告",
                        urgent=True,
                        url=url,
                        stage=REC,
                        due=r.report.due_on,
                    )
                )
        for step in steps:
            todos.append(
                Todo(
                    f"{step.name}（评议会议后 {step.due_days} 日内）",
                    urgent=step.due_on < today,
                    url=rect_url,
                    stage=REC,
                    due=step.due_on,
                )
            )
    labels = stage_labels()
    missing_dates = [
        labels[s.kind] for s in campaign.stages.all() if not (s.planned_start and s.planned_end)
    ]
    if missing_dates and campaign.stage != CampaignStage.CLOSED:
        todos.append(
            Todo(
                f"填写{'、'.join(missing_dates)}的计划起止日期",
                url=reverse("campaign_edit", args=[campaign.pk]),
                stage=campaign.stage,
            )
        )
    current = _current_stage(campaign)
    if current and current.planned_end and current.planned_end < today:
        todos.append(
            Todo(
                f"{labels[current.kind]}计划于 {cn_date(current.planned_end)} 结束，"
                f"已超期 {(today - current.planned_end).days} 天",
                urgent=True,
                url=reverse("campaign_detail", args=[campaign.pk]),
                stage=campaign.stage,
                due=current.planned_end,
            )
        )
    return todos


@dataclass
class StageWork:
    label: str
    current: bool
    todos: list[Todo]
    gate: list  # what keeps the campaign in its current stage (reviews.gates.GateProblem)


# Problems of each campaign's gate written out on the office's overview (the rest counted;
# the campaign's own page lists them all).
GATE_LIMIT = 10


def offices_work(
    campaigns: list[Campaign],
    today: datetime.date | None = None,
    *,
    todos: dict[int, list[Todo]] | None = None,
) -> dict[int, list[StageWork]]:
    """office_work of many campaigns, their to-dos (unless given, from
    campaigns_office_todos) and gates read once for all of them."""
    if todos is None:
        todos = campaigns_office_todos(campaigns, today)
    gates = stage_gates_problems(campaigns, limit=GATE_LIMIT)
    return {c.pk: office_work(c, today, todos=todos[c.pk], gate=gates[c.pk]) for c in campaigns}


def office_work(
    campaign: Campaign,
    today: datetime.date | None = None,
    *,
    todos: list[Todo] | None = None,
    gate: list | None = None,
) -> list[StageWork]:
    """The office's pending work on one campaign, grouped by stage (the current stage also
    lists what must be done before the campaign can leave it)."""
    if todos is None:
        todos = campaign_office_todos(campaign, today)
    if gate is None:
        gate = stage_gate_problems(campaign)
    groups = []
    labels = stage_labels()
    for stage in CampaignStage:
        mine = [t for t in todos if (t.stage or campaign.stage) == stage]
        current = stage == campaign.stage
        problems = gate if current else []
        if mine or problems:
            groups.append(StageWork(labels[stage], current, mine, problems))
    return groups
