"""The three wipes found by posting empty forms: an empty POST unassigned every subject,
deleted every plan row, blanked the rectification report. Each is now refused with a
Chinese message and changes nothing; a stale page is refused the same way."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from rectification.models import RectificationReport
from reviews.models import Campaign
from subjects.models import Subject
from surveys.models import GroupAssignment
from tests.forms import browser_data
from workbench.demo import demo_load

pytestmark = pytest.mark.django_db

INCOMPLETE = "提交的表单不完整"
STALE = "内容已被他人修改，请刷新后重试"


@pytest.fixture
def demo():
    demo_load(today=datetime.date.today())
    return get_user_model().objects


def _message(response) -> str:
    return response.content.decode()


def test_an_empty_group_assignment_unassigns_nobody(client, demo):
    client.force_login(demo.get(username="office"))
    campaign = Campaign.objects.order_by("-pk").first()
    before = dict(campaign.subjects.values_list("pk", "group_assignment__group_id"))
    assert any(before.values())
    url = f"/campaigns/{campaign.pk}/groups/assign/"
    response = client.post(url, {}, follow=True)
    assert INCOMPLETE in _message(response)
    assert dict(campaign.subjects.values_list("pk", "group_assignment__group_id")) == before
    # A page drawn before another office user moved a subject is refused whole.
    drawn = browser_data(client, url, url)
    moved = campaign.subjects.exclude(group_assignment=None).first()
    other = campaign.assessment_groups.exclude(pk=moved.group_assignment.group_id).first()
    GroupAssignment.objects.filter(subject=moved).update(group=other)
    response = client.post(url, drawn, follow=True)
    assert STALE in _message(response)
    moved.refresh_from_db()
    assert moved.group_assignment.group == other


def test_an_empty_plan_post_deletes_no_row(client, demo):
    subject = Subject.objects.get(user__username="s08")
    plan = subject.rectification_plan
    rows = list(plan.rows.values_list("pk", "measures"))
    assert rows
    client.force_login(subject.user)
    for url in (
        f"/subjects/{subject.pk}/rectification/plan/",
        f"/subjects/{subject.pk}/rectification/plan/move/submitted/",
    ):
        response = client.post(url, {})
        assert response.status_code == 400 and INCOMPLETE in _message(response)
        assert list(plan.rows.values_list("pk", "measures")) == rows


def test_an_empty_report_post_blanks_nothing(client, demo):
    subject = Subject.objects.get(user__username="s01")
    report = RectificationReport.objects.filter(subject=subject).order_by("-round").first()
    page = f"/subjects/{subject.pk}/rectification/"
    url = f"/subjects/{subject.pk}/rectification/report/"
    client.force_login(subject.user)
    client.post(url, browser_data(client, page, url, text="已推行并联审批，时限压缩一半。"))
    report.refresh_from_db()
    assert report.text == "已推行并联审批，时限压缩一半。"
    response = client.post(url, {})
    assert response.status_code == 400 and INCOMPLETE in _message(response)
    report.refresh_from_db()
    assert report.text == "已推行并联审批，时限压缩一半。"
    # Two tabs: the second one's older page cannot overwrite the first one's save.
    older = browser_data(client, page, url, text="旧页面上的内容")
    client.post(url, browser_data(client, page, url, text="新内容"))
    response = client.post(url, older)
    assert STALE in _message(response)
    report.refresh_from_db()
    assert report.text == "新内容"
