"""The gate out of the preliminary assessment: every subject's investigation report heard
by the director's meeting."""

from django.urls import reverse

from reviews.gates import GateProblem, GateProblems
from subjects.models import Subject

from .models import InvestigationReport, InvestigationReportStatus


def investigation_reports_heard(campaigns, *, limit=None) -> dict[int, list[GateProblem]]:
    """Each check reads what it needs for all the campaigns it is given (reviews.gates)."""
    reports = dict(
        InvestigationReport.objects.filter(subject__campaign__in=campaigns).values_list(
            "subject_id", "status"
        )
    )
    report_ids = dict(
        InvestigationReport.objects.filter(subject__campaign__in=campaigns)
        .exclude(status=InvestigationReportStatus.HEARD)
        .values_list("subject_id", "pk")
    )
    found = GateProblems(campaigns, limit)
    subjects = Subject.objects.filter(campaign__in=campaigns).order_by("position", "pk")
    for pk, campaign_id, name, group_id in subjects.values_list(
        "pk", "campaign_id", "person_name", "group_assignment__group_id"
    ):
        status = reports.get(pk)
        if status is None and group_id is None:
            found.add(
                campaign_id,
                f"{name}尚未分配履职初评小组",
                lambda c=campaign_id: reverse("group_assign", args=[c]),
            )
        elif status is None:
            found.add(
                campaign_id,
                f"{name}的调查报告尚未起草",
                lambda g=group_id, s=pk: reverse("group_subject", args=[g, s]),
            )
        elif status != InvestigationReportStatus.HEARD:
            state = (
                "尚未提交" if status == InvestigationReportStatus.DRAFT else "尚未经主任会议听取"
            )
            found.add(
                campaign_id,
                f"{name}的调查报告{state}",
                lambda r=report_ids[pk]: reverse("investigation_report_detail", args=[r]),
            )
    return found.result()
