import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.models import AuditEntry
from core.roles import Role, user_has_role
from reviews.demo import DEMO_PASSWORD, LOGINS, demo_load
from reviews.models import Campaign, CampaignStage, Member
from subjects.models import ReviewForm, Subject

pytestmark = pytest.mark.django_db


def test_demo_shaped_like_the_county_campaign_and_idempotent(client):
    campaign, created = demo_load(today=datetime.date(2017, 9, 1))
    assert created
    assert campaign.name == "2017年度县人大常委会述职评议"
    assert campaign.stage == CampaignStage.PRELIMINARY
    subjects = Subject.objects.filter(campaign=campaign)
    assert subjects.count() == 12
    assert subjects.filter(review_form=ReviewForm.ON_SITE).count() == 6
    assert subjects.filter(review_form=ReviewForm.WRITTEN).count() == 6
    stages = {s.kind: s for s in campaign.stages.all()}
    assert stages["preparation"].planned_start == datetime.date(2017, 8, 1)
    assert stages["rectification"].planned_end == datetime.date(2017, 11, 30)
    assert (
        Member.objects.filter(counts_toward_composition=True).count() == campaign.composition_size
    )

    counts = (
        Campaign.objects.count(),
        Subject.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )
    again, created = demo_load(today=datetime.date(2017, 9, 1))
    assert not created and again == campaign
    assert counts == (
        Campaign.objects.count(),
        Subject.objects.count(),
        get_user_model().objects.count(),
        AuditEntry.objects.count(),
    )

    roles = {
        "office": Role.OFFICE,
        "leader": Role.LEADING_GROUP,
        "director": Role.DIRECTORS_MEETING,
        "member": Role.MEMBER,
        "subject": Role.SUBJECT,
        "liaison": Role.LIAISON,
    }
    for _, username in LOGINS:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user_has_role(user, roles[username])
        assert client.login(username=username, password=DEMO_PASSWORD)
        assert client.get("/my-work/").status_code == 200
        client.logout()


def test_demo_stage_follows_the_calendar():
    campaign, _ = demo_load(today=datetime.date(2017, 10, 8))
    assert campaign.stage == CampaignStage.RECTIFICATION
    assert campaign.transitions.count() == 3


def test_command_prints_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "演示账号" in out and "office" in out and DEMO_PASSWORD in out


def test_demo_subjects_have_three_years_in_post_at_the_meeting():
    campaign, _ = demo_load(today=datetime.date(2017, 9, 1))
    as_of = campaign.reference_date()
    assert as_of == datetime.date(2017, 9, 21)
    assert all(s.tenure_on(as_of)[0] >= 3 for s in campaign.subjects.all())
