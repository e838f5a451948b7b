import shutil
import subprocess

import pytest

from core.models import RenderedDocument
from rectification.models import OpinionStatus
from tests.factories import (
    CampaignFactory,
    FindingFactory,
    InvestigationReportFactory,
    ReviewOpinionFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    other = SubjectFactory(campaign=campaign, person_name="唐晓云")
    FindingFactory(subject=subject, text="审批时限长")  # in a new group's care
    report = InvestigationReportFactory(subject=subject, body="关于金立新的调查报告正文")
    ReviewOpinionFactory(subject=subject, actor=office, status=OpinionStatus.APPROVED)
    return subject, other, report, report.group


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by make setup"
)
def test_opinion_letter_and_investigation_report_render_to_pdf(
    client, office, world, django_capture_on_commit_callbacks
):
    subject, other, report, group = world
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/opinion/{subject.pk}/")
    doc = RenderedDocument.objects.get(kind="opinion")
    assert doc.status == "done", doc.error
    response = client.get(f"/documents/opinion/{subject.pk}/pdf/")
    pdf = b"".join(response.streaming_content)
    text = "".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "评议意见书" in text and "审批时限长" in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/investigation/{report.pk}/")
    assert RenderedDocument.objects.get(kind="investigation").status == "done"


def test_documents_checked_like_their_pages(client, world):
    subject, other, report, group = world
    client.force_login(other.user)
    assert client.post(f"/documents/opinion/{subject.pk}/").status_code == 404
    assert client.get(f"/documents/opinion/{subject.pk}/pdf/").status_code == 404
    assert client.post(f"/documents/investigation/{report.pk}/").status_code == 404
    assert client.get("/documents/unknown/1/").status_code == 404
    assert not RenderedDocument.objects.exists()
    client.force_login(group.leader)
    assert client.get(f"/documents/investigation/{report.pk}/").status_code == 200
