"""Versions of plans and reports: each submission is kept as it was (text, rows, copies of
its files), and each decision on it (approved, returned with the reason, the assessment's
conclusion) is written onto that version, so the history stays readable."""

import os

from django.core.files.base import ContentFile
from django.utils import timezone

from core.actors import Actor
from core.files import file_store
from core.workflow import transition

from ..models import (
    RectificationKind,
    RectificationPlan,
    RectificationReport,
    RectificationVersion,
    RectificationVersionFile,
    VersionStatus,
)
from ..workflows import VERSION_WORKFLOW


def _copy_file(version: RectificationVersion, label: str, field_file, original_name: str) -> None:
    with field_file.open("rb") as handle:
        content = ContentFile(handle.read())
    copy = RectificationVersionFile(version=version, label=label, original_name=original_name)
    # Kept only if the submission commits.
    file_store(copy.file, f"copy{os.path.splitext(field_file.name)[1]}", content)
    copy.save()


def _open(*, subject, kind: str, round_: int, actor: Actor, is_late: bool, text: str, rows: list):
    number = (
        RectificationVersion.objects.filter(subject=subject, kind=kind, round=round_).count() + 1
    )
    return RectificationVersion.objects.create(
        subject=subject,
        kind=kind,
        round=round_,
        number=number,
        submitted_on=timezone.localdate(),
        submitted_by=actor,
        is_late=is_late,
        text=text,
        rows=rows,
    )


def plan_version_record(
    *, plan: RectificationPlan, actor: Actor, is_late: bool
) -> RectificationVersion:
    rows = {r.problem_id: r for r in plan.rows.all()}
    problems = plan.subject.opinion.problems.order_by("position")
    version = _open(
        subject=plan.subject,
        kind=RectificationKind.PLAN,
        round_=1,
        actor=actor,
        is_late=is_late,
        text="",
        rows=[
            {
                "position": p.position,
                "problem": p.text,
                "measures": rows[p.pk].measures,
                "responsible": rows[p.pk].responsible,
                "time_limit": rows[p.pk].time_limit.isoformat(),
                "target": rows[p.pk].target,
            }
            for p in problems
            if p.pk in rows
        ],
    )
    if plan.document:
        _copy_file(version, "方案文件", plan.document, plan.document_name)
    return version


def report_version_record(
    *, report: RectificationReport, actor: Actor, is_late: bool
) -> RectificationVersion:
    rows = list(report.rows.select_related("problem").order_by("problem__position"))
    version = _open(
        subject=report.subject,
        kind=RectificationKind.REPORT,
        round_=report.round,
        actor=actor,
        is_late=is_late,
        text=report.text,
        rows=[
            {
                "position": r.problem.position,
                "problem": r.problem.text,
                "status": r.get_status_display(),
                "done": r.done,
                "evidence": r.evidence_name,
            }
            for r in rows
        ],
    )
    for r in rows:
        if r.evidence:
            _copy_file(version, f"问题 {r.problem.position} 佐证材料", r.evidence, r.evidence_name)
    return version


def version_decide(
    *, actor: Actor, subject, kind: str, round_: int = 1, status: str, reason: str = ""
) -> None:
    """Write a decision onto the latest submitted version of this plan or report, as part of
    the plan's or report's own move (which is the one checked and recorded)."""
    version = (
        RectificationVersion.objects.select_for_update()
        .filter(subject=subject, kind=kind, round=round_)
        .order_by("-number")
        .first()
    )
    if version is None:  # submitted before versions were kept
        return
    transition(
        obj=version,
        to=status,
        workflow=VERSION_WORKFLOW,
        actor=actor,
        stamp={"return_reason": reason, "decided_on": timezone.localdate()},
        check_roles=False,
        audit=False,
    )


__all__ = ["VersionStatus", "plan_version_record", "report_version_record", "version_decide"]
