"""Investigation reports as rendered documents (registered with core.documents in apps.py)."""

from .models import InvestigationReport
from .selectors import investigation_report_for_user


def investigation_render(object_id: int) -> tuple[str, dict, str]:
    report = InvestigationReport.objects.select_related(
        "subject__unit", "subject__campaign", "group"
    ).get(pk=object_id)
    return (
        "surveys/investigation_report_pdf.html",
        {"report": report},
        f"{report.subject.person_name}调查报告.pdf",
    )


def investigation_campaign(object_id: int):
    return (
        InvestigationReport.objects.select_related("subject__campaign")
        .get(pk=object_id)
        .subject.campaign
    )


def investigation_title_for(user, object_id: int) -> str:
    return str(investigation_report_for_user(user=user, pk=object_id))
