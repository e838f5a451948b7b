"""What each person owes or must decide next (我的工作): one item per thing to do, naming
the subject or document, its due date, and the page where it is done.

Each function reads one role's share in a fixed number of queries, whatever the number of
subjects; the page shows only links that the person who sees them may open (the crawl
test in tests/workbench/test_my_work_links.py follows them all as every demo login).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from ballots.models import Eligibility
from ballots.selectors import ballots_open_for, published_ballots
from core.formats import cn_date
from core.roles import Role, user_roles
from rectification.models import (
    EscalationKind,
    OpinionStatus,
    PlanStatus,
    RectificationKind,
    RectificationReport,
    ReviewOpinion,
)
from rectification.models import ReportStatus as RectificationStatus
from rectification.selectors import rectification_rows
from reviews.models import CampaignStage
from subjects.models import Subject
from subjects.selectors import subject_deadlines, subject_report_state
from surveys.models import (
    InvestigationReport,
    InvestigationReportStatus,
    Questionnaire,
    QuestionnaireStatus,
)
from surveys.selectors import groups_of_user

COLLECTING = (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY, CampaignStage.REVIEW)
INVESTIGATING = (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY)
RESULT_READERS = {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER}


@dataclass(frozen=True)
class WorkItem:
    title: str  # what to do: 报送整改方案
    about: str  # whose or which: 胡培林（县统计局局长）· 2026年度…
    url: str  # the page where it is done
    today: datetime.date
    due: datetime.date | None = None
    since: datetime.date | None = None  # when it started waiting for this person
    since_label: str = "报送"  # what happened then: 报送, 开始投票, 公布 …
    note: str = ""  # a return reason, an extension …
    link: str = "去办理"
    extra: tuple[tuple[str, str], ...] = ()  # further (label, url) links

    @property
    def days_left(self) -> int | None:
        return (self.due - self.today).days if self.due else None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < self.today

    @property
    def when(self) -> str:
        if self.due is None:
            if self.since is None:
                return ""
            days = (self.today - self.since).days
            waiting = days > 0 and self.since_label in ("报送", "提交")
            return f"{cn_date(self.since)}{self.since_label}" + (
                f"，已等待 {days} 天" if waiting else ""
            )
        left = self.days_left
        if left > 0:
            return f"还剩 {left} 天"
        if left == 0:
            return "今天截止"
        return f"已逾期 {-left} 天"

    @property
    def sort_key(self) -> tuple:
        return (self.due is None, self.due or self.since or self.today, self.title)


def _who(subject: Subject) -> str:
    return f"{subject.person_name}（{subject.unit.name}{subject.post}）"


def _last(items, **match):
    found = [i for i in items if all(getattr(i, k) == v for k, v in match.items())]
    return found[-1] if found else None


def subject_work(user, today: datetime.date) -> list[WorkItem]:
    """A review subject's own duty report, rectification plan and report, and the
    explanation owed to the director's meeting after 不满意."""
    subjects = (
        Subject.objects.filter(user=user)
        .exclude(campaign__stage=CampaignStage.CLOSED)
        .select_related("campaign", "unit", "opinion", "rectification_plan")
        .prefetch_related(
            "report_versions",
            Prefetch(
                "rectification_reports", queryset=RectificationReport.objects.order_by("round")
            ),
            "escalations",
            "deadline_extensions",
        )
    )
    items: list[WorkItem] = []
    for s in subjects:
        campaign = s.campaign
        page = reverse("subject_detail", args=[s.pk])
        rect_page = reverse("subject_rectification", args=[s.pk])
        if campaign.stage in COLLECTING:
            versions = sorted(s.report_versions.all(), key=lambda v: -v.number)
            reports = subject_report_state(s, versions, campaign.report_final_due, today)
            latest = reports.latest
            returned = latest is not None and latest.status == "returned"
            for d in subject_deadlines(reports, today):
                if d.done:
                    continue
                items.append(
                    WorkItem(
                        f"重新上传{d.label[2:]}（已退回）" if returned else d.label,
                        f"{_who(s)} · {campaign.name}",
                        page,
                        today,
                        due=d.due,
                        note=f"退回理由：{latest.return_reason}" if returned else "",
                        link="上传述职报告",
                    )
                )
        opinion = getattr(s, "opinion", None)
        plan = getattr(s, "rectification_plan", None)
        extensions = list(s.deadline_extensions.all())
        delivered = opinion is not None and opinion.status == OpinionStatus.DELIVERED
        if (
            delivered
            and plan is not None
            and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
        ):
            notes = []
            if plan.status == PlanStatus.RETURNED:
                notes.append(f"退回理由：{plan.return_reason}")
            ext = _last(extensions, kind=RectificationKind.PLAN)
            if ext is not None:
                notes.append(f"期限已由{cn_date(ext.previous_due)}延至{cn_date(ext.new_due)}")
            items.append(
                WorkItem(
                    "重新报送整改方案（已退回）"
                    if plan.status == PlanStatus.RETURNED
                    else "报送整改方案",
                    f"{_who(s)} · 报送{s.liaison_committee.name if s.liaison_committee_id else '联系委室'}",
                    rect_page,
                    today,
                    due=plan.due_on,
                    note="；".join(notes),
                    link="填写整改方案",
                )
            )
        reports = list(s.rectification_reports.all())
        current = reports[-1] if reports else None
        actionable = plan is not None and plan.status == PlanStatus.APPROVED
        if current is not None and current.status == RectificationStatus.DRAFT and actionable:
            notes = []
            if current.return_reason:
                notes.append(f"退回理由：{current.return_reason}")
            ext = _last(extensions, kind=RectificationKind.REPORT, report_round=current.round)
            if ext is not None:
                notes.append(f"期限已由{cn_date(ext.previous_due)}延至{cn_date(ext.new_due)}")
            title = (
                "报送整改情况报告"
                if current.round == 1
                else f"报送第 {current.round} 轮继续整改情况报告"
            )
            if current.return_reason:
                title += "（已退回）"
            items.append(
                WorkItem(
                    title,
                    _who(s),
                    rect_page,
                    today,
                    due=current.due_on,
                    note="；".join(notes),
                    link="填写整改情况",
                )
            )
        escalations = list(s.escalations.all())
        for e in escalations:
            if e.kind != EscalationKind.EXPLANATION_DUE:
                continue
            explained = any(
                x.kind == EscalationKind.EXPLANATION
                and (x.recorded_on, x.pk) > (e.recorded_on, e.pk)
                for x in escalations
            )
            if not explained:
                items.append(
                    WorkItem(
                        "向主任会议说明情况（测评不满意）",
                        _who(s),
                        rect_page,
                        today,
                        due=e.due_on,
                        note=e.text,
                        link="查看",
                    )
                )
    return items


def liaison_work(user, today: datetime.date) -> list[WorkItem]:
    """A liaison committee: plans and reports awaiting its review, and its subjects' overdue
    plans and reports."""
    subjects = (
        Subject.objects.filter(liaison_committee__users=user)
        .exclude(campaign__stage=CampaignStage.CLOSED)
        .select_related("campaign", "unit")
    )
    items: list[WorkItem] = []
    for row in rectification_rows(subjects, today):
        s, plan, report = row.subject, row.plan, row.report
        url = reverse("subject_rectification", args=[s.pk])
        if plan is not None and plan.status == PlanStatus.SUBMITTED:
            items.append(
                WorkItem(
                    "审核整改方案（通过或退回）",
                    _who(s),
                    url,
                    today,
                    since=plan.submitted_on,
                    link="审核",
                )
            )
        if (
            report is not None
            and report.status == RectificationStatus.SUBMITTED
            and report.ballot_id is None
        ):
            items.append(
                WorkItem(
                    f"审阅第 {report.round} 轮整改情况报告（如需修改可退回）",
                    _who(s),
                    url,
                    today,
                    since=report.submitted_on,
                    link="审阅",
                )
            )
        if row.plan_overdue:
            items.append(
                WorkItem(
                    "督促报送整改方案（逾期未报送）"
                    if plan.status == PlanStatus.DRAFT
                    else "督促重新报送被退回的整改方案（逾期）",
                    _who(s),
                    url,
                    today,
                    due=row.plan_due,
                    link="查看",
                )
            )
        if row.report_overdue:
            items.append(
                WorkItem(
                    f"督促报送第 {report.round} 轮整改情况报告（逾期未报送）",
                    _who(s),
                    url,
                    today,
                    due=report.due_on,
                    link="查看",
                )
            )
    return items


def ballot_work(user, today: datetime.date) -> list[WorkItem]:
    return [
        WorkItem(
            "参加投票",
            f"{b} · {b.campaign.name}",
            reverse("ballot_vote", args=[b.pk]),
            today,
            since=timezone.localtime(b.opened_at).date() if b.opened_at else None,
            since_label="开始投票",
            link="去投票",
        )
        for b in ballots_open_for(user).order_by("opened_at", "pk")
    ]


def group_work(user, today: datetime.date) -> list[WorkItem]:
    """An assessment group's members: investigation reports to write, the leader's to
    submit; open questionnaires whose opinions on the group's subjects may become findings."""
    groups = list(
        groups_of_user(user)
        .filter(campaign__stage__in=INVESTIGATING)
        .select_related("campaign")
        .prefetch_related("campaign__stages")
    )
    if not groups:
        return []
    by_pk = {g.pk: g for g in groups}
    subjects = (
        Subject.objects.filter(assessment_group__in=groups)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "investigation_report",
                queryset=InvestigationReport.objects.only("pk", "subject_id", "status"),
            )
        )
        .order_by("position", "pk")
    )
    items: list[WorkItem] = []
    for s in subjects:
        group = by_pk[s.assessment_group_id]
        due = next(
            (st.planned_end for st in group.campaign.stages.all() if st.kind == "preliminary"),
            None,
        )
        report = getattr(s, "investigation_report", None)
        status = report.status if report is not None else None
        if status not in (None, InvestigationReportStatus.DRAFT):
            continue
        leads = group.leader_id == user.pk
        if status is None:
            title = "撰写调查报告"
        elif leads:
            title = "提交调查报告（组长）"
        else:
            title = "完善调查报告（由组长提交）"
        items.append(
            WorkItem(
                title,
                f"{_who(s)} · {group.name}",
                reverse("group_subject", args=[group.pk, s.pk]),
                today,
                due=due,
                link="进入小组工作",
            )
        )
    for q in Questionnaire.objects.filter(
        campaign__in={g.campaign_id for g in groups}, status=QuestionnaireStatus.OPEN
    ).order_by("pk"):
        items.append(
            WorkItem(
                "查看本组评议对象的征求意见，可转为调查发现",
                q.title,
                reverse("questionnaire_results", args=[q.pk]),
                today,
                since=timezone.localtime(q.opened_at).date() if q.opened_at else None,
                since_label="开始收集",
                link="查看意见",
            )
        )
    return items


def director_work(user, today: datetime.date) -> list[WorkItem]:
    """The director's meeting: investigation reports to hear, review opinions to approve,
    rectification assessments whose conclusion it must record."""
    open_campaign = ~Q(subject__campaign__stage=CampaignStage.CLOSED)
    items: list[WorkItem] = []
    for r in (
        InvestigationReport.objects.filter(
            open_campaign, status=InvestigationReportStatus.SUBMITTED
        )
        .select_related("subject__unit")
        .order_by("submitted_at", "pk")
    ):
        items.append(
            WorkItem(
                "听取调查报告",
                _who(r.subject),
                reverse("investigation_report_detail", args=[r.pk]),
                today,
                since=timezone.localtime(r.submitted_at).date() if r.submitted_at else None,
                since_label="提交",
                link="阅读",
            )
        )
    for o in (
        ReviewOpinion.objects.filter(open_campaign, status=OpinionStatus.DRAFT)
        .select_related("subject__unit")
        .order_by("subject__position", "pk")
    ):
        items.append(
            WorkItem(
                "审议评议意见",
                _who(o.subject),
                reverse("subject_rectification", args=[o.subject_id]),
                today,
                link="查看",
            )
        )
    for r in (
        RectificationReport.objects.filter(
            open_campaign, status=RectificationStatus.SUBMITTED, ballot__status="published"
        )
        .select_related("subject__unit")
        .order_by("pk")
    ):
        items.append(
            WorkItem(
                f"根据测评结果决定第 {r.round} 轮整改是否完成",
                _who(r.subject),
                reverse("subject_rectification", args=[r.subject_id]),
                today,
                link="登记结论",
            )
        )
    return items


def results_since(user, since: datetime.datetime | None, today: datetime.date) -> list[WorkItem]:
    """Ballots published since the person's last visit, for those who read results; a
    voter also gets the receipt check."""
    if not (user_roles(user) & RESULT_READERS):
        return []
    ballots = published_ballots().exclude(campaign__stage=CampaignStage.CLOSED)
    if since is not None:
        ballots = ballots.filter(published_at__gt=since)
    ballots = list(ballots.select_related("campaign").order_by("-published_at")[:10])
    voted_in = set(
        Eligibility.objects.filter(ballot__in=ballots, user=user).values_list(
            "ballot_id", flat=True
        )
    )
    return [
        WorkItem(
            "测评结果已公布",
            f"{b} · {b.campaign.name}",
            reverse("ballot_results", args=[b.pk]),
            today,
            since=timezone.localtime(b.published_at).date() if b.published_at else None,
            since_label="公布",
            link="查看结果",
            extra=(("核对回执", reverse("ballot_receipt", args=[b.pk])),)
            if b.pk in voted_in
            else (),
        )
        for b in ballots
    ]


def person_work(user, today: datetime.date) -> list[WorkItem]:
    """Everything one person owes or must decide, soonest first (office work is per
    campaign: see office_work)."""
    roles = user_roles(user)
    items = ballot_work(user, today) + group_work(user, today)
    if Role.SUBJECT in roles:
        items += subject_work(user, today)
    if Role.LIAISON in roles:
        items += liaison_work(user, today)
    if Role.DIRECTORS_MEETING in roles:
        items += director_work(user, today)
    return sorted(items, key=lambda i: i.sort_key)
