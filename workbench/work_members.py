"""我的工作 for committee members and the director's meeting: open ballots, group work,
hearings and conclusions to record, results published since the last visit; and one
person's whole list, every role they hold."""

import datetime

from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from ballots.models import Eligibility
from ballots.selectors import ballots_open_for, published_ballots, teller_tasks
from core.roles import CAMPAIGN_READERS, Role, user_roles
from rectification.models import (
    OpinionStatus,
    RectificationReport,
    RectificationReportStatus,
    ReviewOpinion,
)
from reviews.models import CampaignStage
from subjects.models import Subject
from surveys.groups import groups_of_user, subject_group, subjects_in_groups
from surveys.models import (
    InvestigationReport,
    InvestigationReportStatus,
    Questionnaire,
    QuestionnaireStatus,
)

from .work import (
    INVESTIGATING,
    WorkItem,
    _who,
    liaison_work,
    subject_work,
)


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


TELLER_TASKS = {
    "keys": ("生成监票密钥", "去生成"),
    "shares": ("发送监票份额", "去发送"),
    "decrypt": ("解密计票", "去解密"),
}


def teller_work(user, today: datetime.date) -> list[WorkItem]:
    """A teller's (监票人) steps: make a key before the ballot opens, send the shares owed
    to tellers who made theirs later, decrypt the sums after the close."""
    items = []
    for teller, task in teller_tasks(user):
        title, link = TELLER_TASKS[task]
        b = teller.ballot
        items.append(
            WorkItem(
                title,
                f"{b} · {b.campaign.name} · 监票人 {teller.index}",
                reverse("ballot_teller", args=[b.pk]),
                today,
                since=timezone.localtime(b.closed_at).date() if b.closed_at else None,
                since_label="结束投票",
                link=link,
            )
        )
    return items


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
        Subject.objects.filter(group_assignment__group__in=groups)
        .select_related("unit", "group_assignment")
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
        group = by_pk[s.group_assignment.group_id]
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


def rectification_check_work(user, today: datetime.date) -> list[WorkItem]:
    """An assessment group with rectification oversight: its subjects' submitted reports
    it has not checked yet (the director's meeting hears the check before deciding)."""
    reports = (
        RectificationReport.objects.filter(
            ~Q(subject__campaign__stage=CampaignStage.CLOSED),
            subject__in=subjects_in_groups(groups_of_user(user)),
            status=RectificationReportStatus.SUBMITTED,
            subject__campaign__groups_oversee_rectification=True,
        )
        .exclude(checks__group=F("subject__group_assignment__group"))
        .select_related("subject__unit", "subject__group_assignment__group")
        .distinct()
        .order_by("pk")
    )
    return [
        WorkItem(
            f"检查第 {r.round} 轮整改情况报告，提出检查意见",
            f"{_who(r.subject)} · {subject_group(r.subject).name}",
            reverse("subject_rectification", args=[r.subject_id]),
            today,
            since=r.submitted_on,
            since_label="报送",
            link="检查",
        )
        for r in reports
    ]


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
            open_campaign, status=RectificationReportStatus.SUBMITTED, ballot__status="published"
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
    for r in (
        RectificationReport.objects.filter(
            open_campaign,
            status=RectificationReportStatus.SUBMITTED,
            subject__campaign__rectification_conclusion="directors_meeting",
        )
        .select_related("subject__unit")
        .order_by("pk")
    ):
        items.append(
            WorkItem(
                f"主任会议决定第 {r.round} 轮整改情况（满意或继续整改）",
                _who(r.subject),
                reverse("subject_rectification", args=[r.subject_id]),
                today,
                since=r.submitted_on,
                since_label="报送",
                link="登记决定",
            )
        )
    return items


def results_since(user, since: datetime.datetime | None, today: datetime.date) -> list[WorkItem]:
    """Ballots published since the person's last visit, for those who read results; a
    voter also gets the receipt check."""
    if not (user_roles(user) & set(CAMPAIGN_READERS)):
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
    items = ballot_work(user, today) + teller_work(user, today) + group_work(user, today)
    items += rectification_check_work(user, today)
    if Role.SUBJECT in roles:
        items += subject_work(user, today)
    if Role.LIAISON in roles:
        items += liaison_work(user, today)
    if Role.DIRECTORS_MEETING in roles:
        items += director_work(user, today)
    return sorted(items, key=lambda i: i.sort_key)
