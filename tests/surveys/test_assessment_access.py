"""Confidentiality of the preliminary assessment: group 1 tries to reach group 2's work."""

import datetime

import pytest

from core.roles import Role
from subjects.models import ReportKind
from subjects.services import duty_report_upload
from surveys.models import ActivityKind, FindingKind
from surveys.services import (
    activity_record,
    finding_add,
    investigation_report_save,
    investigation_report_submit,
)
from tests.factories import CampaignFactory, SubjectFactory, UserFactory, make_group, pdf_upload
from tests.forms import browser_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_groups(office):
    campaign = CampaignFactory(actor=office)
    one_member = UserFactory(role=Role.MEMBER, first_name="一组组员")
    two_leader = UserFactory(role=Role.MEMBER, first_name="二组组长")
    mine = SubjectFactory(campaign=campaign, person_name="金立新")
    theirs = SubjectFactory(campaign=campaign, person_name="唐晓云")
    g1 = make_group(campaign, name="第一组", members=[one_member], subjects=[mine], actor=office)
    g2 = make_group(campaign, name="第二组", leader=two_leader, subjects=[theirs], actor=office)
    item = campaign.content_items.first()
    activity = activity_record(
        actor=two_leader,
        group=g2,
        subjects=[theirs],
        kind=ActivityKind.VISIT,
        held_on=datetime.date(2017, 8, 25),
        place="县法院",
        participant_count=5,
        participants="律师代表",
        attachments=[pdf_upload("走访记录.pdf")],
    )
    finding = finding_add(
        actor=two_leader,
        subject=theirs,
        content_item=item,
        kind=FindingKind.PROBLEM,
        text="二组机密问题",
    )
    draft_report = investigation_report_save(
        actor=two_leader, subject=theirs, body="二组调查报告草稿"
    )
    draft = duty_report_upload(
        actor=theirs.user, subject=theirs, kind=ReportKind.DRAFT, upload=pdf_upload("唐初稿.pdf")
    )
    own_draft = duty_report_upload(
        actor=mine.user, subject=mine, kind=ReportKind.DRAFT, upload=pdf_upload("金初稿.pdf")
    )
    return {
        "campaign": campaign,
        "g1": g1,
        "g2": g2,
        "one": one_member,
        "two_leader": two_leader,
        "mine": mine,
        "theirs": theirs,
        "activity": activity,
        "attachment": activity.attachments.get(),
        "finding": finding,
        "report": draft_report,
        "draft": draft,
        "own_draft": own_draft,
    }


def test_group_one_sees_nothing_of_group_two(client, two_groups):
    w = two_groups
    client.force_login(w["one"])
    listing = client.get("/groups/").content.decode()
    assert "第一组" in listing and "第二组" not in listing
    own = client.get(f"/groups/{w['g1'].pk}/").content.decode()
    assert "金立新" in own and "唐晓云" not in own and "县法院" not in own
    for url in [
        f"/groups/{w['g2'].pk}/",
        f"/groups/{w['g2'].pk}/subjects/{w['theirs'].pk}/",
        f"/groups/{w['g1'].pk}/subjects/{w['theirs'].pk}/",  # their subject through my group
        f"/activities/{w['activity'].pk}/",
        f"/attachments/{w['attachment'].pk}/",
        f"/investigation-reports/{w['report'].pk}/",
        f"/reports/{w['draft'].pk}/download/",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"/findings/{w['finding'].pk}/delete/", {}),
        (f"/groups/{w['g2'].pk}/", {"kind": "forum"}),
        (f"/groups/{w['g2'].pk}/subjects/{w['theirs'].pk}/findings/", {"text": "伪造"}),
        (
            f"/groups/{w['g2'].pk}/subjects/{w['theirs'].pk}/investigation-report/",
            {"body": "伪造"},
        ),
        (f"/investigation-reports/{w['report'].pk}/move/submitted/", {"body": "伪造"}),
        (f"/activities/{w['activity'].pk}/", {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert w["theirs"].findings.count() == 1
    # ...while the group's own subject's duty-report draft is readable.
    assert client.get(f"/reports/{w['own_draft'].pk}/download/").status_code == 200


def test_forged_finding_post_into_other_group_changes_nothing(client, two_groups):
    w = two_groups
    client.force_login(w["one"])
    item = w["campaign"].content_items.first()
    response = client.post(
        f"/groups/{w['g2'].pk}/subjects/{w['theirs'].pk}/findings/",
        {"content_item": item.pk, "kind": "problem", "text": "伪造"},
    )
    assert response.status_code == 404
    assert not w["theirs"].findings.filter(text="伪造").exists()


def test_leading_group_sees_all_director_only_submitted(client, two_groups, make_user):
    w = two_groups
    client.force_login(make_user(Role.LEADING_GROUP))
    assert client.get(f"/groups/{w['g2'].pk}/").status_code == 200
    assert client.get(f"/investigation-reports/{w['report'].pk}/").status_code == 200
    director = make_user(Role.DIRECTORS_MEETING)
    client.force_login(director)
    assert client.get(f"/groups/{w['g2'].pk}/").status_code == 404
    assert client.get(f"/investigation-reports/{w['report'].pk}/").status_code == 404
    investigation_report_submit(actor=w["two_leader"], report=w["report"])
    assert client.get(f"/investigation-reports/{w['report'].pk}/").status_code == 200
    assert client.get(f"/campaigns/{w['campaign'].pk}/investigation-reports/").status_code == 200


def test_subject_cannot_see_any_group_work(client, two_groups):
    w = two_groups
    client.force_login(w["theirs"].user)
    assert client.get(f"/groups/{w['g2'].pk}/").status_code == 404
    assert client.get(f"/activities/{w['activity'].pk}/").status_code == 404
    assert client.get(f"/investigation-reports/{w['report'].pk}/").status_code == 404
    assert "第二组" not in client.get("/groups/").content.decode()


def test_group_member_records_through_pages(client, two_groups):
    w = two_groups
    client.force_login(w["one"])
    response = client.post(
        f"/groups/{w['g1'].pk}/",
        {
            "subjects": [w["mine"].pk],
            "kind": "forum",
            "held_on": "2017-08-26",
            "place": "会议室",
            "participant_count": "10",
            "participants": "企业代表",
            "notes": "",
            "attachments": [pdf_upload("记录.pdf")],
        },
    )
    assert response.status_code == 302
    activity = w["g1"].activities.get()
    assert activity.attachments.count() == 1
    item = w["campaign"].content_items.first()
    response = client.post(
        f"/groups/{w['g1'].pk}/subjects/{w['mine'].pk}/findings/",
        {
            "content_item": item.pk,
            "kind": "problem",
            "text": "窗口服务效率不高",
            "activity": activity.pk,
        },
    )
    assert response.status_code == 302
    assert w["mine"].findings.get().activity == activity
    page = client.get(f"/groups/{w['g1'].pk}/subjects/{w['mine'].pk}/").content.decode()
    assert "窗口服务效率不高" in page and "报告由组长提交" in page


def test_assignment_page_office_only(client, two_groups, office):
    w = two_groups
    client.force_login(w["one"])
    assert client.get(f"/campaigns/{w['campaign'].pk}/groups/assign/").status_code == 403
    client.force_login(office)
    page = client.get(f"/campaigns/{w['campaign'].pk}/groups/assign/").content.decode()
    assert "第一组" in page and "第二组" in page
    url = f"/campaigns/{w['campaign'].pk}/groups/assign/"
    data = browser_data(
        client,
        url,
        url,
        **{
            f"subject_{w['mine'].pk}": str(w["g2"].pk),
            f"subject_{w['theirs'].pk}": str(w["g2"].pk),
        },
    )
    client.post(url, data)
    w["mine"].refresh_from_db()
    assert w["mine"].group_assignment.group == w["g2"]
    response = client.post(
        url, browser_data(client, url, url, **{f"subject_{w['mine'].pk}": "abc"}), follow=True
    )
    assert "分组未保存" in response.content.decode()
    # The page as drawn before that change is stale now: refused, nothing moves.
    response = client.post(url, {**data, f"subject_{w['mine'].pk}": ""}, follow=True)
    assert "内容已被他人修改，请刷新后重试" in response.content.decode()
    w["mine"].refresh_from_db()
    assert w["mine"].group_assignment.group == w["g2"]
