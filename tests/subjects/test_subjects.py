import datetime

import pytest

from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role, user_has_role
from reviews.models import CampaignStage
from reviews.services import campaign_implementation_plan_attach, campaign_stage_move
from subjects.models import ReviewForm, Subject
from subjects.services import subject_create, subject_delete, subject_update
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    SubjectFactory,
    UnitFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def _create(office, campaign, **kwargs):
    values = dict(
        actor=office,
        campaign=campaign,
        person_name="金立新",
        post="主任",
        unit=UnitFactory(name="县发展和改革委员会"),
        appointed_on=datetime.date(2014, 3, 1),
        review_form=ReviewForm.ON_SITE,
        liaison_committee=LiaisonCommitteeFactory(name="财政经济工作委员会"),
    )
    values.update(kwargs)
    return subject_create(**values)


def test_create_with_account(office):
    campaign = CampaignFactory(actor=office)
    subject, initial = _create(office, campaign, username="jinlx")
    assert subject.user.username == "jinlx" and user_has_role(subject.user, Role.SUBJECT)
    assert subject.user.check_password(initial)
    assert subject.user.first_name == "金立新"
    entry = AuditEntry.objects.get(action="subject.create")
    assert entry.subject == subject and "现场述职评议" in entry.summary


def test_same_person_reviewed_again_next_year_keeps_login(office):
    first, _ = _create(office, CampaignFactory(actor=office), username="jinlx")
    second, initial = _create(office, CampaignFactory(actor=office), username="jinlx")
    assert second.user == first.user and initial is None


def test_duplicate_subject_refused(office):
    campaign = CampaignFactory(actor=office)
    _create(office, campaign)
    with pytest.raises(ApplicationError):
        _create(office, campaign)
    assert Subject.objects.count() == 1


def test_username_of_an_office_user_refused(office):
    campaign = CampaignFactory(actor=office)
    with pytest.raises(ApplicationError, match="已被其他人员使用"):
        _create(office, campaign, username=office.username)
    assert not Subject.objects.exists()


def test_subjects_fixed_after_preparation(office):
    campaign = CampaignFactory(actor=office)
    campaign_implementation_plan_attach(
        actor=office,
        campaign=campaign,
        document=pdf_upload(),
        approved_on=campaign.created_at.date(),
    )
    subject, _ = _create(office, campaign)
    campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
    with pytest.raises(ApplicationError, match="只能在准备阶段"):
        _create(office, campaign, person_name="新增")
    with pytest.raises(ApplicationError, match="只能在准备阶段"):
        subject_delete(actor=office, subject=subject)
    subject_update(actor=office, subject=subject, post="主任（正处级）")
    campaign_stage_move(
        actor=office,
        campaign=campaign,
        to_stage=CampaignStage.REVIEW,
        override_reason="本测试不涉及阶段条件",
        confirmed=True,
    )
    with pytest.raises(ApplicationError, match="评议形式"):
        subject_update(actor=office, subject=subject, review_form=ReviewForm.WRITTEN)
    subject.refresh_from_db()
    assert subject.review_form == ReviewForm.ON_SITE and subject.post == "主任（正处级）"


def test_tenure():
    subject = Subject(appointed_on=datetime.date(2014, 3, 15))
    assert subject.tenure_on(datetime.date(2017, 8, 15)) == (3, 5)
    assert subject.tenure_on(datetime.date(2017, 8, 14)) == (3, 4)
    assert subject.tenure_on(datetime.date(2017, 3, 15)) == (3, 0)
    assert subject.tenure_on(datetime.date(2014, 3, 1)) == (0, 0)


class TestAdmin:
    def test_office_adds_subject_with_login_in_admin(self, client, office):
        campaign = CampaignFactory(actor=office)
        unit = UnitFactory(name="县统计局")
        committee = LiaisonCommitteeFactory(name="财政经济工作委员会")
        client.force_login(office)
        response = client.post(
            "/admin/subjects/subject/add/",
            {
                "campaign": campaign.pk,
                "person_name": "胡培林",
                "post": "局长",
                "unit": unit.pk,
                "appointed_on": "2012-08-01",
                "review_form": "written",
                "liaison_committee": committee.pk,
                "position": "",
                "username": "hupl",
                "password": "",
            },
            follow=True,
        )
        body = response.content.decode()
        subject = Subject.objects.get(person_name="胡培林")
        assert subject.user.username == "hupl"
        assert "初始密码" in body

    def test_subject_delete_after_preparation_shows_message(self, client, office):
        campaign = CampaignFactory(actor=office)
        campaign_implementation_plan_attach(
            actor=office,
            campaign=campaign,
            document=pdf_upload(),
            approved_on=campaign.created_at.date(),
        )
        subject = SubjectFactory(campaign=campaign)
        campaign_stage_move(actor=office, campaign=campaign, to_stage=CampaignStage.PRELIMINARY)
        client.force_login(office)
        response = client.post(
            f"/admin/subjects/subject/{subject.pk}/delete/", {"post": "yes"}, follow=True
        )
        assert "只能在准备阶段" in response.content.decode()
        assert Subject.objects.filter(pk=subject.pk).exists()

    def test_liaison_committee_users_get_role(self, client, office, make_user):
        staff = make_user(None, first_name="陈蓬远")
        client.force_login(office)
        response = client.post(
            "/admin/subjects/liaisoncommittee/add/", {"name": "法制工作委员会", "users": [staff.pk]}
        )
        assert response.status_code == 302
        assert user_has_role(staff, Role.LIAISON)
        assert AuditEntry.objects.filter(action="liaison.users").exists()
