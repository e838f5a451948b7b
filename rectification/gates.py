"""The gate out of rectification: every subject's rectification concluded (the assessment
was satisfied) or continued with a due date ordered by the director's meeting."""

from django.urls import reverse

from reviews.gates import GateProblem
from subjects.models import Subject

from .models import RectificationReport, ReportStatus


def rectification_concluded(campaigns) -> dict[int, list[GateProblem]]:
    """Each check reads what it needs for all the campaigns it is given (reviews.gates)."""
    latest: dict[int, RectificationReport] = {}
    continued: set[int] = set()
    reports = RectificationReport.objects.filter(subject__campaign__in=campaigns)
    for report in reports.order_by("round"):
        latest[report.subject_id] = report
        if report.status == ReportStatus.CONTINUED:
            continued.add(report.subject_id)
    found: dict[int, list[GateProblem]] = {c.pk: [] for c in campaigns}
    subjects = Subject.objects.filter(campaign__in=campaigns).select_related("opinion")
    for subject in subjects.order_by("position", "pk"):
        problems = found[subject.campaign_id]
        url = reverse("subject_rectification", args=[subject.pk])
        report = latest.get(subject.pk)
        if report is None:
            problems.append(GateProblem(f"{subject.person_name}的评议意见尚未送达", url))
        elif report.status != ReportStatus.SATISFIED and subject.pk not in continued:
            problems.append(
                GateProblem(
                    f"{subject.person_name}的整改尚未完成（第 {report.round} 轮整改情况报告"
                    f"{report.get_status_display()}）",
                    url,
                )
            )
    return found
