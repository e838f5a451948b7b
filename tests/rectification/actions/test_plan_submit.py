"""报送整改方案: the review subject, on their own plan, while it is a draft or returned."""

import pytest

from rectification.models import PlanStatus, RectificationPlan, VersionStatus
from tests.factories import plan_advance

from .conftest import audited, base, people, plan_post, refused

pytestmark = pytest.mark.django_db

ONLY_SUBJECT = "只有评议对象本人可以填写和报送整改方案。"


def _url(world):
    return f"{base(world)}plan/move/submitted/"


def test_the_subject_submits_and_it_is_audited(client, world):
    client.force_login(world.subject.user)
    response = client.post(_url(world), plan_post(world.subject))
    assert response.status_code == 302
    plan = RectificationPlan.objects.get(subject=world.subject)
    assert plan.status == PlanStatus.SUBMITTED and plan.rows.count() == 1
    assert plan.subject.rectification_versions.get().status == VersionStatus.SUBMITTED
    assert audited(world.subject, "rectification_plan.submitted") == 1


@pytest.mark.parametrize("who", ["office", "liaison", "director", "leading"])
def test_every_other_role_that_sees_the_page_is_refused(client, world, who):
    refused(
        client,
        getattr(world, who),
        _url(world),
        plan_post(world.subject),
        ONLY_SUBJECT,
        subject=world.subject,
    )


def test_those_who_may_not_see_the_subject_are_refused(client, world):
    for _, user in people(world, "member", "other_liaison", "other_subject"):
        refused(
            client,
            user,
            _url(world),
            plan_post(world.subject),
            "",
            subject=world.subject,
            status=404,
        )


def test_a_submitted_plan_cannot_be_submitted_again(client, world):
    plan_advance(world.subject, to=PlanStatus.SUBMITTED)
    refused(
        client,
        world.subject.user,
        _url(world),
        plan_post(world.subject),
        "整改方案已报送，待审核，不能",
        subject=world.subject,
    )


def test_a_refused_submission_keeps_nothing_it_would_have_saved(client, world):
    """A row left empty: the submission is refused whole, and the page shows what was typed."""
    data = plan_post(world.subject)
    first = next(k for k in data if k.startswith("measures_"))
    data |= {first: "只写了措施", first.replace("measures", "target"): ""}
    response = refused(
        client, world.subject.user, _url(world), data, "须填写完整", subject=world.subject
    )
    assert "只写了措施" in response.content.decode()
