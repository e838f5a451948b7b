"""重新组织投票（下一轮）: after a round invalid for want of members, the office holds another."""

import pytest

from ballots.models import Ballot, BallotStatus, Teller
from tests.factories import ballot_advance

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def invalid(world):
    """One member of three voted: fewer than the quorum of two, so the round is invalid."""
    world.ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意"])
    assert world.ballot.is_valid is False
    return world


def test_the_office_holds_the_next_round(client, invalid):
    ballot = invalid.ballot
    client.force_login(invalid.office)
    response = client.post(url(ballot, "round/"), follow=True)
    new = Ballot.objects.get(previous=ballot)
    assert response.redirect_chain[-1][0] == f"/ballots/{new.pk}/"
    assert "已建立第 2 轮投票。" in response.content.decode()
    assert new.status == BallotStatus.DRAFT and new.round == 2
    assert Teller.objects.filter(ballot=new).count() == Teller.objects.filter(ballot=ballot).count()
    assert audited(ballot, "ballot.round") == 1
    # Once: the next round exists.
    refused(
        client, invalid.office, url(ballot, "round/"), {}, "已经组织过下一轮投票。", ballot=ballot
    )


def test_other_roles_are_refused(client, invalid):
    others_refused(client, invalid, url(invalid.ballot, "round/"))


def test_not_after_a_valid_round(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意", "满意"])
    assert ballot.is_valid
    refused(
        client,
        world.office,
        url(ballot, "round/"),
        {},
        "只有因人数不足而无效的测评可以重新组织投票。",
        ballot=ballot,
    )


def test_not_while_a_ballot_is_a_draft(client, world):
    refused(
        client,
        world.office,
        url(world.ballot, "round/"),
        {},
        "只有因人数不足而无效的测评可以重新组织投票。",
        ballot=world.ballot,
    )
