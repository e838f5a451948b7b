"""The demo's attachments: real, readable PDFs (minutes, implementation plans, duty
reports), rendered by core's one WeasyPrint path (core.documents.pdf_render) with the
CJK fonts the app installs."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.documents import pdf_render
from subjects.models import ReportKind, Subject


def demo_pdf(filename: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    """A one-page document: its title and a paragraph per line (escaped by the template)."""
    pdf = pdf_render("workbench/demo_document_pdf.html", {"title": title, "lines": lines})
    return SimpleUploadedFile(filename, pdf, "application/pdf")


def duty_report_pdf(subject: Subject, kind: str) -> SimpleUploadedFile:
    label = "初稿" if kind == ReportKind.DRAFT else "定稿"
    return demo_pdf(
        f"{subject.person_name}述职报告（{label}）.pdf",
        "述职报告",
        [
            f"{subject.unit.name}{subject.post}　{subject.person_name}",
            f"（{subject.campaign.name}，{label}）",
            "一、贯彻执行宪法和法律法规情况……",
            "二、履行职责、完成工作任务情况……",
            "三、接受人大监督情况……",
            "四、勤政廉政情况……",
            "五、存在的不足和今后打算……",
            "（本文件为演示数据，由系统生成。）",
        ],
    )
