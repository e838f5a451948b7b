"""The deadline reminder sweep: finds what is due, records each reminder, then sends it.

Every deadline of the system is gathered in a fixed number of queries. For each one the
reminder that applies *today* is computed — N days before (settings.REMINDER_DAYS_BEFORE),
on the due day, or overdue (then once a week until done) — and keyed by (deadline, kind,
day). Keys are inserted with ON CONFLICT DO NOTHING under this sweep's claim id; only
the rows this sweep inserted are sent. Running twice, a retried task or two workers at
once therefore never send a reminder twice. After downtime the next sweep sends what
applies now (an overdue notice), not the stale "7 days left".

The e-mails are queued in the core outbox in the same transaction, and sent (and retried
while the mail server is down) from there; the sweep's report says how many were queued
and how many have actually gone out so far.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from core.formats import cn_date
from core.models import Notification, Reminder
from core.outbox import Mail, OutboxProgress, email_queue, outbox_progress
from core.roles import GROUP_NAMES, Role
from rectification.models import (
    Escalation,
    EscalationKind,
    PlanStatus,
    RectificationReport,
    RectificationReportStatus,
    ReportingStep,
)
from reviews.models import CampaignStage
from subjects.models import Subject
from subjects.selectors import subject_deadlines, subject_report_state


@dataclass
class Deadline:
    key: str
    label: str
    due: datetime.date
    whom: str
    url: str
    recipients: list = field(default_factory=list)


def _reminder_for(due: datetime.date, today: datetime.date) -> tuple[str, datetime.date] | None:
    days_left = (due - today).days
    if days_left in settings.REMINDER_DAYS_BEFORE:
        return f"before_{days_left}", today
    if days_left == 0:
        return "due", today
    if days_left < 0:
        week = (-days_left - 1) // 7
        return "overdue", due + datetime.timedelta(days=1 + 7 * week)
    return None


def _text(deadline: Deadline, kind: str, today: datetime.date) -> str:
    if kind.startswith("before_"):
        when = f"还有 {kind.split('_')[1]} 天截止（{cn_date(deadline.due)}）"
    elif kind == "due":
        when = f"今天（{cn_date(deadline.due)}）截止"
    else:
        when = f"已逾期 {(today - deadline.due).days} 天（期限 {cn_date(deadline.due)}）"
    return f"{deadline.whom}{deadline.label}{when}"


def collect_deadlines(today: datetime.date) -> list[Deadline]:
    """Every open deadline, in a number of queries that does not grow with their count."""

    office = list(
        get_user_model().objects.filter(groups__name=GROUP_NAMES[Role.OFFICE], is_active=True)
    )
    deadlines: list[Deadline] = []

    # Duty reports: draft and final, until a final is accepted.
    collecting = (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY, CampaignStage.REVIEW)
    subjects = (
        Subject.objects.filter(campaign__stage__in=collecting)
        .select_related("campaign", "user")
        .prefetch_related("report_versions")
    )
    for s in subjects:
        versions = sorted(s.report_versions.all(), key=lambda v: -v.number)
        reports = subject_report_state(s, versions, s.campaign.report_final_due, today)
        who = [u for u in (s.user,) if u] + office
        url = reverse("subject_detail", args=[s.pk])
        for due in subject_deadlines(reports, today):
            if not due.done:
                label = "述职报告初稿" if due.kind == "draft" else "述职报告定稿"
                deadlines.append(
                    Deadline(
                        f"report_{due.kind}:{s.pk}", label, due.due, f"{s.person_name}的", url, who
                    )
                )

    # Rectification plans, reports (each round, continued ones too), explanations.
    plans = (
        Subject.objects.filter(
            opinion__delivered_on__isnull=False,
            rectification_plan__status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED],
        )
        .select_related("campaign", "rectification_plan", "user", "liaison_committee")
        .prefetch_related("liaison_committee__users")
    )
    for s in plans:
        who = [u for u in (s.user,) if u] + list(s.liaison_committee.users.all()) + office
        deadlines.append(
            Deadline(
                f"rect_plan:{s.pk}",
                "整改方案",
                s.rectification_plan.due_on,
                f"{s.person_name}的",
                reverse("subject_rectification", args=[s.pk]),
                who,
            )
        )
    reports = (
        RectificationReport.objects.filter(status=RectificationReportStatus.DRAFT)
        .select_related("subject__user", "subject__liaison_committee")
        .prefetch_related("subject__liaison_committee__users")
    )
    for r in reports:
        s = r.subject
        label = "整改情况报告" if r.round == 1 else f"继续整改情况报告（第 {r.round} 轮）"
        who = [u for u in (s.user,) if u] + list(s.liaison_committee.users.all()) + office
        deadlines.append(
            Deadline(
                f"rect_report:{r.pk}",
                label,
                r.due_on,
                f"{s.person_name}的",
                reverse("subject_rectification", args=[s.pk]),
                who,
            )
        )
    explained = set(
        Escalation.objects.filter(kind=EscalationKind.EXPLANATION).values_list(
            "subject_id", flat=True
        )
    )
    for e in Escalation.objects.filter(
        kind=EscalationKind.EXPLANATION_DUE, due_on__isnull=False
    ).select_related("subject__user"):
        if e.subject_id in explained:
            continue
        who = [u for u in (e.subject.user,) if u] + office
        deadlines.append(
            Deadline(
                f"explanation:{e.pk}",
                "向主任会议说明情况",
                e.due_on,
                f"{e.subject.person_name}",
                reverse("subject_rectification", args=[e.subject_id]),
                who,
            )
        )

    # Results to the party committee, copies and publication: within a week of the meeting.
    steps = ReportingStep.objects.filter(done_on__isnull=True, due_on__isnull=False)
    for step in steps.select_related("campaign"):
        deadlines.append(
            Deadline(
                f"step:{step.pk}",
                step.name,
                step.due_on,
                f"“{step.campaign.name}”",
                reverse("campaign_rectification", args=[step.campaign_id]),
                office,
            )
        )
    return deadlines


MAIL_KIND = "reminder"


@dataclass(frozen=True)
class SweepReport:
    reminders: int  # reminders recorded by this sweep (each to one or more people)
    mail: OutboxProgress  # their e-mails: queued, delivered so far, and why not

    def __str__(self) -> str:
        if not self.reminders:
            return "没有需要发送的期限提醒。"
        return f"已提醒 {self.reminders} 项，{self.mail.sentence()}。"

    def as_dict(self) -> dict:
        return {
            "reminders": self.reminders,
            "emails_queued": self.mail.queued,
            "emails_sent": self.mail.sent,
            "report": str(self),
        }


def reminders_sweep(*, today: datetime.date) -> SweepReport:
    """Record every reminder due today that no sweep has recorded, notify in the app and
    queue the e-mails. The report is taken after the commit, when the e-mails have been
    handed to the outbox's sender (in-process without Redis, else to a worker)."""
    keys = _sweep(today=today)
    return SweepReport(len(keys), outbox_progress(kind=MAIL_KIND, keys=keys))


@transaction.atomic
def _sweep(*, today: datetime.date) -> list[str]:
    candidates = {}
    for deadline in collect_deadlines(today):
        found = _reminder_for(deadline.due, today)
        if found is None:
            continue
        kind, day = found
        key = f"{deadline.key}:{kind}:{day.isoformat()}"
        candidates[key] = (deadline, kind, day)
    if not candidates:
        return []
    claim = uuid.uuid4()
    Reminder.objects.bulk_create(
        [
            Reminder(
                key=key,
                deadline=d.key,
                kind=kind,
                day=day,
                claim=claim,
                summary=_text(d, kind, today)[:300],
                recipients=len({u.pk for u in d.recipients}),
            )
            for key, (d, kind, day) in candidates.items()
        ],
        ignore_conflicts=True,
    )
    ours = list(Reminder.objects.filter(claim=claim).values_list("key", flat=True))
    notifications, mails = [], []
    for key in ours:
        deadline, kind, _day = candidates[key]
        text = _text(deadline, kind, today)
        for user in {u.pk: u for u in deadline.recipients}.values():
            notifications.append(Notification(user=user, title=text[:200], url=deadline.url))
            mails.append(
                Mail(
                    key=key,
                    recipient=user.email,
                    subject=f"【述职评议】{text}",
                    body=f"{text}。\n请登录述职评议工作系统办理：{deadline.url}",
                )
            )
    Notification.objects.bulk_create(notifications)
    email_queue(kind=MAIL_KIND, mails=mails)
    return ours
