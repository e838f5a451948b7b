"""通过整改方案: the subject's liaison committee (or the office), on a submitted plan."""

import pytest

from rectification.models import PlanStatus, RectificationPlan, VersionStatus
from tests.factories import plan_advance

from .conftest import audited, base, people, refused

pytestmark = pytest.mark.django_db

DECIDED_BY = "整改方案由财政经济工作委员会审核。"


def _url(world):
    return f"{base(world)}plan/move/approved/"


@pytest.fixture
def submitted(world):
    plan_advance(world.subject, to=PlanStatus.SUBMITTED)
    return world


@pytest.mark.parametrize("who", ["liaison", "office"])
def test_the_liaison_committee_or_the_office_approves(client, submitted, who):
    client.force_login(getattr(submitted, who))
    assert client.post(_url(submitted)).status_code == 302
    plan = RectificationPlan.objects.get(subject=submitted.subject)
    assert plan.status == PlanStatus.APPROVED and plan.decided_on is not None
    assert plan.subject.rectification_versions.get().status == VersionStatus.APPROVED
    assert audited(submitted.subject, "rectification_plan.approved") == 1


@pytest.mark.parametrize("who", ["director", "leading"])
def test_other_roles_are_refused(client, submitted, who):
    refused(
        client, getattr(submitted, who), _url(submitted), {}, DECIDED_BY, subject=submitted.subject
    )


def test_the_subject_cannot_approve_their_own_plan(client, submitted):
    refused(
        client, submitted.subject.user, _url(submitted), {}, DECIDED_BY, subject=submitted.subject
    )


def test_another_committee_a_member_and_another_subject_do_not_see_it(client, submitted):
    for _, user in people(submitted, "other_liaison", "member", "other_subject"):
        refused(client, user, _url(submitted), {}, "", subject=submitted.subject, status=404)


def test_a_draft_plan_cannot_be_approved(client, world):
    refused(
        client, world.liaison, _url(world), {}, "整改方案填写中，不能通过。", subject=world.subject
    )
