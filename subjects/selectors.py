"""Who may see which subject and which duty report: the one place that decides it."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, TextChoices
from django.http import Http404
from django.utils import timezone

from core.roles import Role, user_roles
from reviews.models import Campaign

from .access import liaises_with, liaison_or_self_q
from .models import DutyReportStatus, DutyReportVersion, ReportKind, Subject

# Roles that see every subject of every campaign.
_SEE_ALL = {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING, Role.MEMBER}
# Roles that read a campaign's accepted duty reports once the office has distributed them.
REPORT_READERS = {Role.MEMBER, Role.LEADING_GROUP, Role.DIRECTORS_MEETING}
# Roles that see every subject's review opinion and rectification; anyone else only the
# subjects they liaise with or are (rectification.selectors.rectification_subjects_for).
RECTIFICATION_READERS = {Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING}


def subjects_visible_to(user, *, see_all: set[Role] = _SEE_ALL) -> QuerySet[Subject]:
    """Roles in `see_all` see every subject; a liaison committee the subjects it liaises
    with; a subject only themselves. Other areas pass their own `see_all`."""
    qs = Subject.objects.select_related("campaign", "unit", "liaison_committee", "user")
    if user_roles(user) & see_all:
        return qs
    return qs.filter(liaison_or_self_q(user)).distinct()


def subject_for_user(*, user, pk: int) -> Subject:
    """The subject if `user` may see it; otherwise 404, so its existence is not revealed."""
    subject = subjects_visible_to(user).filter(pk=pk).first()
    if subject is None:
        raise Http404("没有找到该评议对象。")
    return subject


def subject_rectification_visible(user, subject: Subject) -> bool:
    """Whether `user` may open `subject`'s rectification page (for the link to it)."""
    if user_roles(user) & RECTIFICATION_READERS or subject.user_id == user.pk:
        return True
    if (
        subject.campaign.groups_oversee_rectification
        and Subject.objects.filter(subject_readers_q(user), pk=subject.pk).exists()
    ):
        return True  # an assessment group checking its subjects' rectification
    return liaises_with(user, subject)


def subjects_of_user(user) -> QuerySet[Subject]:
    """The subject records whose login is `user` (one per campaign they are reviewed in)."""
    return (
        Subject.objects.filter(user=user)
        .select_related("campaign", "unit", "liaison_committee")
        .order_by("-campaign__year", "campaign__name")
    )


# Who else reads a subject's duty-report drafts (and, where the campaign says so, follows
# its rectification): the members of its assessment group. The group assignment lives in
# surveys, above this app, so surveys registers the rule here (SurveysConfig.ready): each
# entry takes a user and gives a filter on Subject.
_SUBJECT_READERS: list[Callable[..., Q]] = []


def subject_readers_register(rule: Callable[..., Q]) -> None:
    if rule not in _SUBJECT_READERS:
        _SUBJECT_READERS.append(rule)


def subject_readers_q(user) -> Q:
    """Subjects whose duty-report drafts `user` may read as a member of their assessment group."""
    visible = Q(pk__in=[])
    if not user.is_authenticated:
        return visible
    for rule in _SUBJECT_READERS:
        visible |= rule(user)
    return visible


def report_versions_visible_to(user) -> QuerySet[DutyReportVersion]:
    roles = user_roles(user)
    qs = DutyReportVersion.objects.select_related("subject__campaign", "subject__unit")
    if Role.OFFICE in roles:
        return qs
    visible = Q(subject__user=user) if user.is_authenticated else Q(pk__in=[])
    if roles & REPORT_READERS:
        visible |= Q(
            kind=ReportKind.FINAL,
            status=DutyReportStatus.ACCEPTED,
            subject__campaign__reports_distributed_at__isnull=False,
        )
    visible |= Q(subject__in=Subject.objects.filter(subject_readers_q(user)))
    return qs.filter(visible)


def report_version_for_user(*, user, pk) -> DutyReportVersion:
    version = report_versions_visible_to(user).filter(pk=pk).first()
    if version is None:
        raise Http404("没有找到该文件。")
    return version


class ReportState(TextChoices):
    MISSING = "missing", "未提交"
    DRAFT = "draft", "已交初稿"
    SUBMITTED = "submitted", "定稿待审核"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已接受"
    LATE = "late", "逾期未交定稿"


# The badge colour of each state on the pages (default: waiting, yellow).
_BADGES = {
    ReportState.ACCEPTED: "success",
    ReportState.LATE: "danger",
    ReportState.RETURNED: "danger",
    ReportState.MISSING: "secondary",
}
# States whose count chip is shown in red when any subject is in them.
ALARMING_STATES = (ReportState.LATE, ReportState.RETURNED)


@dataclass
class SubjectReports:
    subject: Subject
    versions: list[DutyReportVersion]  # newest first
    state: ReportState
    accepted_final: DutyReportVersion | None
    pending: DutyReportVersion | None  # the version waiting for office review, if any

    @property
    def latest(self) -> DutyReportVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def badge(self) -> str:
        return _BADGES.get(self.state, "warning")

    @property
    def nothing_in(self) -> bool:
        return self.state == ReportState.MISSING


def subject_report_state(
    subject: Subject,
    versions: list[DutyReportVersion],
    final_due: datetime.date | None,
    today: datetime.date,
) -> SubjectReports:
    """A subject's report status, derived from its versions and the final deadline."""
    live = [v for v in versions if v.status != DutyReportStatus.SUPERSEDED]
    accepted = next(
        (v for v in live if v.kind == ReportKind.FINAL and v.status == DutyReportStatus.ACCEPTED),
        None,
    )
    pending = next((v for v in live if v.status == DutyReportStatus.SUBMITTED), None)
    latest = live[0] if live else None
    if accepted:
        state = ReportState.ACCEPTED
    elif latest is None:
        state = ReportState.MISSING
    elif latest.kind == ReportKind.FINAL and latest.status == DutyReportStatus.SUBMITTED:
        state = ReportState.SUBMITTED
    elif latest.status == DutyReportStatus.RETURNED:
        state = ReportState.RETURNED
    else:
        state = ReportState.DRAFT
    if (
        state in (ReportState.MISSING, ReportState.DRAFT, ReportState.RETURNED)
        and final_due
        and today > final_due
    ):
        state = ReportState.LATE
    return SubjectReports(subject, versions, state, accepted, pending)


def campaign_report_rows(
    campaign: Campaign, today: datetime.date | None = None
) -> list[SubjectReports]:
    """Every subject of a campaign with its reports, in two queries."""
    today = today or timezone.localdate()
    subjects = (
        campaign.subjects.select_related("unit", "user")
        .prefetch_related(
            Prefetch(
                "report_versions",
                queryset=DutyReportVersion.objects.select_related("reviewed_by").order_by(
                    "-number"
                ),
            )
        )
        .order_by("position", "id")
    )
    return [
        subject_report_state(s, list(s.report_versions.all()), campaign.report_final_due, today)
        for s in subjects
    ]


def report_overdue(reports: SubjectReports, today: datetime.date) -> bool:
    """A report is overdue when the final's deadline passed without one accepted or waiting
    (逾期未交定稿), or nothing at all came in by the draft's deadline."""
    if reports.state == ReportState.LATE:
        return True
    draft_due = reports.subject.campaign.report_draft_due
    return reports.state == ReportState.MISSING and draft_due is not None and today > draft_due


def report_state_counts(rows: list[SubjectReports]) -> list[tuple[ReportState, int, bool]]:
    """Each state, how many subjects are in it, and whether that calls for attention."""
    counts = [(state, sum(1 for r in rows if r.state == state)) for state in ReportState]
    return [(state, n, bool(n) and state in ALARMING_STATES) for state, n in counts]


def reports_distribute_confirm(accepted: int, total: int) -> str:
    """What the office is asked before distributing: distribution cannot be undone, and
    reports accepted later are not sent out."""
    head = (
        f"仅 {accepted}/{total} 份述职报告定稿已接受，其余 {total - accepted} 份不会分发。"
        if accepted < total
        else f"全部 {total} 份述职报告定稿已接受。"
    )
    return f"{head}分发后常委会组成人员和领导小组即可阅读，不能撤回。确认分发？"


@dataclass(frozen=True)
class Deadline:
    label: str
    due: datetime.date
    done: bool
    today: datetime.date
    kind: str = ""  # "draft" or "final": what the reminder sweep keys its reminders by

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def text(self) -> str:
        if self.done:
            return "已完成"
        if self.days_left > 0:
            return f"还剩 {self.days_left} 天"
        if self.days_left == 0:
            return "今天截止"
        return f"已逾期 {-self.days_left} 天"

    @property
    def overdue(self) -> bool:
        return not self.done and self.days_left < 0


def subject_deadlines(
    reports: SubjectReports, today: datetime.date | None = None
) -> list[Deadline]:
    """Every duty-report deadline of the subject, soonest first: the one rule for the
    subject's page and the reminder sweep. The final is done once it is accepted or a final
    awaits the office's review (the subject has done their part)."""
    today = today or timezone.localdate()
    campaign = reports.subject.campaign
    live = [v for v in reports.versions if v.status != DutyReportStatus.SUPERSEDED]
    deadlines = []
    if campaign.report_draft_due:
        has_draft_or_final = any(v.status != DutyReportStatus.RETURNED for v in live)
        deadlines.append(
            Deadline(
                "提交述职报告初稿", campaign.report_draft_due, has_draft_or_final, today, "draft"
            )
        )
    if campaign.report_final_due:
        deadlines.append(
            Deadline(
                "提交述职报告定稿",
                campaign.report_final_due,
                reports.accepted_final is not None or reports.state == ReportState.SUBMITTED,
                today,
                "final",
            )
        )
    return sorted(deadlines, key=lambda d: d.due)
