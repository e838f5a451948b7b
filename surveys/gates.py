"""The gate out of the preliminary assessment: every subject's investigation report heard
by the director's meeting."""

from django.urls import reverse

from reviews.gates import GateProblem
from subjects.models import Subject

from .models import InvestigationReport, InvestigationReportStatus


def investigation_reports_heard(campaigns) -> dict[int, list[GateProblem]]:
    """Each check reads what it needs for all the campaigns it is given (reviews.gates)."""
    reports = {
        r.subject_id: r for r in InvestigationReport.objects.filter(subject__campaign__in=campaigns)
    }
    found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
    for subject in Subject.objects.filter(campaign__in=campaigns).order_by("position", "pk"):
        problems = found[subject.campaign_id]
        report = reports.get(subject.pk)
        if report is None and subject.assessment_group_id is None:
            problems.append(
                GateProblem(
                    f"{subject.person_name}尚未分配履职初评小组",
                    reverse("group_assign", args=[subject.campaign_id]),
                )
            )
        elif report is None:
            problems.append(
                GateProblem(
                    f"{subject.person_name}的调查报告尚未起草",
                    reverse("group_subject", args=[subject.assessment_group_id, subject.pk]),
                )
            )
        elif report.status != InvestigationReportStatus.HEARD:
            state = (
                "尚未提交"
                if report.status == InvestigationReportStatus.DRAFT
                else "尚未经主任会议听取"
            )
            problems.append(
                GateProblem(
                    f"{subject.person_name}的调查报告{state}",
                    reverse("investigation_report_detail", args=[report.pk]),
                )
            )
    return found
