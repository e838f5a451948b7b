"""届内履职评议档案: access for the leadership roles only, published results only, practice
campaigns never, and the Excel export through the one writer."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from ballots.models import BallotStatus
from ballots.services import ballot_publish
from core.documents import document_render
from core.models import DocumentStatus, RenderedDocument
from core.roles import Role
from tests.factories import BallotFactory, CampaignFactory, SubjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(office):
    unit = UnitFactory(name="县统计局")
    first = CampaignFactory(
        actor=office, name="2023年度述职评议", year=2023, term="第十七届", term_start_year=2022
    )
    second = CampaignFactory(
        actor=office,
        name="2025年度述职评议",
        year=2025,
        term="第十七届",
        term_start_year=2022,
        composition_size=2,
    )
    practice = CampaignFactory(
        actor=office,
        name="演练活动",
        year=2025,
        term="第十七届",
        term_start_year=2022,
        is_practice=True,
    )
    SubjectFactory(campaign=first, person_name="胡培林", unit=unit, post="局长")
    SubjectFactory(campaign=second, person_name="胡培林", unit=unit, post="局长")
    SubjectFactory(campaign=practice, person_name="胡培林", unit=unit, post="局长")
    published = BallotFactory(
        campaign=second, actor=office, status=BallotStatus.CLOSED, votes=["满意"] * 2
    )
    ballot_publish(actor=office, ballot=published)
    closed = BallotFactory(
        campaign=first, actor=office, status=BallotStatus.CLOSED, votes=["不满意"] * 2
    )
    return {"unit": unit, "first": first, "second": second, "practice": practice, "closed": closed}


def test_leadership_reads_the_term_record(client, term, make_user):
    for role in (Role.OFFICE, Role.LEADING_GROUP, Role.DIRECTORS_MEETING):
        client.force_login(make_user(role))
        index = client.get("/term/", follow=True)
        assert index.status_code == 200 and "第十七届（2022—2026年）" in index.content.decode()
        detail = client.get("/term/2022/").content.decode()
        assert "2023年度述职评议" in detail and "2025年度述职评议" in detail
        assert "演练活动" not in detail  # practice campaigns are not part of the record
        assert "胡培林" in detail and "县统计局" in detail


def test_others_are_refused(client, term, make_user):
    for role in (Role.MEMBER, Role.SUBJECT, Role.LIAISON):
        client.force_login(make_user(role))
        for url in ("/term/", "/term/2022/", "/term/2022/person/胡培林/"):
            assert client.get(url).status_code == 403, (role, url)
    client.logout()
    assert client.get("/term/2022/").status_code == 302  # to the login page


def test_person_record_shows_only_published_results_with_rule(client, term, make_user):
    client.force_login(make_user(Role.LEADING_GROUP))
    response = client.get("/term/2022/person/胡培林/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="term-row"') == 2  # two real campaigns, not the practice one
    assert "满意率" in body and "规则：" in body
    assert "测评结果尚未公布" in body  # the 2023 ballot is closed, not published
    assert "不满意" not in body.split("测评结果尚未公布")[0].split("2023年")[-1]
    chart = response.context["chart"]["points"]
    assert [p["rate"] is None for p in chart] == [True, False]
    assert 'id="term-trend-data"' in body and "<script>" not in body


def test_unit_record_and_excel_export(client, term, office):
    client.force_login(office)
    page = client.get(f"/term/2022/unit/{term['unit'].pk}/")
    assert page.status_code == 200 and page.content.decode().count('data-testid="term-row"') == 2
    export = client.get(f"/term/2022/unit/{term['unit'].pk}/?format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "年度")
    rows = values[header + 1 :]
    assert [r[0] for r in rows] == [2023, 2025]
    assert rows[0][6] == "未公布" and rows[1][6] not in ("未公布", None)


def test_unknown_term_or_person_is_404(client, term, office):
    client.force_login(office)
    assert client.get("/term/2017/").status_code == 404
    assert client.get("/term/2022/person/无此人/").status_code == 404


def test_my_work_links_the_term_record_for_leadership(client, term, make_user):
    client.force_login(make_user(Role.LEADING_GROUP))
    assert "/term/" in client.get("/my-work/").content.decode()
    client.force_login(make_user(Role.MEMBER))
    assert 'href="/term/"' not in client.get("/my-work/").content.decode()


def test_query_count_stays_flat_as_campaigns_grow(term, office, django_assert_max_num_queries):
    from workbench.term_record import term_rows

    campaigns = [term["first"], term["second"]]
    with django_assert_max_num_queries(20) as few:
        term_rows(campaigns)
    for i in range(6):
        SubjectFactory(campaign=term["second"], person_name=f"新增{i}", unit=term["unit"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = term_rows(campaigns)
    assert len(rows) == 8


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by make setup"
)
def test_the_term_record_as_pdf_through_the_document_pipeline(client, term, office, make_user):
    """Linked from the term's page; rendered by core.documents; published results with their
    rule only, never a sealed one or a practice campaign; readers only."""
    client.force_login(office)
    page = client.get("/term/2022/").content.decode()
    assert 'href="/documents/term_record/2022/"' in page
    assert "生成 PDF" in client.get("/documents/term_record/2022/").content.decode()
    client.post("/documents/term_record/2022/")
    document = RenderedDocument.objects.get(kind="term_record", object_id=2022)
    document = document_render(document_id=document.pk)  # the worker's part
    assert document.status == DocumentStatus.DONE, document.error
    text = subprocess.run(  # reading order, so that a cell's wrapped lines stay together
        ["pdftotext", document.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    assert "第十七届（2022—2026年）履职评议档案" in squeezed
    assert "2023年·2023年度述职评议" in squeezed and "2025年·2025年度述职评议" in squeezed
    assert "演练活动" not in squeezed  # 试运行: never in the record
    assert squeezed.count("胡培林") == 2
    assert squeezed.count("测评结果尚未公布") == 1  # the first campaign's ballot is sealed
    rule = term["second"].ballots.get().rule_text  # cells wrap: its start, after 规则：
    assert "满意，满意率100.00%" in squeezed and f"规则：{rule[:16]}" in squeezed
    response = client.get("/documents/term_record/2022/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Who may not read the record may neither render nor fetch its PDF.
    client.force_login(make_user(role=Role.MEMBER))
    assert client.get("/documents/term_record/2022/pdf/").status_code == 403
    assert client.post("/documents/term_record/2022/").status_code == 403
    client.force_login(office)
    assert client.get("/documents/term_record/2017/").status_code == 404
