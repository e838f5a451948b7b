"""Review meetings and their agenda (述职顺序) in the admin go through the ballots services:
each change leaves an audit entry, and a refused change writes nothing."""

import datetime

import pytest
from django.contrib.admin.models import DELETION, LogEntry

from ballots.models import AgendaItem, BallotStatus, Inquiry, ReviewMeeting
from ballots.services import agenda_item_create, ballot_create, meeting_create
from core.models import AuditEntry
from subjects.models import ReviewForm
from tests.admin_forms import add_row, form_data
from tests.factories import CampaignFactory, MemberFactory, SubjectFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/ballots/reviewmeeting/add/"


def _change(meeting) -> str:
    return f"/admin/ballots/reviewmeeting/{meeting.pk}/change/"


@pytest.fixture
def world(office):
    campaign = CampaignFactory(actor=office)
    on_site = SubjectFactory(campaign=campaign, person_name="金立新")
    written = SubjectFactory(
        campaign=campaign, person_name="唐晓云", review_form=ReviewForm.WRITTEN
    )
    members = [MemberFactory(), MemberFactory()]
    return campaign, on_site, written, members


def _meeting(office, world, **kwargs):
    campaign, on_site, _, members = world
    meeting = meeting_create(
        actor=office,
        campaign=campaign,
        name="县十七届人大常委会第五次会议",
        held_on=datetime.date(2017, 9, 22),
        attendees=members[:1],
        **kwargs,
    )
    agenda_item_create(actor=office, meeting=meeting, subject=on_site, position=1)
    AuditEntry.objects.all().delete()
    return meeting


def _new_meeting_data(client, world) -> dict:
    campaign, _, _, members = world
    data = form_data(client.get(ADD))
    data.update(
        campaign=campaign.pk,
        name="县十七届人大常委会第五次会议",
        held_on="2017-09-22",
        place="县人大常委会会议室",
        attendees=[m.pk for m in members],
    )
    return data


def test_create_goes_through_the_services(client, office, world):
    _, on_site, _, members = world
    client.force_login(office)
    data = _new_meeting_data(client, world)
    add_row(data, "agenda", position="1", subject=on_site.pk)

    response = client.post(ADD, data)

    assert response.status_code == 302
    meeting = ReviewMeeting.objects.get()
    assert set(meeting.attendees.all()) == set(members)
    assert meeting.agenda.get().subject == on_site
    created = AuditEntry.objects.get(action="meeting.create")
    assert created.actor == office and created.data == {"attendees": sorted(m.pk for m in members)}
    assert AuditEntry.objects.get(action="agenda.create").subject == on_site


def test_one_bad_agenda_row_saves_nothing(client, office, world):
    _, on_site, written, _ = world
    client.force_login(office)
    data = _new_meeting_data(client, world)
    add_row(data, "agenda", position="1", subject=on_site.pk)
    add_row(data, "agenda", position="2", subject=written.pk)  # written subjects do not report

    response = client.post(ADD, data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "唐晓云不是" in body and "现场述职的评议对象，不能列入述职顺序" in body
    assert "县人大常委会会议室" in body  # the form comes back as typed
    assert not ReviewMeeting.objects.exists() and not AgendaItem.objects.exists()
    assert not AuditEntry.objects.filter(action__regex=r"^(meeting|agenda)\.").exists()


def test_edit_goes_through_the_services(client, office, world):
    _, _, _, members = world
    meeting = _meeting(office, world)
    client.force_login(office)
    data = form_data(client.get(_change(meeting)))
    data["place"] = "县人大常委会第一会议室"
    data["attendees"] = [m.pk for m in members]
    data["agenda-0-position"] = "2"

    response = client.post(_change(meeting), data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "县人大常委会第一会议室" and meeting.attendees.count() == 2
    assert meeting.agenda.get().position == 2
    entry = AuditEntry.objects.get(action="meeting.update")
    assert entry.actor == office
    assert set(entry.data) == {"place", "attendees"}
    assert "地点" in entry.summary and "出席人员" in entry.summary
    assert AuditEntry.objects.filter(action="agenda.update", actor=office).exists()


def test_agenda_row_with_inquiries_cannot_go(client, office, world):
    _, on_site, _, members = world
    meeting = _meeting(office, world)
    Inquiry.objects.create(
        meeting=meeting, subject=on_site, asked_by=members[0].user, question="审批提速有何举措？"
    )
    client.force_login(office)
    data = form_data(client.get(_change(meeting)))
    data["place"] = "别处"
    data["agenda-0-DELETE"] = "on"

    response = client.post(_change(meeting), data)

    assert response.status_code == 200
    assert "会上已向金立新提出询问，不能删除其述职顺序" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.place == "" and meeting.agenda.count() == 1
    assert not AuditEntry.objects.exists()


def test_delete_goes_through_the_service(client, office, world):
    meeting = _meeting(office, world)
    client.force_login(office)

    response = client.post(f"/admin/ballots/reviewmeeting/{meeting.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not ReviewMeeting.objects.exists() and not AgendaItem.objects.exists()
    entry = AuditEntry.objects.get(action="meeting.delete")
    assert entry.actor == office and "县十七届人大常委会第五次会议" in entry.summary


def test_meeting_with_a_ballot_cannot_be_deleted(client, office, world):
    campaign = world[0]
    meeting = _meeting(office, world)
    ballot_create(actor=office, campaign=campaign, name="满意度测评", meeting=meeting)
    client.force_login(office)

    page = client.get(f"/admin/ballots/reviewmeeting/{meeting.pk}/delete/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/ballots/reviewmeeting/{meeting.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert "已有满意度测评“满意度测评”，不能删除" in response.content.decode()
    assert ReviewMeeting.objects.filter(pk=meeting.pk).exists() and meeting.agenda.exists()
    assert not AuditEntry.objects.filter(action="meeting.delete").exists()


def test_delete_selected_is_all_or_nothing(client, office, world):
    campaign = world[0]
    free = _meeting(office, world)
    taken = meeting_create(
        actor=office, campaign=campaign, name="第六次会议", held_on=datetime.date(2017, 10, 9)
    )
    ballot_create(actor=office, campaign=campaign, name="满意度测评", meeting=taken)
    client.force_login(office)

    response = client.post(
        "/admin/ballots/reviewmeeting/",
        {"action": "delete_selected", "_selected_action": [free.pk, taken.pk], "post": "yes"},
        follow=True,
    )

    assert "不能删除" in response.content.decode()
    assert ReviewMeeting.objects.count() == 2
    assert not AuditEntry.objects.filter(action="meeting.delete").exists()
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_published_meeting_is_locked(client, office, world):
    campaign = world[0]
    meeting = _meeting(office, world)
    ballot = ballot_create(actor=office, campaign=campaign, name="满意度测评", meeting=meeting)
    # Publishing takes a whole vote (tested in test_ballots); here only the state matters.
    ballot.status = BallotStatus.PUBLISHED
    ballot.save(update_fields=["status"])
    client.force_login(office)
    data = form_data(client.get(_change(meeting)))
    data["held_on"] = "2017-09-23"

    response = client.post(_change(meeting), data)

    assert response.status_code == 200
    assert "测评结果已公布，会议记录不能再修改" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.held_on == datetime.date(2017, 9, 22)
