"""The gate out of rectification: every subject's rectification concluded (the assessment
was satisfied) or continued with a due date ordered by the director's meeting."""

from django.urls import reverse

from reviews.gates import GateProblem, GateProblems
from subjects.models import Subject

from .models import RectificationReport, RectificationReportStatus


def rectification_concluded(campaigns, *, limit=None) -> dict[int, list[GateProblem]]:
    """Each check reads what it needs for all the campaigns it is given (reviews.gates)."""
    latest: dict[int, RectificationReport] = {}
    continued: set[int] = set()
    reports = RectificationReport.objects.filter(subject__campaign__in=campaigns).only(
        "subject_id", "round", "status"
    )
    for report in reports.order_by("round"):
        latest[report.subject_id] = report
        if report.status == RectificationReportStatus.CONTINUED:
            continued.add(report.subject_id)
    found = GateProblems(campaigns, limit)
    subjects = Subject.objects.filter(campaign__in=campaigns).order_by("position", "pk")
    for pk, campaign_id, name in subjects.values_list("pk", "campaign_id", "person_name"):
        url = lambda s=pk: reverse("subject_rectification", args=[s])  # noqa: E731
        report = latest.get(pk)
        if report is None:
            found.add(campaign_id, f"{name}的评议意见尚未送达", url)
        elif report.status != RectificationReportStatus.SATISFIED and pk not in continued:
            found.add(
                campaign_id,
                lambda name=name, report=report: (
                    f"{name}的整改尚未完成（第 {report.round} 轮整改情况报告"
                    f"{report.get_status_display()}）"
                ),
                url,
            )
    return found.result()
