"""What each person owes or must decide next (我的工作): one item per thing to do, naming
the subject or document, its due date, and the page where it is done.

Each function reads one role's share in a fixed number of queries, whatever the number of
subjects; the page shows only links that the person who sees them may open (the crawl
test in tests/workbench/test_my_work_links.py follows them all as every demo login).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse

from core.formats import cn_date
from rectification.models import (
    EscalationKind,
    OpinionStatus,
    PlanStatus,
    RectificationKind,
    RectificationReport,
    RectificationReportStatus,
)
from rectification.selectors import (
    rectification_overdue_q,
    rectification_rows,
    rectification_waiting_q,
    subjects_matching,
)
from reviews.models import CampaignStage
from subjects.models import Subject
from subjects.selectors import subject_deadlines, subject_report_state

COLLECTING = (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY, CampaignStage.REVIEW)
INVESTIGATING = (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY)


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
        if current is not None and current.status == RectificationReportStatus.DRAFT and actionable:
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
    # Only the subjects that can make an item below are read in full.
    subjects = subjects_matching(
        subjects, rectification_waiting_q() | rectification_overdue_q(today)
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
            and report.status == RectificationReportStatus.SUBMITTED
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
