"""Rectification due dates are fixed when they start and move only by an explicit 延期:
changing the campaign's limits later changes nothing already delivered, and the page, the
reminder sweep and the ledger read the same stored date."""

import datetime

import pytest
import time_machine

from core.errors import ApplicationError
from core.models import AuditEntry
from core.roles import Role
from rectification.models import DeadlineExtension, RectificationPlan, RectificationReport
from rectification.services import (
    rectification_deadline_extend,
    review_opinion_approve,
    review_opinion_deliver,
    review_opinion_draft,
    review_opinion_problem_add,
)
from reviews.services import campaign_update
from tests.factories import CampaignFactory, LiaisonCommitteeFactory, SubjectFactory, UserFactory
from workbench.reminders import collect_deadlines

pytestmark = pytest.mark.django_db
DELIVERED = datetime.date(2024, 1, 15)


def _deliver(office, subject, on=DELIVERED):
    opinion = review_opinion_draft(actor=office, subject=subject)
    review_opinion_problem_add(
        actor=office,
        opinion=opinion,
        content_item=subject.campaign.content_items.first(),
        text="窗口办事效率不高",
        source="inquiry",
    )
    review_opinion_approve(actor=office, opinion=opinion, approved_on=on)
    review_opinion_deliver(actor=office, opinion=opinion, delivered_on=on)


@pytest.fixture
def world(office):
    with time_machine.travel(datetime.datetime(2024, 1, 20, 10, tzinfo=datetime.UTC)):
        campaign = CampaignFactory(actor=office)
        committee = LiaisonCommitteeFactory()
        liaison = UserFactory(role=Role.LIAISON)
        committee.users.add(liaison)
        first = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=committee)
        second = SubjectFactory(
            campaign=campaign, person_name="唐晓云", liaison_committee=committee
        )
        _deliver(office, first)
    return campaign, first, second, liaison


def test_limits_changed_later_apply_only_to_later_deliveries(office, world):
    campaign, first, second, _ = world
    with time_machine.travel(datetime.datetime(2024, 1, 25, 10, tzinfo=datetime.UTC)):
        campaign_update(
            actor=office,
            campaign=campaign,
            rectification_plan_limit=45,
            rectification_plan_limit_unit="days",
        )
        campaign_update(actor=office, campaign=campaign, rectification_report_limit=4)
        _deliver(office, second)
    assert RectificationPlan.objects.get(subject=first).due_on == datetime.date(2024, 2, 15)
    assert RectificationReport.objects.get(subject=first).due_on == datetime.date(2024, 4, 15)
    assert RectificationPlan.objects.get(subject=second).due_on == datetime.date(2024, 2, 29)
    assert RectificationReport.objects.get(subject=second).due_on == datetime.date(2024, 5, 15)


def test_page_and_sweep_read_the_same_date(client, office, world):
    campaign, first, _, _ = world
    campaign_update(
        actor=office, campaign=campaign, rectification_plan_limit=3, rectification_report_limit=6
    )
    deadlines = {
        d.key: d.due
        for d in collect_deadlines(datetime.date(2024, 2, 1))
        if d.whom.startswith("金立新")
    }
    plan = RectificationPlan.objects.get(subject=first)
    report = RectificationReport.objects.get(subject=first)
    assert deadlines == {
        f"rect_plan:{first.pk}": plan.due_on,
        f"rect_report:{report.pk}": report.due_on,
    }
    client.force_login(first.user)
    page = client.get(f"/subjects/{first.pk}/rectification/").content.decode()
    assert "2024年2月15日" in page and "2024年4月15日" in page
    assert "2024年5月1日" not in page and "2024年7月15日" not in page  # the new limits


def test_extension_is_explicit_reasoned_and_shown(client, office, world):
    campaign, first, _, liaison = world
    base = f"/subjects/{first.pk}/rectification/"
    with time_machine.travel(datetime.datetime(2024, 2, 1, 10, tzinfo=datetime.UTC)):
        client.force_login(first.user)
        assert (
            client.post(
                f"{base}extensions/",
                {"kind": "plan", "new_due_on": "2024-03-01", "reason": "自己要"},
            ).status_code
            == 400
        )
        client.force_login(office)
        for data in (
            {"kind": "plan", "new_due_on": "2024-03-01", "reason": ""},
            {"kind": "plan", "new_due_on": "2024-02-10", "reason": "早于原期限"},
            {"kind": "plan", "new_due_on": "2024-02-31", "reason": "不存在的日期"},
            {"kind": "nothing", "new_due_on": "2024-03-01", "reason": "未知事项"},
        ):
            assert client.post(f"{base}extensions/", data).status_code == 400, data
        assert not DeadlineExtension.objects.exists()
        assert RectificationPlan.objects.get(subject=first).due_on == datetime.date(2024, 2, 15)
        response = client.post(
            f"{base}extensions/",
            {"kind": "plan", "new_due_on": "2024-03-01", "reason": "机构改革，责任人调整"},
        )
        assert response.status_code == 302
    assert RectificationPlan.objects.get(subject=first).due_on == datetime.date(2024, 3, 1)
    assert AuditEntry.objects.filter(action="rectification.extend", subject=first).exists()
    for user in (first.user, liaison):
        client.force_login(user)
        page = client.get(base).content.decode()
        assert "机构改革，责任人调整" in page and "2024年3月1日" in page
    deadlines = {d.key: d.due for d in collect_deadlines(datetime.date(2024, 2, 20))}
    assert deadlines[f"rect_plan:{first.pk}"] == datetime.date(2024, 3, 1)


def test_extension_service_refuses_finished_deadlines(office, world):
    _, first, second, _ = world
    with pytest.raises(ApplicationError, match="不能延期"):
        rectification_deadline_extend(
            actor=office,
            subject=second,
            kind="plan",
            new_due_on=datetime.date(2030, 1, 1),
            reason="尚未送达",
        )
