"""A refused upload says the file field's own reason at the top of the page (所提交的是空文件。),
not a generic "check the form", and stores nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import ImportJob
from core.roles import Role
from reviews.models import Campaign
from subjects.models import DutyReportVersion
from surveys.models import InvestigationActivity
from tests.factories import CampaignFactory, SubjectFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db

EMPTY = "所提交的是空文件。"


def _alert(page: str) -> str:
    """The text of the page's first error alert (a message or the admin's errornote)."""
    found = re.search(r'class="(?:alert alert-danger|errornote|error)"[^>]*>(.*?)</', page, re.S)
    assert found, page
    return found.group(1)


def _empty(name: str = "述职报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"", content_type="application/pdf")


def test_an_empty_duty_report_says_so_in_the_alert(client, office):
    subject = SubjectFactory(campaign=CampaignFactory(actor=office))
    client.force_login(subject.user)
    response = client.post(
        f"/subjects/{subject.pk}/reports/upload/", {"kind": "draft", "file": _empty()}
    )
    assert response.status_code == 400
    alert = _alert(response.content.decode())
    assert EMPTY in alert and "述职报告文件" in alert
    assert not DutyReportVersion.objects.exists()


def test_a_missing_duty_report_file_says_so_too(client, office):
    subject = SubjectFactory(campaign=CampaignFactory(actor=office))
    client.force_login(subject.user)
    response = client.post(f"/subjects/{subject.pk}/reports/upload/", {"kind": "draft"})
    alert = _alert(response.content.decode())
    assert response.status_code == 400 and "述职报告文件" in alert and "请选择稿别" not in alert


def test_an_empty_activity_attachment_says_so_in_the_alert(client, office):
    campaign = CampaignFactory(actor=office)
    leader = UserFactory(role=Role.MEMBER)
    subject = SubjectFactory(campaign=campaign)
    group = make_group(campaign, name="第一组", leader=leader, subjects=[subject], actor=office)
    client.force_login(leader)
    response = client.post(
        f"/groups/{group.pk}/",
        {
            "subjects": [subject.pk],
            "kind": "forum",
            "held_on": "2017-08-25",
            "place": "县发改委会议室",
            "participant_count": 12,
            "participants": "服务对象代表 8 人",
            "notes": "",
            "attachments": _empty("座谈记录.pdf"),
        },
    )
    assert response.status_code == 400
    assert EMPTY in _alert(response.content.decode())
    assert not InvestigationActivity.objects.exists()


def test_an_empty_excel_import_says_so_at_the_top(client, office):
    client.force_login(office)
    response = client.post("/admin/reviews/member/import/", {"file": _empty("名单.xlsx")})
    page = response.content.decode()
    assert "未导入" in page and EMPTY in page
    assert page.index("未导入") < page.index('enctype="multipart/form-data"')
    assert not ImportJob.objects.exists()


def test_an_admin_file_field_says_its_reason_at_the_top(client, office):
    client.force_login(office)
    response = client.post(
        "/admin/reviews/campaign/add/",
        {
            "name": "空方案",
            "year": "2018",
            "composition_size": "27",
            "issuing_office": "办公室",
            "implementation_plan_approved_on": "2018-08-01",
            "implementation_plan_file": _empty("实施方案.pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "未保存：实施方案文件：所提交的是空文件。" in page
    assert page.index("未保存：") < page.index('enctype="multipart/form-data"')
    assert not Campaign.objects.filter(name="空方案").exists()
