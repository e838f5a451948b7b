"""Rectification reports (整改情况报告) and the rectification assessment: the subject
reports on every problem; members assess the report by a secret satisfaction ballot; the
conclusion ends rectification or orders it continued (a new round)."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ballots.models import BallotPurpose
from ballots.selectors import ballot_results
from ballots.services import ballot_create
from ballots.services.tellers import tellers_like_last
from core.actors import Actor
from core.errors import ApplicationError
from core.files import DOCUMENT_KINDS, check_upload, file_store
from core.formats import cn_date

from ..audit import AuditAction
from ..models import (
    RectificationKind,
    RectificationReport,
    RectificationReportStatus,
    ReportRow,
    RowStatus,
    VersionStatus,
)
from ..workflows import REPORT_WORKFLOW
from .common import _log, _move
from .versions import report_version_record, version_decide


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
def rectification_report_save(
    *,
    actor: Actor,
    subject,
    text: str,
    rows: dict[int, dict],
    evidence: dict[int, UploadedFile] | None = None,
) -> RectificationReport:
    report = _current_report(subject)
    REPORT_WORKFLOW.edit_check(report, actor)
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
            file_store(row.evidence, name, evidence[problem_id])
            row.evidence_name = name
            row.save(update_fields=["evidence", "evidence_name"])
    report.text = (text or "").strip()
    report.save(update_fields=["text"])
    _log(
        actor,
        AuditAction.RECTIFICATION_REPORT_SAVE,
        f"{subject.person_name}保存第 {report.round} 轮整改情况报告",
        subject,
        report,
    )
    return report


@transaction.atomic
def rectification_report_submit(
    *,
    actor: Actor,
    subject,
    text: str | None = None,
    rows: dict[int, dict] | None = None,
    evidence: dict[int, UploadedFile] | None = None,
) -> RectificationReport:
    """Submit the current report, saving `text`, `rows` and `evidence` first when given:
    all or nothing."""
    if rows is not None:
        rectification_report_save(
            actor=actor, subject=subject, text=text or "", rows=rows, evidence=evidence
        )
    report = _current_report(subject)
    REPORT_WORKFLOW.check_move(report, actor, RectificationReportStatus.SUBMITTED)
    covered = set(report.rows.values_list("problem_id", flat=True))
    missing = [p for p in subject.opinion.problems.all() if p.pk not in covered]
    if missing or not report.text:
        named = "、".join(f"问题 {p.position}" for p in missing)
        raise ApplicationError(
            "请写明书面报告，并逐条填报整改情况" + (f"（尚缺：{named}）" if named else "") + "。"
        )
    today = timezone.localdate()
    late = "（逾期）" if today > report.due_on else ""
    report = _move(
        report,
        to=RectificationReportStatus.SUBMITTED,
        workflow=REPORT_WORKFLOW,
        actor=actor,
        summary=f"{subject.person_name}报送第 {report.round} 轮整改情况报告{late}",
        subject=subject,
        stamp={"submitted_on": today, "return_reason": ""},
    )
    report_version_record(report=report, actor=actor, is_late=bool(late))
    return report


@transaction.atomic
def rectification_report_return(*, actor: Actor, subject, reason: str) -> RectificationReport:
    """The liaison committee (or the office) sends a submitted report back for rework
    before it is put to members; the returned version stays readable with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("退回整改情况报告必须写明理由。")
    report = _current_report(subject)
    REPORT_WORKFLOW.check_move(report, actor, RectificationReportStatus.DRAFT)
    version_decide(
        actor=actor,
        subject=subject,
        kind=RectificationKind.REPORT,
        round_=report.round,
        status=VersionStatus.RETURNED,
        reason=reason,
    )
    return _move(
        report,
        to=RectificationReportStatus.DRAFT,
        workflow=REPORT_WORKFLOW,
        actor=actor,
        summary=f"退回{subject.person_name}第 {report.round} 轮整改情况报告，理由：{reason}",
        subject=subject,
        stamp={"submitted_on": None, "return_reason": reason},
    )


@transaction.atomic
def rectification_assessment_open(*, actor: Actor, subject):
    """Members assess the submitted report by a secret satisfaction ballot (where the
    campaign concludes rectification by ballot). The ballot is set up here with the tellers
    (监票人) of the campaign's latest ballot, if any; the office opens it once every teller
    has made a key (ballots.services.ballot_open)."""
    report = _current_report(subject)
    REPORT_WORKFLOW.action_check(report, actor, "assess")
    ballot = ballot_create(
        actor=actor,
        campaign=subject.campaign,
        name=f"{subject.person_name}第 {report.round} 轮整改情况满意度测评",
        subjects=[subject],
        purpose=BallotPurpose.RECTIFICATION,
        rule_preset="majority_unsatisfied",
        **tellers_like_last(campaign=subject.campaign),
    )
    report.ballot = ballot
    report.save(update_fields=["ballot"])
    _log(
        actor,
        AuditAction.RECTIFICATION_ASSESS,
        f"组织对{subject.person_name}第 {report.round} 轮整改情况的满意度测评",
        subject,
        report,
    )
    return ballot


@transaction.atomic
def rectification_assessment_conclude(
    *, actor: Actor, subject, new_due_on: datetime.date | None = None
) -> RectificationReport:
    """After the assessment ballot is published: satisfied ends rectification; more than half
    of the composition unsatisfied (the ballot's rule a) means the director's meeting
    orders continued rectification with a new due date."""
    report = _current_report(subject)
    REPORT_WORKFLOW.action_check(report, actor, "conclude")
    ballot = report.ballot
    result = next(r for r in ballot_results(ballot) if r.subject_id == subject.pk)
    satisfied = result.outcome != ballot.lowest_outcome
    version_decide(
        actor=actor,
        subject=subject,
        kind=RectificationKind.REPORT,
        round_=report.round,
        status=VersionStatus.SATISFIED if satisfied else VersionStatus.CONTINUED,
    )
    if satisfied:
        return _move(
            report,
            to=RectificationReportStatus.SATISFIED,
            workflow=REPORT_WORKFLOW,
            actor=actor,
            summary=f"{subject.person_name}第 {report.round} 轮整改情况测评满意，整改完成",
            subject=subject,
        )
    return report_continue(
        actor=actor,
        subject=subject,
        report=report,
        new_due_on=new_due_on,
        why="组成人员过半数不满意",
    )


def report_continue(
    *, actor: Actor, subject, report, new_due_on, why: str, stamp=None
) -> RectificationReport:
    """Continued rectification (继续整改) ordered by the director's meeting: the report
    moves to continued and a new round is due on `new_due_on`."""
    today = timezone.localdate()
    if new_due_on is None or new_due_on <= today:
        raise ApplicationError(f"{why}：请填写主任会议责成继续整改的报告期限（晚于今天）。")
    _move(
        report,
        to=RectificationReportStatus.CONTINUED,
        workflow=REPORT_WORKFLOW,
        actor=actor,
        summary=f"第 {report.round} 轮整改情况：{why}，责成继续整改",
        subject=subject,
        stamp={"ordered_on": today, **(stamp or {})},
    )
    new = RectificationReport.objects.create(
        subject=subject, round=report.round + 1, due_on=new_due_on
    )
    _log(
        actor,
        AuditAction.RECTIFICATION_CONTINUED,
        f"主任会议责成{subject.person_name}继续整改，第 {new.round} 轮整改情况报告 {cn_date(new_due_on)} 前报送",
        subject,
        new,
    )
    return new
