"""The gate out of the preliminary assessment: every subject's investigation report heard
by the director's meeting."""

from django.urls import reverse

from reviews.gates import GateProblem

from .models import InvestigationReport, InvestigationReportStatus


def investigation_reports_heard(campaign) -> list[GateProblem]:
    reports = {
        r.subject_id: r for r in InvestigationReport.objects.filter(subject__campaign=campaign)
    }
    problems = []
    for subject in campaign.subjects.order_by("position", "pk"):
        report = reports.get(subject.pk)
        if report is None and subject.assessment_group_id is None:
            problems.append(
                GateProblem(
                    f"{subject.person_name}尚未分配履职初评小组",
                    reverse("group_assign", args=[campaign.pk]),
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
    return problems
