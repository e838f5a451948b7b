"""Everything that writes review opinions and rectification.

Plans move draft/returned → submitted → approved | returned; reports draft → submitted →
satisfied | continued (a new round). Who may act: the subject on their own plan and
report, the liaison committee on the plans of the subjects it liaises with, the office
on everything, the director's meeting on approvals and orders.
"""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ballots.models import BallotPurpose, BallotStatus
from ballots.selectors import ballot_results, ballot_results_visible
from ballots.services import ballot_create, ballot_open
from core.audit import audit_log
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, replace_file
from core.roles import Role, user_has_role
from core.services import require_office
from core.workflow import transition
from reviews.models import ContentItem
from surveys.models import FindingKind

from .dates import add_period
from .models import (
    OPINION_WORKFLOW,
    PLAN_WORKFLOW,
    REPORT_WORKFLOW,
    Escalation,
    EscalationKind,
    OpinionProblem,
    OpinionStatus,
    PlanRow,
    PlanStatus,
    ProblemSource,
    RectificationPlan,
    RectificationReport,
    ReportingStep,
    ReportRow,
    ReportStatus,
    ReviewOpinion,
    RowStatus,
    StepKind,
)


def plan_due(subject) -> datetime.date | None:
    opinion = getattr(subject, "opinion", None)
    if opinion is None or opinion.delivered_on is None:
        return None
    campaign = subject.campaign
    return add_period(opinion.delivered_on, campaign.plan_limit, campaign.plan_limit_unit)


def report_due(subject) -> datetime.date | None:
    opinion = getattr(subject, "opinion", None)
    if opinion is None or opinion.delivered_on is None:
        return None
    campaign = subject.campaign
    return add_period(opinion.delivered_on, campaign.report_limit, campaign.report_limit_unit)


def _move(obj, *, to: str, workflow, actor, summary: str, subject, stamp=None):
    """Every status change of an opinion, a plan or a report: the one helper. The caller
    has already checked that this actor may act for this subject."""
    return transition(
        obj=obj,
        to=to,
        workflow=workflow,
        actor=actor,
        summary=summary,
        stamp=stamp,
        campaign=subject.campaign,
        subject=subject,
        check_roles=False,
    )


def _log(actor, action: str, summary: str, subject, target=None) -> None:
    audit_log(
        actor=actor,
        action=action,
        summary=summary,
        target=target,
        campaign=subject.campaign,
        subject=subject,
    )


def _is_liaison_for(user, subject) -> bool:
    return subject.liaison_committee.users.filter(pk=user.pk).exists()


# --- Review opinions -----------------------------------------------------------------------
@transaction.atomic
def opinion_draft(*, actor, subject, summary: str = "") -> ReviewOpinion:
    """Start the opinion, prefilled with the problems the investigation found."""
    require_office(actor)
    if ReviewOpinion.objects.filter(subject=subject).exists():
        raise ApplicationError(f"已有对{subject.person_name}的评议意见。")
    opinion = ReviewOpinion.objects.create(subject=subject, summary=summary.strip())
    problems = (
        subject.findings.filter(kind=FindingKind.PROBLEM)
        .select_related("content_item")
        .order_by("content_item__position", "number")
    )
    OpinionProblem.objects.bulk_create(
        OpinionProblem(
            opinion=opinion,
            position=i,
            content_item=f.content_item,
            text=f.text,
            source=ProblemSource.FINDING,
            finding=f,
        )
        for i, f in enumerate(problems, start=1)
    )
    _log(
        actor,
        "opinion.draft",
        f"起草对{subject.person_name}的评议意见（{problems.count()} 个问题来自调查发现）",
        subject,
        opinion,
    )
    return opinion


@transaction.atomic
def opinion_problem_add(
    *,
    actor,
    opinion: ReviewOpinion,
    content_item: ContentItem,
    text: str,
    source: str,
    inquiry=None,
) -> OpinionProblem:
    require_office(actor)
    opinion = ReviewOpinion.objects.select_for_update().select_related("subject").get(pk=opinion.pk)
    if opinion.status != OpinionStatus.DRAFT:
        raise ApplicationError("评议意见已通过，不能再增加问题。")
    if content_item.campaign_id != opinion.subject.campaign_id:
        raise ApplicationError("类别不属于本次评议活动。")
    if source not in ProblemSource.values or source == ProblemSource.FINDING:
        raise ApplicationError(
            "来自调查发现的问题在起草时已带入；请选择会议询问、征求意见或会议审议。"
        )
    if not (text or "").strip():
        raise ApplicationError("请填写问题。")
    if inquiry is not None and inquiry.subject_id != opinion.subject_id:
        raise ApplicationError("该询问不是向本评议对象提出的。")
    position = (
        opinion.problems.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    problem = OpinionProblem.objects.create(
        opinion=opinion,
        position=position,
        content_item=content_item,
        text=text.strip(),
        source=source,
        inquiry=inquiry,
    )
    _log(
        actor,
        "opinion.problem",
        f"评议意见增加问题 {position}（{problem.get_source_display()}）",
        opinion.subject,
        problem,
    )
    return problem


@transaction.atomic
def opinion_approve(*, actor, opinion: ReviewOpinion, approved_on: datetime.date) -> ReviewOpinion:
    if not user_has_role(actor, Role.OFFICE, Role.DIRECTORS_MEETING):
        raise ApplicationError("只有评议办公室或主任会议成员可以登记主任会议通过评议意见。")
    opinion = (
        ReviewOpinion.objects.select_for_update()
        .select_related("subject__campaign")
        .get(pk=opinion.pk)
    )
    if opinion.status != OpinionStatus.DRAFT:
        raise ApplicationError("评议意见已通过。")
    if not opinion.problems.exists():
        raise ApplicationError("评议意见还没有列出问题。")
    if approved_on > timezone.localdate():
        raise ApplicationError("通过日期不能晚于今天。")
    return _move(
        opinion,
        to=OpinionStatus.APPROVED,
        workflow=OPINION_WORKFLOW,
        actor=actor,
        summary=f"主任会议于 {approved_on:%Y-%m-%d} 通过对{opinion.subject.person_name}的评议意见",
        subject=opinion.subject,
        stamp={"approved_on": approved_on, "updated_at": timezone.now()},
    )


@transaction.atomic
def opinion_deliver(*, actor, opinion: ReviewOpinion, delivered_on: datetime.date) -> ReviewOpinion:
    """Record delivery; the plan and the first report are due from this day."""
    require_office(actor)
    opinion = (
        ReviewOpinion.objects.select_for_update()
        .select_related("subject__campaign")
        .get(pk=opinion.pk)
    )
    if opinion.status != OpinionStatus.APPROVED:
        raise ApplicationError("评议意见须经主任会议通过后才能送达。")
    if delivered_on > timezone.localdate() or delivered_on < opinion.approved_on:
        raise ApplicationError("送达日期应在通过日期之后、今天之前。")
    subject = opinion.subject
    opinion = _move(
        opinion,
        to=OpinionStatus.DELIVERED,
        workflow=OPINION_WORKFLOW,
        actor=actor,
        summary=f"评议意见于 {delivered_on:%Y-%m-%d} 送达{subject.person_name}",
        subject=subject,
        stamp={"delivered_on": delivered_on, "updated_at": timezone.now()},
    )
    RectificationPlan.objects.get_or_create(subject=subject)
    RectificationReport.objects.get_or_create(
        subject=subject, round=1, defaults={"due_on": report_due(subject)}
    )
    _log(
        actor,
        "rectification.deadlines",
        f"{subject.person_name}：整改方案 {plan_due(subject):%Y-%m-%d} 前、整改情况报告 {report_due(subject):%Y-%m-%d} 前报送",
        subject,
        opinion,
    )
    return opinion


# --- Plans ---------------------------------------------------------------------------------
def _own_plan(actor, subject) -> RectificationPlan:
    if subject.user_id != actor.pk:
        raise ApplicationError("只有评议对象本人可以填写和报送整改方案。")
    plan = RectificationPlan.objects.select_for_update().filter(subject=subject).first()
    if plan is None:
        raise ApplicationError("评议意见尚未送达，还不能填写整改方案。")
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ApplicationError(f"整改方案{plan.get_status_display()}，不能修改。")
    return plan


@transaction.atomic
def plan_save(
    *, actor, subject, rows: dict[int, dict], document: UploadedFile | None = None
) -> RectificationPlan:
    """Save the ledger rows the subject has filled in so far (a row needs all four fields)."""
    plan = _own_plan(actor, subject)
    problems = {p.pk: p for p in subject.opinion.problems.all()}
    problems_text = []
    for problem_id, values in rows.items():
        if problem_id not in problems:
            raise ApplicationError("问题不属于本评议意见。")
        filled = {k: (values.get(k) or "") for k in ("measures", "responsible", "target")}
        limit = values.get("time_limit")
        if not any(filled.values()) and not limit:
            PlanRow.objects.filter(plan=plan, problem_id=problem_id).delete()
            continue
        if not all(v.strip() for v in filled.values()) or not isinstance(limit, datetime.date):
            problems_text.append(f"问题 {problems[problem_id].position}")
            continue
        PlanRow.objects.update_or_create(
            plan=plan,
            problem_id=problem_id,
            defaults={
                "measures": filled["measures"].strip(),
                "responsible": filled["responsible"].strip()[:80],
                "target": filled["target"].strip()[:300],
                "time_limit": limit,
            },
        )
    if problems_text:
        raise ApplicationError(
            f"{'、'.join(problems_text)}的整改措施、责任人、完成时限、整改目标须填写完整。"
        )
    if document is not None:
        checked = check_upload(document, allowed=DOCUMENT_KINDS)
        replace_file(plan.document, checked.original_name, document)
        plan.document_name = checked.original_name
        plan.save(update_fields=["document", "document_name"])
    _log(actor, "rectification_plan.save", f"{subject.person_name}保存整改方案", subject, plan)
    return plan


@transaction.atomic
def plan_submit(*, actor, subject) -> RectificationPlan:
    plan = _own_plan(actor, subject)
    covered = set(plan.rows.values_list("problem_id", flat=True))
    missing = [p for p in subject.opinion.problems.all() if p.pk not in covered]
    if missing:
        named = "；".join(f"问题 {p.position}：{p.text[:30]}" for p in missing)
        raise ApplicationError(f"以下问题还没有整改措施，每个问题都要有一行：{named}。")
    today = timezone.localdate()
    due = plan_due(subject)
    late = "（逾期）" if due and today > due else ""
    return _move(
        plan,
        to=PlanStatus.SUBMITTED,
        workflow=PLAN_WORKFLOW,
        actor=actor,
        summary=f"{subject.person_name}向{subject.liaison_committee.name}报送整改方案{late}",
        subject=subject,
        stamp={"submitted_on": today, "return_reason": ""},
    )


def _decide_plan(actor, subject) -> RectificationPlan:
    if not (user_has_role(actor, Role.OFFICE) or _is_liaison_for(actor, subject)):
        raise ApplicationError(f"整改方案由{subject.liaison_committee.name}审核。")
    plan = RectificationPlan.objects.select_for_update().get(subject=subject)
    if plan.status != PlanStatus.SUBMITTED:
        raise ApplicationError(f"整改方案{plan.get_status_display()}，不能审核。")
    return plan


@transaction.atomic
def plan_approve(*, actor, subject) -> RectificationPlan:
    plan = _decide_plan(actor, subject)
    return _move(
        plan,
        to=PlanStatus.APPROVED,
        workflow=PLAN_WORKFLOW,
        actor=actor,
        summary=f"{subject.liaison_committee.name}通过{subject.person_name}的整改方案",
        subject=subject,
        stamp={"decided_on": timezone.localdate()},
    )


@transaction.atomic
def plan_return(*, actor, subject, reason: str) -> RectificationPlan:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("退回整改方案必须写明理由。")
    plan = _decide_plan(actor, subject)
    return _move(
        plan,
        to=PlanStatus.RETURNED,
        workflow=PLAN_WORKFLOW,
        actor=actor,
        summary=f"{subject.liaison_committee.name}退回{subject.person_name}的整改方案，理由：{reason}",
        subject=subject,
        stamp={"decided_on": timezone.localdate(), "return_reason": reason},
    )


# --- Reports -------------------------------------------------------------------------------
def _current_report(subject) -> RectificationReport:
    report = (
        RectificationReport.objects.select_for_update()
        .filter(subject=subject)
        .order_by("-round")
        .first()
    )
    if report is None:
        raise ApplicationError("评议意见尚未送达。")
    return report


@transaction.atomic
def report_save(
    *,
    actor,
    subject,
    text: str,
    rows: dict[int, dict],
    evidence: dict[int, UploadedFile] | None = None,
) -> RectificationReport:
    if subject.user_id != actor.pk:
        raise ApplicationError("只有评议对象本人可以填写整改情况报告。")
    plan = RectificationPlan.objects.filter(subject=subject).first()
    if plan is None or plan.status != PlanStatus.APPROVED:
        raise ApplicationError("整改方案通过后才能填报整改情况。")
    report = _current_report(subject)
    if report.status != ReportStatus.DRAFT:
        raise ApplicationError(f"整改情况报告{report.get_status_display()}，不能修改。")
    problems = {p.pk: p for p in subject.opinion.problems.all()}
    # Every file is checked before anything is written; the checked name is what is shown.
    checked = {
        pid: check_upload(upload, allowed=DOCUMENT_KINDS)
        for pid, upload in (evidence or {}).items()
    }
    for problem_id, values in rows.items():
        if problem_id not in problems:
            raise ApplicationError("问题不属于本评议意见。")
        status, done = values.get("status") or "", (values.get("done") or "").strip()
        if not status and not done:
            continue
        if status not in RowStatus.values or not done:
            raise ApplicationError(
                f"问题 {problems[problem_id].position} 须选择完成情况并写明整改情况。"
            )
        row, _ = ReportRow.objects.update_or_create(
            report=report, problem_id=problem_id, defaults={"status": status, "done": done}
        )
        if problem_id in checked:
            name = checked[problem_id].original_name
            replace_file(row.evidence, name, evidence[problem_id])
            row.evidence_name = name
            row.save(update_fields=["evidence", "evidence_name"])
    report.text = (text or "").strip()
    report.save(update_fields=["text"])
    _log(
        actor,
        "rectification_report.save",
        f"{subject.person_name}保存第 {report.round} 轮整改情况报告",
        subject,
        report,
    )
    return report


@transaction.atomic
def report_submit(*, actor, subject) -> RectificationReport:
    if subject.user_id != actor.pk:
        raise ApplicationError("只有评议对象本人可以报送整改情况报告。")
    report = _current_report(subject)
    if report.status != ReportStatus.DRAFT:
        raise ApplicationError(f"整改情况报告{report.get_status_display()}。")
    covered = set(report.rows.values_list("problem_id", flat=True))
    missing = [p for p in subject.opinion.problems.all() if p.pk not in covered]
    if missing or not report.text:
        named = "、".join(f"问题 {p.position}" for p in missing)
        raise ApplicationError(
            "请写明书面报告，并逐条填报整改情况" + (f"（尚缺：{named}）" if named else "") + "。"
        )
    today = timezone.localdate()
    late = "（逾期）" if today > report.due_on else ""
    return _move(
        report,
        to=ReportStatus.SUBMITTED,
        workflow=REPORT_WORKFLOW,
        actor=actor,
        summary=f"{subject.person_name}报送第 {report.round} 轮整改情况报告{late}",
        subject=subject,
        stamp={"submitted_on": today},
    )


@transaction.atomic
def assessment_open(*, actor, subject):
    """Members assess the submitted report by a secret satisfaction ballot."""
    require_office(actor)
    report = _current_report(subject)
    if report.status != ReportStatus.SUBMITTED or report.ballot_id:
        raise ApplicationError("只有已报送、尚未测评的整改情况报告可以组织测评。")
    ballot = ballot_create(
        actor=actor,
        campaign=subject.campaign,
        name=f"{subject.person_name}第 {report.round} 轮整改情况满意度测评",
        subjects=[subject],
        purpose=BallotPurpose.RECTIFICATION,
        rule_preset="majority_unsatisfied",
    )
    ballot_open(actor=actor, ballot=ballot)
    report.ballot = ballot
    report.save(update_fields=["ballot"])
    _log(
        actor,
        "rectification.assess",
        f"组织对{subject.person_name}第 {report.round} 轮整改情况的满意度测评",
        subject,
        report,
    )
    return ballot


@transaction.atomic
def assessment_conclude(
    *, actor, subject, new_due_on: datetime.date | None = None
) -> RectificationReport:
    """After the assessment ballot is published: satisfied ends rectification; more than half
    of the composition unsatisfied (the ballot's rule a) means the director's meeting
    orders continued rectification with a new due date."""
    if not user_has_role(actor, Role.OFFICE, Role.DIRECTORS_MEETING):
        raise ApplicationError("只有评议办公室或主任会议成员可以登记测评结论。")
    report = _current_report(subject)
    ballot = report.ballot
    if ballot is None or ballot.status not in (BallotStatus.CLOSED, BallotStatus.PUBLISHED):
        raise ApplicationError("整改情况满意度测评尚未结束。")
    # A conclusion is itself a verdict: recording it before publication would show the
    # result on the subject's pages and the public page while the ballot is still sealed.
    if not ballot_results_visible(ballot):
        raise ApplicationError("整改情况满意度测评结果尚未公布，公布后才能登记测评结论。")
    if not ballot.is_valid:
        raise ApplicationError(f"测评无效：{ballot.invalid_reason} 请重新组织测评。")
    result = next(r for r in ballot_results(ballot) if r.subject_id == subject.pk)
    if result.outcome != ballot.lowest_outcome:
        return _move(
            report,
            to=ReportStatus.SATISFIED,
            workflow=REPORT_WORKFLOW,
            actor=actor,
            summary=f"{subject.person_name}第 {report.round} 轮整改情况测评满意，整改完成",
            subject=subject,
        )
    today = timezone.localdate()
    if new_due_on is None or new_due_on <= today:
        raise ApplicationError(
            "组成人员过半数不满意：请填写主任会议责成继续整改的报告期限（晚于今天）。"
        )
    _move(
        report,
        to=ReportStatus.CONTINUED,
        workflow=REPORT_WORKFLOW,
        actor=actor,
        summary=f"第 {report.round} 轮整改情况测评：组成人员过半数不满意",
        subject=subject,
        stamp={"ordered_on": today},
    )
    new = RectificationReport.objects.create(
        subject=subject, round=report.round + 1, due_on=new_due_on
    )
    _log(
        actor,
        "rectification.continued",
        f"主任会议责成{subject.person_name}继续整改，第 {new.round} 轮整改情况报告 {new_due_on:%Y-%m-%d} 前报送",
        subject,
        new,
    )
    return new


# --- Reporting the results, escalation ------------------------------------------------------
@transaction.atomic
def reporting_steps_create(*, actor, campaign, meeting_on: datetime.date) -> list[ReportingStep]:
    require_office(actor)
    due = meeting_on + datetime.timedelta(days=7)
    steps = [
        ReportingStep.objects.get_or_create(campaign=campaign, kind=kind, defaults={"due_on": due})[
            0
        ]
        for kind in StepKind
    ]
    audit_log(
        actor=actor,
        action="reporting.steps",
        summary=f"“{campaign.name}”评议结果须于 {due:%Y-%m-%d} 前报送、抄送和公开",
        campaign=campaign,
    )
    return steps


@transaction.atomic
def reporting_step_done(
    *, actor, step: ReportingStep, done_on: datetime.date, note: str = ""
) -> ReportingStep:
    require_office(actor)
    if done_on > timezone.localdate():
        raise ApplicationError("完成日期不能晚于今天。")
    step.done_on, step.note = done_on, note.strip()[:300]
    step.save(update_fields=["done_on", "note"])
    audit_log(
        actor=actor,
        action="reporting.done",
        summary=f"{step.get_kind_display()}：{done_on:%Y-%m-%d} 完成",
        campaign=step.campaign,
    )
    return step


@transaction.atomic
def escalation_record(
    *, actor, subject, kind: str, text: str, due_on: datetime.date | None = None
) -> Escalation:
    if not user_has_role(actor, Role.OFFICE, Role.DIRECTORS_MEETING):
        raise ApplicationError("只有评议办公室或主任会议成员可以登记。")
    if kind not in EscalationKind.values or not (text or "").strip():
        raise ApplicationError("请选择事项并写明内容。")
    if kind == EscalationKind.EXPLANATION_DUE and not due_on:
        raise ApplicationError("责成说明情况须写明期限。")
    record = Escalation.objects.create(
        subject=subject,
        kind=kind,
        text=text.strip(),
        due_on=due_on,
        recorded_on=timezone.localdate(),
        recorded_by=actor,
    )
    _log(
        actor,
        f"escalation.{kind}",
        f"{record.get_kind_display()}：{text.strip()[:80]}",
        subject,
        record,
    )
    return record
