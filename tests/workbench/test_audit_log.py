"""操作记录: Chinese action names, people's names, filters, pages, an Excel export."""

import datetime
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from core.audit import audit_action_areas, audit_action_label, audit_log
from core.roles import Role
from tests.factories import CampaignFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_action_codes_read_in_chinese_and_fall_into_areas():
    assert audit_action_label("duty_report.upload.draft") == "上传述职报告初稿"
    assert audit_action_label("weird") == "weird"
    areas = audit_action_areas()
    assert (
        areas["满意度测评"] == ["ballot", "ballot_paper"] and "rectification_plan" in areas["整改"]
    )


@pytest.fixture
def log(office):
    campaign = CampaignFactory(actor=office, name="县述职评议")
    other = CampaignFactory(actor=office, name="另一次评议")
    jin = SubjectFactory(campaign=campaign, person_name="金立新")
    tang = SubjectFactory(campaign=other, person_name="唐晓云")
    subject_user = jin.user
    subject_user.first_name = "金立新"
    subject_user.save()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)):
        audit_log(
            actor=subject_user,
            action="duty_report.upload.final",
            summary="金立新上传述职报告定稿第 1 版",
            campaign=campaign,
            subject=jin,
        )
    with time_machine.travel(datetime.datetime(2026, 11, 5, 9, tzinfo=datetime.UTC)):
        audit_log(
            actor=office,
            action="duty_report.accepted",
            summary="办公室接受金立新的述职报告定稿",
            campaign=campaign,
            subject=jin,
        )
        audit_log(
            actor=office,
            action="rectification_plan.returned",
            summary="退回唐晓云的整改方案",
            campaign=other,
            subject=tang,
        )
    return campaign, jin, tang


def _page(client, query=""):
    return client.get(f"/audit/{query}").content.decode()


def test_rows_name_the_action_the_person_and_the_subject(client, office, log):
    campaign, jin, _ = log
    client.force_login(office)
    page = _page(client)
    assert "上传述职报告定稿" in page and "duty_report.upload.final" not in page
    assert "金立新" in page and "评议对象" in page  # the actor's name and role
    assert "柏办公" in page and office.username not in page.split('data-testid="audit-rows"')[1]
    assert f'href="/subjects/{jin.pk}/"' in page
    assert "2026年11月2日" in page


def test_filters_by_campaign_subject_action_and_date(client, office, log):
    campaign, jin, tang = log
    client.force_login(office)
    page = _page(client, f"?campaign={campaign.pk}")
    assert "金立新上传" in page and "唐晓云" not in page.split('data-testid="audit-rows"')[1]
    page = _page(client, f"?subject={tang.pk}")
    assert "退回唐晓云" in page and "金立新上传" not in page
    page = _page(client, "?action=整改")
    assert "退回唐晓云" in page and "金立新上传" not in page
    page = _page(client, "?start=2026-11-04&end=2026-11-30")
    assert "接受金立新" in page and "金立新上传" not in page


def test_pages_of_fifty_and_the_excel_export(client, office, log):
    campaign, jin, _ = log
    for n in range(60):
        audit_log(actor=office, action="finding.add.problem", summary=f"问题{n}", subject=jin)
    client.force_login(office)
    first = _page(client, "?action=初评小组与调查")
    assert "共 60 条，第 1 / 2 页" in first and "下一页" in first
    second = _page(client, "?action=初评小组与调查&page=2")
    assert second.count("记录调查发现：问题") == 10
    response = client.get("/audit/?action=初评小组与调查&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]][:4] == ["时间", "操作人", "角色", "操作"]
    assert sheet.max_row == 61 and sheet["D2"].value == "记录调查发现：问题"


def test_who_reads_the_log(client, log, make_user):
    client.force_login(make_user(Role.LEADING_GROUP))
    assert client.get("/audit/").status_code == 200
    for role in (Role.MEMBER, Role.SUBJECT, Role.LIAISON, Role.DIRECTORS_MEETING):
        client.force_login(make_user(role))
        assert client.get("/audit/").status_code == 403


def test_queries_do_not_grow_with_the_rows(client, office, log, django_assert_max_num_queries):
    _, jin, _ = log
    for n in range(40):
        audit_log(actor=UserFactory(role=Role.MEMBER), action="finding.delete", summary=f"{n}")
    client.force_login(office)
    with django_assert_max_num_queries(15):
        client.get("/audit/")


def test_the_subject_box_filters_by_name_or_unit_and_suggests(client, office, log):
    campaign, jin, tang = log
    client.force_login(office)
    page = _page(client, "?subject=晓云")
    assert "退回唐晓云" in page and "金立新上传" not in page
    page = _page(client, f"?subject={jin.unit.name}")
    assert "金立新上传" in page and "退回唐晓云" not in page
    found = client.get("/audit/subjects.json", {"q": "立新"}).json()
    assert found == {"subjects": [{"value": "金立新", "label": jin.unit.name}]}
    elsewhere = client.get("/audit/subjects.json", {"q": "立新", "campaign": tang.campaign_id})
    assert elsewhere.json() == {"subjects": []}
    client.force_login(UserFactory(role=Role.MEMBER))
    assert client.get("/audit/subjects.json", {"q": "立新"}).status_code == 403


def test_the_page_does_not_list_every_subject(client, office, log, django_assert_max_num_queries):
    """A city holds thousands of subjects: the filter is a search box, so the page's
    queries stay the same however many there are, and no list of them is drawn."""
    campaign, *_ = log
    client.force_login(office)
    _page(client)
    with django_assert_max_num_queries(12) as few:
        small = _page(client)
    SubjectFactory.create_batch(200, campaign=campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = _page(client)
    for page in (small, large):
        assert 'list="audit-subject-suggestions"' in page and '<select name="subject"' not in page


def test_every_area_of_the_filter_reads_in_chinese():
    chinese = re.compile(r"^[\u4e00-\u9fff]+$")
    assert [name for name in audit_action_areas() if not chinese.match(name)] == []
