"""Reads of campaigns for pages that more than one role uses."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.formats import cn_date
from core.roles import Role, user_has_role
from subjects.models import ReportKind, ReportStatus, ReviewForm

from .models import (
    WORK_STAGES,
    ActivityAttachment,
    AssessmentGroup,
    Ballot,
    BallotStatus,
    Campaign,
    CampaignStage,
    Finding,
    InvestigationActivity,
    InvestigationReport,
    InvestigationReportStatus,
    Member,
    Stage,
    StageTransition,
)


def _count(qs: QuerySet, campaign_field: str):
    """A correlated COUNT per campaign: no joins that multiply each other's rows."""
    grouped = qs.filter(**{campaign_field: OuterRef("pk")}).order_by().values(campaign_field)
    return Coalesce(
        Subquery(grouped.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
    )


def campaigns_with_progress() -> QuerySet[Campaign]:
    """Campaigns with their stages and the counts their pages show, in a fixed number of queries."""
    from subjects.models import DutyReportVersion, Subject

    subjects = Subject.objects.all()
    versions = DutyReportVersion.objects.all()
    return Campaign.objects.annotate(
        subject_count=_count(subjects, "campaign"),
        on_site_count=_count(subjects.filter(review_form=ReviewForm.ON_SITE), "campaign"),
        written_count=_count(subjects.filter(review_form=ReviewForm.WRITTEN), "campaign"),
        no_account_count=_count(subjects.filter(user__isnull=True), "campaign"),
        unassigned_count=_count(subjects.filter(assessment_group__isnull=True), "campaign"),
        awaiting_hearing_count=_count(
            InvestigationReport.objects.filter(status=InvestigationReportStatus.SUBMITTED),
            "subject__campaign",
        ),
        pending_report_count=_count(
            versions.filter(status=ReportStatus.SUBMITTED), "subject__campaign"
        ),
        open_ballot_count=_count(Ballot.objects.filter(status=BallotStatus.OPEN), "campaign"),
        accepted_report_count=_count(
            versions.filter(status=ReportStatus.ACCEPTED, kind=ReportKind.FINAL),
            "subject__campaign",
        ),
    ).prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))


def campaigns_open() -> QuerySet[Campaign]:
    return campaigns_with_progress().exclude(stage=CampaignStage.CLOSED)


@dataclass(frozen=True)
class Todo:
    text: str
    urgent: bool = False


def _current_stage(campaign: Campaign) -> Stage | None:
    return next((s for s in campaign.stages.all() if s.kind == campaign.stage), None)


def campaign_office_todos(campaign: Campaign, today: datetime.date | None = None) -> list[Todo]:
    """What the office must still do for a campaign, derived from its data (annotated queryset)."""
    today = today or timezone.localdate()
    todos: list[Todo] = []
    if campaign.stage == CampaignStage.PREPARATION:
        if not campaign.plan_approved_on:
            todos.append(Todo("登记实施方案的批准日期并上传方案文件"))
        if not campaign.subject_count:
            todos.append(Todo("确定评议对象（可从 Excel 导入）"))
        elif campaign.no_account_count:
            todos.append(Todo(f"为 {campaign.no_account_count} 名评议对象开通登录账号"))
    if campaign.stage in (CampaignStage.PREPARATION, CampaignStage.PRELIMINARY):
        if campaign.subject_count and campaign.unassigned_count:
            todos.append(Todo(f"将 {campaign.unassigned_count} 名评议对象分配到履职初评小组"))
        if campaign.awaiting_hearing_count:
            todos.append(
                Todo(f"{campaign.awaiting_hearing_count} 份调查报告已提交，待主任会议听取")
            )
    if campaign.stage == CampaignStage.REVIEW and campaign.open_ballot_count:
        todos.append(Todo("满意度测评正在投票，投票结束后请结束投票并计票", urgent=True))
    if campaign.stage in (
        CampaignStage.PREPARATION,
        CampaignStage.PRELIMINARY,
        CampaignStage.REVIEW,
    ):
        if not (campaign.report_draft_due and campaign.report_final_due):
            todos.append(Todo("设定述职报告初稿和定稿的截止日期"))
        if campaign.pending_report_count:
            todos.append(
                Todo(f"审核 {campaign.pending_report_count} 份待审核的述职报告", urgent=True)
            )
        missing = campaign.subject_count - campaign.accepted_report_count
        if campaign.report_final_due and campaign.report_final_due < today and missing:
            todos.append(
                Todo(f"{missing} 名评议对象的述职报告定稿逾期未被接受，请催交", urgent=True)
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
                    f"分发述职报告（已接受定稿 {campaign.accepted_report_count}/{campaign.subject_count} 份）"
                )
            )
    if campaign.stage == CampaignStage.RECTIFICATION:
        from rectification.selectors import rectification_rows

        rows = rectification_rows(campaign.subjects.all(), today)
        undelivered = sum(1 for r in rows if r.opinion is None or not r.opinion.delivered_on)
        overdue = sum(1 for r in rows if r.overdue)
        if undelivered:
            todos.append(Todo(f"{undelivered} 名评议对象的评议意见尚未送达"))
        if overdue:
            todos.append(
                Todo(f"{overdue} 名评议对象的整改方案或整改情况报告逾期未报送", urgent=True)
            )
    missing_dates = [
        s.get_kind_display()
        for s in campaign.stages.all()
        if not (s.planned_start and s.planned_end)
    ]
    if missing_dates and campaign.stage != CampaignStage.CLOSED:
        todos.append(Todo(f"填写{'、'.join(missing_dates)}的计划起止日期"))
    current = _current_stage(campaign)
    if current and current.planned_end and current.planned_end < today:
        todos.append(
            Todo(
                f"{current.get_kind_display()}计划于 {cn_date(current.planned_end)} 结束，"
                f"已超期 {(today - current.planned_end).days} 天",
                urgent=True,
            )
        )
    return todos


def campaign_stage_rows(campaign: Campaign, today: datetime.date | None = None) -> list[dict]:
    """The four stages with their state (done / current / upcoming) for a timeline."""
    today = today or timezone.localdate()
    order = [*WORK_STAGES, CampaignStage.CLOSED]
    current_index = order.index(campaign.stage)
    rows = []
    for stage in campaign.stages.all():
        index = order.index(stage.kind)
        state = (
            "done" if index < current_index else "current" if index == current_index else "upcoming"
        )
        overdue = state == "current" and stage.planned_end is not None and stage.planned_end < today
        rows.append({"stage": stage, "state": state, "overdue": overdue})
    return rows


def campaign_transitions(campaign: Campaign) -> QuerySet[StageTransition]:
    return campaign.transitions.select_related("actor").order_by("-at", "-id")


def members_composition_count() -> int:
    return Member.objects.filter(is_active=True, counts_toward_composition=True).count()


# --- Preliminary assessment: who sees which group's work -------------------------------
# The office and the leading group see every group; anyone else only the groups they lead
# or sit in. The director's meeting hears submitted investigation reports.
_SEE_ALL_GROUPS = (Role.OFFICE, Role.LEADING_GROUP)


def groups_of_user(user) -> QuerySet[AssessmentGroup]:
    if not user.is_authenticated:
        return AssessmentGroup.objects.none()
    return AssessmentGroup.objects.filter(Q(leader=user) | Q(members=user)).distinct()


def groups_visible_to(user) -> QuerySet[AssessmentGroup]:
    qs = AssessmentGroup.objects.select_related("campaign", "leader")
    if user_has_role(user, *_SEE_ALL_GROUPS):
        return qs
    return qs.filter(pk__in=groups_of_user(user).values("pk"))


def group_for_user(*, user, pk: int) -> AssessmentGroup:
    group = groups_visible_to(user).filter(pk=pk).first()
    if group is None:
        raise Http404("没有找到该小组。")
    return group


def group_subject_for_user(*, user, group: AssessmentGroup, subject_pk: int):
    from subjects.models import Subject

    subject = (
        Subject.objects.select_related("campaign", "unit", "assessment_group")
        .filter(pk=subject_pk, assessment_group=group)
        .first()
    )
    if subject is None:
        raise Http404("该评议对象不在本小组。")
    return subject


def activities_visible_to(user) -> QuerySet[InvestigationActivity]:
    return InvestigationActivity.objects.select_related("group__campaign", "created_by").filter(
        group__in=groups_visible_to(user)
    )


def activity_for_user(*, user, pk: int) -> InvestigationActivity:
    activity = activities_visible_to(user).filter(pk=pk).first()
    if activity is None:
        raise Http404("没有找到该调查活动。")
    return activity


def attachment_for_user(*, user, pk) -> ActivityAttachment:
    attachment = (
        ActivityAttachment.objects.select_related("activity__group")
        .filter(pk=pk, activity__group__in=groups_visible_to(user))
        .first()
    )
    if attachment is None:
        raise Http404("没有找到该文件。")
    return attachment


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.select_related("subject", "content_item", "activity").filter(
        subject__assessment_group__in=groups_visible_to(user)
    )


def finding_for_user(*, user, pk) -> Finding:
    finding = findings_visible_to(user).filter(pk=pk).first()
    if finding is None:
        raise Http404("没有找到该调查发现。")
    return finding


def investigation_reports_visible_to(user) -> QuerySet[InvestigationReport]:
    qs = InvestigationReport.objects.select_related("subject__unit", "subject__campaign", "group")
    if user_has_role(user, *_SEE_ALL_GROUPS):
        return qs
    visible = Q(group__in=groups_of_user(user))
    if user_has_role(user, Role.DIRECTORS_MEETING):
        visible |= Q(
            status__in=[InvestigationReportStatus.SUBMITTED, InvestigationReportStatus.HEARD]
        )
    return qs.filter(visible)


def investigation_report_for_user(*, user, pk: int) -> InvestigationReport:
    report = investigation_reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该调查报告。")
    return report


# --- Ballots ------------------------------------------------------------------------------
def ballot_turnout(ballot) -> dict:
    """已投/应投 and who has not voted yet. Never anything about what was voted."""
    from .models import Eligibility, Participation

    voted = set(Participation.objects.filter(ballot=ballot).values_list("user_id", flat=True))
    eligible = list(
        Eligibility.objects.filter(ballot=ballot).select_related("user").order_by("user__username")
    )
    return {
        "eligible": len(eligible),
        "voted": len(voted),
        "not_voted": [e.user for e in eligible if e.user_id not in voted],
    }


def ballots_open_for(user):
    from .models import Ballot, BallotStatus, Participation

    voted = Participation.objects.filter(user=user).values("ballot_id")
    return (
        Ballot.objects.filter(status=BallotStatus.OPEN, eligible__user=user)
        .exclude(pk__in=voted)
        .select_related("campaign")
    )


def ballot_results_visible(ballot) -> bool:
    """The one rule for every reader (pages, exports, the big screen, briefings, the public
    page, the admin, rectification): no count, rate or outcome of a ballot is shown to
    anyone, office included, before the office publishes it."""
    from .models import BallotStatus

    return ballot.status == BallotStatus.PUBLISHED


def published_ballots():
    """The ballots whose results may be read: the queryset form of ballot_results_visible."""
    from .models import Ballot, BallotStatus

    return Ballot.objects.filter(status=BallotStatus.PUBLISHED)


def ballot_results(ballot):
    """The stored results, or nothing at all while the ballot is not published."""
    if not ballot_results_visible(ballot):
        return []
    return list(ballot.results.select_related("subject__unit").order_by("rank"))


def ballot_receipts(ballot) -> list[str]:
    """The receipts (sheet trackers) of every counted sheet, in alphabetical order, once
    published, so a member can find theirs."""
    from .ballot_crypto import tracker
    from .models import SealedSheet

    if not ballot_results_visible(ballot):
        return []
    return sorted(
        tracker(c)
        for c in SealedSheet.objects.filter(ballot=ballot).values_list("ciphertext", flat=True)
    )


def result_tally(ballot, result):
    """A stored result's counts and bases as the rules read them, to apply another rule."""
    from fractions import Fraction

    from .rules import Tally

    def fractions(counts: dict) -> dict:
        return {o: Fraction(str(n)) for o, n in counts.items()}

    bases = result.bases or {}
    weighted = fractions(result.counts)
    committee = fractions(result.committee_counts) if result.committee_counts else weighted

    def base(counting: str, name: str, fallback):
        value = (bases.get(counting) or {}).get(name)
        return Fraction(str(value)) if value is not None else fallback

    issued = Fraction(str(result.issued))
    cast = Fraction(ballot.web_participants)
    return Tally(
        weighted=weighted,
        committee=committee,
        scale=list(ballot.options),
        composition=ballot.composition_size,
        present=ballot.present_count,
        issued={c: base(c, "issued", issued) for c in ("committee", "weighted")},
        cast={c: base(c, "cast", cast) for c in ("committee", "weighted")},
    )


def rule_simulation(ballot, rules: list[tuple[str, object, list[str]]]) -> list[dict]:
    """Each subject's outcome under each (name, spec, outcomes); never stores anything.
    A spec of None means the rule does not apply to this ballot (shown as 不适用)."""
    from .rules import RuleError, apply_spec

    rows = []
    for result in ballot_results(ballot):
        tally = result_tally(ballot, result)
        cells = []
        for _name, spec, outcomes in rules:
            try:
                outcome = apply_spec(spec, outcomes, tally) if spec is not None else None
            except RuleError as exc:
                cells.append({"label": "不适用", "rate": None, "explanation": str(exc)})
                continue
            if outcome is None:
                cells.append({"label": "不适用", "rate": None, "explanation": ""})
            else:
                cells.append(
                    {
                        "label": outcome.label,
                        "rate": round(float(outcome.rate), 2) if outcome.rate is not None else None,
                        "explanation": outcome.explanation,
                    }
                )
        first = cells[0]["label"] if cells else None
        for cell in cells[1:]:
            cell["differs"] = cell["label"] != first
        rows.append({"result": result, "cells": cells})
    return rows
